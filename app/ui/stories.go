package ui

import (
	"encoding/json"
	"net/url"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/matrix"
	"signup/app/registration"
	"signup/app/uiaa"
)

// Stories is the /stories catalogue: every screen of the widget alone,
// with sample data, for designers, translators and screenshots. Each
// story is a view of the engine, drawn as it is; the server renders the
// page (the WASM has none of it), so it makes no requests.
type Stories struct {
	app.Compo
	Config Config
	// Lang is the catalogue the screens are drawn in ("" for the
	// configured default).
	Lang string
}

// story is one named screen.
type story struct {
	Name string
	View func(c Config) registration.View
}

// samplePolicies are the spec's terms example, as the stage shows them.
func samplePolicies() []uiaa.Policy {
	params, _ := json.Marshal(map[string]any{"policies": map[string]any{
		"privacy_policy":   map[string]any{"version": "1.2", "en": map[string]any{"name": "Privacy Policy", "url": "https://example.org/privacy"}},
		"terms_of_service": map[string]any{"version": "1.0", "en": map[string]any{"name": "Terms of Service", "url": "https://example.org/terms"}},
	}})
	info := &matrix.AuthInfo{Session: "sample", Params: map[matrix.AuthType]json.RawMessage{matrix.AuthTerms: params}}
	ps, _ := uiaa.Policies(info, nil)
	return ps
}

// form is the form of c's homeserver, with f in it.
func form(c Config, f registration.FormView) registration.View {
	return registration.View{Homeserver: matrix.Homeserver{BaseURL: c.HomeserverURL, ServerName: c.ServerName},
		Form: f, Picker: registration.PickerView{Current: or(c.ServerName, hostOf(c.HomeserverURL))}}
}

// atStage is the view of stage s, step step of steps.
func atStage(c Config, s matrix.AuthType, step, steps int, setup func(v *registration.StageView)) registration.View {
	v := form(c, registration.FormView{Username: "alice"})
	v.Screen = registration.ScreenStage
	v.Stage = registration.StageView{Stage: s, Step: step, Steps: steps, Key: string(s),
		Alternatives: []matrix.AuthType{matrix.AuthEmail}}
	if !uiaa.Draws(s) || s == matrix.AuthRecaptcha {
		v.Stage.FallbackURL = uiaa.FallbackURL(c.HomeserverURL, s, "sample")
	}
	if setup != nil {
		setup(&v.Stage)
	}
	return v
}

func msg(key string, args ...any) registration.Msg { return registration.Msg{Key: key, Args: args} }

var stories = []story{
	{"The form", func(c Config) registration.View { return form(c, registration.FormView{}) }},
	{"The form, filled in", func(c Config) registration.View {
		pw := "correct horse battery staple"
		return form(c, registration.FormView{Username: "alice", Password: pw, Confirm: pw,
			UserStatus: msg("username.available", "alice"), Preview: matrix.PreviewUserID("alice", or(c.ServerName, "example.org"))})
	}},
	{"Errors next to their fields", func(c Config) registration.View {
		return form(c, registration.FormView{Username: "Alice", Password: "hunter2", Confirm: "hunter3",
			UserError: msg("username.upper", "alice"), Suggestion: "alice",
			PassError: msg("password.weak"), ConfirmErr: msg("confirm.mismatch")})
	}},
	{"The homeserver is unreachable", func(c Config) registration.View {
		v := form(c, registration.FormView{Username: "alice", Password: "x", Confirm: "x"})
		v.FormError, v.Retryable = msg("unreachable", "matrix.example.org"), true
		return v
	}},
	{"Rate limited: a countdown", func(c Config) registration.View {
		v := form(c, registration.FormView{Username: "alice"})
		v.FormError, v.Retryable, v.WaitLeft, v.Announce = msg("ratelimited"), true, 42, 42
		return v
	}},
	{"Terms", func(c Config) registration.View {
		return atStage(c, matrix.AuthTerms, 1, 3, func(s *registration.StageView) {
			s.Terms = registration.TermsView{Policies: samplePolicies(), Accepted: map[string]bool{}}
		})
	}},
	{"Registration token, refused", func(c Config) registration.View {
		return atStage(c, matrix.AuthRegistrationToken, 2, 3, func(s *registration.StageView) {
			s.Token = registration.TokenView{Value: "not-a-token", Error: msg("token.invalid")}
		})
	}},
	{"Email address", func(c Config) registration.View {
		return atStage(c, matrix.AuthEmail, 3, 3, func(s *registration.StageView) { s.Alternatives = nil })
	}},
	{"Waiting for the email link", func(c Config) registration.View {
		return atStage(c, matrix.AuthEmail, 3, 3, func(s *registration.StageView) {
			s.Alternatives, s.Key = nil, s.Key+"/sent"
			s.Email = registration.EmailView{Address: "alice@example.org", Sent: true}
		})
	}},
	{"Phone number", func(c Config) registration.View { return atStage(c, matrix.AuthMSISDN, 2, 2, nil) }},
	{"reCAPTCHA could not load: the fallback page", func(c Config) registration.View {
		return atStage(c, matrix.AuthRecaptcha, 2, 2, func(s *registration.StageView) {
			s.CaptchaBlocked, s.Key = true, s.Key+"/blocked"
		})
	}},
	{"A stage only the server can show", func(c Config) registration.View {
		return atStage(c, "org.example.custom", 2, 2, nil)
	}},
	{"Success", func(c Config) registration.View {
		v := form(c, registration.FormView{})
		v.Screen, v.Done.UserID = registration.ScreenDone, "@alice:"+or(c.ServerName, "example.org")
		return v
	}},
	{"The email link opened in another tab", func(c Config) registration.View {
		v := form(c, registration.FormView{})
		v.Screen = registration.ScreenConfirmed
		return v
	}},
	{"A server that signs up elsewhere (OAuth)", func(c Config) registration.View {
		v := form(c, registration.FormView{})
		v.Screen = registration.ScreenOAuth
		v.OAuth = registration.OAuthView{InWidget: true, Issuer: "auth.example.org"}
		return v
	}},
	{"Waiting for the OAuth server's window (embedded)", func(c Config) registration.View {
		v := form(c, registration.FormView{})
		v.Screen = registration.ScreenOAuth
		v.OAuth = registration.OAuthView{InWidget: true, Issuer: "auth.example.org", Step: registration.OAuthAway, Popup: true}
		return v
	}},
	{"A server that signs up elsewhere, no OAuth flow in the widget", func(c Config) registration.View {
		v := form(c, registration.FormView{})
		v.Screen = registration.ScreenOAuth
		v.OAuth = registration.OAuthView{SignUpURL: "https://auth.example.org/account/", Issuer: "auth.example.org"}
		return v
	}},
	{"Sign-up through identity providers (SSO)", func(c Config) registration.View {
		v := form(c, registration.FormView{})
		v.SSO.Providers = []matrix.IdentityProvider{{ID: "oidc-github", Name: "GitHub"}, {ID: "oidc-test", Name: "Test IdP"}}
		return v
	}},
	{"A server with SSO only", func(c Config) registration.View {
		v := form(c, registration.FormView{})
		v.SSO.Providers = []matrix.IdentityProvider{{ID: "oidc-test", Name: "Test IdP"}}
		v.SSO.Only = true
		return v
	}},
}

// Render draws every story under its name.
func (s *Stories) Render() app.UI {
	return app.Div().ID("stories").Class("stories").Body(
		app.H1().Text("signup: every screen"),
		app.Range(stories).Slice(func(i int) app.UI {
			st := stories[i]
			v := st.View(s.Config)
			return app.Div().Class("story").DataSet("story", i).Body(
				app.H2().Class("story__name").Text(st.Name),
				app.Div().Class("story__frame").Body(&Register{Config: s.Config, view: v, t: s.Config.catalog([]string{s.Lang})}),
			)
		}),
	)
}

func or(v, def string) string {
	if v != "" {
		return v
	}
	return def
}

// hostOf is the host of a URL (the URL itself when it has none).
func hostOf(base string) string {
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		return u.Host
	}
	return base
}
