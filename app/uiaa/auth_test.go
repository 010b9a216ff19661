package uiaa

import (
	"encoding/json"
	"net/url"
	"reflect"
	"testing"

	"signup/app/matrix"
)

func TestAuthDicts(t *testing.T) {
	cases := []struct {
		name string
		dict *matrix.AuthDict
		// exact is the JSON as marshalled; spec is the same object as the
		// spec writes it (key order aside).
		exact, spec string
	}{
		{"dummy is type and session", Dummy("abc"),
			`{"type":"m.login.dummy","session":"abc"}`,
			`{"type":"m.login.dummy","session":"abc"}`},
		{"terms is type and session", TermsAuth("abc"),
			`{"type":"m.login.terms","session":"abc"}`,
			`{"type":"m.login.terms","session":"abc"}`},
		{"registration token adds the token", RegistrationToken("xxxxx", "fBVFdqVE"),
			`{"type":"m.login.registration_token","session":"xxxxx","token":"fBVFdqVE"}`,
			`{"type":"m.login.registration_token","token":"fBVFdqVE","session":"xxxxx"}`},
		{"recaptcha adds the response", Recaptcha("abc", "03AGdBq2"),
			`{"type":"m.login.recaptcha","session":"abc","response":"03AGdBq2"}`,
			`{"type":"m.login.recaptcha","response":"03AGdBq2","session":"abc"}`},
		{"email identity adds threepid_creds", Threepid(matrix.AuthEmail, "abc", "sid1", "monkeys_are_GREAT"),
			`{"type":"m.login.email.identity","session":"abc","threepid_creds":{"sid":"sid1","client_secret":"monkeys_are_GREAT"}}`,
			`{"type":"m.login.email.identity","threepid_creds":{"sid":"sid1","client_secret":"monkeys_are_GREAT"},"session":"abc"}`},
		{"msisdn adds threepid_creds", Threepid(matrix.AuthMSISDN, "abc", "sid2", "secret"),
			`{"type":"m.login.msisdn","session":"abc","threepid_creds":{"sid":"sid2","client_secret":"secret"}}`,
			`{"type":"m.login.msisdn","threepid_creds":{"sid":"sid2","client_secret":"secret"},"session":"abc"}`},
		{"out of band is the session alone", OutOfBand("abc"),
			`{"session":"abc"}`,
			`{"session":"abc"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.dict)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != tc.exact {
				t.Errorf("got  %s\nwant %s", b, tc.exact)
			}
			var got, want any
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(tc.spec), &want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("not the spec's object: %s", b)
			}
		})
	}

	t.Run("the dict sits under auth in a register request", func(t *testing.T) {
		b, err := json.Marshal(&matrix.RegisterRequest{Auth: Dummy("abc"), Username: "u"})
		if err != nil {
			t.Fatal(err)
		}
		if want := `{"auth":{"type":"m.login.dummy","session":"abc"},"username":"u"}`; string(b) != want {
			t.Errorf("got %s", b)
		}
	})
}

func TestFallbackURL(t *testing.T) {
	t.Run("the spec's path with the session as query", func(t *testing.T) {
		got := FallbackURL("https://matrix.example.org", matrix.AuthRecaptcha, "xxxxxx")
		want := "https://matrix.example.org/_matrix/client/v3/auth/m.login.recaptcha/fallback/web?session=xxxxxx"
		if got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	})

	t.Run("session and stage are escaped so they cannot change the URL", func(t *testing.T) {
		session := "a b&c=d/e?f#g+h"
		got := FallbackURL("https://matrix.example.org", "org.example/../x?y", session)
		u, err := url.Parse(got)
		if err != nil {
			t.Fatal(err)
		}
		if u.Host != "matrix.example.org" || u.Fragment != "" {
			t.Errorf("host %q fragment %q in %s", u.Host, u.Fragment, got)
		}
		if u.Query().Get("session") != session || len(u.Query()) != 1 {
			t.Errorf("query %v in %s", u.Query(), got)
		}
		if want := "/_matrix/client/v3/auth/org.example%2F..%2Fx%3Fy/fallback/web"; u.EscapedPath() != want {
			t.Errorf("path %s, want %s", u.EscapedPath(), want)
		}
	})
}
