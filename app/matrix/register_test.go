package matrix_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"signup/app/matrix"
	"signup/internal/nethttp"
)

var ctx = context.Background()

func TestRegisterSuccess(t *testing.T) {
	t.Run("a 200 returns the user_id the server chose, even when it differs from the username", func(t *testing.T) {
		c, _ := newClient(t, respond(200, fixture(t, "register_200.json")))
		resp, err := c.Register(ctx, matrix.KindUser, &matrix.RegisterRequest{Username: "monkey", Password: "ilovebananas"})
		if err != nil {
			t.Fatal(err)
		}
		if resp.UserID != "@cheeky_monkey:matrix.org" || resp.AccessToken != "abc123" || resp.DeviceID != "GHTYAJCE" {
			t.Errorf("got %+v", resp)
		}
	})

	t.Run("the request body has the spec's field names and nothing unset", func(t *testing.T) {
		rec := &recorder{}
		c, _ := newClient(t, rec.wrap(respond(200, fixture(t, "register_200.json"))))
		_, err := c.Register(ctx, matrix.KindGuest, &matrix.RegisterRequest{
			Auth:                     &matrix.AuthDict{Type: matrix.AuthDummy, Session: "xxxxxx"},
			Username:                 "cheeky_monkey",
			Password:                 "ilovebananas",
			InitialDeviceDisplayName: "Jungle Phone",
		})
		if err != nil {
			t.Fatal(err)
		}
		got := rec.last(t)
		if got.Method != "POST" || got.Path != "/_matrix/client/v3/register" || got.RawQuery != "kind=guest" {
			t.Errorf("got %s %s?%s", got.Method, got.Path, got.RawQuery)
		}
		want := `{"auth":{"type":"m.login.dummy","session":"xxxxxx"},"username":"cheeky_monkey","password":"ilovebananas","initial_device_display_name":"Jungle Phone"}`
		if string(got.Body) != want {
			t.Errorf("body\n got %s\nwant %s", got.Body, want)
		}
		if ct := got.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type %q", ct)
		}
		if a := got.Header.Get("Accept"); a != "application/json" {
			t.Errorf("Accept %q", a)
		}
	})

	t.Run("a user registration sends no kind query", func(t *testing.T) {
		for _, kind := range []matrix.Kind{"", matrix.KindUser} {
			rec := &recorder{}
			c, _ := newClient(t, rec.wrap(respond(200, fixture(t, "register_200.json"))))
			if _, err := c.Register(ctx, kind, &matrix.RegisterRequest{Username: "u"}); err != nil {
				t.Fatal(err)
			}
			if q := rec.last(t).RawQuery; q != "" {
				t.Errorf("kind %q: query %q", kind, q)
			}
		}
	})

	t.Run("the first request without auth sends an empty auth-less body", func(t *testing.T) {
		rec := &recorder{}
		c, _ := newClient(t, rec.wrap(respond(401, fixture(t, "uiaa_401.json"))))
		_, err := c.Register(ctx, matrix.KindUser, &matrix.RegisterRequest{})
		if _, ok := matrix.AuthRequired(err); !ok {
			t.Fatalf("got %v", err)
		}
		if b := string(rec.last(t).Body); b != `{}` {
			t.Errorf("body %s", b)
		}
	})
}

func TestRegisterErrors(t *testing.T) {
	cases := []struct {
		fixture  string
		status   int
		sentinel error
		code     string
	}{
		{"error_user_in_use.json", 400, matrix.ErrUserInUse, matrix.CodeUserInUse},
		{"error_invalid_username.json", 400, matrix.ErrInvalidUsername, matrix.CodeInvalidUsername},
		{"error_exclusive.json", 400, matrix.ErrExclusive, matrix.CodeExclusive},
		{"error_forbidden.json", 403, matrix.ErrForbidden, matrix.CodeForbidden},
		{"error_weak_password.json", 400, matrix.ErrWeakPassword, matrix.CodeWeakPassword},
		{"error_limit_exceeded.json", 429, matrix.ErrLimitExceeded, matrix.CodeLimitExceeded},
	}
	all := []error{matrix.ErrUserInUse, matrix.ErrInvalidUsername, matrix.ErrExclusive,
		matrix.ErrForbidden, matrix.ErrWeakPassword, matrix.ErrLimitExceeded, matrix.ErrUnrecognized}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("HTTP %d %s matches its sentinel and no other", tc.status, tc.code), func(t *testing.T) {
			c, _ := newClient(t, respond(tc.status, fixture(t, tc.fixture)))
			resp, err := c.Register(ctx, matrix.KindUser, &matrix.RegisterRequest{Username: "u"})
			if resp != nil {
				t.Errorf("got a response %+v", resp)
			}
			for _, s := range all {
				if got, want := errors.Is(err, s), s == tc.sentinel; got != want {
					t.Errorf("errors.Is(%v, %v) = %v", err, s, got)
				}
			}
			var me *matrix.Error
			if !errors.As(err, &me) {
				t.Fatalf("got %T %v", err, err)
			}
			if me.Status != tc.status || me.Code != tc.code || me.Message == "" || me.Auth != nil {
				t.Errorf("got %+v", me)
			}
			if errors.Is(err, matrix.ErrBadResponse) || errors.Is(err, matrix.ErrUnreachable) {
				t.Errorf("%v matches a transport sentinel", err)
			}
			if _, ok := matrix.AuthRequired(err); ok {
				t.Error("AuthRequired on a non-401")
			}
			d, ok := matrix.RetryAfter(err)
			if tc.code == matrix.CodeLimitExceeded {
				if !ok || d != 2*time.Second {
					t.Errorf("RetryAfter = %v, %v; want 2s, true", d, ok)
				}
			} else if ok || d != 0 {
				t.Errorf("RetryAfter = %v, %v; want 0, false", d, ok)
			}
		})
	}

	t.Run("the error wrapped by fmt.Errorf still matches its sentinel", func(t *testing.T) {
		c, _ := newClient(t, respond(400, fixture(t, "error_user_in_use.json")))
		_, err := c.Register(ctx, matrix.KindUser, &matrix.RegisterRequest{})
		if !errors.Is(fmt.Errorf("signing up: %w", err), matrix.ErrUserInUse) {
			t.Fatal(err)
		}
	})

	t.Run("an over-long server message is truncated on a rune boundary", func(t *testing.T) {
		msg := strings.Repeat("é", 400)
		c, _ := newClient(t, respond(403, `{"errcode":"M_FORBIDDEN","error":"`+msg+`"}`))
		_, err := c.Register(ctx, matrix.KindUser, &matrix.RegisterRequest{})
		var me *matrix.Error
		if !errors.As(err, &me) {
			t.Fatal(err)
		}
		if len(me.Message) > 510 || !strings.HasSuffix(me.Message, "…") || !strings.HasPrefix(msg, strings.TrimSuffix(me.Message, "…")) {
			t.Errorf("message %d bytes: %q", len(me.Message), me.Message)
		}
	})
}

func TestRetryAfter(t *testing.T) {
	limit := fixture(t, "error_limit_exceeded.json") // retry_after_ms 2000
	date := time.Date(2015, 10, 21, 7, 28, 0, 0, time.UTC)

	cases := []struct {
		name   string
		status int
		body   string
		header []string
		want   time.Duration
	}{
		{"retry_after_ms alone gives the wait", 429, limit, nil, 2 * time.Second},
		{"a Retry-After header in seconds wins over retry_after_ms", 429, limit, []string{"Retry-After", "120"}, 2 * time.Minute},
		{"a Retry-After HTTP-date wins over retry_after_ms", 429, limit, []string{"Retry-After", date.Format(http.TimeFormat)}, 30 * time.Second},
		{"a Retry-After date in the past falls back to retry_after_ms", 429, limit, []string{"Retry-After", date.Add(-time.Hour).Format(http.TimeFormat)}, 2 * time.Second},
		{"a garbage Retry-After falls back to retry_after_ms", 429, limit, []string{"Retry-After", "soon"}, 2 * time.Second},
		{"a huge retry_after_ms is capped at an hour", 429, `{"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":99999999999}`, nil, time.Hour},
		{"a huge Retry-After is capped at an hour", 429, limit, []string{"Retry-After", "999999999999"}, time.Hour},
		{"a 429 with a non-JSON body still is M_LIMIT_EXCEEDED with the header's wait", 429, "<html>slow down</html>", []string{"Content-Type", "text/html", "Retry-After", "7"}, 7 * time.Second},
		{"a 429 without errcode is M_LIMIT_EXCEEDED", 429, `{}`, nil, 0},
		{"a 503 with Retry-After asks for a wait too", 503, `{"errcode":"M_UNKNOWN","error":"overloaded"}`, []string{"Retry-After", "5"}, 5 * time.Second},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newClient(t, respond(tc.status, tc.body, tc.header...))
			c.Now = func() time.Time { return date.Add(-30 * time.Second) }
			_, err := c.Register(ctx, matrix.KindUser, &matrix.RegisterRequest{})
			d, ok := matrix.RetryAfter(err)
			if !ok || d != tc.want {
				t.Errorf("RetryAfter(%v) = %v, %v; want %v, true", err, d, ok, tc.want)
			}
			if tc.status == 429 && !errors.Is(err, matrix.ErrLimitExceeded) {
				t.Errorf("%v is not ErrLimitExceeded", err)
			}
		})
	}

	t.Run("errors that are not Matrix errors ask for no wait", func(t *testing.T) {
		for _, err := range []error{nil, errors.New("x"), matrix.ErrUserInUse, &matrix.NetworkError{Op: "x", Err: errors.New("y")}} {
			if d, ok := matrix.RetryAfter(err); ok || d != 0 {
				t.Errorf("RetryAfter(%v) = %v, %v", err, d, ok)
			}
		}
	})
}

func TestRegisterAuthRequired(t *testing.T) {
	t.Run("a 401 without errcode carries flows, params and session", func(t *testing.T) {
		c, _ := newClient(t, respond(401, fixture(t, "uiaa_401.json")))
		_, err := c.Register(ctx, matrix.KindUser, &matrix.RegisterRequest{})
		info, ok := matrix.AuthRequired(err)
		if !ok {
			t.Fatalf("got %v", err)
		}
		want := []matrix.Flow{
			{Stages: []matrix.AuthType{"example.type.foo", "example.type.bar"}},
			{Stages: []matrix.AuthType{"example.type.foo", "example.type.baz"}},
		}
		if fmt.Sprint(info.Flows) != fmt.Sprint(want) {
			t.Errorf("flows %v", info.Flows)
		}
		if info.Session != "xxxxxx" || len(info.Completed) != 0 || info.Errcode != "" || info.Error != "" {
			t.Errorf("got %+v", info)
		}
		var p struct {
			ExampleKey string `json:"example_key"`
		}
		if ok, err := info.Param("example.type.baz", &p); !ok || err != nil || p.ExampleKey != "foobar" {
			t.Errorf("Param = %v, %v, %+v", ok, err, p)
		}
		for _, s := range []error{matrix.ErrForbidden, matrix.ErrBadResponse, matrix.ErrUnreachable} {
			if errors.Is(err, s) {
				t.Errorf("%v matches %v", err, s)
			}
		}
		if got := err.Error(); got != "HTTP 401" {
			t.Errorf("Error() = %q", got)
		}
	})

	t.Run("a 401 after a completed stage lists it", func(t *testing.T) {
		c, _ := newClient(t, respond(401, fixture(t, "uiaa_401_completed.json")))
		_, err := c.Register(ctx, matrix.KindUser, &matrix.RegisterRequest{})
		info, ok := matrix.AuthRequired(err)
		if !ok {
			t.Fatalf("got %v", err)
		}
		if len(info.Completed) != 1 || !info.HasCompleted("example.type.foo") || info.HasCompleted("example.type.bar") {
			t.Errorf("completed %v", info.Completed)
		}
	})

	t.Run("a failed stage is both an AuthRequired and a sentinel match", func(t *testing.T) {
		c, _ := newClient(t, respond(401, fixture(t, "uiaa_401_failed.json")))
		_, err := c.Register(ctx, matrix.KindUser, &matrix.RegisterRequest{})
		info, ok := matrix.AuthRequired(err)
		if !ok {
			t.Fatalf("got %v", err)
		}
		if !errors.Is(err, matrix.ErrForbidden) {
			t.Errorf("%v is not ErrForbidden", err)
		}
		if info.Errcode != matrix.CodeForbidden || info.Error != "Invalid password" || info.Session != "xxxxxx" ||
			!info.HasCompleted("example.type.foo") || len(info.Flows) != 2 {
			t.Errorf("got %+v", info)
		}
	})

	t.Run("a 401 whose flows lack a session is a bad response", func(t *testing.T) {
		c, _ := newClient(t, respond(401, `{"flows":[{"stages":["m.login.dummy"]}]}`))
		_, err := c.Register(ctx, matrix.KindUser, &matrix.RegisterRequest{})
		var re *matrix.ResponseError
		if !errors.As(err, &re) || !errors.Is(err, matrix.ErrBadResponse) || !errors.Is(err, matrix.ErrNoSession) {
			t.Fatalf("got %T %v", err, err)
		}
		if _, ok := matrix.AuthRequired(err); ok {
			t.Error("AuthRequired on a bad response")
		}
	})

	t.Run("a 401 whose flows are all empty is a bad response", func(t *testing.T) {
		c, _ := newClient(t, respond(401, `{"flows":[{"stages":[]}],"session":"s"}`))
		_, err := c.Register(ctx, matrix.KindUser, &matrix.RegisterRequest{})
		if !errors.Is(err, matrix.ErrBadResponse) {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("a 401 with an errcode and no flows is a plain Matrix error", func(t *testing.T) {
		c, _ := newClient(t, respond(401, `{"errcode":"M_UNKNOWN_TOKEN","error":"Unrecognised access token"}`))
		_, err := c.Register(ctx, matrix.KindUser, &matrix.RegisterRequest{})
		var me *matrix.Error
		if !errors.As(err, &me) || me.Code != "M_UNKNOWN_TOKEN" || me.Auth != nil {
			t.Fatalf("got %v", err)
		}
	})

	t.Run("thousands of flows are trimmed to MaxFlows and long flows dropped", func(t *testing.T) {
		var b strings.Builder
		b.WriteString(`{"session":"s","flows":[`)
		long := `{"stages":[` + strings.TrimSuffix(strings.Repeat(`"m.login.dummy",`, matrix.MaxStages+1), ",") + `]}`
		b.WriteString(long + ",")
		for i := range 5000 {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, `{"stages":["m.login.dummy","x.%d"]}`, i)
		}
		b.WriteString(`],"completed":[` + strings.TrimSuffix(strings.Repeat(`"m.login.dummy",`, 100), ",") + `]}`)
		c, _ := newClient(t, respond(401, b.String()))
		_, err := c.Register(ctx, matrix.KindUser, &matrix.RegisterRequest{})
		info, ok := matrix.AuthRequired(err)
		if !ok {
			t.Fatalf("got %v", err)
		}
		if len(info.Flows) != matrix.MaxFlows-1 {
			t.Errorf("%d flows, want %d", len(info.Flows), matrix.MaxFlows-1)
		}
		for _, f := range info.Flows {
			if len(f.Stages) > matrix.MaxStages {
				t.Errorf("a flow of %d stages survived", len(f.Stages))
			}
		}
		if info.Flows[0].Stages[1] != "x.0" {
			t.Errorf("first flow %v; the server's order is lost", info.Flows[0])
		}
		if len(info.Completed) > matrix.MaxStages {
			t.Errorf("%d completed stages kept", len(info.Completed))
		}
	})
}

func TestAuthParams(t *testing.T) {
	terms := fixture(t, "terms_params.json")

	type language struct {
		Name string `json:"name"`
		URL  string `json:"url"`
	}
	type termsParams struct {
		Policies map[string]map[string]json.RawMessage `json:"policies"`
	}

	t.Run("the terms params of a 401 decode into policies with a version and languages", func(t *testing.T) {
		body := `{"flows":[{"stages":["m.login.terms"]}],"params":{"m.login.terms":` + terms + `},"session":"xxxxxx"}`
		c, _ := newClient(t, respond(401, body))
		_, err := c.Register(ctx, matrix.KindUser, &matrix.RegisterRequest{})
		info, ok := matrix.AuthRequired(err)
		if !ok {
			t.Fatalf("got %v", err)
		}
		var p termsParams
		found, err := info.Param(matrix.AuthTerms, &p)
		if !found || err != nil {
			t.Fatalf("Param = %v, %v", found, err)
		}
		pol := p.Policies["privacy_policy"]
		var version string
		var en, fr language
		for key, out := range map[string]any{"version": &version, "en": &en, "fr": &fr} {
			if err := json.Unmarshal(pol[key], out); err != nil {
				t.Fatalf("%s: %v", key, err)
			}
		}
		if version != "1.0" {
			t.Errorf("version %q", version)
		}
		if en != (language{"Privacy Policy", "https://example.org/somewhere/privacy-1.2-en.html"}) {
			t.Errorf("en %+v", en)
		}
		if fr != (language{"Politique de confidentialité", "https://example.org/somewhere/privacy-1.2-fr.html"}) {
			t.Errorf("fr %+v", fr)
		}
	})

	t.Run("absent or null params report not found without error", func(t *testing.T) {
		var info matrix.AuthInfo
		if err := json.Unmarshal([]byte(`{"flows":[],"params":{"m.login.terms":null}}`), &info); err != nil {
			t.Fatal(err)
		}
		var p termsParams
		for _, stage := range []matrix.AuthType{matrix.AuthTerms, matrix.AuthRecaptcha} {
			if found, err := info.Param(stage, &p); found || err != nil {
				t.Errorf("%s: Param = %v, %v", stage, found, err)
			}
		}
		var empty matrix.AuthInfo
		if found, err := empty.Param(matrix.AuthTerms, &p); found || err != nil {
			t.Errorf("no params at all: Param = %v, %v", found, err)
		}
	})

	t.Run("malformed params report found with an error naming the stage", func(t *testing.T) {
		var info matrix.AuthInfo
		if err := json.Unmarshal([]byte(`{"params":{"m.login.terms":{"policies":"not an object"}}}`), &info); err != nil {
			t.Fatal(err)
		}
		var p termsParams
		found, err := info.Param(matrix.AuthTerms, &p)
		if !found || err == nil || !strings.Contains(err.Error(), string(matrix.AuthTerms)) {
			t.Errorf("Param = %v, %v", found, err)
		}
	})
}

func TestBadResponses(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
		header []string
	}{
		{"a 502 HTML page from a proxy", 502, "", []string{"Content-Type", "text/html"}},
		{"a 200 that is not JSON", 200, "<html>welcome</html>", []string{"Content-Type", "text/html"}},
		{"a 200 with an empty body", 200, "", nil},
		{"a 200 with trailing data after the JSON", 200, `{"user_id":"@a:b"} {"user_id":"@c:d"}`, nil},
		{"a 200 with an invalid user_id", 200, `{"user_id":"cheeky_monkey","access_token":"abc123"}`, nil},
		{"a 200 without user_id", 200, `{"access_token":"abc123"}`, nil},
		{"a 200 whose user_id has a space", 200, `{"user_id":"@cheeky monkey:matrix.org"}`, nil},
		{"a 500 JSON body without errcode", 500, `{"error":"oops"}`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name+" is a ResponseError", func(t *testing.T) {
			body := tc.body
			if tc.status == 502 {
				body = fixture(t, "bad_gateway.html")
			}
			c, _ := newClient(t, respond(tc.status, body, tc.header...))
			resp, err := c.Register(ctx, matrix.KindUser, &matrix.RegisterRequest{})
			var re *matrix.ResponseError
			if resp != nil || !errors.As(err, &re) || !errors.Is(err, matrix.ErrBadResponse) {
				t.Fatalf("got %v, %T %v", resp, err, err)
			}
			if re.Status != tc.status {
				t.Errorf("status %d, want %d", re.Status, tc.status)
			}
			if errors.Is(err, matrix.ErrUnreachable) {
				t.Error("a bad response matches ErrUnreachable")
			}
			if _, ok := matrix.AuthRequired(err); ok {
				t.Error("AuthRequired on a bad response")
			}
		})
	}

	t.Run("a body over MaxBodyBytes is a ResponseError wrapping ErrBodyTooLarge", func(t *testing.T) {
		c, _ := newClient(t, respond(200, `{"user_id":"`+strings.Repeat("a", matrix.MaxBodyBytes)+`"}`))
		_, err := c.Register(ctx, matrix.KindUser, &matrix.RegisterRequest{})
		if !errors.Is(err, matrix.ErrBadResponse) || !errors.Is(err, matrix.ErrBodyTooLarge) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestUnreachable(t *testing.T) {
	t.Run("a server that is down is ErrUnreachable", func(t *testing.T) {
		c, srv := newClient(t, respond(200, "{}"))
		srv.Close()
		_, err := c.Register(ctx, matrix.KindUser, &matrix.RegisterRequest{})
		var ne *matrix.NetworkError
		if !errors.Is(err, matrix.ErrUnreachable) || !errors.As(err, &ne) || ne.Op != "register" {
			t.Fatalf("got %T %v", err, err)
		}
		if errors.Is(err, matrix.ErrBadResponse) {
			t.Error("a network error matches ErrBadResponse")
		}
		if !strings.HasPrefix(err.Error(), "register failed: ") {
			t.Errorf("Error() = %q", err)
		}
	})

	t.Run("a request that never answers ends promptly at the context deadline", func(t *testing.T) {
		release := make(chan struct{})
		c, _ := newClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			// Reading the whole body lets the server notice the client going
			// away; release frees the handler before the server closes.
			io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
			case <-release:
			}
		}))
		t.Cleanup(func() { close(release) })
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := c.Register(ctx, matrix.KindUser, &matrix.RegisterRequest{})
		if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, matrix.ErrUnreachable) {
			t.Fatalf("got %v", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("took %v", d)
		}
	})

	t.Run("an already cancelled context sends nothing", func(t *testing.T) {
		rec := &recorder{}
		c, _ := newClient(t, rec.wrap(respond(200, fixture(t, "register_200.json"))))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := c.Register(ctx, matrix.KindUser, &matrix.RegisterRequest{})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v", err)
		}
		if len(rec.reqs) != 0 {
			t.Errorf("the server saw %d requests", len(rec.reqs))
		}
	})
}

func TestAvailable(t *testing.T) {
	t.Run("a free name is available and the username is sent escaped in the query", func(t *testing.T) {
		rec := &recorder{}
		c, _ := newClient(t, rec.wrap(respond(200, fixture(t, "available_200.json"))))
		ok, err := c.Available(ctx, "my+name/x")
		if err != nil || !ok {
			t.Fatalf("got %v, %v", ok, err)
		}
		got := rec.last(t)
		if got.Method != "GET" || got.Path != "/_matrix/client/v3/register/available" || got.RawQuery != "username=my%2Bname%2Fx" {
			t.Errorf("got %s %s?%s", got.Method, got.Path, got.RawQuery)
		}
		if len(got.Body) != 0 {
			t.Errorf("a GET with a body: %q", got.Body)
		}
	})

	t.Run("a taken name is a 400 M_USER_IN_USE", func(t *testing.T) {
		c, _ := newClient(t, respond(400, fixture(t, "error_user_in_use.json")))
		ok, err := c.Available(ctx, "taken")
		if ok || !errors.Is(err, matrix.ErrUserInUse) {
			t.Fatalf("got %v, %v", ok, err)
		}
	})

	t.Run("an invalid name is a 400 M_INVALID_USERNAME", func(t *testing.T) {
		c, _ := newClient(t, respond(400, fixture(t, "error_invalid_username.json")))
		ok, err := c.Available(ctx, "Bad Name")
		if ok || !errors.Is(err, matrix.ErrInvalidUsername) {
			t.Fatalf("got %v, %v", ok, err)
		}
	})

	t.Run("a 200 without the available field is a bad response", func(t *testing.T) {
		c, _ := newClient(t, respond(200, `{}`))
		ok, err := c.Available(ctx, "x")
		if ok || !errors.Is(err, matrix.ErrBadResponse) {
			t.Fatalf("got %v, %v", ok, err)
		}
	})

	t.Run("a 200 with available false reports false without error", func(t *testing.T) {
		c, _ := newClient(t, respond(200, `{"available":false}`))
		ok, err := c.Available(ctx, "x")
		if ok || err != nil {
			t.Fatalf("got %v, %v", ok, err)
		}
	})

	t.Run("a server that is down is ErrUnreachable", func(t *testing.T) {
		c, srv := newClient(t, respond(200, "{}"))
		srv.Close()
		if _, err := c.Available(ctx, "x"); !errors.Is(err, matrix.ErrUnreachable) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestErrorStrings(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{&matrix.Error{Status: 400, Code: "M_USER_IN_USE", Message: "taken"}, "M_USER_IN_USE (HTTP 400): taken"},
		{&matrix.Error{Status: 403, Code: "M_FORBIDDEN"}, "M_FORBIDDEN (HTTP 403)"},
		{&matrix.Error{Status: 401}, "HTTP 401"},
		{&matrix.ResponseError{Op: "versions", Status: 200, Reason: "no versions listed"}, "versions: HTTP 200: no versions listed"},
		{&matrix.ResponseError{Op: "register", Status: 502, Reason: "the answer is not JSON", Err: errors.New("bad")}, "register: HTTP 502: the answer is not JSON: bad"},
		{&matrix.NetworkError{Op: "register", Err: errors.New("refused")}, "register failed: refused"},
	}
	for _, tc := range cases {
		t.Run("an error reads "+tc.want, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("got %q", got)
			}
		})
	}

	t.Run("an Error without errcode matches no sentinel", func(t *testing.T) {
		if errors.Is(&matrix.Error{Status: 401}, &matrix.Error{}) {
			t.Error("empty codes match")
		}
	})
}

// The nethttp Doer is the one these tests use; make sure it is a matrix.Doer.
var _ matrix.Doer = nethttp.Doer{}
