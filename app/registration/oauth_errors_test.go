package registration

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"signup/app/config"
)

// A callback this tab did not start is refused without a token request:
// a wrong or missing state, no saved flow, a flow too old (RFC 6749
// §10.12). The authorization server's error comes back in plain words,
// access_denied as the user's own cancel.
func TestOAuthCallbackRefused(t *testing.T) {
	_, f := toAuthorization(t, Settings{}, Start{})
	saved, _ := json.Marshal(f)
	base := "https://signup.example.org/fr/"
	for _, tc := range []struct {
		name, page, flow string
		at               time.Time
		want             string
	}{
		{"another state", base + "#code=c&state=not-" + f.State, string(saved), t0, "oauth.state"},
		{"no state", base + "?code=c&state=", string(saved), t0, ""},
		{"no flow in this tab", base + "#code=c&state=" + f.State, "", t0, "oauth.state"},
		{"a flow of hours ago", base + "#code=c&state=" + f.State, string(saved), t0.Add(2 * time.Hour), "oauth.state"},
		{"the user cancelled", base + "?error=access_denied&state=" + f.State, string(saved), t0, "oauth.cancelled"},
		{"the server refused", base + "?error=server_error&error_description=%3Cb%3Eno%3C%2Fb%3E&state=" + f.State, string(saved), t0, "oauth.refused"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := &conv{t: t, set: Settings{Homeserver: testHS, Operator: config.Config{Version: config.CurrentVersion}},
				now: tc.at, locks: map[string]bool{}}
			c.e = New(c.set)
			c.flow = tc.flow
			c.do(Start{PageURL: tc.page, Flow: tc.flow})
			if hasPending[CodeToken](c) {
				t.Fatal("the code was exchanged")
			}
			v := c.view()
			if tc.want == "" {
				if v.OAuth.Error.Key != "" {
					t.Errorf("error %q for a page that is no callback", v.OAuth.Error.Key)
				}
				return
			}
			if v.Screen != ScreenOAuth || v.OAuth.Error.Key != tc.want {
				t.Fatalf("screen %v, error %+v, want %s", v.Screen, v.OAuth.Error, tc.want)
			}
			if tc.want == "oauth.refused" && v.OAuth.Error.Detail != "<b>no</b>" {
				t.Errorf("detail %q: the server's words, as text", v.OAuth.Error.Detail)
			}
			if c.flow != "" {
				t.Error("the flow stays saved after a refused callback")
			}
			// The screen asks for the metadata again, so that Continue
			// starts a new flow.
			md, _ := pendingOf[Metadata](c)
			c.answer(md, 200, oauthMetadata(nil))
			if v := c.view(); !v.OAuth.InWidget || v.OAuth.Error.Key != tc.want {
				t.Errorf("after the metadata: %+v", v.OAuth)
			}
		})
	}
}

// Metadata the widget cannot run the flow with keeps today's link to the
// server's own page: no create prompt, no PKCE S256, a missing endpoint,
// an endpoint over plain http, or the token endpoint on an origin the
// operator did not trust with codes (until it is listed).
func TestOAuthMetadataTheWidgetDeclines(t *testing.T) {
	for _, tc := range []struct {
		name    string
		patch   map[string]any
		trusted []string
		in      bool
	}{
		{"as served", nil, nil, true},
		{"no create prompt", map[string]any{"prompt_values_supported": []string{"consent"}}, nil, false},
		{"no S256", map[string]any{"code_challenge_methods_supported": []string{"plain"}}, nil, false},
		{"no registration endpoint", map[string]any{"registration_endpoint": nil}, nil, false},
		{"plain http", map[string]any{"token_endpoint": "http://hs.example.org/oauth2/token"}, nil, false},
		{"no code flow", map[string]any{"response_types_supported": []string{"token"}}, nil, false},
		{"only form_post", map[string]any{"response_modes_supported": []string{"form_post"}}, nil, false},
		{"an untrusted origin", map[string]any{"token_endpoint": "https://auth.example.net/token"}, nil, false},
		{"a trusted origin", map[string]any{"token_endpoint": "https://auth.example.net/token"}, []string{"https://auth.example.net"}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := Settings{Operator: config.Config{Homeserver: config.Homeserver{TrustedOrigins: tc.trusted}}}
			c := oauthStarted(t, s, Start{}, tc.patch)
			v := c.view()
			if v.Screen != ScreenOAuth || v.OAuth.InWidget != tc.in {
				t.Fatalf("screen %v, in widget %v, want %v", v.Screen, v.OAuth.InWidget, tc.in)
			}
			if !tc.in && v.OAuth.SignUpURL != "https://hs.example.org/account/" {
				t.Errorf("link %q", v.OAuth.SignUpURL)
			}
			want := ""
			switch {
			case tc.in:
			case strings.Contains(tc.name, "untrusted"):
				want = "oauth.untrusted"
			default:
				want = "oauth.declined"
			}
			if v.OAuth.Declined.Key != want {
				t.Errorf("declined %+v, want %q", v.OAuth.Declined, want)
			}
			c.act(OAuthContinue)
			if hasPending[ClientRegistration](c) != tc.in {
				t.Errorf("client registration sent: %v", !tc.in)
			}
		})
	}
}

// registration.method: "password" keeps the form on a hybrid server and
// uses /register; "oauth" never uses /register, and says so on a server
// that does not delegate.
func TestOAuthMethod(t *testing.T) {
	pw := Settings{Operator: config.Config{Registration: config.Registration{Method: config.MethodPassword}}}
	c := oauthStarted(t, pw, Start{}, nil)
	if c.view().Screen != ScreenForm {
		t.Fatalf("method password: screen %v", c.view().Screen)
	}
	c.fill("alice", "correct horse battery staple")
	c.act(Submit)
	if !hasPending[Register](c) {
		t.Error("method password: no /register")
	}

	oa := Settings{Operator: config.Config{Registration: config.Registration{Method: config.MethodOAuth}}}
	c = newConv(t, oa, Start{PageURL: oauthPage})
	md, _ := pendingOf[Metadata](c)
	c.answer(md, 404, `{"errcode":"M_UNRECOGNIZED"}`)
	if v := c.view(); v.Screen != ScreenOAuth || v.OAuth.Error.Key != "oauth.unavailable" || v.OAuth.InWidget {
		t.Fatalf("method oauth on a server without OAuth: %+v", v.OAuth)
	}
	c.fill("alice", "correct horse battery staple")
	c.act(Submit)
	if c.sentReg != 0 {
		t.Error("method oauth sent /register")
	}
}

// The authorization server's refusals in plain words, its own text as
// the detail: the client registration (RFC 7591 §3.2.2), the token
// exchange (RFC 6749 §5.2), the server out of reach.
func TestOAuthServerRefusals(t *testing.T) {
	c := oauthStarted(t, Settings{}, Start{}, nil)
	c.act(OAuthContinue)
	reg, _ := pendingOf[ClientRegistration](c)
	c.answer(reg, 400, `{"error":"invalid_redirect_uri","error_description":"redirect_uris must be https"}`)
	if v := c.view().OAuth; v.Error.Key != "oauth.client" || v.Error.Detail != "redirect_uris must be https" || v.Step != OAuthIdle {
		t.Errorf("registration refused: %+v", v)
	}
	c.act(OAuthContinue)
	reg, _ = pendingOf[ClientRegistration](c)
	c.failNet(reg, true)
	if v := c.view().OAuth; v.Error.Key != "oauth.unreachable" {
		t.Errorf("unreachable: %+v", v)
	}

	_, f := toAuthorization(t, Settings{}, Start{})
	saved, _ := json.Marshal(f)
	back := newConv(t, Settings{}, Start{PageURL: "https://signup.example.org/fr/?code=c&state=" + f.State, Flow: string(saved)})
	tok, _ := pendingOf[CodeToken](back)
	back.answer(tok, 400, `{"error":"invalid_grant","error_description":"code_verifier does not match"}`)
	if v := back.view(); v.Screen != ScreenOAuth || v.OAuth.Error.Key != "oauth.token" || v.OAuth.Error.Detail == "" {
		t.Errorf("token refused: %v %+v", v.Screen, v.OAuth)
	}
	if hasPending[WhoAmI](back) {
		t.Error("whoami after a refused token")
	}
}
