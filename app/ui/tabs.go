package ui

import (
	"net/url"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/matrix"
)

// Messages between the widget's tabs (BroadcastChannel):
//
//	confirmed:<nonce>  the email link was opened: the waiting tab polls now
//	done:<session>     a tab finished this session: the others stop
//	stage:<session>    informational
//
// Each tab also holds a cross-tab claim (Web Locks) on the session it
// registers with, so two tabs never complete one session twice.

// claim takes (once) the cross-tab lock of the current UIAA session.
func (r *Register) claim() bool {
	if r.claimed != "" && r.auth != nil && r.claimed == r.auth.Session {
		return true
	}
	if r.Services == nil || r.Services.Claim == nil || r.auth == nil {
		return true
	}
	r.releaseClaim()
	release, ok := r.Services.Claim("signup:" + r.auth.Session)
	if !ok {
		return false
	}
	r.claimed, r.unclaim = r.auth.Session, release
	return true
}

func (r *Register) releaseClaim() {
	if r.unclaim != nil {
		r.unclaim()
	}
	r.claimed, r.unclaim = "", nil
}

// broadcast tells the other tabs what happened to the current session.
func (r *Register) broadcast(kind string) {
	if r.Services == nil || r.Services.Broadcast == nil || r.auth == nil {
		return
	}
	r.Services.Broadcast(kind + ":" + r.auth.Session)
}

// listenTabs wires the tab messages and visibility changes; called once
// on mount.
func (r *Register) listenTabs(ctx app.Context) {
	if r.Services == nil {
		return
	}
	if r.Services.OnBroadcast != nil {
		r.Services.OnBroadcast(func(msg string) {
			ctx.Dispatch(func(app.Context) { r.onTabMessage(msg) })
		})
	}
	if r.Services.OnVisible != nil {
		r.Services.OnVisible(func() {
			ctx.Dispatch(func(app.Context) {
				if r.phase == phaseStage && r.plan.Next == matrix.AuthEmail && r.mail.sid != "" {
					r.mail.interval = 0
					r.pollNow()
				}
			})
		})
	}
}

func (r *Register) onTabMessage(msg string) {
	kind, arg, _ := strings.Cut(msg, ":")
	switch kind {
	case "confirmed":
		if arg != "" && arg == r.mail.nonce && r.mail.sid != "" {
			r.mail.interval = 0
			r.pollNow()
		}
	case "done":
		if r.auth != nil && arg == r.auth.Session && r.phase != phaseDone {
			r.stopStages()
			r.clearProgress()
			r.phase = phaseDone
			r.doneElsewhere = true
		}
	}
}

// ConfirmedNonce reads ?email_confirmed=<nonce> from a page URL: the
// marker the widget puts in next_link (at most 64 characters).
func ConfirmedNonce(pageURL string) (string, bool) {
	u, err := url.Parse(pageURL)
	if err != nil {
		return "", false
	}
	n := u.Query().Get("email_confirmed")
	if n == "" || len(n) > 64 {
		return "", false
	}
	return n, true
}

// confirmedLanding handles this page opened from the email's next_link
// (?email_confirmed=<nonce>): it tells the waiting tab and says so.
func (r *Register) confirmedLanding() bool {
	if r.Services == nil || r.Services.PageURL == nil {
		return false
	}
	nonce, ok := ConfirmedNonce(r.Services.PageURL())
	if !ok {
		return false
	}
	if r.Services.Broadcast != nil {
		r.Services.Broadcast("confirmed:" + nonce)
	}
	if r.mail.nonce == nonce && r.mail.sid != "" {
		// A reload of the waiting tab itself: just poll.
		return false
	}
	r.phase = phaseConfirmed
	return true
}
