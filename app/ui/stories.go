package ui

import (
	"encoding/json"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/matrix"
)

// Stories is the /stories catalogue: every screen of the widget alone,
// with sample data, for designers, translators and screenshots. It makes
// no requests.
type Stories struct {
	app.Compo
	Config Config
}

// story is one named screen.
type story struct {
	Name string
	Make func(c Config) *Register
}

// sampleAuth is a UIAA state with the spec's terms example.
func sampleAuth(stages ...string) *matrix.AuthInfo {
	params, _ := json.Marshal(map[string]any{"policies": map[string]any{
		"privacy_policy":   map[string]any{"version": "1.2", "en": map[string]any{"name": "Privacy Policy", "url": "https://example.org/privacy"}},
		"terms_of_service": map[string]any{"version": "1.0", "en": map[string]any{"name": "Terms of Service", "url": "https://example.org/terms"}},
	}})
	flows := []matrix.Flow{{Stages: stages}, {Stages: []string{matrix.AuthEmail, matrix.AuthDummy}}}
	return &matrix.AuthInfo{Flows: flows, Session: "sample", Params: map[string]json.RawMessage{matrix.AuthTerms: params}}
}

// atStage is a Register waiting on stage next of the flow terms → token →
// email → dummy (or of the flow given), with the stages before it done.
func atStage(c Config, next string, setup func(r *Register)) *Register {
	flow := []string{matrix.AuthTerms, matrix.AuthRegistrationToken, matrix.AuthEmail, matrix.AuthDummy}
	found := false
	for _, s := range flow {
		found = found || s == next
	}
	if !found {
		flow = []string{matrix.AuthTerms, next, matrix.AuthDummy}
	}
	r := &Register{Config: c, username: "alice", phase: phaseStage}
	r.auth = sampleAuth(flow...)
	for _, s := range flow {
		if s == next {
			break
		}
		r.auth.Completed = append(r.auth.Completed, s)
	}
	r.plan, _ = chooser.Choose(r.auth, flow, "")
	r.shown = next
	if setup != nil {
		setup(r)
	}
	return r
}

var stories = []story{
	{"The form", func(c Config) *Register { return &Register{Config: c} }},
	{"The form, filled in", func(c Config) *Register {
		return &Register{Config: c, username: "alice", password: "correct horse battery staple", confirm: "correct horse battery staple",
			avail: availability{name: "alice", state: availFree}}
	}},
	{"Errors next to their fields", func(c Config) *Register {
		r := &Register{Config: c, username: "Alice", password: "hunter2", confirm: "hunter3"}
		r.t = c.catalog(nil)
		r.passErr, r.confirmErr = r.t.T("password.weak"), r.t.T("confirm.mismatch")
		return r
	}},
	{"The homeserver is unreachable", func(c Config) *Register {
		r := &Register{Config: c, username: "alice", password: "x", confirm: "x", retryable: true}
		r.t = c.catalog(nil)
		r.formErr = r.t.T("unreachable", "matrix.example.org")
		return r
	}},
	{"Rate limited: a countdown", func(c Config) *Register {
		r := &Register{Config: c, username: "alice", retryable: true}
		r.t = c.catalog(nil)
		r.formErr = r.t.T("ratelimited")
		r.wait.start(42*time.Second, now())
		return r
	}},
	{"Terms", func(c Config) *Register { return atStage(c, matrix.AuthTerms, func(r *Register) { r.loadTerms() }) }},
	{"Registration token, refused", func(c Config) *Register {
		return atStage(c, matrix.AuthRegistrationToken, func(r *Register) {
			r.tok = tokenState{value: "not-a-token", err: c.catalog(nil).T("token.invalid")}
		})
	}},
	{"Email address", func(c Config) *Register { return atStage(c, matrix.AuthEmail, nil) }},
	{"Waiting for the email link", func(c Config) *Register {
		return atStage(c, matrix.AuthEmail, func(r *Register) {
			r.mail = mailState{address: "alice@example.org", sid: "sid", secret: "s"}
			r.password = "x"
		})
	}},
	{"Phone number", func(c Config) *Register { return atStage(c, matrix.AuthMSISDN, nil) }},
	{"reCAPTCHA could not load: the fallback page", func(c Config) *Register {
		return atStage(c, matrix.AuthRecaptcha, func(r *Register) { r.captcha.blocked = true })
	}},
	{"A stage only the server can show", func(c Config) *Register { return atStage(c, "org.example.custom", nil) }},
	{"Success", func(c Config) *Register {
		return &Register{Config: c, phase: phaseDone, result: &matrix.RegisterResponse{UserID: "@alice:" + or(c.ServerName, "example.org")}}
	}},
	{"The email link opened in another tab", func(c Config) *Register { return &Register{Config: c, phase: phaseConfirmed} }},
	{"A server that signs up elsewhere (OAuth)", func(c Config) *Register {
		return &Register{Config: c, oauthURL: "https://auth.example.org/account/", oauthIssuer: "auth.example.org"}
	}},
}

// Render draws every story under its name.
func (s *Stories) Render() app.UI {
	return app.Div().ID("stories").Class("stories").Body(
		app.H1().Text("signup: every screen"),
		app.Range(stories).Slice(func(i int) app.UI {
			st := stories[i]
			return app.Div().Class("story").DataSet("story", i).Body(
				app.H2().Class("story__name").Text(st.Name),
				app.Div().Class("story__frame").Body(st.Make(s.Config)),
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
