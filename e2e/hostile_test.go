package e2e

// The widget against a hostile homeserver (tesths.StartHostile): script
// URLs in terms and submit_url, HTML in names, errors and user IDs,
// gigantic, deep and ill-typed bodies, thousands of flows, a fallback page
// on another origin, redirects to another host, bodies that never end.
// Whatever the server sends, nothing runs (no dialog, window.__pwned never
// set), the page never navigates away, every link is http(s), HTML shows
// as text, and the user gets a clear error with the form kept.

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

// hostileWidget starts a hostile homeserver with attacks and the widget for
// it.
func hostileWidget(t *testing.T, cfg tesths.Config, attacks ...tesths.Attack) (context.Context, *Signup, *tesths.Hostile) {
	t.Helper()
	h := tesths.StartHostile(t, cfg, attacks...)
	ctx, s := startWidget(t, h.URL)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("homeserver log:\n%s", h.Log())
		}
	})
	return ctx, s, h
}

// safetyJS lists what a hostile answer may have achieved on the page:
// script that ran (window.__pwned), links that are not http(s), inline
// event handlers, script-capable URLs in any URL attribute, elements that
// only exist when HTML was parsed (<script>, <img src=x>, <svg>, <b>, <i>
// inside the widget), a location that left the widget.
const safetyJS = `(() => {
	const bad = [];
	if (window.__pwned) bad.push("window.__pwned is set");
	for (const a of document.querySelectorAll("a, area")) {
		const href = a.getAttribute("href");
		if (href === null) continue;
		let p = "";
		try { p = new URL(href, location.href).protocol; } catch (e) { p = "unparsable"; }
		if (p !== "http:" && p !== "https:") bad.push("link " + JSON.stringify(href));
	}
	const urlAttrs = ["href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "poster", "background"];
	for (const el of document.querySelectorAll("*")) {
		for (const at of el.attributes) {
			if (at.name.startsWith("on")) bad.push(el.tagName + " has " + at.name);
			const v = at.value.replace(/[\u0000-\u0020]/g, "").toLowerCase();
			if (urlAttrs.includes(at.name) && /^(javascript|vbscript|data):/.test(v)) bad.push(el.tagName + " " + at.name + "=" + JSON.stringify(at.value));
		}
	}
	for (const el of document.querySelectorAll("#signup script, #signup svg, #signup b, #signup i, #signup iframe, #signup object, #signup embed, img[src='x']")) {
		bad.push("parsed HTML: " + el.outerHTML.slice(0, 120));
	}
	return bad;
})()`

// checkSafe fails the test when anything of safetyJS happened, when a
// dialog opened, or when the tab left the widget.
func checkSafe(t *testing.T, ctx context.Context, s *Signup) {
	t.Helper()
	noDialogs(t, ctx)
	for _, b := range eval[[]string](t, ctx, safetyJS) {
		t.Errorf("unsafe page: %s", b)
	}
	checkStayed(t, ctx, s)
	checkAlive(t, ctx)
}

// checkAlive fails the test when the WASM app has died (a Go panic ends
// the program; the page then looks alive but nothing answers).
func checkAlive(t *testing.T, ctx context.Context) {
	t.Helper()
	for _, e := range ConsoleErrors(ctx) {
		if strings.Contains(e, "Go program has already exited") {
			t.Errorf("the WASM app died (a Go panic: its trace is in the console log): %s", e)
			return
		}
	}
}

// checkStayed fails the test when the tab is no longer on the widget's
// page.
func checkStayed(t *testing.T, ctx context.Context, s *Signup) {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatalf("reading the location: %v", err)
	}
	u, err := url.Parse(loc)
	if err != nil || u.Scheme+"://"+u.Host != s.URL || u.Path != "/" {
		t.Errorf("the tab left the widget: it is at %q", loc)
	}
}

// waitIdle waits until the button with this ID is no longer busy.
func waitIdle(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	waitJS(t, ctx, `(() => { const b = document.getElementById(`+js(id)+`); return !!b && b.getAttribute("aria-busy") !== "true"; })()`, id+" to be idle")
}

// waitAlert waits until the form or stage alert shows.
func waitAlert(t *testing.T, ctx context.Context) {
	t.Helper()
	waitJS(t, ctx, `document.querySelector("#form-error[role=alert], #stage-error[role=alert]") !== null`, "an alert")
}

// alertText returns the text of the form or stage alert ("" when none).
func alertText(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `[...document.querySelectorAll("#form-error[role=alert], #stage-error[role=alert]")].map(e => e.textContent).join(" ")`)
}

const hostilePassword = "a good long password"

// Terms whose links are javascript:, data:, vbscript: (plain and
// disguised) and whose names are HTML: no link but the honest https one,
// the names as text, and the terms still accepted.
func TestHostileTermsLinks(t *testing.T) {
	ctx, s, h := hostileWidget(t, tesths.Config{Flows: [][]string{{"m.login.terms"}}}, tesths.AttackTermsLinks)
	fill(t, ctx, "hilda", hostilePassword)
	do(t, ctx, clickStable("submit"))
	waitText(t, ctx, "#stage-title", "Accept the terms")
	checkSafe(t, ctx, s)

	links := eval[[]string](t, ctx, `[...document.querySelectorAll("#stage a")].map(a => a.getAttribute("href"))`)
	if strings.Join(links, " ") != "https://example.org/honest.html" {
		t.Errorf("links on the terms stage = %q, want only the honest one", links)
	}
	labels := eval[string](t, ctx, `[...document.querySelectorAll("#terms label")].map(l => l.textContent).join("\n")`)
	for _, want := range []string{
		`<script>window.__pwned=1;alert('name')</script>Terms`,
		`<img src=x onerror="window.__pwned=1;alert('img')">Privacy`,
		`<b>Rules</b>`,
		`Honest <i>policy</i>`,
	} {
		if !strings.Contains(labels, want) {
			t.Errorf("policy labels lack %q as text:\n%s", want, labels)
		}
	}
	n := eval[int](t, ctx, `document.querySelectorAll("#terms input[type=checkbox]").length`)
	if n != 7 {
		t.Fatalf("%d policy boxes, want 7", n)
	}
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("#terms input[type=checkbox]").forEach(b => b.click())`))
	waitJS(t, ctx, `!document.getElementById("terms-continue").disabled`, "Continue to be enabled")
	do(t, ctx, chromedp.Click(chromedp.ID("terms-continue")))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
	checkSafe(t, ctx, s)
	if u := h.Users(); len(u) != 1 {
		t.Errorf("users = %q", u)
	}
}

// A submit_url that is javascript:, data: or vbscript:, then an https one
// on an origin the operator does not trust: the widget refuses each with
// an error, keeps the phone number, and never sends the code anywhere.
func TestHostileSubmitURL(t *testing.T) {
	ctx, s, h := hostileWidget(t, tesths.Config{Flows: [][]string{{"m.login.msisdn"}}}, tesths.AttackSubmitURL)
	fill(t, ctx, "ivo", hostilePassword)
	do(t, ctx, clickStable("submit"))
	waitText(t, ctx, "#stage-title", "phone number")
	clearInput(t, ctx, "country")
	do(t, ctx, chromedp.SendKeys(chromedp.ID("country"), "GB"), chromedp.SendKeys(chromedp.ID("phone"), "07700 900123"))

	for i, submit := range []string{
		"javascript:window.__pwned=1;alert('submit_url')",
		"data:text/html,<script>alert('data')</script>",
		"vbscript:msgbox('vb')",
		h.Other + "/submit",
	} {
		h.SetSubmitURL(submit)
		do(t, ctx, chromedp.Click(chromedp.ID("msisdn-send")))
		waitRequestsTo(t, h.Server, "POST", "/_matrix/client/v3/register/msisdn/requestToken", i+1)
		// The answer has reached the page, and the widget has had time to
		// handle it. (The button's disabled state is no signal: the widget
		// may render the answer in the same frame as the click.)
		waitJS(t, ctx, fmt.Sprintf(`(() => {
			const done = performance.getEntriesByType("resource").filter(e => e.name.includes("/msisdn/requestToken") && e.responseEnd > 0);
			const b = document.getElementById("msisdn-send");
			return done.length >= %d && performance.now() - done[done.length - 1].responseEnd > 250 && !!b && !b.disabled;
		})()`, i+1), "the answer, handled")
		errText := alertText(t, ctx) + eval[string](t, ctx, `(document.getElementById("phone-error") || {}).textContent || ""`)
		if !strings.Contains(errText, "could not understand") && !strings.Contains(errText, "does not trust") {
			t.Errorf("submit_url %q: the user was told %q", submit, errText)
		}
		if got := eval[[2]string](t, ctx, `[document.getElementById("country").value, document.getElementById("phone").value]`); got != [2]string{"GB", "07700 900123"} {
			t.Errorf("submit_url %q: the phone form holds %q", submit, got)
		}
		if eval[bool](t, ctx, `document.getElementById("code") !== null`) {
			t.Fatalf("submit_url %q: the widget asks for the code", submit)
		}
		checkSafe(t, ctx, s)
	}
	if reqs := h.OtherRequests(); len(reqs) != 0 {
		t.Errorf("the untrusted origin got %d requests, first %s %s", len(reqs), reqs[0].Method, reqs[0].Path)
	}
	if len(h.SMS()) == 0 {
		t.Error("no SMS was sent: the attack never reached the widget")
	}
}

// waitRequestsTo waits until the test homeserver recorded n requests.
func waitRequestsTo(t *testing.T, hs *tesths.Server, method, path string, n int) []tesths.Request {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		reqs := hs.RequestsTo(method, path)
		if len(reqs) >= n {
			return reqs
		}
		if time.Now().After(deadline) {
			t.Fatalf("saw %d %s %s requests, want %d\n%s", len(reqs), method, path, n, hs.Log())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// An error message that is HTML shows as text under the widget's own words.
func TestHostileHTMLError(t *testing.T) {
	ctx, s, _ := hostileWidget(t, tesths.Config{}, tesths.AttackHTMLError)
	fill(t, ctx, "jana", hostilePassword)
	do(t, ctx, clickStable("submit"))
	waitText(t, ctx, "#form-error", "Registration is closed")
	waitText(t, ctx, "#form-error", tesths.HostileHTML)
	checkSafe(t, ctx, s)
	if v := values(t, ctx); v != [3]string{"jana", hostilePassword, hostilePassword} {
		t.Errorf("form values = %q", v)
	}
}

// A failed stage whose error is HTML: shown as text on the stage.
func TestHostileHTMLStageError(t *testing.T) {
	ctx, s, _ := hostileWidget(t, tesths.Config{Flows: [][]string{{"m.login.terms"}}, Params: termsParams}, tesths.AttackHTMLStageError)
	fill(t, ctx, "kurt", hostilePassword)
	do(t, ctx, clickStable("submit"))
	waitText(t, ctx, "#stage-title", "Accept the terms")
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("#terms input[type=checkbox]").forEach(b => b.click())`))
	waitJS(t, ctx, `!document.getElementById("terms-continue").disabled`, "Continue to be enabled")
	do(t, ctx, chromedp.Click(chromedp.ID("terms-continue")))
	waitText(t, ctx, "#stage-error", tesths.HostileHTML)
	checkSafe(t, ctx, s)
}

// A user ID that is HTML (and valid by the spec's grammar) shows as text on
// the success panel.
func TestHostileHTMLUserID(t *testing.T) {
	ctx, s, _ := hostileWidget(t, tesths.Config{}, tesths.AttackHTMLUserID)
	fill(t, ctx, "lena", hostilePassword)
	do(t, ctx, clickStable("submit"))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
	// Let whatever the success panel starts (clients, redirects) run.
	time.Sleep(2 * time.Second)
	if got := eval[string](t, ctx, `document.getElementById("user-id").textContent`); got != tesths.HostileUserID {
		t.Errorf("user ID shown = %q, want %q as text", got, tesths.HostileUserID)
	}
	checkSafe(t, ctx, s)
}

// Bodies the client must refuse: over 1 MiB, nested 100000 deep, flows as
// a string, session as a number, no session. Each is a clear error with
// the form kept; the next try (the server behaves again) succeeds.
func TestHostileMalformedUIAA(t *testing.T) {
	shots := []tesths.Attack{tesths.AttackHugeBody, tesths.AttackDeepJSON, tesths.AttackFlowsString,
		tesths.AttackSessionNumber, tesths.AttackNoSession}
	ctx, s, h := hostileWidget(t, tesths.Config{}, shots...)
	fill(t, ctx, "mona", hostilePassword)
	for i, a := range shots {
		do(t, ctx, clickStable("submit"))
		waitRequestsTo(t, h.Server, "POST", "/_matrix/client/v3/register", i+1)
		// The server has the request; give the page a moment to render the
		// busy state (it may still show the previous answer's error and an
		// idle button), then wait for this answer to be handled.
		time.Sleep(400 * time.Millisecond)
		waitIdle(t, ctx, "submit")
		waitText(t, ctx, "#form-error", "could not understand")
		if got := eval[string](t, ctx, `document.getElementById("submit").textContent`); !strings.Contains(got, "Try again") {
			t.Errorf("%s: the button says %q, want Try again", a, got)
		}
		if v := values(t, ctx); v != [3]string{"mona", hostilePassword, hostilePassword} {
			t.Errorf("%s: form values = %q", a, v)
		}
		checkSafe(t, ctx, s)
	}
	do(t, ctx, clickStable("submit"))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel once the server behaves")
	if u := h.Users(); len(u) != 1 || u[0] != "@mona:localhost" {
		t.Errorf("users = %q", u)
	}
}

// Thousands of flows (5000 junk flows after the real one): the widget
// keeps to the real flow, stays responsive and finishes.
func TestHostileManyFlows(t *testing.T) {
	ctx, s, h := hostileWidget(t, tesths.Config{Flows: [][]string{{"m.login.terms"}}, Params: termsParams}, tesths.AttackManyFlows)
	fill(t, ctx, "nils", hostilePassword)
	do(t, ctx, clickStable("submit"))
	waitText(t, ctx, "#stage-title", "Accept the terms")
	checkSafe(t, ctx, s)
	if n := eval[int](t, ctx, `document.querySelectorAll("#stage button").length`); n > 100 {
		t.Logf("note: the terms stage shows %d buttons for the junk flows", n)
	}
	do(t, ctx, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("#terms input[type=checkbox]").forEach(b => b.click())`))
	waitJS(t, ctx, `!document.getElementById("terms-continue").disabled`, "Continue to be enabled")
	do(t, ctx, chromedp.Click(chromedp.ID("terms-continue")))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
	checkSafe(t, ctx, s)
	if u := h.Users(); len(u) != 1 {
		t.Errorf("users = %q", u)
	}
}

// A fallback page that redirects to another origin whose script tries to
// reach into the widget (javascript: navigation of the opener, its DOM,
// eval, odd messages) and then posts "authDone": nothing reaches the
// widget, not even authDone, which only the homeserver's origin (or one
// the operator trusts) may send; "I've finished" still resubmits.
func TestHostileFallbackOtherOrigin(t *testing.T) {
	ctx, s, h := hostileWidget(t, tesths.Config{Flows: [][]string{{"org.example.hostile"}}}, tesths.AttackFallbackOrigin)
	fill(t, ctx, "olga", hostilePassword)
	do(t, ctx, clickStable("submit"))
	waitJS(t, ctx, `document.getElementById("fallback-open") !== null`, "the fallback stage")
	checkSafe(t, ctx, s)

	opened := chromedp.WaitNewTarget(ctx, func(info *target.Info) bool {
		return strings.Contains(info.URL, "/fallback")
	})
	do(t, ctx, chromedp.Click(chromedp.ID("fallback-open")))
	var id target.ID
	select {
	case id = <-opened:
	case <-time.After(30 * time.Second):
		t.Fatal("no popup opened")
	}
	popup, cancel := chromedp.NewContext(ctx, chromedp.WithTargetID(id))
	defer cancel()
	// done fails the test if the widget took the stage as done.
	done := func() {
		t.Helper()
		for _, a := range registerAuths(t, h.Server) {
			if len(a) == 1 && a["session"] != nil {
				t.Fatalf("a {session}-only resubmit after another origin's authDone: %v", a)
			}
		}
		if eval[bool](t, ctx, `document.getElementById("success") !== null || document.getElementById("fallback-open") === null`) {
			t.Fatal("the stage was taken as done on another origin's word")
		}
	}
	posted := `location.origin === ` + js(h.Other) + ` && document.getElementById("log").textContent.includes("authDone posted")`
	for deadline := time.Now().Add(30 * time.Second); ; {
		done()
		if ok, err := chromedp.Run(popup, chromedp.Evaluate[bool](`(() => { try { return `+posted+`; } catch (e) { return false; } })()`)); err == nil && ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the other origin's page never posted authDone\npopup text: %s", pageText(popup))
		}
		time.Sleep(200 * time.Millisecond)
	}
	time.Sleep(1500 * time.Millisecond)
	checkSafe(t, ctx, s)
	done()
	if other := h.OtherRequests(); len(other) == 0 || other[0].Path != "/fallback" {
		t.Errorf("the other origin saw %d requests; the popup never got there", len(other))
	}

	do(t, ctx, clickStable("fallback-done"))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel after I've finished")
	auths := registerAuths(t, h.Server)
	if last := auths[len(auths)-1]; len(last) != 1 || last["session"] == nil {
		t.Errorf("the resubmit after I've finished = %v, want {session} alone", last)
	}
}

// A /register that redirects to another host: the widget does not follow
// (the password never reaches that host) and says it cannot reach the
// homeserver.
func TestHostileRedirect(t *testing.T) {
	ctx, s, h := hostileWidget(t, tesths.Config{}, tesths.AttackRedirect)
	fill(t, ctx, "pia", hostilePassword)
	do(t, ctx, clickStable("submit"))
	waitText(t, ctx, "#form-error", "Can't reach the homeserver")
	checkSafe(t, ctx, s)
	if v := values(t, ctx); v != [3]string{"pia", hostilePassword, hostilePassword} {
		t.Errorf("form values = %q", v)
	}
	if reqs := h.OtherRequests(); len(reqs) != 0 {
		t.Errorf("the other host got %d requests (first %s %s)", len(reqs), reqs[0].Method, reqs[0].Path)
	}
}

// A body cut off mid-way (the connection drops): a clear error, the form
// kept.
func TestHostileDroppedBody(t *testing.T) {
	ctx, s, h := hostileWidget(t, tesths.Config{}, tesths.AttackDropped)
	fill(t, ctx, "quinn", hostilePassword)
	do(t, ctx, clickStable("submit"))
	waitRequestsTo(t, h.Server, "POST", "/_matrix/client/v3/register", 1)
	waitAlert(t, ctx)
	if msg := alertText(t, ctx); !strings.Contains(msg, "Can't reach the homeserver") && !strings.Contains(msg, "could not understand") {
		t.Errorf("alert = %q", msg)
	}
	checkSafe(t, ctx, s)
	if v := values(t, ctx); v != [3]string{"quinn", hostilePassword, hostilePassword} {
		t.Errorf("form values = %q", v)
	}
}

// A body that never ends: the widget stays busy and responsive (no hang of
// the page), nothing runs; with a configurable request timeout it gives
// up with a clear error and the form kept (see requestTimeoutArgs).
func TestHostileNeverEndingBody(t *testing.T) {
	h := tesths.StartHostile(t, tesths.Config{}, tesths.AttackNeverEnding)
	ctx, s := startWidget(t, h.URL, requestTimeoutArgs(t)...)
	fill(t, ctx, "rosa", hostilePassword)
	do(t, ctx, clickStable("submit"))
	waitRequestsTo(t, h.Server, "POST", "/_matrix/client/v3/register", 1)
	time.Sleep(time.Second)
	if !eval[bool](t, ctx, `document.getElementById("submit").getAttribute("aria-busy") === "true"`) {
		t.Errorf("the widget is not busy while the body never ends: %q", alertText(t, ctx))
	}
	checkSafe(t, ctx, s)
	if !timeoutConfigurable(t) {
		t.Skip("bin/signup has no -" + requestTimeoutFlag + " flag: the 60 s register timeout is not waited for")
	}
	waitIdle(t, ctx, "submit")
	if msg := alertText(t, ctx); !strings.Contains(msg, "is not answering") {
		t.Errorf("alert after the timeout = %q", msg)
	}
	if v := values(t, ctx); v != [3]string{"rosa", hostilePassword, hostilePassword} {
		t.Errorf("form values = %q", v)
	}
	checkSafe(t, ctx, s)
}
