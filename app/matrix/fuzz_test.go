package matrix_test

// Fuzz tests of every parser of homeserver answers. Each target feeds a
// fuzzed status, body and header to the Client through a fake Doer and
// checks the contract the widget relies on:
//
//   - no panic, and no hang (a call has fzDeadline, and counts as hung
//     after fzHang);
//   - bounded memory: a body over MaxBodyBytes is refused by the Doer with
//     ErrBodyTooLarge, which the Client reports as ErrBadResponse;
//   - every rejection is typed: errors.Is ErrBadResponse or ErrUnreachable,
//     or a *matrix.Error (standard error body), never a bare error;
//   - what is accepted is sane: links only http(s), bounded lengths and
//     waits, valid UTF-8 messages, UIAA flows within MaxFlows/MaxStages.
//
// The seed corpus is in testdata/fuzz/<target>/. `make fuzz` runs each
// target for a minute (tools/fuzz.sh); `go test` runs the seeds only.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"signup/app/matrix"
)

// fzDeadline bounds one call of the Client (its context); far above what
// a parse takes. fzHang is when a call that ignores it counts as hung:
// generous, so that a starved machine is not mistaken for a hang.
const (
	fzDeadline = 5 * time.Second
	fzHang     = 30 * time.Second
)

// fzNow is the fixed clock of the fuzzed clients (Retry-After dates).
var fzNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// fzDoer answers every request with one fuzzed response, applying the size
// cap every real Doer applies. route, when set, answers instead.
type fzDoer struct {
	status int
	header matrix.Header
	body   []byte
	route  func(req *matrix.Request) (*matrix.Response, error)
	seen   []*matrix.Request
}

func (d *fzDoer) Do(ctx context.Context, req *matrix.Request) (*matrix.Response, error) {
	d.seen = append(d.seen, req)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if d.route != nil {
		return d.route(req)
	}
	return capped(d.status, d.header, d.body)
}

// capped builds a Response as a Doer would: a body over the cap is an error.
func capped(status int, header matrix.Header, body []byte) (*matrix.Response, error) {
	if len(body) > matrix.MaxBodyBytes {
		return nil, matrix.ErrBodyTooLarge
	}
	return &matrix.Response{Status: status, Header: header, Body: body}, nil
}

// fzStatus maps any fuzzed number to an HTTP status, 100..599.
func fzStatus(n int) int {
	if n >= 100 && n <= 599 {
		return n
	}
	if n < 0 {
		n = -(n + 1)
	}
	return 100 + n%500
}

func fzHeader(retryAfter string) matrix.Header {
	h := matrix.Header{"content-type": "application/json"}
	if retryAfter != "" {
		h["retry-after"] = retryAfter
	}
	return h
}

func fzClient(d matrix.Doer) *matrix.Client {
	c := matrix.NewClient("https://hs.example.org", d)
	c.Now = func() time.Time { return fzNow }
	return c
}

// bounded runs f with a context that ends after fzDeadline, and crashes
// the test binary (the fuzzer then keeps the input) when f hangs anyway.
func bounded(t *testing.T, what string, f func(ctx context.Context)) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), fzDeadline)
	defer cancel()
	watchdog := time.AfterFunc(fzHang, func() {
		panic(fmt.Sprintf("%s did not return within %s", what, fzHang))
	})
	defer watchdog.Stop()
	f(ctx)
}

// decodeStrict decodes one JSON value, as a reference for the checks.
func decodeStrict(b []byte, v any) error { return json.Unmarshal(b, v) }

// checkTyped fails unless err is one of the widget's typed errors, and
// checks what a *matrix.Error carries.
func checkTyped(t *testing.T, err error) {
	t.Helper()
	var me *matrix.Error
	switch {
	case errors.Is(err, matrix.ErrBadResponse), errors.Is(err, matrix.ErrUnreachable):
	case errors.As(err, &me):
		checkError(t, me)
	default:
		t.Fatalf("untyped error %T: %v", err, err)
	}
	if errors.Is(err, matrix.ErrBodyTooLarge) && !errors.Is(err, matrix.ErrBadResponse) {
		t.Fatalf("a body over the cap is not ErrBadResponse: %v", err)
	}
}

// checkError checks a standard error as parsed from a server's answer.
func checkError(t *testing.T, me *matrix.Error) {
	t.Helper()
	if me.Code == "" && me.Auth == nil {
		t.Fatalf("an *Error with neither errcode nor UIAA body: %+v", me)
	}
	if me.Status < 100 || me.Status > 599 || (me.Status >= 200 && me.Status < 300) {
		t.Fatalf("an *Error for status %d", me.Status)
	}
	if me.RetryAfter < 0 || me.RetryAfter > time.Hour {
		t.Fatalf("RetryAfter = %v, want within [0, 1h]", me.RetryAfter)
	}
	if len(me.Message) > 500+len("…") || !utf8.ValidString(me.Message) {
		t.Fatalf("Message is %d bytes (valid UTF-8: %v)", len(me.Message), utf8.ValidString(me.Message))
	}
	if me.Auth != nil {
		if me.Status != 401 {
			t.Fatalf("UIAA body on a %d", me.Status)
		}
		checkAuthInfo(t, me.Auth)
	}
}

// checkAuthInfo checks the invariants of an accepted UIAA body.
func checkAuthInfo(t *testing.T, a *matrix.AuthInfo) {
	t.Helper()
	if a.Session == "" || len(a.Session) > 1024 {
		t.Fatalf("session of %d bytes accepted", len(a.Session))
	}
	if len(a.Flows) == 0 || len(a.Flows) > matrix.MaxFlows {
		t.Fatalf("%d flows accepted", len(a.Flows))
	}
	for _, f := range a.Flows {
		if len(f.Stages) == 0 || len(f.Stages) > matrix.MaxStages {
			t.Fatalf("a flow of %d stages accepted", len(f.Stages))
		}
		for _, s := range f.Stages {
			if s == "" {
				t.Fatalf("a flow with an unnamed stage accepted: %q", f.Stages)
			}
		}
	}
	if len(a.Completed) > matrix.MaxStages {
		t.Fatalf("%d completed stages kept", len(a.Completed))
	}
}

// isLink reports whether s is a link the widget may render or request:
// http(s) only, by the browser's reading of the scheme too.
func isLink(s string) bool {
	l := strings.ToLower(s)
	if !strings.HasPrefix(l, "https://") && !strings.HasPrefix(l, "http://") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Host != "" && (u.Scheme == "http" || u.Scheme == "https")
}

// FuzzRegister feeds /register answers: UIAA 401 bodies (flows, params,
// session, completed, errcode), 200 bodies and error bodies, with a
// Retry-After header.
func FuzzRegister(f *testing.F) {
	f.Fuzz(func(t *testing.T, status int, body []byte, retryAfter string) {
		d := &fzDoer{status: fzStatus(status), header: fzHeader(retryAfter), body: body}
		bounded(t, "Register", func(ctx context.Context) {
			resp, err := fzClient(d).Register(ctx, matrix.KindUser, &matrix.RegisterRequest{Username: "alice", Password: "pw"})
			if err != nil {
				if resp != nil {
					t.Fatalf("both a response and an error: %+v, %v", resp, err)
				}
				checkTyped(t, err)
				if info, ok := matrix.AuthRequired(err); ok {
					checkAuthInfo(t, info)
				}
				return
			}
			if d.status < 200 || d.status > 299 {
				t.Fatalf("status %d accepted as success", d.status)
			}
			id, perr := matrix.ParseUserID(resp.UserID)
			if perr != nil || id.String() != resp.UserID {
				t.Fatalf("user_id %q accepted: %v", resp.UserID, perr)
			}
		})
	})
}

// FuzzErrorResponse feeds error answers with a Retry-After header (seconds
// or HTTP date) and retry_after_ms, and checks that the wait is never
// shorter than the server asked (up to the one-hour cap) and never
// negative.
func FuzzErrorResponse(f *testing.F) {
	f.Fuzz(func(t *testing.T, status int, body []byte, retryAfter string) {
		st := fzStatus(status)
		if st < 300 {
			st += 300
		}
		d := &fzDoer{status: st, header: fzHeader(retryAfter), body: body}
		bounded(t, "Available", func(ctx context.Context) {
			_, err := fzClient(d).Available(ctx, "alice")
			if err == nil {
				t.Fatalf("status %d accepted", st)
			}
			checkTyped(t, err)
			var me *matrix.Error
			if !errors.As(err, &me) {
				return
			}
			wait, limited := matrix.RetryAfter(err)
			if me.Code == matrix.CodeLimitExceeded && !limited {
				t.Fatal("M_LIMIT_EXCEEDED without a wait")
			}
			if asked := askedWait(retryAfter, body); asked > 0 && wait < min(asked, time.Hour) {
				t.Fatalf("waits %v, the server asked for %v (Retry-After %q)", wait, asked, retryAfter)
			}
		})
	})
}

// askedWait is what the server asked for, read independently of the
// client: Retry-After delay-seconds or an HTTP-date, else retry_after_ms.
func askedWait(header string, body []byte) time.Duration {
	h := strings.TrimSpace(header)
	if h != "" {
		allDigits := true
		for _, c := range h {
			if c < '0' || c > '9' {
				allDigits = false
			}
		}
		if allDigits {
			if len(h) > 12 {
				return time.Hour * 1000
			}
			var n int64
			for _, c := range h {
				n = n*10 + int64(c-'0')
			}
			return time.Duration(n) * time.Second
		}
		if tm, err := time.Parse(time.RFC1123, h); err == nil && tm.After(fzNow) {
			return tm.Sub(fzNow)
		}
	}
	var v struct {
		RetryAfterMS int64 `json:"retry_after_ms"`
	}
	if decodeStrict(body, &v) != nil || v.RetryAfterMS <= 0 {
		return 0
	}
	if v.RetryAfterMS > int64(1000*time.Hour/time.Millisecond) {
		return 1000 * time.Hour
	}
	return time.Duration(v.RetryAfterMS) * time.Millisecond
}

// FuzzAvailable feeds GET /register/available answers.
func FuzzAvailable(f *testing.F) {
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		d := &fzDoer{status: fzStatus(status), header: fzHeader(""), body: body}
		bounded(t, "Available", func(ctx context.Context) {
			ok, err := fzClient(d).Available(ctx, "alice")
			if err != nil {
				if ok {
					t.Fatal("available and an error")
				}
				checkTyped(t, err)
				return
			}
			if d.status < 200 || d.status > 299 {
				t.Fatalf("status %d accepted", d.status)
			}
		})
	})
}

// FuzzTokenValidity feeds GET .../registration_token/validity answers.
func FuzzTokenValidity(f *testing.F) {
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		d := &fzDoer{status: fzStatus(status), header: fzHeader(""), body: body}
		bounded(t, "TokenValidity", func(ctx context.Context) {
			valid, supported, err := fzClient(d).TokenValidity(ctx, "tok")
			if err != nil {
				if valid {
					t.Fatal("valid and an error")
				}
				checkTyped(t, err)
				return
			}
			if valid && !supported {
				t.Fatal("valid but unsupported")
			}
		})
	})
}

// FuzzRequestToken feeds the email and msisdn requestToken answers and the
// submit_url answer: sid bounded, submit_url only http(s).
func FuzzRequestToken(f *testing.F) {
	f.Fuzz(func(t *testing.T, status int, body []byte, msisdn bool) {
		d := &fzDoer{status: fzStatus(status), header: fzHeader(""), body: body}
		bounded(t, "requestToken", func(ctx context.Context) {
			c := fzClient(d)
			req := &matrix.RequestTokenRequest{ClientSecret: "s3cret", Email: "a@example.org", SendAttempt: 1}
			call := c.RequestEmailToken
			if msisdn {
				req = &matrix.RequestTokenRequest{ClientSecret: "s3cret", Country: "GB", PhoneNumber: "7700900123", SendAttempt: 1}
				call = c.RequestMSISDNToken
			}
			resp, err := call(ctx, req)
			if err != nil {
				if resp != nil {
					t.Fatal("both a response and an error")
				}
				checkTyped(t, err)
			} else {
				if resp.SID == "" || len(resp.SID) > 255 {
					t.Fatalf("sid of %d bytes accepted", len(resp.SID))
				}
				if resp.SubmitURL != "" && !isLink(resp.SubmitURL) {
					t.Fatalf("submit_url %q accepted", resp.SubmitURL)
				}
			}
			// The same body as the answer of a submit_url.
			d.seen = nil
			_, err = c.SubmitToken(ctx, "https://id.example.org/submit", "sid", "s3cret", "123456")
			if err != nil {
				checkTyped(t, err)
			}
			if len(d.seen) != 1 || d.seen[0].URL != "https://id.example.org/submit" {
				t.Fatalf("SubmitToken sent %d requests", len(d.seen))
			}
		})
	})
}

// FuzzSubmitURL checks that SubmitToken never sends a code anywhere but to
// an http(s) URL, whatever submit_url a server put in its answer.
func FuzzSubmitURL(f *testing.F) {
	f.Fuzz(func(t *testing.T, submitURL string) {
		d := &fzDoer{status: 200, header: fzHeader(""), body: []byte(`{"success":true}`)}
		bounded(t, "SubmitToken", func(ctx context.Context) {
			_, err := fzClient(d).SubmitToken(ctx, submitURL, "sid", "s3cret", "123456")
			if len(d.seen) > 0 && !isLink(d.seen[0].URL) {
				t.Fatalf("a code was sent to %q", d.seen[0].URL)
			}
			if err != nil {
				checkTyped(t, err)
			}
		})
	})
}

// FuzzDiscover feeds .well-known and /versions answers to Discover, for a
// server name and for a base URL.
func FuzzDiscover(f *testing.F) {
	f.Fuzz(func(t *testing.T, wkStatus int, wkBody []byte, vStatus int, vBody []byte, byURL bool) {
		d := &fzDoer{route: func(req *matrix.Request) (*matrix.Response, error) {
			switch {
			case strings.HasSuffix(req.URL, "/.well-known/matrix/client"):
				return capped(fzStatus(wkStatus), fzHeader(""), wkBody)
			case strings.HasSuffix(req.URL, "/_matrix/client/versions"):
				if !isLink(req.URL) {
					t.Fatalf("versions asked at %q", req.URL)
				}
				return capped(fzStatus(vStatus), fzHeader(""), vBody)
			}
			t.Fatalf("unexpected request %s %s", req.Method, req.URL)
			return nil, nil
		}}
		input := "example.org"
		if byURL {
			input = "https://matrix.example.org/"
		}
		bounded(t, "Discover", func(ctx context.Context) {
			hs, err := matrix.Discover(ctx, d, input)
			if err != nil {
				if !errors.Is(err, matrix.ErrNotHomeserver) {
					checkTyped(t, err)
				}
				return
			}
			if !isLink(hs.BaseURL) || strings.HasSuffix(hs.BaseURL, "/") {
				t.Fatalf("base URL %q accepted", hs.BaseURL)
			}
			if n, err := matrix.NormalizeBaseURL(hs.BaseURL); err != nil || n != hs.BaseURL {
				t.Fatalf("base URL %q is not normal: %q, %v", hs.BaseURL, n, err)
			}
			// The Client's own parse of /versions agrees.
			if _, err := fzClient(d).Versions(ctx); err != nil {
				t.Fatalf("Discover accepted what Versions refuses: %v", err)
			}
		})
	})
}

// FuzzNormalizeBaseURL checks what an operator (or a .well-known) may give
// as a base URL: only http(s) comes out, idempotently.
func FuzzNormalizeBaseURL(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		n, err := matrix.NormalizeBaseURL(s)
		if err != nil {
			return
		}
		if !isLink(n) || strings.HasSuffix(n, "/") {
			t.Fatalf("%q normalized to %q", s, n)
		}
		if again, err := matrix.NormalizeBaseURL(n); err != nil || again != n {
			t.Fatalf("not idempotent: %q -> %q -> %q, %v", s, n, again, err)
		}
	})
}

// FuzzAuthMetadata feeds auth_metadata answers: the sign-up link is only
// ever http(s).
func FuzzAuthMetadata(f *testing.F) {
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		d := &fzDoer{status: fzStatus(status), header: fzHeader(""), body: body}
		bounded(t, "GetAuthMetadata", func(ctx context.Context) {
			md, delegated, err := fzClient(d).GetAuthMetadata(ctx, matrix.AuthUnknown)
			if err != nil {
				checkTyped(t, err)
				return
			}
			if delegated && (md == nil || !isLink(md.SignUpURL())) {
				t.Fatalf("delegated to %+v", md)
			}
		})
	})
}

// FuzzServerName feeds the signing-key answer used to learn the server
// name.
func FuzzServerName(f *testing.F) {
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		d := &fzDoer{status: fzStatus(status), header: fzHeader(""), body: body}
		bounded(t, "ServerName", func(ctx context.Context) {
			name, err := matrix.ServerName(ctx, d, "https://hs.example.org")
			if err != nil {
				checkTyped(t, err)
				return
			}
			if name == "" || strings.ContainsAny(name, "/@ ") {
				t.Fatalf("server name %q accepted", name)
			}
		})
	})
}

// FuzzLocalpart checks ValidateLocalpart against the grammar, and that a
// name it accepts makes a user ID that ParseUserID reads back.
func FuzzLocalpart(f *testing.F) {
	f.Fuzz(func(t *testing.T, name, server string) {
		c := matrix.ValidateLocalpart(name, server)
		switch c.Problem {
		case matrix.LocalpartOK:
			for i := 0; i < len(name); i++ {
				if !strings.ContainsRune("abcdefghijklmnopqrstuvwxyz0123456789._=-/+", rune(name[i])) {
					t.Fatalf("%q accepted with %q", name, name[i])
				}
			}
			if len(name)+len(server)+2 > matrix.MaxUserIDLength {
				t.Fatalf("%q on %q accepted: too long", name, server)
			}
			if server != "" && !strings.ContainsFunc(server, func(r rune) bool { return r < 0x21 || r == 0x7f }) {
				id, err := matrix.ParseUserID(matrix.PreviewUserID(name, server))
				if err != nil || id.Localpart != name || id.ServerName != server {
					t.Fatalf("preview of %q on %q parses as %+v, %v", name, server, id, err)
				}
			}
		case matrix.LocalpartEmpty:
			if name != "" {
				t.Fatalf("%q reported empty", name)
			}
		case matrix.LocalpartUppercase:
			if c.Suggestion != strings.ToLower(name) {
				t.Fatalf("suggestion %q for %q", c.Suggestion, name)
			}
			if p := matrix.ValidateLocalpart(c.Suggestion, server).Problem; p != matrix.LocalpartOK && p != matrix.LocalpartTooLong {
				t.Fatalf("the suggestion %q is itself invalid: %v", c.Suggestion, p)
			}
		case matrix.LocalpartInvalidChars:
			if c.Invalid == "" {
				t.Fatalf("invalid %q without the offending characters", name)
			}
			seen := map[rune]bool{}
			for _, r := range c.Invalid {
				if seen[r] {
					t.Fatalf("%q listed twice in %q", r, c.Invalid)
				}
				seen[r] = true
				if utf8.ValidString(name) && !strings.ContainsRune(name, r) {
					t.Fatalf("%q listed but not in %q", r, name)
				}
			}
		case matrix.LocalpartTooLong:
			if len(name)+len(server)+2 <= matrix.MaxUserIDLength {
				t.Fatalf("%q on %q reported too long", name, server)
			}
		default:
			t.Fatalf("unknown problem %v", c.Problem)
		}
	})
}

// FuzzParseUserID checks the parse of user IDs servers return.
func FuzzParseUserID(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		id, err := matrix.ParseUserID(s)
		if err != nil {
			return
		}
		if len(s) > matrix.MaxUserIDLength || id.String() != s || id.Localpart == "" || id.ServerName == "" ||
			strings.Contains(id.Localpart, ":") {
			t.Fatalf("%q parsed as %+v", s, id)
		}
		if strings.ContainsFunc(s, func(r rune) bool { return r < 0x21 || r == 0x7f }) {
			t.Fatalf("%q with a space or control character accepted", s)
		}
	})
}

// FuzzLoginToken feeds POST /login/get_token answers: a bounded token or a
// typed error, and the access token only ever goes to the homeserver, in
// the Authorization header.
func FuzzLoginToken(f *testing.F) {
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		d := &fzDoer{status: fzStatus(status), header: fzHeader(""), body: body}
		bounded(t, "GetLoginToken", func(ctx context.Context) {
			tok, err := fzClient(d).GetLoginToken(ctx, "syt_secret", nil)
			if err != nil {
				var me *matrix.Error
				if !errors.Is(err, matrix.ErrBadResponse) && !errors.Is(err, matrix.ErrUnreachable) && !errors.As(err, &me) {
					t.Fatalf("untyped error %T: %v", err, err)
				}
				if tok != "" {
					t.Fatal("a token and an error")
				}
			} else if tok == "" || len(tok) > 1024 {
				t.Fatalf("token of %d bytes accepted", len(tok))
			}
			if len(d.seen) != 1 {
				t.Fatalf("%d requests", len(d.seen))
			}
			r := d.seen[0]
			if r.URL != "https://hs.example.org/_matrix/client/v1/login/get_token" || r.Header.Get("Authorization") != "Bearer syt_secret" ||
				strings.Contains(r.URL, "syt_secret") || bytes.Contains(r.Body, []byte("syt_secret")) {
				t.Fatalf("the access token went %s %s %q", r.Method, r.URL, r.Body)
			}
		})
	})
}
