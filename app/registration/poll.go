package registration

import (
	"errors"
	"time"

	"signup/app/matrix"
	"signup/app/uiaa"
)

// Polling bounds: the first resubmit after a few seconds, then slower,
// never faster than minPoll, never slower than maxPoll.
const (
	minPoll = 2 * time.Second
	maxPoll = 15 * time.Second
)

// schedulePoll plans the next resubmit of the stage that waits for a
// validation, backing off from minPoll to maxPoll (faster growth when
// slower: the network failed).
func (e *Engine) schedulePoll(slower bool) {
	e.mail.pollSeq++
	switch {
	case e.mail.interval == 0:
		e.mail.interval = minPoll
	case slower:
		e.mail.interval = min(e.mail.interval*2, maxPoll)
	default:
		e.mail.interval = min(e.mail.interval*3/2, maxPoll)
	}
	e.emit(Schedule{Timer: TimerPoll, Seq: e.mail.pollSeq, After: e.mail.interval})
}

// schedulePollAfterWait resumes polling once the server's wait is over.
func (e *Engine) schedulePollAfterWait() {
	e.mail.pollSeq++
	e.emit(Schedule{Timer: TimerPoll, Seq: e.mail.pollSeq, After: e.wait.until.Sub(e.now)})
}

// pollNow resubmits at once (the tab became visible, the other tab said
// the link was clicked, the password was typed again).
func (e *Engine) pollNow() {
	e.mail.pollSeq++
	e.poll(e.mail.pollSeq)
}

// polled is the stage the poll resubmits, with its validation.
func (e *Engine) polled() (matrix.AuthType, string, string) {
	switch {
	case e.validating(matrix.AuthEmail) && e.plan.Next == matrix.AuthEmail:
		return matrix.AuthEmail, e.mail.sid, e.mail.secret
	case e.validating(matrix.AuthMSISDN) && e.plan.Next == matrix.AuthMSISDN:
		return matrix.AuthMSISDN, e.phone.sid, e.phone.secret
	}
	return "", "", ""
}

// poll resubmits {type, threepid_creds, session}: only while the stage
// waits on screen, the tab is visible, the password is known, no other
// /register is in flight, the server asks no wait, and this tab holds the
// session's cross-tab lock (two tabs never register twice).
func (e *Engine) poll(seq int) {
	stage, sid, secret := e.polled()
	if seq != e.mail.pollSeq || e.screen != ScreenStage || stage == "" || e.auth == nil {
		return
	}
	switch {
	case e.hidden:
		return // Visibility resumes.
	case e.password == "":
		return // PasswordAgain resumes.
	case e.reg != 0 || e.waiting():
		e.schedulePoll(false)
		return
	}
	if e.claimed != e.auth.Session {
		e.claimSeq++
		e.claimPoll = seq
		e.emit(Claim{Seq: e.claimSeq, Key: lockKey(e.auth.Session)})
		return
	}
	e.sendRegister(uiaa.Threepid(stage, e.auth.Session, sid, secret), true)
}

// claimedLock is the browser's answer to the claim a poll asked for.
func (e *Engine) claimedLock(c Claimed) {
	if c.Seq != e.claimSeq || e.auth == nil {
		if c.OK {
			e.emit(Release{Key: c.Key})
		}
		return
	}
	switch {
	case c.OK:
		e.claimed = e.auth.Session
		e.poll(e.claimPoll)
	case c.Err:
		// The browser did not say: neither register nor give up; ask
		// again later.
		e.schedulePoll(true)
	default:
		e.mail.elsewhere = true
	}
}

func (e *Engine) releaseClaim() {
	e.claimSeq++
	if e.claimed != "" {
		e.emit(Release{Key: lockKey(e.claimed)})
	}
	e.claimed = ""
}

// pollFailed handles a poll that got no UIAA answer: a wait the server
// asked for, a network or server failure (keep trying, slower), a lost
// session, or a real error.
func (e *Engine) pollFailed(err error) {
	me, _ := matrix.AsError(err)
	if _, limited := matrix.RetryAfter(err); limited {
		e.rateLimited(err)
		e.schedulePollAfterWait()
		return
	}
	if errors.Is(err, matrix.ErrUnreachable) || errors.Is(err, matrix.ErrBadResponse) || me != nil && me.Status >= 500 {
		e.mail.offline = true
		e.schedulePoll(true)
		return
	}
	if e.sessionLost(err) {
		return
	}
	e.fail(err, false)
}

// lockKey names the cross-tab lock of a UIAA session.
func lockKey(session string) string { return "signup:" + session }
