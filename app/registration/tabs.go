package registration

import (
	"net/url"
	"strings"
)

// Messages between the widget's tabs ([Broadcast]):
//
//	confirmed:<nonce>  the email link was opened: the waiting tab polls now
//	done:<session>     a tab finished this session: the others stop
//
// Each tab also holds a cross-tab lock ([Claim]) on the session it
// registers with, so two tabs never complete one session twice.

func (e *Engine) tabMessage(m string) {
	kind, arg, _ := strings.Cut(m, ":")
	switch kind {
	case "confirmed":
		if arg != "" && arg == e.mail.nonce && e.mail.sid != "" {
			e.mail.interval = 0
			e.pollNow()
		}
	case "done":
		if e.auth != nil && arg == e.auth.Session && e.screen != ScreenDone {
			e.stopStages()
			e.newEpoch()
			e.emit(Forget{})
			e.auth = nil
			e.screen = ScreenDone
			e.done.elsewhere = true
			e.password, e.confirm = "", ""
			e.focus("success-title")
		}
	}
}

// visibility pauses polling while the tab is hidden, and polls at once
// when it shows again.
func (e *Engine) visibility(hidden bool) {
	e.hidden = hidden
	if hidden || e.screen != ScreenStage {
		return
	}
	if stage, _, _ := e.polled(); stage != "" {
		e.mail.interval = 0
		e.pollNow()
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

// TokenFromPage reads a registration token from ?token= in a page URL:
// trimmed, non-empty, at most 64 characters (the spec's bound).
func TokenFromPage(pageURL string) (string, bool) {
	u, err := url.Parse(pageURL)
	if err != nil {
		return "", false
	}
	t := strings.TrimSpace(u.Query().Get("token"))
	if t == "" || len(t) > maxTokenLength {
		return "", false
	}
	return t, true
}

// confirmedLanding handles this page opened from the email's next_link:
// it tells the waiting tab and says so. A reload of the waiting tab
// itself just goes on.
func (e *Engine) confirmedLanding() bool {
	nonce, ok := ConfirmedNonce(e.pageURL)
	if !ok {
		return false
	}
	e.emit(Broadcast{Msg: "confirmed:" + nonce})
	if e.mail.nonce == nonce && e.mail.sid != "" {
		return false
	}
	e.screen = ScreenConfirmed
	return true
}
