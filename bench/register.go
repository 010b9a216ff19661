package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// The registration benchmark: a full sign-up through the widget against
// the spec-faithful test homeserver (e2e/tesths), flows
// m.login.terms → m.login.registration_token → m.login.email.identity →
// m.login.dummy, typed as a person types. It counts the requests the
// widget sends per stage against the protocol's minimum, checks that it
// does not poll while the tab is hidden, and times each of the widget's
// steps from the response arriving to the next animation frame.

const (
	benchToken = "letmein-bench"
	keyGap     = 80 * time.Millisecond // between keystrokes: well under the widget's debounce
	// pauseMs is a pause in typing, to a user: after it, a check of the
	// name typed so far is fair (the bench types with no such pause).
	pauseMs   = 1000
	readEmail = time.Second     // the user reads "email sent" before leaving for the mail app
	hiddenFor = 5 * time.Second // the tab is hidden this long while the link is opened
)

// regRun is one registration.
type regRun struct {
	counts map[string]int // requests by stage key
	// mins is the protocol's minimum per stage key in this run
	// (protocolMinimum, plus one availability check per pause in the
	// typing of the username of a second or more, should the machine have
	// stalled the typing).
	mins map[string]int
	// maxKeyGap is the longest gap between two keystrokes of the username.
	maxKeyGap float64
	steps     []step  // the widget's steps, in order
	total     float64 // ms from the submit click to the success panel
}

// step is one response and the frame that showed its result.
type step struct {
	label  string  // the response: "register terms"
	result string  // what the frame shows then ("Enter your registration token"), or "next request"
	ms     float64 // from responseEnd to that frame (or to the next request); NaN: no visible change
}

// Stage keys, in the order of the table.
var stageKeys = []struct {
	key, what string
	note      string
}{
	{"load", "on page load", "GET auth_metadata (is sign-up delegated to OAuth?) and GET /login (which identity providers, for SSO sign-up): a client that offers both must ask"},
	{"policy", "password policy", "a server convention (Synapse's GET …/password_policy), not the protocol; allowed: once, so that the rules are said before the password is sent"},
	{"available", "username availability", "optional in the protocol; allowed: one check of the one username typed (in one burst)"},
	{"initial", "POST /register, no auth", "returns the flows and the session"},
	{"terms", "m.login.terms", ""},
	{"validity", "token validity check", "optional GET …/registration_token/validity: the POST with the token validates it, so the minimum is none"},
	{"token", "m.login.registration_token", ""},
	{"requestToken", "email requestToken", ""},
	{"poll-visible", "email polls while visible, before the link is opened", "the user leaves for the mail app 1 s after \"email sent\": the protocol needs none"},
	{"poll-hidden", "email polls while the tab is hidden", "none: the user is away"},
	{"email", "m.login.email.identity after the link is opened", "the one request that completes the stage, on coming back"},
	{"dummy", "m.login.dummy", "creates the account"},
	{"other", "any other request", ""},
}

// protocolMinimum derives, from the flow alone (not from what the widget
// does), the fewest requests a registration through it needs, per stage
// key: the first POST /register (flows and session), one POST per stage,
// and for the email stage its requestToken and the POST that completes it
// once the link is opened. A client may ask a few more things the flow
// does not need but a user or the protocol does, and these are allowed
// explicitly: auth_metadata on load (sign-up delegated to OAuth 2.0, the
// spec's next-generation auth, changes everything after it) and the login
// flows (GET /login: the identity providers a user may sign up through,
// for a client that offers SSO), the server's
// password policy once (a Synapse convention: the rules said before the
// password is sent) and one availability check of the username, typed
// once. The token's validity check is not allowed: the POST that sends
// the token validates it. Polls before the user
// has opened the link are not needed: the benchmark's user leaves the
// page right after reading "email sent" and opens the link meanwhile, so
// a client that polls while it is visible, or while it is hidden, sends
// more than the minimum.
func protocolMinimum(flow []string) map[string]int {
	m := map[string]int{"load": 2, "policy": 1, "available": 1, "initial": 1}
	for _, st := range flow {
		switch st {
		case "m.login.terms":
			m["terms"]++
		case "m.login.registration_token":
			m["token"]++
		case "m.login.email.identity":
			m["requestToken"]++
			m["email"]++
		case "m.login.dummy":
			m["dummy"]++
		default:
			m["other"]++
		}
	}
	return m
}

func (c *chromium) register(s *server, hs *homeserver, n int, dumpDir string) (regRun, error) {
	r := regRun{counts: map[string]int{}, mins: protocolMinimum(regFlow)}
	t, err := c.newTabTracking(nil, true)
	if err != nil {
		return r, err
	}
	defer t.close()
	user := fmt.Sprintf("bench%duser", n)
	email := user + "@example.org"
	since := time.Now()
	if err := t.open(s.URL()+"/?token="+benchToken, nil); err != nil {
		return r, err
	}
	if err := waitJS(t.ctx, `location.origin === `+jsString(s.URL())+` && window.__bench && __bench.ready !== null`, 60*time.Second); err != nil {
		return r, err
	}
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) error {
		if err := chromedp.Do(t.ctx, actions...); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		return nil
	}
	typeSlowly := func(id, text string) error {
		if _, err := evalJS[bool](t.ctx, `(document.getElementById("`+id+`").focus(), true)`); err != nil {
			return err
		}
		for _, ch := range text {
			if err := do("typing", chromedp.KeyEvent(string(ch))); err != nil {
				return err
			}
			time.Sleep(keyGap)
		}
		return nil
	}
	typeFast := func(id, text string) error {
		if _, err := evalJS[bool](t.ctx, `(document.getElementById("`+id+`").focus(), true)`); err != nil {
			return err
		}
		return do("typing", chromedp.KeyEvent(text))
	}
	title := func(s string) string {
		return `(document.getElementById("stage-title")||{}).textContent && document.getElementById("stage-title").textContent.includes(` + jsString(s) + `)`
	}
	time.Sleep(time.Second) // a person reads before typing; the load's requests settle

	// The form: the username typed key by key, then a pause.
	typed := time.Now()
	if err := typeSlowly("username", user); err != nil {
		return r, err
	}
	if err := waitFor(func() bool { return len(hs.since(since, "GET", "/available")) > 0 }, 5*time.Second); err != nil {
		return r, errors.New("no availability check after typing the username")
	}
	time.Sleep(700 * time.Millisecond) // room for any further check
	pw := "a good long password"
	if err := typeFast("password", pw); err != nil {
		return r, err
	}
	if err := typeFast("confirm", pw); err != nil {
		return r, err
	}
	if err := do("submitting", chromedp.Click(chromedp.ID("submit"))); err != nil {
		return r, err
	}
	// Terms.
	if err := waitJS(t.ctx, title("Accept the terms"), 30*time.Second); err != nil {
		return r, err
	}
	if _, err := evalJS[bool](t.ctx, `([...document.querySelectorAll("#terms input[type=checkbox]")].forEach(b => b.checked || b.click()), true)`); err != nil {
		return r, err
	}
	if err := waitJS(t.ctx, `!document.getElementById("terms-continue").disabled`, 10*time.Second); err != nil {
		return r, err
	}
	if err := do("accepting the terms", chromedp.Click(chromedp.ID("terms-continue"))); err != nil {
		return r, err
	}
	// Token (prefilled from ?token=).
	if err := waitJS(t.ctx, title("registration token"), 30*time.Second); err != nil {
		return r, err
	}
	if err := do("sending the token", chromedp.Click(chromedp.ID("token-continue"))); err != nil {
		return r, err
	}
	// Email.
	if err := waitJS(t.ctx, title("Verify your email"), 30*time.Second); err != nil {
		return r, err
	}
	if err := typeFast("email", email); err != nil {
		return r, err
	}
	if err := do("sending the email", chromedp.Click(chromedp.ID("email-send"))); err != nil {
		return r, err
	}
	if err := waitJS(t.ctx, `document.getElementById("email-sent") !== null`, 30*time.Second); err != nil {
		return r, err
	}
	// The user reads "email sent", then switches to the mail app (the tab
	// goes to the background) and opens the link there.
	time.Sleep(readEmail)
	hideAt := time.Now()
	if err := t.setHidden(true); err != nil {
		return r, err
	}
	time.Sleep(hiddenFor)
	var sid string
	for _, e := range hs.Emails() {
		if e.To == email {
			sid = e.SID
		}
	}
	if sid == "" || !hs.ValidateEmail(sid) {
		return r, errors.New("no validation email to open")
	}
	showAt := time.Now()
	if err := t.setHidden(false); err != nil {
		return r, err
	}
	if err := waitJS(t.ctx, `document.getElementById("success") !== null`, 30*time.Second); err != nil {
		return r, err
	}
	time.Sleep(300 * time.Millisecond) // the last frames

	// Count.
	var registers []string
	for _, q := range hs.since(since, "", "") {
		key := "other"
		switch {
		case strings.HasSuffix(q.Path, "/password_policy"):
			key = "policy"
		case q.Time.Before(typed):
			key = "load"
		case strings.HasSuffix(q.Path, "/register/available"):
			key = "available"
		case strings.HasSuffix(q.Path, "registration_token/validity"):
			key = "validity"
		case strings.HasSuffix(q.Path, "/register/email/requestToken"):
			key = "requestToken"
		case q.Method == "POST" && strings.HasSuffix(q.Path, "/v3/register"):
			switch ty := authType(q); ty {
			case "":
				key = "initial"
			case "m.login.terms":
				key = "terms"
			case "m.login.registration_token":
				key = "token"
			case "m.login.dummy":
				key = "dummy"
			case "m.login.email.identity":
				switch {
				case q.Time.Before(hideAt):
					key = "poll-visible"
				case q.Time.Before(showAt):
					key = "poll-hidden"
				default:
					key = "email"
				}
			}
			registers = append(registers, key)
		}
		r.counts[key]++
	}

	// Time the steps. For each homeserver response: the burst of DOM
	// changes that follows it (changes less than 100 ms apart, before the
	// next request starts, within 1 s), and the animation frame after the
	// last of them, which paints the step's result. A response that
	// changes nothing but makes the widget send the next request within
	// 1 s is timed to the start of that request instead.
	type res struct {
		URL   string  `json:"url"`
		Start float64 `json:"start"`
		End   float64 `json:"end"`
		Type  string  `json:"type"`
	}
	type frame struct {
		T   float64 `json:"t"`
		Sig string  `json:"sig"`
	}
	var b struct {
		Res    []res     `json:"res"`
		Muts   []float64 `json:"muts"`
		Frames []frame   `json:"frames"`
		Keys   []float64 `json:"keys"`
	}
	raw, err := evalJS[string](t.ctx, `JSON.stringify({res: __bench.res, muts: __bench.muts, frames: __bench.frames, keys: __bench.keys})`)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(raw), &b); err != nil {
		return r, err
	}
	// One more availability check per pause in typing the username (its
	// keys are the first ones typed), should the machine have stalled.
	for i := 1; i < min(len(b.Keys), len([]rune(user))); i++ {
		gap := b.Keys[i] - b.Keys[i-1]
		r.maxKeyGap = max(r.maxKeyGap, gap)
		if gap >= pauseMs {
			r.mins["available"]++
		}
	}
	// What the steps are computed from, for a look by hand.
	os.WriteFile(filepath.Join(dumpDir, fmt.Sprintf("registration-%d.json", n+1)), []byte(raw), 0o644)
	var hsRes []res
	for _, e := range b.Res {
		if strings.HasPrefix(e.URL, hs.URL) && e.Type == "fetch" {
			hsRes = append(hsRes, e)
		}
	}
	slices.SortFunc(hsRes, func(a, b res) int { return cmp.Compare(a.End, b.End) })
	ri := 0
	for i, e := range hsRes {
		label := "other"
		switch {
		case strings.Contains(e.URL, "/register/available"):
			label = "availability check"
		case strings.Contains(e.URL, "registration_token/validity"):
			label = "token validity"
		case strings.Contains(e.URL, "/email/requestToken"):
			label = "email requestToken"
		case strings.Contains(e.URL, "/auth_metadata"):
			label = "auth_metadata"
		case strings.Contains(e.URL, "/password_policy"):
			label = "password policy"
		case strings.HasSuffix(strings.SplitN(e.URL, "?", 2)[0], "/v3/register"):
			if ri < len(registers) {
				label = "register " + registers[ri]
			} else {
				label = "register"
			}
			ri++
		}
		limit, next := e.End+1000, math.Inf(1)
		if i+1 < len(hsRes) && hsRes[i+1].Start >= e.End {
			next = hsRes[i+1].Start
		}
		last := math.NaN()
		for _, m := range b.Muts {
			if m < e.End || m >= min(limit, next) {
				continue
			}
			if !math.IsNaN(last) && m-last >= 100 {
				break
			}
			last = m
		}
		st := step{label: label, ms: nan, result: "no visible change"}
		frameAt, sig := math.NaN(), ""
		if !math.IsNaN(last) {
			for _, f := range b.Frames {
				if f.T >= last {
					frameAt, sig = f.T, f.Sig
					break
				}
			}
		}
		switch {
		case !math.IsNaN(frameAt) && frameAt <= next:
			st.ms, st.result = frameAt-e.End, sig
		case next < limit:
			// The widget went on to its next request before painting.
			st.ms, st.result = next-e.End, "next request sent"
		}
		r.steps = append(r.steps, st)
	}
	return r, nil
}
