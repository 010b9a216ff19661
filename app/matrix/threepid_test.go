package matrix_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"
	"time"

	"signup/app/matrix"
	"signup/internal/nethttp"
)

// bodyFields decodes a recorded JSON request body into a generic object.
func bodyFields(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("request body %q is not a JSON object: %v", b, err)
	}
	return m
}

// isResponseError reports whether err is a *matrix.ResponseError that also
// matches ErrBadResponse.
func isResponseError(err error) bool {
	var re *matrix.ResponseError
	return errors.As(err, &re) && errors.Is(err, matrix.ErrBadResponse)
}

// countingDoer answers every request with a success and counts them.
type countingDoer struct{ n int }

func (d *countingDoer) Do(context.Context, *matrix.Request) (*matrix.Response, error) {
	d.n++
	return &matrix.Response{Status: 200, Header: matrix.Header{}, Body: []byte(`{"success":true}`)}, nil
}

func TestRequestEmailToken(t *testing.T) {
	t.Run("the request carries exactly the spec's fields and the sid comes back", func(t *testing.T) {
		rec := &recorder{}
		c, _ := newClient(t, rec.wrap(respond(200, `{"sid":"123abc"}`)))
		resp, err := c.RequestEmailToken(ctx, &matrix.RequestTokenRequest{
			ClientSecret: "monkeys_are_GREAT",
			Email:        "alice@example.org",
			SendAttempt:  1,
			NextLink:     "https://example.org/congratulations.html",
		})
		if err != nil {
			t.Fatal(err)
		}
		if resp.SID != "123abc" || resp.SubmitURL != "" {
			t.Errorf("got %+v", resp)
		}
		got := rec.last(t)
		if got.Method != "POST" || got.Path != "/_matrix/client/v3/register/email/requestToken" {
			t.Errorf("got %s %s", got.Method, got.Path)
		}
		want := map[string]any{
			"client_secret": "monkeys_are_GREAT",
			"email":         "alice@example.org",
			"send_attempt":  float64(1),
			"next_link":     "https://example.org/congratulations.html",
		}
		if fields := bodyFields(t, got.Body); !reflect.DeepEqual(fields, want) {
			t.Errorf("body %s, want the fields %v", got.Body, want)
		}
	})

	t.Run("without a next_link the field is left out", func(t *testing.T) {
		rec := &recorder{}
		c, _ := newClient(t, rec.wrap(respond(200, `{"sid":"123abc"}`)))
		if _, err := c.RequestEmailToken(ctx, &matrix.RequestTokenRequest{ClientSecret: "s3cret", Email: "a@example.org", SendAttempt: 2}); err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"client_secret": "s3cret", "email": "a@example.org", "send_attempt": float64(2)}
		if fields := bodyFields(t, rec.last(t).Body); !reflect.DeepEqual(fields, want) {
			t.Errorf("got %v, want %v", fields, want)
		}
	})

	t.Run("an answer without sid is a bad response", func(t *testing.T) {
		for _, body := range []string{`{}`, `{"sid":""}`, `{"submit_url":"https://id.example.org/submit"}`} {
			c, _ := newClient(t, respond(200, body))
			resp, err := c.RequestEmailToken(ctx, &matrix.RequestTokenRequest{ClientSecret: "s", Email: "a@example.org", SendAttempt: 1})
			if !isResponseError(err) || resp != nil {
				t.Errorf("%s: got %+v, %v", body, resp, err)
			}
		}
	})

	t.Run("a submit_url that is not a web URL is a bad response", func(t *testing.T) {
		for _, u := range []string{"javascript:alert(document.cookie)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox", "/relative/submit"} {
			body, _ := json.Marshal(map[string]string{"sid": "123abc", "submit_url": u})
			c, _ := newClient(t, respond(200, string(body)))
			resp, err := c.RequestEmailToken(ctx, &matrix.RequestTokenRequest{ClientSecret: "s", Email: "a@example.org", SendAttempt: 1})
			if !isResponseError(err) || resp != nil {
				t.Errorf("%s: got %+v, %v", u, resp, err)
			}
		}
	})

	for _, tc := range []struct {
		name   string
		status int
		code   string
	}{
		{"an address already in use is M_THREEPID_IN_USE", 400, matrix.CodeThreepidInUse},
		{"a domain the server refuses is M_THREEPID_DENIED", 403, matrix.CodeThreepidDenied},
		{"an untrusted identity server is M_SERVER_NOT_TRUSTED", 400, matrix.CodeServerNotTrust},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body, _ := json.Marshal(map[string]string{"errcode": tc.code, "error": "nope"})
			c, _ := newClient(t, respond(tc.status, string(body)))
			_, err := c.RequestEmailToken(ctx, &matrix.RequestTokenRequest{ClientSecret: "s", Email: "a@example.org", SendAttempt: 1})
			if !errors.Is(err, &matrix.Error{Code: tc.code}) {
				t.Fatalf("got %v", err)
			}
			var me *matrix.Error
			if !errors.As(err, &me) || me.Status != tc.status {
				t.Errorf("got %#v", err)
			}
			if errors.Is(err, &matrix.Error{Code: matrix.CodeForbidden}) {
				t.Errorf("%v matches another errcode", err)
			}
		})
	}
}

func TestRequestMSISDNToken(t *testing.T) {
	t.Run("the request carries country, phone number and attempt, and the submit_url comes back", func(t *testing.T) {
		rec := &recorder{}
		c, _ := newClient(t, rec.wrap(respond(200, `{"sid":"123abc","submit_url":"https://example.org/path/to/submitToken"}`)))
		resp, err := c.RequestMSISDNToken(ctx, &matrix.RequestTokenRequest{
			ClientSecret: "monkeys_are_GREAT",
			Country:      "GB",
			PhoneNumber:  "07700900001",
			SendAttempt:  1,
		})
		if err != nil {
			t.Fatal(err)
		}
		if resp.SID != "123abc" || resp.SubmitURL != "https://example.org/path/to/submitToken" {
			t.Errorf("got %+v", resp)
		}
		got := rec.last(t)
		if got.Method != "POST" || got.Path != "/_matrix/client/v3/register/msisdn/requestToken" {
			t.Errorf("got %s %s", got.Method, got.Path)
		}
		want := map[string]any{
			"client_secret": "monkeys_are_GREAT",
			"country":       "GB",
			"phone_number":  "07700900001",
			"send_attempt":  float64(1),
		}
		if fields := bodyFields(t, got.Body); !reflect.DeepEqual(fields, want) {
			t.Errorf("body %s, want the fields %v", got.Body, want)
		}
	})

	t.Run("a submit_url with credentials in it is refused", func(t *testing.T) {
		c, _ := newClient(t, respond(200, `{"sid":"1","submit_url":"https://user:pass@example.org/submit"}`))
		if resp, err := c.RequestMSISDNToken(ctx, &matrix.RequestTokenRequest{ClientSecret: "s", Country: "GB", PhoneNumber: "1", SendAttempt: 1}); !isResponseError(err) {
			t.Fatalf("got %+v, %v", resp, err)
		}
	})
}

func TestSubmitToken(t *testing.T) {
	t.Run("the code goes to the submit_url, not the homeserver, and success is read", func(t *testing.T) {
		hsRec, subRec := &recorder{}, &recorder{}
		hs := httptest.NewServer(hsRec.wrap(respond(500, `{"errcode":"M_UNKNOWN"}`)))
		defer hs.Close()
		sub := httptest.NewServer(subRec.wrap(respond(200, `{"success":true}`)))
		defer sub.Close()

		c := matrix.NewClient(hs.URL, nethttp.Doer{})
		ok, err := c.SubmitToken(ctx, sub.URL+"/_matrix/identity/v2/validate/msisdn/submitToken", "123abc", "monkeys_are_GREAT", "123456")
		if err != nil || !ok {
			t.Fatalf("got %v, %v", ok, err)
		}
		if len(hsRec.reqs) != 0 {
			t.Errorf("the homeserver saw %d requests", len(hsRec.reqs))
		}
		got := subRec.last(t)
		if got.Method != "POST" || got.Path != "/_matrix/identity/v2/validate/msisdn/submitToken" {
			t.Errorf("got %s %s", got.Method, got.Path)
		}
		want := map[string]any{"sid": "123abc", "client_secret": "monkeys_are_GREAT", "token": "123456"}
		if fields := bodyFields(t, got.Body); !reflect.DeepEqual(fields, want) {
			t.Errorf("body %s, want the fields %v", got.Body, want)
		}
	})

	t.Run("a wrong code reads as no success without an error", func(t *testing.T) {
		c, srv := newClient(t, respond(200, `{"success":false}`))
		ok, err := c.SubmitToken(ctx, srv.URL+"/submit", "sid", "secret", "000000")
		if err != nil || ok {
			t.Fatalf("got %v, %v", ok, err)
		}
	})

	t.Run("an error from the submit_url is a Matrix error", func(t *testing.T) {
		c, srv := newClient(t, respond(400, `{"errcode":"M_INVALID_PARAM","error":"bad token"}`))
		_, err := c.SubmitToken(ctx, srv.URL+"/submit", "sid", "secret", "x")
		if !errors.Is(err, &matrix.Error{Code: matrix.CodeInvalidParam}) {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("a non-http(s) submit URL is refused without sending anything", func(t *testing.T) {
		for _, u := range []string{"javascript:alert(1)", "data:text/plain,x", "ftp://example.org/submit", "/submit", "", "https://user@example.org/submit"} {
			d := &countingDoer{}
			c := matrix.NewClient("https://hs.example.org", d)
			ok, err := c.SubmitToken(ctx, u, "sid", "secret", "123456")
			if ok || !isResponseError(err) {
				t.Errorf("%q: got %v, %v", u, ok, err)
			}
			if d.n != 0 {
				t.Errorf("%q: %d requests sent", u, d.n)
			}
		}
	})
}

func TestTokenValidity(t *testing.T) {
	const path = "/_matrix/client/v1/register/m.login.registration_token/validity"

	t.Run("a valid token is valid and the check is supported", func(t *testing.T) {
		rec := &recorder{}
		c, _ := newClient(t, rec.wrap(respond(200, `{"valid":true}`)))
		valid, supported, err := c.TokenValidity(ctx, "fBVFdqVE &x")
		if err != nil || !valid || !supported {
			t.Fatalf("got %v, %v, %v", valid, supported, err)
		}
		got := rec.last(t)
		if got.Method != "GET" || got.Path != path || got.RawQuery != "token=fBVFdqVE+%26x" {
			t.Errorf("got %s %s?%s", got.Method, got.Path, got.RawQuery)
		}
	})

	t.Run("an invalid token is invalid and the check is supported", func(t *testing.T) {
		c, _ := newClient(t, respond(200, `{"valid":false}`))
		valid, supported, err := c.TokenValidity(ctx, "nope")
		if err != nil || valid || !supported {
			t.Fatalf("got %v, %v, %v", valid, supported, err)
		}
	})

	t.Run("M_UNRECOGNIZED means the check is not offered, without error", func(t *testing.T) {
		c, _ := newClient(t, respond(404, `{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}`))
		valid, supported, err := c.TokenValidity(ctx, "tok")
		if err != nil || valid || supported {
			t.Fatalf("got %v, %v, %v", valid, supported, err)
		}
	})

	t.Run("a plain HTML 404 means the check is not offered", func(t *testing.T) {
		c, _ := newClient(t, respond(404, "<html><body>Not Found</body></html>", "Content-Type", "text/html"))
		valid, supported, err := c.TokenValidity(ctx, "tok")
		if err != nil || valid || supported {
			t.Fatalf("got %v, %v, %v", valid, supported, err)
		}
	})

	t.Run("a rate limit is an error that says how long to wait", func(t *testing.T) {
		c, _ := newClient(t, respond(429, `{"errcode":"M_LIMIT_EXCEEDED","error":"Too many requests","retry_after_ms":2000}`))
		valid, _, err := c.TokenValidity(ctx, "tok")
		if err == nil || valid {
			t.Fatalf("got %v, %v", valid, err)
		}
		if d, ok := matrix.RetryAfter(err); !ok || d != 2*time.Second {
			t.Errorf("RetryAfter = %v, %v", d, ok)
		}
	})

	t.Run("a rate limit without JSON still waits as the Retry-After header says", func(t *testing.T) {
		c, _ := newClient(t, respond(429, "slow down", "Content-Type", "text/plain", "Retry-After", "30"))
		_, _, err := c.TokenValidity(ctx, "tok")
		if !errors.Is(err, matrix.ErrLimitExceeded) {
			t.Fatalf("got %v", err)
		}
		if d, ok := matrix.RetryAfter(err); !ok || d != 30*time.Second {
			t.Errorf("RetryAfter = %v, %v", d, ok)
		}
	})

	t.Run("an answer without valid is a bad response", func(t *testing.T) {
		c, _ := newClient(t, respond(200, `{}`))
		if _, _, err := c.TokenValidity(ctx, "tok"); !isResponseError(err) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestGetAuthMetadata(t *testing.T) {
	t.Run("a server with an issuer and account management delegates sign-up to the account page", func(t *testing.T) {
		rec := &recorder{}
		c, _ := newClient(t, rec.wrap(respond(200, `{
			"issuer": "https://account.example.com/",
			"authorization_endpoint": "https://account.example.com/oauth2/auth",
			"account_management_uri": "https://account.example.com/manage",
			"prompt_values_supported": ["create"]
		}`)))
		md, delegated, err := c.GetAuthMetadata(ctx, matrix.AuthUnknown)
		if err != nil || !delegated || md == nil {
			t.Fatalf("got %+v, %v, %v", md, delegated, err)
		}
		if got := md.SignUpURL(); got != "https://account.example.com/manage" {
			t.Errorf("SignUpURL = %q", got)
		}
		if md.Issuer != "https://account.example.com/" || md.AuthorizationEndpoint != "https://account.example.com/oauth2/auth" {
			t.Errorf("got %+v", md)
		}
		if got := rec.last(t); got.Method != "GET" || got.Path != "/_matrix/client/v1/auth_metadata" {
			t.Errorf("got %s %s", got.Method, got.Path)
		}
	})

	t.Run("without account management the issuer is where to sign up", func(t *testing.T) {
		c, _ := newClient(t, respond(200, `{"issuer":"https://account.example.com/","authorization_endpoint":"https://account.example.com/oauth2/auth"}`))
		md, delegated, err := c.GetAuthMetadata(ctx, matrix.AuthUnknown)
		if err != nil || !delegated || md.SignUpURL() != "https://account.example.com/" {
			t.Fatalf("got %+v, %v, %v", md, delegated, err)
		}
	})

	t.Run("a javascript account management URI falls back to the issuer", func(t *testing.T) {
		c, _ := newClient(t, respond(200, `{"issuer":"https://account.example.com/","account_management_uri":"javascript:alert(1)"}`))
		md, delegated, err := c.GetAuthMetadata(ctx, matrix.AuthUnknown)
		if err != nil || !delegated || md.SignUpURL() != "https://account.example.com/" {
			t.Fatalf("got %+v, %v, %v", md, delegated, err)
		}
	})

	t.Run("a 404 means the server does not delegate", func(t *testing.T) {
		for _, h := range []http.HandlerFunc{
			respond(404, `{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}`),
			respond(404, "<html>Not Found</html>", "Content-Type", "text/html"),
			respond(400, `{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}`),
		} {
			c, _ := newClient(t, h)
			md, delegated, err := c.GetAuthMetadata(ctx, matrix.AuthUnknown)
			if err != nil || delegated || md != nil {
				t.Errorf("got %+v, %v, %v", md, delegated, err)
			}
		}
	})

	t.Run("a javascript issuer is an error, never a link", func(t *testing.T) {
		c, _ := newClient(t, respond(200, `{"issuer":"javascript:alert(document.cookie)","authorization_endpoint":"https://account.example.com/oauth2/auth"}`))
		md, delegated, err := c.GetAuthMetadata(ctx, matrix.AuthUnknown)
		if !isResponseError(err) || delegated || md != nil {
			t.Fatalf("got %+v, %v, %v", md, delegated, err)
		}
	})

	t.Run("a server error is reported, not taken for no delegation", func(t *testing.T) {
		c, _ := newClient(t, respond(500, `{"errcode":"M_UNKNOWN","error":"oops"}`))
		if _, delegated, err := c.GetAuthMetadata(ctx, matrix.AuthUnknown); err == nil || delegated {
			t.Fatalf("got %v, %v", delegated, err)
		}
	})
}

func TestIsWebURL(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"https://example.org", true},
		{"http://127.0.0.1:8008/path?q=1#f", true},
		{"https://host:8448/path", true},
		{"javascript:alert(1)", false},
		{"JavaScript:alert(1)", false},
		{"data:text/html,<script>alert(1)</script>", false},
		{"vbscript:msgbox(1)", false},
		{"http://user@host", false},
		{"https://user:pass@host/", false},
		{"/relative/path", false},
		{"//host/path", false},
		{"relative", false},
		{"ftp://example.org/file", false},
		{"https://", false},
		{"", false},
	} {
		t.Run("IsWebURL of "+tc.in+" is as expected", func(t *testing.T) {
			if got := matrix.IsWebURL(tc.in); got != tc.want {
				t.Errorf("IsWebURL(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestOrigin(t *testing.T) {
	for _, tc := range []struct {
		in, want string
	}{
		{"https://host:8448/path", "https://host:8448"},
		{"https://example.org/", "https://example.org"},
		{"http://127.0.0.1:8008/_matrix/client?x=1#y", "http://127.0.0.1:8008"},
		// As in browsers, credentials are not part of the origin.
		{"http://user@host", "http://host"},
		{"javascript:alert(1)", ""},
		{"data:text/html,x", ""},
		{"vbscript:msgbox(1)", ""},
		{"/relative/path", ""},
		{"//host/path", ""},
		{"ftp://example.org", ""},
		{"", ""},
	} {
		t.Run("Origin of "+tc.in+" is as expected", func(t *testing.T) {
			if got := matrix.Origin(tc.in); got != tc.want {
				t.Errorf("Origin(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestServerName(t *testing.T) {
	t.Run("the server name comes from the signing-key endpoint", func(t *testing.T) {
		rec := &recorder{}
		srv := httptest.NewServer(rec.wrap(respond(200, `{
			"server_name": "localhost",
			"valid_until_ts": 1652262000000,
			"verify_keys": {"ed25519:abc123": {"key": "VGhpcyBzaG91bGQgYmUgYSByZWFsIGVkMjU1MTkgcGF5bG9hZA"}},
			"old_verify_keys": {},
			"signatures": {"localhost": {"ed25519:abc123": "VGhpcyBzaG91bGQgYWN0dWFsbHkgYmUgYSBzaWduYXR1cmU"}}
		}`)))
		defer srv.Close()
		name, err := matrix.ServerName(ctx, nethttp.Doer{}, srv.URL)
		if err != nil || name != "localhost" {
			t.Fatalf("got %q, %v", name, err)
		}
		if got := rec.last(t); got.Method != "GET" || got.Path != "/_matrix/key/v2/server" {
			t.Errorf("got %s %s", got.Method, got.Path)
		}
	})

	t.Run("a missing or invalid server name is refused", func(t *testing.T) {
		for _, body := range []string{
			`{}`,
			`{"server_name":""}`,
			`{"server_name":"evil.example/path"}`,
			`{"server_name":"@alice:example.org"}`,
			`{"server_name":"two words"}`,
			`{"server_name":42}`,
		} {
			srv := httptest.NewServer(respond(200, body))
			name, err := matrix.ServerName(ctx, nethttp.Doer{}, srv.URL)
			srv.Close()
			if !isResponseError(err) || name != "" {
				t.Errorf("%s: got %q, %v", body, name, err)
			}
		}
	})

	t.Run("a server without the endpoint is an error", func(t *testing.T) {
		srv := httptest.NewServer(respond(404, `{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}`))
		defer srv.Close()
		if name, err := matrix.ServerName(ctx, nethttp.Doer{}, srv.URL); err == nil {
			t.Fatalf("got %q", name)
		}
	})
}
