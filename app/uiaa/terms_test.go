package uiaa

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"signup/app/matrix"
)

// specTerms is the m.login.terms params of the spec's example. See
// https://spec.matrix.org/v1.16/client-server-api/#terms-of-service-at-registration.
const specTerms = `{
  "policies": {
    "terms_of_service": {
      "version": "2.0",
      "en": {"name": "Terms of Service", "url": "https://example.org/somewhere/terms-2.0-en.html"},
      "fr": {"name": "Conditions d'utilisation", "url": "https://example.org/somewhere/terms-2.0-fr.html"}
    },
    "privacy_policy": {
      "version": "1.2",
      "en": {"name": "Privacy Policy", "url": "https://example.org/somewhere/privacy-1.2-en.html"},
      "fr": {"name": "Politique de confidentialité", "url": "https://example.org/somewhere/privacy-1.2-fr.html"}
    }
  }
}`

// termsInfo returns an AuthInfo whose m.login.terms params are params.
func termsInfo(params string) *matrix.AuthInfo {
	return &matrix.AuthInfo{
		Flows:   []matrix.Flow{{Stages: []matrix.AuthType{matrix.AuthTerms}}},
		Session: "kasgjaelkgj",
		Params:  map[matrix.AuthType]json.RawMessage{matrix.AuthTerms: json.RawMessage(params)},
	}
}

// onePolicy returns params with a single policy "tos" whose fields are body.
func onePolicy(body string) string {
	return `{"policies":{"tos":` + body + `}}`
}

func mustPolicies(t *testing.T, params string, langs ...string) []Policy {
	t.Helper()
	ps, err := Policies(termsInfo(params), langs)
	if err != nil {
		t.Fatal(err)
	}
	return ps
}

func TestPoliciesLanguage(t *testing.T) {
	t.Run("a French user gets the French documents", func(t *testing.T) {
		ps := mustPolicies(t, specTerms, "fr-FR", "en")
		want := []Policy{
			{ID: "privacy_policy", Version: "1.2", Lang: "fr", Name: "Politique de confidentialité", URL: "https://example.org/somewhere/privacy-1.2-fr.html"},
			{ID: "terms_of_service", Version: "2.0", Lang: "fr", Name: "Conditions d'utilisation", URL: "https://example.org/somewhere/terms-2.0-fr.html"},
		}
		if fmt.Sprint(ps) != fmt.Sprint(want) {
			t.Errorf("got  %+v\nwant %+v", ps, want)
		}
	})

	t.Run("a German user gets English when German is not offered", func(t *testing.T) {
		for _, p := range mustPolicies(t, specTerms, "de") {
			if p.Lang != "en" || !strings.HasSuffix(p.URL, "-en.html") {
				t.Errorf("got %+v", p)
			}
		}
	})

	t.Run("a user without languages gets English", func(t *testing.T) {
		for _, p := range mustPolicies(t, specTerms) {
			if p.Lang != "en" {
				t.Errorf("got %+v", p)
			}
		}
	})

	t.Run("en-US matches an en_US key exactly before a plain en", func(t *testing.T) {
		ps := mustPolicies(t, onePolicy(`{"version":"1","en":{"name":"English","url":"https://example.org/en"},"en_US":{"name":"American","url":"https://example.org/us"},"fr":{"name":"Français","url":"https://example.org/fr"}}`), "en-US")
		if ps[0].Lang != "en_US" || ps[0].Name != "American" {
			t.Errorf("got %+v", ps[0])
		}
	})

	t.Run("en matches an en-US key by primary language", func(t *testing.T) {
		ps := mustPolicies(t, onePolicy(`{"version":"1","fr":{"name":"Français","url":"https://example.org/fr"},"en-US":{"name":"American","url":"https://example.org/us"}}`), "en")
		if ps[0].Lang != "en-US" || ps[0].Name != "American" {
			t.Errorf("got %+v", ps[0])
		}
	})

	t.Run("the user's first language wins over a later one", func(t *testing.T) {
		ps := mustPolicies(t, specTerms, "es", "fr", "en")
		if ps[0].Lang != "fr" {
			t.Errorf("got %+v", ps[0])
		}
	})

	t.Run("version is never taken for a language", func(t *testing.T) {
		for _, langs := range [][]string{nil, {"version"}, {"ve"}} {
			ps := mustPolicies(t, onePolicy(`{"version":"3.1","zz":{"name":"Zed","url":"https://example.org/zz"}}`), langs...)
			if ps[0].Lang != "zz" || ps[0].Version != "3.1" || ps[0].Name != "Zed" {
				t.Errorf("langs %q: got %+v", langs, ps[0])
			}
		}
	})

	t.Run("without the user's languages or English, the first key in order is used", func(t *testing.T) {
		ps := mustPolicies(t, onePolicy(`{"version":"1","ja":{"name":"規約","url":"https://example.org/ja"},"fr":{"name":"Conditions","url":"https://example.org/fr"},"de":{"name":"Bedingungen","url":"https://example.org/de"}}`), "es-ES", "pt")
		if ps[0].Lang != "de" || ps[0].Name != "Bedingungen" {
			t.Errorf("got %+v", ps[0])
		}
	})
}

func TestPoliciesContent(t *testing.T) {
	t.Run("policies come sorted by ID whatever the server's order", func(t *testing.T) {
		ps := mustPolicies(t, `{"policies":{
			"zeta":{"en":{"name":"Z","url":"https://example.org/z"}},
			"alpha":{"en":{"name":"A","url":"https://example.org/a"}},
			"mu":{"en":{"name":"M","url":"https://example.org/m"}}}}`)
		var ids []string
		for _, p := range ps {
			ids = append(ids, p.ID)
		}
		if got := strings.Join(ids, ","); got != "alpha,mu,zeta" {
			t.Errorf("got %s", got)
		}
	})

	t.Run("a policy whose URL is not http(s) keeps its name but gets no link", func(t *testing.T) {
		for _, u := range []string{"javascript:alert(document.cookie)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "JAVASCRIPT:alert(1)", "/relative/terms", "https://user@example.org/terms"} {
			body, _ := json.Marshal(map[string]any{"version": "1", "en": map[string]string{"name": "Terms", "url": u}})
			ps := mustPolicies(t, onePolicy(string(body)))
			if ps[0].URL != "" || ps[0].Name != "Terms" {
				t.Errorf("%q: got %+v", u, ps[0])
			}
		}
	})

	t.Run("HTML in a name is kept verbatim as text", func(t *testing.T) {
		name := `<b>Terms</b> & <script>alert("x")</script><img src=x onerror=alert(1)>`
		body, _ := json.Marshal(map[string]any{"en": map[string]string{"name": name, "url": "https://example.org/t"}})
		ps := mustPolicies(t, onePolicy(string(body)))
		if ps[0].Name != name {
			t.Errorf("got %q", ps[0].Name)
		}
	})

	t.Run("a policy without a name is shown under its ID", func(t *testing.T) {
		ps := mustPolicies(t, onePolicy(`{"en":{"url":"https://example.org/t"}}`))
		if ps[0].Name != "tos" || ps[0].URL != "https://example.org/t" {
			t.Errorf("got %+v", ps[0])
		}
	})

	t.Run("a very long name is shortened without breaking a character", func(t *testing.T) {
		name := "T" + strings.Repeat("é", 300)
		body, _ := json.Marshal(map[string]any{"en": map[string]string{"name": name, "url": "https://example.org/t"}})
		ps := mustPolicies(t, onePolicy(string(body)))
		got := ps[0].Name
		if len(got) > 210 || !strings.HasSuffix(got, "…") || !strings.HasPrefix(name, strings.TrimSuffix(got, "…")) {
			t.Errorf("got %q (%d bytes)", got, len(got))
		}
		if !utf8.ValidString(got) {
			t.Errorf("the shortened name is not valid UTF-8: %q", got)
		}
	})
}

func TestPoliciesMalformed(t *testing.T) {
	tooMany := make(map[string]any)
	for i := 0; i <= MaxPolicies; i++ {
		tooMany[fmt.Sprintf("policy_%02d", i)] = map[string]any{"en": map[string]string{"name": "P", "url": "https://example.org/p"}}
	}
	tooManyJSON, _ := json.Marshal(map[string]any{"policies": tooMany})

	cases := []struct {
		name   string
		info   *matrix.AuthInfo
		params string
	}{
		{name: "policies is a list", params: `{"policies":[{"en":{"name":"T","url":"https://example.org"}}]}`},
		{name: "policies is a string", params: `{"policies":"tos"}`},
		{name: "policies is empty", params: `{"policies":{}}`},
		{name: "policies is missing", params: `{}`},
		{name: "params are not an object", params: `"terms"`},
		{name: "params are null", params: `null`},
		{name: "a policy is not an object", params: onePolicy(`"https://example.org/terms"`)},
		{name: "a policy has no language", params: onePolicy(`{"version":"1.0"}`)},
		{name: "a policy's languages are not objects", params: onePolicy(`{"version":"1.0","en":"Terms","fr":["x"]}`)},
		{name: "a policy's languages have neither name nor URL", params: onePolicy(`{"en":{}}`)},
		{name: "a version is a number", params: onePolicy(`{"version":1.0,"en":{"name":"T","url":"https://example.org"}}`)},
		{name: "a version is an object", params: onePolicy(`{"version":{},"en":{"name":"T","url":"https://example.org"}}`)},
		{name: "more than MaxPolicies policies", params: string(tooManyJSON)},
		{name: "the server sent no params at all", info: &matrix.AuthInfo{Session: "s", Flows: []matrix.Flow{{Stages: []matrix.AuthType{matrix.AuthTerms}}}}},
		{name: "the params are for another stage", info: &matrix.AuthInfo{Session: "s", Params: map[matrix.AuthType]json.RawMessage{matrix.AuthRecaptcha: json.RawMessage(`{"public_key":"k"}`)}}},
	}
	for _, tc := range cases {
		t.Run("malformed terms are reported when "+tc.name, func(t *testing.T) {
			info := tc.info
			if info == nil {
				info = termsInfo(tc.params)
			}
			var ps []Policy
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("panic: %v", r)
					}
				}()
				ps, err = Policies(info, []string{"en"})
			}()
			if !errors.Is(err, ErrBadTerms) {
				t.Errorf("got %+v, %v", ps, err)
			}
			if ps != nil {
				t.Errorf("policies returned with the error: %+v", ps)
			}
		})
	}

	t.Run("exactly MaxPolicies policies are accepted", func(t *testing.T) {
		m := make(map[string]any)
		for i := 0; i < MaxPolicies; i++ {
			m[fmt.Sprintf("policy_%02d", i)] = map[string]any{"en": map[string]string{"name": "P", "url": "https://example.org/p"}}
		}
		b, _ := json.Marshal(map[string]any{"policies": m})
		if ps := mustPolicies(t, string(b)); len(ps) != MaxPolicies {
			t.Errorf("got %d policies", len(ps))
		}
	})
}

// continuwuity's m.login.terms params: a string "version" beside the
// policies, and a policy without a version of its own.
const continuwuityTerms = `{
  "policies": {
    "version": "latest",
    "privacy_policy": {
      "en": {"name": "Privacy Policy", "url": "https://example.org/privacy"}
    }
  }
}`

func TestPoliciesInterop(t *testing.T) {
	t.Run("continuwuity's string version beside the policies is skipped, and a missing version is fine", func(t *testing.T) {
		ps := mustPolicies(t, continuwuityTerms, "en")
		want := []Policy{{ID: "privacy_policy", Lang: "en", Name: "Privacy Policy", URL: "https://example.org/privacy"}}
		if fmt.Sprint(ps) != fmt.Sprint(want) {
			t.Errorf("got %+v, want %+v", ps, want)
		}
	})
	t.Run("entries that are not objects leave no policy: malformed", func(t *testing.T) {
		if _, err := Policies(termsInfo(`{"policies":{"version":"latest","n":1,"l":[],"z":null}}`), nil); !errors.Is(err, ErrBadTerms) {
			t.Errorf("got %v", err)
		}
	})
}
