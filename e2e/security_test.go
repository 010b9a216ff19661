package e2e

// What a registration leaves behind in the browser, and what the page URL
// may not change. After a full registration (the email flow on the test
// homeserver, the dummy flow on Dendrite) neither the password nor the
// access token the server returned is in localStorage, sessionStorage,
// IndexedDB, Cache Storage (names and request URLs), cookies, the URL, the
// DOM or any console message. And ?redirect=, ?next=, ?return_to= and
// friends never send the user anywhere: only the operator decides.

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"signup/e2e/tesths"
)

// tokenCapture is a reverse proxy in front of a homeserver that keeps the
// access and refresh tokens of every answer passing through.
type tokenCapture struct {
	URL string

	mu     sync.Mutex
	tokens []string
}

func startTokenCapture(t *testing.T, upstream string) *tokenCapture {
	t.Helper()
	u, err := url.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}
	c := &tokenCapture{}
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.ModifyResponse = func(resp *http.Response) error {
		b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
		resp.Body.Close()
		if err != nil {
			return err
		}
		var v map[string]any
		if json.Unmarshal(b, &v) == nil {
			for _, k := range []string{"access_token", "refresh_token"} {
				if s, _ := v[k].(string); s != "" {
					c.mu.Lock()
					c.tokens = append(c.tokens, s)
					c.mu.Unlock()
				}
			}
		}
		resp.Body = io.NopCloser(bytes.NewReader(b))
		resp.ContentLength = int64(len(b))
		resp.Header.Del("Content-Length")
		return nil
	}
	srv := httptest.NewServer(rp)
	t.Cleanup(srv.Close)
	c.URL = srv.URL
	return c
}

func (c *tokenCapture) Tokens() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.tokens...)
}

// consoleLog collects every console message of a tab: the text DevTools
// shows, the arguments, and (through a script run before the page's own)
// the JSON of every argument of every console call, objects included.
type consoleLog struct {
	mu   sync.Mutex
	msgs []string
}

const consoleHookJS = `(() => {
	window.__consoleDump = [];
	for (const k of ["log", "info", "warn", "error", "debug", "trace", "dir", "table"]) {
		const orig = console[k];
		console[k] = function (...args) {
			try { window.__consoleDump.push(args.map(a => { try { return typeof a === "string" ? a : JSON.stringify(a); } catch (e) { return String(a); } }).join(" ")); } catch (e) {}
			return orig.apply(this, args);
		};
	}
})()`

func startConsoleLog(t *testing.T, ctx context.Context) *consoleLog {
	t.Helper()
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: consoleHookJS}); err != nil {
		t.Fatalf("installing the console hook: %v", err)
	}
	l := &consoleLog{}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			s := m.String()
			for _, a := range m.Args {
				s += " " + string(a.Value) + " " + a.Description
			}
			if m.Exception != nil && m.Exception.Exception != nil {
				s += " " + m.Exception.Exception.Description
			}
			l.mu.Lock()
			l.msgs = append(l.msgs, s)
			l.mu.Unlock()
		}
	}()
	return l
}

func (l *consoleLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.msgs...)
}

// browserLeftovers gathers, as one text per place, everything the page's
// origin keeps or shows: storages, IndexedDB databases and their records,
// Cache Storage names and request URLs, cookies, the URL, the referrer,
// the DOM and the console dump of the hook.
const browserLeftoversJS = `(async () => {
	const out = {};
	const dump = (s) => { const o = {}; for (let i = 0; i < s.length; i++) { const k = s.key(i); o[k] = s.getItem(k); } return JSON.stringify(o); };
	out.localStorage = dump(localStorage);
	out.sessionStorage = dump(sessionStorage);
	out.cookies = document.cookie;
	out.url = location.href + " " + document.referrer;
	out.dom = document.documentElement.outerHTML;
	out.inputs = [...document.querySelectorAll("input, textarea")].map(e => e.id + "=" + e.value).join(" ");
	out.consoleDump = JSON.stringify(window.__consoleDump || []);
	let idb = [];
	try {
		const dbs = await indexedDB.databases();
		for (const info of dbs) {
			idb.push("db " + info.name);
			const db = await new Promise((res, rej) => { const r = indexedDB.open(info.name); r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error); });
			for (const store of db.objectStoreNames) {
				const all = await new Promise((res, rej) => {
					const r = db.transaction(store, "readonly").objectStore(store).getAll();
					r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error);
				});
				const keys = await new Promise((res, rej) => {
					const r = db.transaction(store, "readonly").objectStore(store).getAllKeys();
					r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error);
				});
				idb.push("store " + store + " " + JSON.stringify(keys) + " " + JSON.stringify(all, (k, v) => v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? "<" + v.byteLength + " bytes>" : v));
			}
			db.close();
		}
	} catch (e) { idb.push("error " + e); }
	out.indexedDB = idb.join("\n");
	let cs = [];
	try {
		for (const name of await caches.keys()) {
			cs.push("cache " + name);
			const c = await caches.open(name);
			for (const req of await c.keys()) cs.push(req.method + " " + req.url);
		}
	} catch (e) { cs.push("error " + e); }
	out.cacheStorage = cs.join("\n");
	return out;
})()`

// checkNoSecrets fails the test when any secret is found in what the
// browser kept or showed, and returns what it searched, by place.
func checkNoSecrets(t *testing.T, ctx context.Context, cl *consoleLog, secrets map[string]string) map[string]string {
	t.Helper()
	// Give the service worker and late console output a moment.
	time.Sleep(time.Second)
	places, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](browserLeftoversJS, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("reading the browser's state: %v", err)
	}
	places["console"] = strings.Join(cl.all(), "\n")
	for _, place := range []string{"localStorage", "sessionStorage", "indexedDB", "cacheStorage", "cookies", "url", "dom", "inputs", "console", "consoleDump"} {
		if _, ok := places[place]; !ok {
			t.Errorf("%s was not read", place)
		}
	}
	for name, secret := range secrets {
		if secret == "" {
			t.Errorf("the %s to look for is empty", name)
			continue
		}
		for place, text := range places {
			if strings.Contains(text, secret) {
				i := strings.Index(text, secret)
				t.Errorf("the %s is in %s: …%s…", name, place, text[max(0, i-80):min(len(text), i+len(secret)+40)])
			}
		}
	}
	t.Logf("searched: IndexedDB %q; Cache Storage %d entries; %d console messages",
		places["indexedDB"], strings.Count(places["cacheStorage"], "\n")+1, len(cl.all()))
	return places
}

// control fails the test when a place does not hold what it must: proof
// that the search reads that place at all.
func control(t *testing.T, places map[string]string, place, want string) {
	t.Helper()
	if !strings.Contains(places[place], want) {
		t.Errorf("control: %s lacks %q, so the search there proves nothing", place, want)
	}
}

// loginKeptConfig is an operator config for the homeserver at url (server
// name localhost) with registration.inhibit_login false: /register then
// answers with an access token (the widget asks for none by default,
// TestSecuritySignUpLeavesNoDevice), which the widget must not keep.
func loginKeptConfig(t *testing.T, url string) string {
	t.Helper()
	return writeConfig(t, `{"version": 1, "homeserver": {"url": "`+url+`", "server_name": "localhost"},
		"registration": {"inhibit_login": false}}`)
}

// The email flow on the test homeserver, through a proxy that reads the
// access token the server returns: the operator's explicit inhibit_login
// false makes the server return one.
func TestSecurityNoSecretsAfterEmailFlow(t *testing.T) {
	const password = "Unmistakable-P4ssword-secret-7391"
	hs := tesths.Start(t, tesths.Config{Flows: [][]string{{"m.login.email.identity"}}})
	capt := startTokenCapture(t, hs.URL)
	s := StartSignup(t, "-config", loginKeptConfig(t, capt.URL))
	ctx := NewBrowser(t)
	cl := startConsoleLog(t, ctx)
	do(t, ctx, chromedp.Navigate(s.URL+"/"))
	waitReady(t, ctx)
	fill(t, ctx, "xenia", password)
	do(t, ctx, clickStable("submit"))
	waitText(t, ctx, "#stage-title", "Verify your email")
	do(t, ctx, chromedp.SendKeys(chromedp.ID("email"), "xenia@example.org"), chromedp.Click(chromedp.ID("email-send")))
	waitText(t, ctx, "#email-sent", "xenia@example.org")
	emails := hs.Emails()
	if len(emails) != 1 {
		t.Fatalf("emails = %d", len(emails))
	}
	// Mid-flow, the password is not kept either (a reload must not find it).
	places := checkNoSecrets(t, ctx, cl, map[string]string{"password": password})
	control(t, places, "sessionStorage", "xenia@example.org") // the saved progress
	control(t, places, "dom", "xenia@example.org")
	hs.ValidateEmail(emails[0].SID)
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
	tokens := capt.Tokens()
	if len(tokens) == 0 {
		t.Fatal("the homeserver returned no access token")
	}
	secrets := map[string]string{"password": password}
	for i, tok := range tokens {
		secrets["token "+string(rune('1'+i))] = tok
	}
	places = checkNoSecrets(t, ctx, cl, secrets)
	control(t, places, "dom", "@xenia:localhost")
	control(t, places, "url", s.URL)
	checkStayed(t, ctx, s)
}

// The dummy flow on Dendrite, with inhibit_login false as above.
func TestSecurityNoSecretsAfterDendriteDummyFlow(t *testing.T) {
	const password = "Another-Unmistakable-P4ss-8264"
	d := StartDendrite(t, DendriteOptions{})
	capt := startTokenCapture(t, d.BaseURL)
	s := StartSignup(t, "-config", loginKeptConfig(t, capt.URL))
	ctx := NewBrowser(t)
	cl := startConsoleLog(t, ctx)
	do(t, ctx, chromedp.Navigate(s.URL+"/"))
	waitReady(t, ctx)
	fill(t, ctx, "yusuf", password)
	do(t, ctx, clickStable("submit"))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
	tokens := capt.Tokens()
	if len(tokens) == 0 {
		t.Fatal("Dendrite returned no access token")
	}
	secrets := map[string]string{"password": password}
	for i, tok := range tokens {
		secrets["token "+string(rune('1'+i))] = tok
	}
	places := checkNoSecrets(t, ctx, cl, secrets)
	control(t, places, "dom", "@yusuf:localhost")
	checkStayed(t, ctx, s)
}

// redirectParams are the names sites use for "where to go afterwards".
var redirectParams = []string{"redirect", "redirect_uri", "redirect_url", "next", "return_to", "returnTo",
	"return", "continue", "url", "goto", "after", "after_signup", "callback", "dest", "destination"}

// evilSite records the requests of a site the user must never be sent to.
type evilSite struct {
	URL  string
	mu   sync.Mutex
	hits []string
}

func startEvilSite(t *testing.T) *evilSite {
	e := &evilSite{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e.mu.Lock()
		e.hits = append(e.hits, r.Method+" "+r.URL.String())
		e.mu.Unlock()
		io.WriteString(w, "<!doctype html><title>evil</title>")
	}))
	t.Cleanup(srv.Close)
	e.URL = srv.URL
	return e
}

func (e *evilSite) Hits() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.hits...)
}

// evilQuery points every redirect-ish parameter at the evil site, as an
// absolute URL, a scheme-relative one and a javascript: URL.
func evilQuery(evil string) string {
	q := url.Values{}
	for i, p := range redirectParams {
		switch i % 3 {
		case 0:
			q.Set(p, evil+"/"+p)
		case 1:
			q.Set(p, strings.TrimPrefix(evil, "http:")+"/"+p)
		default:
			q.Set(p, "javascript:window.__pwned=1;alert('"+p+"')")
		}
	}
	return q.Encode()
}

// Without an operator redirect, ?redirect=... and friends do nothing: after
// success the page stays.
func TestSecurityNoRedirectFromPageURL(t *testing.T) {
	evil := startEvilSite(t)
	hs := tesths.Start(t, tesths.Config{})
	s := StartSignup(t, "-homeserver", hs.URL, "-server-name", "localhost")
	ctx := NewBrowser(t)
	do(t, ctx, chromedp.Navigate(s.URL+"/?"+evilQuery(evil.URL)))
	waitReady(t, ctx)
	fill(t, ctx, "zara", hostilePassword)
	do(t, ctx, clickStable("submit"))
	waitJS(t, ctx, `document.getElementById("success") !== null`, "the success panel")
	// An operator redirect leaves after 1.5 s: wait longer than that.
	time.Sleep(4 * time.Second)
	checkStayed(t, ctx, s)
	noDialogs(t, ctx)
	if hits := evil.Hits(); len(hits) != 0 {
		t.Errorf("the evil site got %q", hits)
	}
	if eval[bool](t, ctx, `!!window.__pwned`) {
		t.Error("a javascript: parameter ran")
	}
	hrefs := eval[[]string](t, ctx, `[...document.querySelectorAll("a")].map(a => a.href)`)
	for _, h := range hrefs {
		if strings.HasPrefix(h, evil.URL) || strings.Contains(h, strings.TrimPrefix(evil.URL, "http:")) {
			t.Errorf("the page links to the evil site: %q", h)
		}
	}
}

// With an operator redirect (after_signup.redirect in the config file),
// the page goes there, and only there, whatever the page URL says.
func TestSecurityOperatorRedirectWins(t *testing.T) {
	evil := startEvilSite(t)
	operator := startEvilSite(t) // records the arrival, serves a page
	hs := tesths.Start(t, tesths.Config{})
	cfg, _ := json.Marshal(map[string]any{
		"version":      1,
		"homeserver":   map[string]any{"url": hs.URL, "server_name": "localhost"},
		"after_signup": map[string]any{"redirect": operator.URL + "/welcome"},
	})
	path := filepath.Join(t.TempDir(), "signup.json")
	if err := os.WriteFile(path, cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	s := StartSignup(t, "-config", path)
	ctx := NewBrowser(t)
	do(t, ctx, chromedp.Navigate(s.URL+"/?"+evilQuery(evil.URL)))
	waitReady(t, ctx)
	fill(t, ctx, "zeno", hostilePassword)
	do(t, ctx, clickStable("submit"))
	deadline := time.Now().Add(30 * time.Second)
	for len(operator.Hits()) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	if hits := operator.Hits(); len(hits) == 0 || !strings.HasPrefix(hits[0], "GET /welcome") {
		t.Fatalf("the operator's redirect target got %q", hits)
	}
	if hits := evil.Hits(); len(hits) != 0 {
		t.Errorf("the evil site got %q", hits)
	}
	noDialogs(t, ctx)
}
