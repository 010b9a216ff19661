package tesths

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// client does not follow redirects, so that tests see the 302 of next_link.
var client = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

const (
	register  = "/_matrix/client/v3/register"
	emailTok  = "/_matrix/client/v3/register/email/requestToken"
	msisdnTok = "/_matrix/client/v3/register/msisdn/requestToken"
	validity  = "/_matrix/client/v1/register/m.login.registration_token/validity"
)

// call sends body (JSON unless it is a string or nil) and returns the status,
// headers and body of the answer.
func call(t *testing.T, s *Server, method, path string, body any) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
		ctype = "application/x-www-form-urlencoded"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(j)
		ctype = "application/json"
	}
	target := path
	if !strings.HasPrefix(path, "http") {
		target = s.URL + path
	}
	req, err := http.NewRequest(method, target, rd)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// post sends body as JSON and returns the status and body.
func post(t *testing.T, s *Server, path string, body any) (int, []byte) {
	t.Helper()
	code, _, b := call(t, s, "POST", path, body)
	return code, b
}

func get(t *testing.T, s *Server, path string) (int, []byte) {
	t.Helper()
	code, _, b := call(t, s, "GET", path, nil)
	return code, b
}

// expect checks the status and that the body is exactly the JSON want
// (compared as values: no missing or extra keys).
func expect(t *testing.T, gotCode int, got []byte, wantCode int, want string) {
	t.Helper()
	if gotCode != wantCode {
		t.Fatalf("status %d, want %d; body %s", gotCode, wantCode, got)
	}
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("answer is not JSON: %v: %s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want JSON: %v: %s", err, want)
	}
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("body\n got %s\nwant %s", strings.TrimSpace(string(got)), want)
	}
}

func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("not a JSON object: %v: %s", err, b)
	}
	return m
}

// startSession sends the first /register request and returns the session.
func startSession(t *testing.T, s *Server, body map[string]any) string {
	t.Helper()
	code, b := post(t, s, register, body)
	if code != http.StatusUnauthorized {
		t.Fatalf("first register: status %d: %s", code, b)
	}
	sess, _ := decode(t, b)["session"].(string)
	if sess == "" {
		t.Fatalf("no session in %s", b)
	}
	return sess
}

// withAuth returns a copy of body with auth.
func withAuth(body map[string]any, auth map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range body {
		out[k] = v
	}
	out["auth"] = auth
	return out
}

// checkSuccess checks a 200 register/login answer and returns it.
func checkSuccess(t *testing.T, code int, b []byte, userID string) map[string]any {
	t.Helper()
	if code != http.StatusOK {
		t.Fatalf("status %d: %s", code, b)
	}
	m := decode(t, b)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"access_token", "device_id", "home_server", "user_id"}) {
		t.Fatalf("keys %v in %s", keys, b)
	}
	if m["user_id"] != userID {
		t.Fatalf("user_id %v, want %s", m["user_id"], userID)
	}
	if _, server, _ := strings.Cut(userID, ":"); m["home_server"] != server {
		t.Fatalf("home_server %v, want %s", m["home_server"], server)
	}
	if tok, _ := m["access_token"].(string); tok == "" {
		t.Fatalf("empty access_token in %s", b)
	}
	if dev, _ := m["device_id"].(string); dev == "" {
		t.Fatalf("empty device_id in %s", b)
	}
	return m
}

func TestVersionsCORSAndUnknown(t *testing.T) {
	s := Start(t, Config{})

	t.Run("versions lists v1.1 to v1.11 with CORS headers", func(t *testing.T) {
		code, h, b := call(t, s, "GET", "/_matrix/client/versions", nil)
		expect(t, code, b, 200, `{"versions":["v1.1","v1.2","v1.3","v1.4","v1.5","v1.6","v1.7","v1.8","v1.9","v1.10","v1.11"]}`)
		checkCORS(t, h)
		if ct := h.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type %q", ct)
		}
	})

	t.Run("an OPTIONS preflight answers 200 with CORS and is not recorded", func(t *testing.T) {
		before := len(s.Requests())
		req, _ := http.NewRequest("OPTIONS", s.URL+register, nil)
		req.Header.Set("Origin", "http://example.org")
		req.Header.Set("Access-Control-Request-Method", "POST")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		checkCORS(t, resp.Header)
		if n := len(s.Requests()); n != before {
			t.Fatalf("%d requests recorded after the preflight, want %d", n, before)
		}
	})

	t.Run("an unknown endpoint answers 404 M_UNRECOGNIZED with CORS", func(t *testing.T) {
		code, h, b := call(t, s, "GET", "/_matrix/client/v3/nope", nil)
		expect(t, code, b, 404, `{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}`)
		checkCORS(t, h)
	})

	t.Run("a wrong method answers 405 M_UNRECOGNIZED", func(t *testing.T) {
		code, b := get(t, s, register)
		expect(t, code, b, 405, `{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}`)
	})

	t.Run("auth_metadata and well-known answer 404 when not configured", func(t *testing.T) {
		for _, p := range []string{"/_matrix/client/v1/auth_metadata", "/.well-known/matrix/client"} {
			code, b := get(t, s, p)
			expect(t, code, b, 404, `{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}`)
		}
	})

	t.Run("a body that is not JSON answers 400 M_NOT_JSON", func(t *testing.T) {
		code, _, b := call(t, s, "POST", register, "{nope")
		expect(t, code, b, 400, `{"errcode":"M_NOT_JSON","error":"Content not JSON."}`)
	})

	t.Run("requests are recorded with their status", func(t *testing.T) {
		rs := s.RequestsTo("GET", "/_matrix/client/versions")
		if len(rs) != 1 || rs[0].Status != 200 || rs[0].Time.IsZero() {
			t.Fatalf("recorded %+v", rs)
		}
		rs = s.RequestsTo("POST", register)
		if len(rs) != 1 || string(rs[0].Body) != "{nope" || rs[0].Status != 400 {
			t.Fatalf("recorded %+v", rs)
		}
		if !strings.Contains(s.Log(), "POST "+register+" -> 400") {
			t.Fatalf("log:\n%s", s.Log())
		}
	})
}

func checkCORS(t *testing.T, h http.Header) {
	t.Helper()
	want := map[string]string{
		"Access-Control-Allow-Origin":  "*",
		"Access-Control-Allow-Methods": "GET, POST, PUT, DELETE, OPTIONS",
		"Access-Control-Allow-Headers": "Origin, X-Requested-With, Content-Type, Accept, Authorization",
	}
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
}

var termsParams = map[string]any{"policies": map[string]any{
	"privacy_policy": map[string]any{
		"version": "1.0",
		"en":      map[string]any{"name": "Privacy Policy", "url": "https://example.org/privacy"},
	},
}}

const termsJSON = `{"policies":{"privacy_policy":{"version":"1.0","en":{"name":"Privacy Policy","url":"https://example.org/privacy"}}}}`

func TestFullFlowTermsTokenEmailDummy(t *testing.T) {
	s := Start(t, Config{
		Flows: [][]string{
			{"m.login.terms", "m.login.registration_token", "m.login.email.identity", "m.login.dummy"},
			{"m.login.recaptcha"},
		},
		Params: map[string]any{
			"m.login.terms":   termsParams,
			"m.login.unused":  map[string]any{"x": 1},
			"m.login.captcha": nil,
		},
		RegistrationTokens: []string{"good-token"},
	})
	body := map[string]any{"username": "alice", "password": "correct horse", "initial_device_display_name": "Widget"}
	flows := `[{"stages":["m.login.terms","m.login.registration_token","m.login.email.identity","m.login.dummy"]},{"stages":["m.login.recaptcha"]}]`
	uia := func(sess, completed, errPart string) string {
		c := ""
		if completed != "" {
			c = `"completed":` + completed + `,`
		}
		return `{` + errPart + c + `"flows":` + flows + `,"params":{"m.login.terms":` + termsJSON + `},"session":"` + sess + `"}`
	}

	code, b := post(t, s, register, body)
	sess, _ := decode(t, b)["session"].(string)
	t.Run("the first request answers 401 with flows, params and session only", func(t *testing.T) {
		expect(t, code, b, 401, uia(sess, "", ""))
		if len(sess) < 10 {
			t.Fatalf("short session %q", sess)
		}
	})

	t.Run("terms completes", func(t *testing.T) {
		code, b := post(t, s, register, withAuth(body, map[string]any{"type": "m.login.terms", "session": sess}))
		expect(t, code, b, 401, uia(sess, `["m.login.terms"]`, ""))
	})

	t.Run("a wrong token answers 401 with errcode, flows, session and completed", func(t *testing.T) {
		code, b := post(t, s, register, withAuth(body, map[string]any{"type": "m.login.registration_token", "token": "bad", "session": sess}))
		expect(t, code, b, 401, uia(sess, `["m.login.terms"]`, `"errcode":"M_UNAUTHORIZED","error":"Invalid registration token",`))
	})

	t.Run("the right token completes", func(t *testing.T) {
		code, b := post(t, s, register, withAuth(body, map[string]any{"type": "m.login.registration_token", "token": "good-token", "session": sess}))
		expect(t, code, b, 401, uia(sess, `["m.login.terms","m.login.registration_token"]`, ""))
	})

	var sid string
	t.Run("requestToken answers sid only and sends one email", func(t *testing.T) {
		code, b := post(t, s, emailTok, map[string]any{"client_secret": "s3cret", "email": "Alice@Example.org", "send_attempt": 1})
		sid, _ = decode(t, b)["sid"].(string)
		expect(t, code, b, 200, `{"sid":"`+sid+`"}`)
		es := s.Emails()
		if len(es) != 1 {
			t.Fatalf("%d emails", len(es))
		}
		e := es[0]
		if e.To != "alice@example.org" || e.ClientSecret != "s3cret" || e.SID != sid || e.SendAttempt != 1 {
			t.Fatalf("email %+v", e)
		}
		if !strings.HasPrefix(e.Link, s.URL+PathValidateEmail+"?") {
			t.Fatalf("link %q", e.Link)
		}
	})

	creds := map[string]any{"type": "m.login.email.identity", "session": sess, "threepid_creds": map[string]any{"sid": sid, "client_secret": "s3cret"}}
	t.Run("the email stage answers 401 M_UNAUTHORIZED until the link is clicked", func(t *testing.T) {
		for i := 0; i < 3; i++ {
			code, b := post(t, s, register, withAuth(body, creds))
			expect(t, code, b, 401, uia(sess, `["m.login.terms","m.login.registration_token"]`, `"errcode":"M_UNAUTHORIZED","error":"Unable to get validated threepid",`))
		}
	})

	t.Run("wrong threepid_creds stay unauthorized", func(t *testing.T) {
		bad := map[string]any{"type": "m.login.email.identity", "session": sess, "threepid_creds": map[string]any{"sid": sid, "client_secret": "other"}}
		s.ValidateEmail("no-such-sid")
		code, b := post(t, s, register, withAuth(body, bad))
		expect(t, code, b, 401, uia(sess, `["m.login.terms","m.login.registration_token"]`, `"errcode":"M_UNAUTHORIZED","error":"Unable to get validated threepid",`))
		code, b = post(t, s, register, withAuth(body, map[string]any{"type": "m.login.email.identity", "session": sess}))
		expect(t, code, b, 401, uia(sess, `["m.login.terms","m.login.registration_token"]`, `"errcode":"M_MISSING_PARAM","error":"Missing threepid_creds",`))
	})

	t.Run("auth with the session only answers the 401 without errcode", func(t *testing.T) {
		code, b := post(t, s, register, map[string]any{"auth": map[string]any{"session": sess}})
		expect(t, code, b, 401, uia(sess, `["m.login.terms","m.login.registration_token"]`, ""))
	})

	t.Run("the link validates and the email stage completes", func(t *testing.T) {
		code, h, page := call(t, s, "GET", s.Emails()[0].Link, nil)
		if code != 200 || !strings.Contains(string(page), "Email verified") || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
			t.Fatalf("link: %d %s: %s", code, h.Get("Content-Type"), page)
		}
		code, b := post(t, s, register, withAuth(body, creds))
		expect(t, code, b, 401, uia(sess, `["m.login.terms","m.login.registration_token","m.login.email.identity"]`, ""))
	})

	t.Run("dummy ends the flow with user_id, access_token and device_id", func(t *testing.T) {
		code, b := post(t, s, register, withAuth(body, map[string]any{"type": "m.login.dummy", "session": sess}))
		checkSuccess(t, code, b, "@alice:localhost")
		if u := s.Users(); !slices.Equal(u, []string{"@alice:localhost"}) {
			t.Fatalf("users %v", u)
		}
	})

	t.Run("a replay of the completed session answers 200 with the same account and a new login", func(t *testing.T) {
		// Synapse keeps the registered user ID in the session; Dendrite
		// answers the same 200 too. A retry after a lost answer works.
		code, b := post(t, s, register, withAuth(body, map[string]any{"type": "m.login.dummy", "session": sess}))
		checkSuccess(t, code, b, "@alice:localhost")
		if u := s.Users(); !slices.Equal(u, []string{"@alice:localhost"}) {
			t.Fatalf("users %v", u)
		}
		code, b = post(t, s, register, map[string]any{"username": "mallory", "auth": map[string]any{"session": sess}})
		expect(t, code, b, 400, `{"errcode":"M_UNKNOWN","error":"A different user ID has already been registered for this session"}`)
	})

	t.Run("the email is now in use", func(t *testing.T) {
		code, b := post(t, s, emailTok, map[string]any{"client_secret": "another", "email": "alice@example.org", "send_attempt": 1})
		expect(t, code, b, 400, `{"errcode":"M_THREEPID_IN_USE","error":"Email is already in use"}`)
	})

	t.Run("every request was recorded in order", func(t *testing.T) {
		rs := s.RequestsTo("POST", register)
		if len(rs) != 14 {
			t.Fatalf("%d register requests:\n%s", len(rs), s.Log())
		}
		var first map[string]any
		if err := rs[0].Decode(&first); err != nil || first["username"] != "alice" || rs[0].Status != 401 {
			t.Fatalf("first request %+v (%v)", rs[0], err)
		}
		if rs[0].Header.Get("Content-Type") != "application/json" {
			t.Fatalf("headers %v", rs[0].Header)
		}
	})
}

func TestEmailRequestToken(t *testing.T) {
	s := Start(t, Config{
		ThreepidInUse:  []string{"taken@example.org"},
		ThreepidDenied: []string{"denied@example.org"},
	})
	req := func(secret, email string, attempt any) (int, []byte) {
		return post(t, s, emailTok, map[string]any{"client_secret": secret, "email": email, "send_attempt": attempt})
	}
	sidOf := func(code int, b []byte) string {
		t.Helper()
		if code != 200 {
			t.Fatalf("status %d: %s", code, b)
		}
		sid, _ := decode(t, b)["sid"].(string)
		expect(t, code, b, 200, `{"sid":"`+sid+`"}`)
		return sid
	}

	t.Run("the same or a lower send_attempt returns the same sid without an email", func(t *testing.T) {
		a := sidOf(req("sec", "bob@example.org", 1))
		if b := sidOf(req("sec", "bob@example.org", 1)); b != a {
			t.Fatalf("sid %s then %s", a, b)
		}
		if n := len(s.Emails()); n != 1 {
			t.Fatalf("%d emails, want 1", n)
		}
		if b := sidOf(req("sec", "bob@example.org", 2)); b != a {
			t.Fatalf("sid %s then %s", a, b)
		}
		if n := len(s.Emails()); n != 2 || s.Emails()[1].SendAttempt != 2 || s.Emails()[1].SID != a {
			t.Fatalf("emails %+v", s.Emails())
		}
		if b := sidOf(req("sec", "bob@example.org", 1)); b != a {
			t.Fatalf("sid %s then %s", a, b)
		}
		if n := len(s.Emails()); n != 2 {
			t.Fatalf("%d emails, want 2", n)
		}
		if c := sidOf(req("other", "bob@example.org", 1)); c == a {
			t.Fatal("another client_secret got the same sid")
		}
		if n := len(s.Emails()); n != 3 {
			t.Fatalf("%d emails, want 3", n)
		}
	})

	t.Run("errors", func(t *testing.T) {
		code, b := req("bad secret!", "x@example.org", 1)
		expect(t, code, b, 400, `{"errcode":"M_INVALID_PARAM","error":"Invalid client_secret parameter"}`)
		code, b = req(strings.Repeat("a", 256), "x@example.org", 1)
		expect(t, code, b, 400, `{"errcode":"M_INVALID_PARAM","error":"Invalid client_secret parameter"}`)
		code, b = req("sec", "not-an-email", 1)
		expect(t, code, b, 400, `{"errcode":"M_UNKNOWN","error":"Unable to parse email address"}`)
		code, b = req("sec", "x@example.org", "1")
		expect(t, code, b, 400, `{"errcode":"M_INVALID_PARAM","error":"send_attempt must be an integer"}`)
		code, b = post(t, s, emailTok, map[string]any{"email": "x@example.org"})
		expect(t, code, b, 400, `{"errcode":"M_MISSING_PARAM","error":"Missing params: client_secret, send_attempt"}`)
		code, b = req("sec", "Taken@example.org", 1)
		expect(t, code, b, 400, `{"errcode":"M_THREEPID_IN_USE","error":"Email is already in use"}`)
		code, b = req("sec", "denied@example.org", 1)
		expect(t, code, b, 403, `{"errcode":"M_THREEPID_DENIED","error":"Your email domain is not authorized to register on this server"}`)
	})

	t.Run("the link redirects to an http(s) next_link", func(t *testing.T) {
		code, b := post(t, s, emailTok, map[string]any{"client_secret": "nl", "email": "n@example.org", "send_attempt": 1, "next_link": "https://app.example.org/done"})
		sidOf(code, b)
		es := s.Emails()
		e := es[len(es)-1]
		if e.NextLink != "https://app.example.org/done" {
			t.Fatalf("email %+v", e)
		}
		code, h, _ := call(t, s, "GET", e.Link, nil)
		if code != 302 || h.Get("Location") != "https://app.example.org/done" {
			t.Fatalf("status %d, Location %q", code, h.Get("Location"))
		}
	})

	t.Run("a link with a wrong token fails", func(t *testing.T) {
		e := s.Emails()[0]
		u, _ := url.Parse(e.Link)
		q := u.Query()
		q.Set("token", "wrong")
		u.RawQuery = q.Encode()
		code, _, b := call(t, s, "GET", u.String(), nil)
		if code != 400 || !strings.Contains(string(b), "Validation token not found") {
			t.Fatalf("status %d: %s", code, b)
		}
	})
}

func TestMsisdn(t *testing.T) {
	s := Start(t, Config{Flows: [][]string{{"m.login.msisdn"}}, ThreepidInUse: []string{"+44 7700 900999"}})
	body := map[string]any{"username": "phoebe", "password": "a long password"}
	sess := startSession(t, s, body)

	code, b := post(t, s, msisdnTok, map[string]any{"client_secret": "sec", "country": "GB", "phone_number": "07700 900123", "send_attempt": 1})
	sid, _ := decode(t, b)["sid"].(string)
	t.Run("requestToken answers sid and submit_url and sends one SMS", func(t *testing.T) {
		expect(t, code, b, 200, `{"sid":"`+sid+`","submit_url":"`+s.URL+`/_test/submit_msisdn_token"}`)
		texts := s.SMS()
		if len(texts) != 1 || texts[0].To != "GB07700900123" || texts[0].SID != sid || !regexp.MustCompile(`^\d{6}$`).MatchString(texts[0].Code) {
			t.Fatalf("SMS %+v", texts)
		}
	})

	creds := map[string]any{"type": "m.login.msisdn", "session": sess, "threepid_creds": map[string]any{"sid": sid, "client_secret": "sec"}}
	t.Run("the stage answers 401 M_UNAUTHORIZED before the code is submitted", func(t *testing.T) {
		code, b := post(t, s, register, withAuth(body, creds))
		expect(t, code, b, 401, `{"completed":[],"errcode":"M_UNAUTHORIZED","error":"Unable to get validated threepid","flows":[{"stages":["m.login.msisdn"]}],"params":{},"session":"`+sess+`"}`)
	})

	t.Run("a wrong code answers success false, the right one success true", func(t *testing.T) {
		code, b := post(t, s, "/_test/submit_msisdn_token", map[string]any{"sid": sid, "client_secret": "sec", "token": "000000x"})
		expect(t, code, b, 200, `{"success":false}`)
		code, b = post(t, s, "/_test/submit_msisdn_token", map[string]any{"sid": sid, "client_secret": "sec", "token": s.SMS()[0].Code})
		expect(t, code, b, 200, `{"success":true}`)
	})

	t.Run("the stage then completes the flow", func(t *testing.T) {
		code, b := post(t, s, register, withAuth(body, creds))
		checkSuccess(t, code, b, "@phoebe:localhost")
	})

	t.Run("a listed or registered number is in use", func(t *testing.T) {
		code, b := post(t, s, msisdnTok, map[string]any{"client_secret": "sec", "country": "GB", "phone_number": "+44 7700 900999", "send_attempt": 1})
		expect(t, code, b, 400, `{"errcode":"M_THREEPID_IN_USE","error":"Phone number is already in use"}`)
		code, b = post(t, s, msisdnTok, map[string]any{"client_secret": "sec2", "country": "gb", "phone_number": "07700-900123", "send_attempt": 1})
		expect(t, code, b, 400, `{"errcode":"M_THREEPID_IN_USE","error":"Phone number is already in use"}`)
		code, b = post(t, s, msisdnTok, map[string]any{"client_secret": "sec", "country": "GB", "phone_number": "call me", "send_attempt": 1})
		expect(t, code, b, 400, `{"errcode":"M_UNKNOWN","error":"Unable to parse phone number"}`)
	})
}

func TestFallback(t *testing.T) {
	s := Start(t, Config{
		Flows:              [][]string{{"org.example.pretend", "m.login.dummy"}, {"m.login.registration_token"}},
		RegistrationTokens: []string{"tok"},
	})
	body := map[string]any{"username": "fran", "password": "a long password"}
	flows := `[{"stages":["org.example.pretend","m.login.dummy"]},{"stages":["m.login.registration_token"]}]`
	sess := startSession(t, s, body)
	fallback := "/_matrix/client/v3/auth/org.example.pretend/fallback/web?session=" + sess

	t.Run("the page has a Complete button posting back to itself", func(t *testing.T) {
		code, h, b := call(t, s, "GET", fallback, nil)
		p := string(b)
		if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
			t.Fatalf("status %d %s: %s", code, h.Get("Content-Type"), p)
		}
		for _, want := range []string{`id="complete"`, `method="post"`, `name="session" value="` + sess + `"`} {
			if !strings.Contains(p, want) {
				t.Errorf("page lacks %s:\n%s", want, p)
			}
		}
		checkCORS(t, h)
	})

	t.Run("the stage cannot be submitted directly", func(t *testing.T) {
		code, b := post(t, s, register, withAuth(body, map[string]any{"type": "org.example.pretend", "session": sess}))
		expect(t, code, b, 401, `{"completed":[],"errcode":"M_UNRECOGNIZED","error":"Auth type org.example.pretend can only be completed through its fallback page","flows":`+flows+`,"params":{},"session":"`+sess+`"}`)
	})

	t.Run("posting the form completes the stage and runs the spec's script", func(t *testing.T) {
		code, h, b := call(t, s, "POST", fallback, "session="+sess)
		p := string(b)
		script := `if (window.onAuthDone) {
    window.onAuthDone();
} else if (window.opener && window.opener.postMessage) {
    window.opener.postMessage("authDone", "*");
}`
		if code != 200 || !strings.Contains(p, script) || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
			t.Fatalf("status %d: %s", code, p)
		}
	})

	t.Run("the session-only resubmit counts the stage", func(t *testing.T) {
		code, b := post(t, s, register, map[string]any{"auth": map[string]any{"session": sess}})
		expect(t, code, b, 401, `{"completed":["org.example.pretend"],"flows":`+flows+`,"params":{},"session":"`+sess+`"}`)
		code, b = post(t, s, register, map[string]any{"auth": map[string]any{"type": "m.login.dummy", "session": sess}})
		checkSuccess(t, code, b, "@fran:localhost")
	})

	t.Run("an unknown session answers a 400 page", func(t *testing.T) {
		code, h, b := call(t, s, "GET", "/_matrix/client/v3/auth/org.example.pretend/fallback/web?session=nope", nil)
		if code != 400 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
			t.Fatalf("status %d: %s", code, b)
		}
		code, _, b = call(t, s, "POST", "/_matrix/client/v3/auth/org.example.pretend/fallback/web", "session=nope")
		if code != 400 {
			t.Fatalf("POST: status %d: %s", code, b)
		}
	})

	t.Run("email has no fallback page", func(t *testing.T) {
		code, b := get(t, s, "/_matrix/client/v3/auth/m.login.email.identity/fallback/web?session="+sess)
		expect(t, code, b, 404, `{"errcode":"M_UNKNOWN","error":"Unknown auth stage type"}`)
	})

	t.Run("the registration token page wants a valid token", func(t *testing.T) {
		sess := startSession(t, s, map[string]any{"username": "gus", "password": "a long password"})
		page := "/_matrix/client/v3/auth/m.login.registration_token/fallback/web?session=" + sess
		code, b := get(t, s, page)
		if code != 200 || !strings.Contains(string(b), `id="token"`) {
			t.Fatalf("status %d: %s", code, b)
		}
		code, _, b = call(t, s, "POST", page, url.Values{"session": {sess}, "token": {"bad"}}.Encode())
		if code != 200 || !strings.Contains(string(b), "Invalid registration token") || strings.Contains(string(b), "authDone") {
			t.Fatalf("bad token: status %d: %s", code, b)
		}
		if c, _ := s.Completed(sess); len(c) != 0 {
			t.Fatalf("completed %v", c)
		}
		code, _, b = call(t, s, "POST", page, url.Values{"session": {sess}, "token": {"tok"}}.Encode())
		if code != 200 || !strings.Contains(string(b), "authDone") {
			t.Fatalf("good token: status %d: %s", code, b)
		}
		// The username was taken meanwhile: the flow is done, the name is
		// not (checked again at the end, as Synapse's register_user does).
		s.AddUser("gus", "password1")
		code, b = post(t, s, register, map[string]any{"auth": map[string]any{"session": sess}})
		expect(t, code, b, 400, `{"errcode":"M_USER_IN_USE","error":"User ID already taken."}`)
	})
}

func TestGuest(t *testing.T) {
	t.Run("guests are refused by default", func(t *testing.T) {
		s := Start(t, Config{})
		code, b := post(t, s, register+"?kind=guest", map[string]any{})
		// Synapse: SynapseError(403, "Guest access is disabled"), M_UNKNOWN.
		expect(t, code, b, 403, `{"errcode":"M_UNKNOWN","error":"Guest access is disabled"}`)
	})
	t.Run("an enabled guest registration answers at once", func(t *testing.T) {
		s := Start(t, Config{GuestsEnabled: true})
		code, b := post(t, s, register+"?kind=guest", map[string]any{"username": "ignored", "initial_device_display_name": "x"})
		m := decode(t, b)
		id, _ := m["user_id"].(string)
		if !regexp.MustCompile(`^@\d+:localhost$`).MatchString(id) {
			t.Fatalf("user_id %q", id)
		}
		checkSuccess(t, code, b, id)
	})
	t.Run("another kind is not understood", func(t *testing.T) {
		s := Start(t, Config{})
		code, b := post(t, s, register+"?kind=robot", map[string]any{})
		expect(t, code, b, 400, `{"errcode":"M_UNRECOGNIZED","error":"Do not understand membership kind: robot"}`)
	})
}

func TestRateLimit(t *testing.T) {
	s := Start(t, Config{RegistrationTokens: []string{"tok"}})

	t.Run("the next requests answer 429 with Retry-After and retry_after_ms", func(t *testing.T) {
		s.RateLimit(register, 2, 1500*time.Millisecond)
		for i := 0; i < 2; i++ {
			code, h, b := call(t, s, "POST", register, map[string]any{})
			expect(t, code, b, 429, `{"errcode":"M_LIMIT_EXCEEDED","error":"Too Many Requests","retry_after_ms":1500}`)
			if ra := h.Get("Retry-After"); ra != "2" {
				t.Fatalf("Retry-After %q", ra)
			}
			checkCORS(t, h)
		}
		code, b := post(t, s, register, map[string]any{})
		if code != 401 {
			t.Fatalf("third request: status %d: %s", code, b)
		}
		rs := s.RequestsTo("POST", register)
		if len(rs) != 3 || rs[0].Status != 429 || rs[2].Status != 401 {
			t.Fatalf("recorded %+v", rs)
		}
	})

	t.Run("the validity endpoint is rate-limited too, and answers valid", func(t *testing.T) {
		s.RateLimit(validity, 1, 3*time.Second)
		code, h, b := call(t, s, "GET", validity+"?token=tok", nil)
		expect(t, code, b, 429, `{"errcode":"M_LIMIT_EXCEEDED","error":"Too Many Requests","retry_after_ms":3000}`)
		if h.Get("Retry-After") != "3" {
			t.Fatalf("Retry-After %q", h.Get("Retry-After"))
		}
		code, b = get(t, s, validity+"?token=tok")
		expect(t, code, b, 200, `{"valid":true}`)
		code, b = get(t, s, validity+"?token=nope")
		expect(t, code, b, 200, `{"valid":false}`)
		code, b = get(t, s, validity)
		expect(t, code, b, 400, `{"errcode":"M_MISSING_PARAM","error":"Missing string query parameter 'token'"}`)
	})
}

func TestAvailability(t *testing.T) {
	s := Start(t, Config{})
	s.AddUser("bob", "password1")
	cases := []struct {
		name, username string
		code           int
		want           string
	}{
		{"a free name is available", "carol", 200, `{"available":true}`},
		{"a taken name is in use", "bob", 400, `{"errcode":"M_USER_IN_USE","error":"User ID already taken."}`},
		{"a name outside the grammar is invalid", "bad name", 400, `{"errcode":"M_INVALID_USERNAME","error":"User ID can only contain characters a-z, 0-9, or '=_-./+'"}`},
		{"upper case is invalid", "Carol", 400, `{"errcode":"M_INVALID_USERNAME","error":"User ID can only contain characters a-z, 0-9, or '=_-./+'"}`},
		{"a too long ID is invalid", strings.Repeat("a", 250), 400, `{"errcode":"M_INVALID_USERNAME","error":"User ID may not be longer than 255 characters"}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, b := get(t, s, "/_matrix/client/v3/register/available?username="+url.QueryEscape(c.username))
			expect(t, code, b, c.code, c.want)
		})
	}
	t.Run("availability reserves nothing", func(t *testing.T) {
		if u := s.Users(); !slices.Equal(u, []string{"@bob:localhost"}) {
			t.Fatalf("users %v", u)
		}
	})
	t.Run("a missing username is a missing param", func(t *testing.T) {
		code, b := get(t, s, "/_matrix/client/v3/register/available")
		expect(t, code, b, 400, `{"errcode":"M_MISSING_PARAM","error":"Missing string query parameter 'username'"}`)
	})
}

func TestChangedBody(t *testing.T) {
	s := Start(t, Config{Flows: [][]string{{"m.login.terms", "m.login.dummy"}}})
	body := map[string]any{"username": "dana", "password": "password one"}
	sess := startSession(t, s, body)
	changedErr := `{"errcode":"M_FORBIDDEN","error":"Requested operation has changed during the UI authentication session."}`

	t.Run("another username answers 403", func(t *testing.T) {
		code, b := post(t, s, register, map[string]any{"username": "mallory", "password": "password one", "auth": map[string]any{"type": "m.login.terms", "session": sess}})
		expect(t, code, b, 403, changedErr)
	})
	t.Run("another password answers 403", func(t *testing.T) {
		code, b := post(t, s, register, map[string]any{"username": "dana", "password": "password two", "auth": map[string]any{"type": "m.login.terms", "session": sess}})
		expect(t, code, b, 403, changedErr)
	})
	t.Run("the rejected requests completed nothing", func(t *testing.T) {
		if c, ok := s.Completed(sess); !ok || len(c) != 0 {
			t.Fatalf("completed %v %v", c, ok)
		}
	})
	t.Run("omitting them keeps the first ones", func(t *testing.T) {
		code, b := post(t, s, register, map[string]any{"auth": map[string]any{"type": "m.login.terms", "session": sess}})
		if code != 401 {
			t.Fatalf("status %d: %s", code, b)
		}
		code, b = post(t, s, register, map[string]any{"auth": map[string]any{"type": "m.login.dummy", "session": sess}})
		checkSuccess(t, code, b, "@dana:localhost")
	})
	t.Run("the password is the first one", func(t *testing.T) {
		code, b := post(t, s, "/_matrix/client/v3/login", map[string]any{"type": "m.login.password", "identifier": map[string]any{"type": "m.id.user", "user": "dana"}, "password": "password one"})
		checkSuccess(t, code, b, "@dana:localhost")
	})
}

func TestEndOfFlowChecks(t *testing.T) {
	s := Start(t, Config{})
	s.AddUser("alice", "password1")

	t.Run("a taken username is reported on the first request, before any stage", func(t *testing.T) {
		before := len(s.Sessions())
		code, b := post(t, s, register, map[string]any{"username": "Alice", "password": "a long password"})
		expect(t, code, b, 400, `{"errcode":"M_USER_IN_USE","error":"User ID already taken."}`)
		if n := len(s.Sessions()); n != before {
			t.Fatalf("the refused request started a session (%d, was %d)", n, before)
		}
	})

	t.Run("a name taken during the flow is reported once the flow is done", func(t *testing.T) {
		body := map[string]any{"username": "zoe", "password": "a long password"}
		sess := startSession(t, s, body)
		s.AddUser("zoe", "password1")
		code, b := post(t, s, register, map[string]any{"auth": map[string]any{"type": "m.login.dummy", "session": sess}})
		expect(t, code, b, 400, `{"errcode":"M_USER_IN_USE","error":"User ID already taken."}`)
		if c, ok := s.Completed(sess); !ok || !slices.Equal(c, []string{"m.login.dummy"}) {
			t.Fatalf("session after the error: %v %v", c, ok)
		}
	})

	t.Run("an invalid username", func(t *testing.T) {
		body := map[string]any{"username": "not valid", "password": "a long password"}
		code, b := post(t, s, register, withAuth(body, map[string]any{"type": "m.login.dummy"}))
		expect(t, code, b, 400, `{"errcode":"M_INVALID_USERNAME","error":"User ID can only contain characters a-z, 0-9, or '=_-./+'"}`)
	})

	t.Run("a weak password", func(t *testing.T) {
		body := map[string]any{"username": "erin", "password": "short"}
		code, b := post(t, s, register, withAuth(body, map[string]any{"type": "m.login.dummy"}))
		expect(t, code, b, 400, `{"errcode":"M_WEAK_PASSWORD","error":"The password must be at least 8 characters long"}`)
	})

	t.Run("a missing password", func(t *testing.T) {
		body := map[string]any{"username": "erin"}
		code, b := post(t, s, register, withAuth(body, map[string]any{"type": "m.login.dummy"}))
		expect(t, code, b, 400, `{"errcode":"M_MISSING_PARAM","error":"Missing params: password"}`)
	})

	t.Run("a stage without session starts one and can finish at once; the name is lowercased", func(t *testing.T) {
		body := map[string]any{"username": "Erin", "password": "a long password"}
		code, b := post(t, s, register, withAuth(body, map[string]any{"type": "m.login.dummy"}))
		checkSuccess(t, code, b, "@erin:localhost")
	})

	t.Run("no username gets a generated one", func(t *testing.T) {
		body := map[string]any{"password": "a long password"}
		code, b := post(t, s, register, withAuth(body, map[string]any{"type": "m.login.dummy"}))
		id, _ := decode(t, b)["user_id"].(string)
		if !regexp.MustCompile(`^@\d+:localhost$`).MatchString(id) {
			t.Fatalf("user_id %q", id)
		}
		checkSuccess(t, code, b, id)
	})

	t.Run("inhibit_login answers the user_id only, device_id is honoured otherwise", func(t *testing.T) {
		body := map[string]any{"username": "frank", "password": "a long password", "inhibit_login": true}
		code, b := post(t, s, register, withAuth(body, map[string]any{"type": "m.login.dummy"}))
		expect(t, code, b, 200, `{"user_id":"@frank:localhost","home_server":"localhost"}`)
		body = map[string]any{"username": "gina", "password": "a long password", "device_id": "MYDEVICE"}
		code, b = post(t, s, register, withAuth(body, map[string]any{"type": "m.login.dummy"}))
		if m := checkSuccess(t, code, b, "@gina:localhost"); m["device_id"] != "MYDEVICE" {
			t.Fatalf("device_id %v", m["device_id"])
		}
	})
}

func TestLogin(t *testing.T) {
	s := Start(t, Config{})
	body := map[string]any{"username": "henry", "password": "a long password"}
	code, b := post(t, s, register, withAuth(body, map[string]any{"type": "m.login.dummy"}))
	checkSuccess(t, code, b, "@henry:localhost")
	login := func(user, password string) (int, []byte) {
		return post(t, s, "/_matrix/client/v3/login", map[string]any{
			"type":       "m.login.password",
			"identifier": map[string]any{"type": "m.id.user", "user": user},
			"password":   password,
		})
	}

	t.Run("GET login offers m.login.password", func(t *testing.T) {
		code, b := get(t, s, "/_matrix/client/v3/login")
		expect(t, code, b, 200, `{"flows":[{"type":"m.login.password"}]}`)
	})
	t.Run("the registered account logs in by localpart or user ID", func(t *testing.T) {
		code, b := login("henry", "a long password")
		checkSuccess(t, code, b, "@henry:localhost")
		code, b = login("@henry:localhost", "a long password")
		checkSuccess(t, code, b, "@henry:localhost")
	})
	t.Run("a wrong password or user answers 403 M_FORBIDDEN", func(t *testing.T) {
		code, b := login("henry", "wrong password")
		expect(t, code, b, 403, `{"errcode":"M_FORBIDDEN","error":"Invalid username or password"}`)
		code, b = login("nobody", "a long password")
		expect(t, code, b, 403, `{"errcode":"M_FORBIDDEN","error":"Invalid username or password"}`)
	})
}

func TestSessions(t *testing.T) {
	s := Start(t, Config{Flows: [][]string{{"m.login.terms", "m.login.dummy"}}})
	body := map[string]any{"username": "ida", "password": "a long password"}
	// Once ida exists, the later cases (whose point is not the name) send
	// none: a taken name would be refused before the session.
	noName := map[string]any{"password": "a long password"}

	t.Run("an expired session answers 400 M_UNKNOWN", func(t *testing.T) {
		sess := startSession(t, s, body)
		s.ExpireSessions()
		code, b := post(t, s, register, withAuth(body, map[string]any{"type": "m.login.terms", "session": sess}))
		expect(t, code, b, 400, `{"errcode":"M_UNKNOWN","error":"Unknown session ID: `+sess+`"}`)
		code, _, b = call(t, s, "GET", "/_matrix/client/v3/auth/m.login.terms/fallback/web?session="+sess, nil)
		if code != 400 {
			t.Fatalf("fallback: status %d: %s", code, b)
		}
	})

	t.Run("stages in any order complete, and a retried stage is harmless", func(t *testing.T) {
		sess := startSession(t, s, body)
		code, b := post(t, s, register, withAuth(body, map[string]any{"type": "m.login.dummy", "session": sess}))
		expect(t, code, b, 401, `{"completed":["m.login.dummy"],"flows":[{"stages":["m.login.terms","m.login.dummy"]}],"params":{},"session":"`+sess+`"}`)
		code, b = post(t, s, register, withAuth(body, map[string]any{"type": "m.login.dummy", "session": sess}))
		expect(t, code, b, 401, `{"completed":["m.login.dummy"],"flows":[{"stages":["m.login.terms","m.login.dummy"]}],"params":{},"session":"`+sess+`"}`)
		code, b = post(t, s, register, withAuth(body, map[string]any{"type": "m.login.terms", "session": sess}))
		checkSuccess(t, code, b, "@ida:localhost")
	})

	t.Run("a type the server does not check answers Synapse's plain 400 of its /login checks", func(t *testing.T) {
		sess := startSession(t, s, noName)
		code, b := post(t, s, register, withAuth(noName, map[string]any{"type": "m.login.bogus", "session": sess}))
		expect(t, code, b, 400, `{"errcode":"M_INVALID_PARAM","error":"Invalid login submission"}`)
	})

	t.Run("an empty session starts a new one, as in Synapse", func(t *testing.T) {
		code, b := post(t, s, register, withAuth(noName, map[string]any{"session": ""}))
		if code != 401 || decode(t, b)["session"] == "" {
			t.Fatalf("status %d: %s", code, b)
		}
	})

	t.Run("SetFlows changes the next 401", func(t *testing.T) {
		s.SetFlows([][]string{{"m.login.recaptcha"}})
		defer s.SetFlows([][]string{{"m.login.terms", "m.login.dummy"}})
		sess := startSession(t, s, noName)
		code, b := post(t, s, register, map[string]any{"auth": map[string]any{"session": sess}})
		expect(t, code, b, 401, `{"completed":[],"flows":[{"stages":["m.login.recaptcha"]}],"params":{},"session":"`+sess+`"}`)
	})
}

func TestRecaptcha(t *testing.T) {
	s := Start(t, Config{
		Flows:  [][]string{{"m.login.recaptcha"}},
		Params: map[string]any{"m.login.recaptcha": map[string]any{"public_key": "pk"}},
	})
	body := map[string]any{"username": "jack", "password": "a long password"}
	sess := startSession(t, s, body)
	uia := func(errPart string) string {
		return `{` + errPart + `"completed":[],"flows":[{"stages":["m.login.recaptcha"]}],"params":{"m.login.recaptcha":{"public_key":"pk"}},"session":"` + sess + `"}`
	}
	code, b := post(t, s, register, withAuth(body, map[string]any{"type": "m.login.recaptcha", "session": sess}))
	expect(t, code, b, 401, uia(`"errcode":"M_CAPTCHA_NEEDED","error":"Captcha response is required",`))
	code, b = post(t, s, register, withAuth(body, map[string]any{"type": "m.login.recaptcha", "response": "nope", "session": sess}))
	expect(t, code, b, 401, uia(`"errcode":"M_UNAUTHORIZED","error":"Captcha authentication failed",`))
	code, b = post(t, s, register, withAuth(body, map[string]any{"type": "m.login.recaptcha", "response": "valid-captcha", "session": sess}))
	checkSuccess(t, code, b, "@jack:localhost")
}

func TestServerModes(t *testing.T) {
	t.Run("registration disabled", func(t *testing.T) {
		s := Start(t, Config{RegistrationDisabled: true})
		for _, c := range []struct {
			method, path string
			body         any
		}{
			{"POST", register, map[string]any{}},
			{"GET", "/_matrix/client/v3/register/available?username=x", nil},
			{"GET", validity + "?token=x", nil},
		} {
			code, _, b := call(t, s, c.method, c.path, c.body)
			expect(t, code, b, 403, `{"errcode":"M_FORBIDDEN","error":"Registration has been disabled"}`)
		}
	})

	t.Run("an OAuth-delegated server", func(t *testing.T) {
		md := map[string]any{"issuer": "https://auth.example.org/", "prompt_values_supported": []any{"create"}}
		s := Start(t, Config{AuthMetadata: md, WellKnown: map[string]any{"m.homeserver": map[string]any{"base_url": "https://matrix.example.org"}}})
		code, b := get(t, s, "/_matrix/client/v1/auth_metadata")
		expect(t, code, b, 200, `{"issuer":"https://auth.example.org/","prompt_values_supported":["create"]}`)
		code, b = get(t, s, "/_matrix/client/v3/login")
		expect(t, code, b, 200, `{"flows":[{"type":"m.login.sso","oauth_aware_preferred":true},{"type":"m.login.token"}]}`)
		code, b = get(t, s, "/.well-known/matrix/client")
		expect(t, code, b, 200, `{"m.homeserver":{"base_url":"https://matrix.example.org"}}`)
	})
}

func TestNewWithoutStart(t *testing.T) {
	t.Run("links use the request host when URL is empty", func(t *testing.T) {
		s := New(Config{})
		req, _ := http.NewRequest("POST", "http://hs.test:8008"+msisdnTok, strings.NewReader(`{"client_secret":"a","country":"US","phone_number":"2025550123","send_attempt":1}`))
		rec := &responseRecorder{header: http.Header{}}
		s.ServeHTTP(rec, req)
		m := map[string]any{}
		if err := json.Unmarshal(rec.body.Bytes(), &m); err != nil || rec.code != 200 {
			t.Fatalf("status %d: %s", rec.code, rec.body.String())
		}
		if m["submit_url"] != "http://hs.test:8008/_test/submit_msisdn_token" {
			t.Fatalf("submit_url %v", m["submit_url"])
		}
	})
}

type responseRecorder struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (r *responseRecorder) Header() http.Header { return r.header }
func (r *responseRecorder) WriteHeader(c int)   { r.code = c }
func (r *responseRecorder) Write(p []byte) (int, error) {
	if r.code == 0 {
		r.code = 200
	}
	return r.body.Write(p)
}

func TestBounds(t *testing.T) {
	s := New(Config{})
	t.Run("recordings keep the newest ones", func(t *testing.T) {
		for i := 0; i < maxRecorded+5; i++ {
			s.record(Request{Path: fmt.Sprint(i)})
		}
		rs := s.Requests()
		if len(rs) != maxRecorded || rs[0].Path != "5" {
			t.Fatalf("%d requests, first %q", len(rs), rs[0].Path)
		}
	})
	t.Run("sessions are capped", func(t *testing.T) {
		s.mu.Lock()
		first := s.newSession(opRegister).id
		for i := 0; i < maxSessions; i++ {
			s.newSession(opRegister)
		}
		n, gone := len(s.sessions), s.sessions[first] == nil
		s.mu.Unlock()
		if n != maxSessions || !gone {
			t.Fatalf("%d sessions, oldest gone %v", n, gone)
		}
	})
}
