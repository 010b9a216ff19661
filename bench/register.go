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
	// checkDelay is the widget's debounce of availability checks
	// (app/ui/username.go): a pause in typing at least this long may
	// send one check.
	checkDelay = 450
	hiddenFor  = 5 * time.Second // the tab is hidden this long while the email waits
)

// regRun is one registration.
type regRun struct {
	counts map[string]int // requests by stage key
	// mins overrides the minimum of a stage in this run: the availability
	// checks allowed are one per pause in typing the username.
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

// Stage keys, in the order of the table, with the protocol's minimum.
var stageKeys = []struct {
	key, what string
	min       int
	note      string
}{
	{"load", "on page load", 1, "GET auth_metadata: is sign-up delegated to OAuth?"},
	{"available", "username availability", 1, "one pause in typing: one debounced check"},
	{"initial", "POST /register, no auth", 1, "returns the flows and the session"},
	{"terms", "m.login.terms", 1, ""},
	{"validity", "token validity check", 1, "optional GET …/registration_token/validity"},
	{"token", "m.login.registration_token", 1, ""},
	{"requestToken", "email requestToken", 1, ""},
	{"poll-visible", "email polls while visible, before the link is opened", -1, "allowed: every 2 s, then slower"},
	{"poll-hidden", "email polls while the tab is hidden", 0, "none: polling stops while hidden"},
	{"email", "m.login.email.identity after the link is opened", 1, "the poll on becoming visible completes the stage"},
	{"dummy", "m.login.dummy", 1, "creates the account"},
	{"other", "any other request", 0, ""},
}

func (c *chromium) register(s *server, hs *homeserver, n int, dumpDir string) (regRun, error) {
	r := regRun{counts: map[string]int{}, mins: map[string]int{}}
	t, err := c.newTabTracking(nil, true)
	if err != nil {
		return r, err
	}
	defer t.close()
	user := fmt.Sprintf("bench%duser", n)
	email := user + "@example.org"
	since := time.Now()
	if err := t.navigate(s.URL() + "/?token=" + benchToken); err != nil {
		return r, err
	}
	if err := waitJS(t.ctx, `window.__bench && __bench.ready !== null`, 60*time.Second); err != nil {
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
	// One poll while visible, then the tab goes to the background; the
	// link is opened (in "another app") while it is hidden.
	if err := waitFor(func() bool { return countAuth(hs.since(since, "POST", "/register"), "m.login.email.identity") > 0 }, 20*time.Second); err != nil {
		return r, errors.New("the widget never polled the email stage")
	}
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
	// One availability check per pause in typing the username (its keys
	// are the first ones typed).
	r.mins["available"] = 1
	for i := 1; i < min(len(b.Keys), len([]rune(user))); i++ {
		gap := b.Keys[i] - b.Keys[i-1]
		r.maxKeyGap = max(r.maxKeyGap, gap)
		if gap >= checkDelay {
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
