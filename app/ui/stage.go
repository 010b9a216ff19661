package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/matrix"
	"signup/app/registration"
)

// stageTitles names each stage's heading key.
var stageTitles = map[matrix.AuthType]string{
	matrix.AuthTerms:             "stage.terms",
	matrix.AuthRegistrationToken: "stage.token",
	matrix.AuthEmail:             "stage.email",
	matrix.AuthMSISDN:            "stage.msisdn",
	matrix.AuthRecaptcha:         "stage.recaptcha",
}

func stageTitleKey(s matrix.AuthType) string {
	if k, ok := stageTitles[s]; ok {
		return k
	}
	return "stage.fallback"
}

// renderStage draws the current UIAA stage under a heading and the
// progress through the chosen flow. Stages the widget cannot draw itself
// go through the homeserver's fallback page, never a dead end.
func (r *Register) renderStage() app.UI {
	s, t := r.view.Stage, r.tr()
	var body app.UI
	switch s.Stage {
	case matrix.AuthTerms:
		body = r.renderTerms()
	case matrix.AuthRegistrationToken:
		body = r.renderToken()
	case matrix.AuthEmail:
		body = r.renderEmail()
	case matrix.AuthMSISDN:
		body = r.renderMSISDN()
	case matrix.AuthRecaptcha:
		body = r.renderRecaptcha()
	default:
		body = r.renderFallback()
	}
	return app.Section().ID("stage").Class("card").DataSet("stage", SafeAttr(string(s.Stage))).
		Aria("labelledby", "stage-title").Body(
		app.H1().ID("stage-title").TabIndex(-1).Text(t.T(stageTitleKey(s.Stage))),
		app.If(s.Steps > 1, func() app.UI {
			return app.P().ID("stage-step").Class("step").Text(t.T("step", s.Step, s.Steps))
		}),
		&keyed{Key: s.Key, Child: body},
		r.renderStageError(),
		r.renderAlternatives(),
		app.P().Class("back").Body(
			app.Button().Type("button").ID("back").Class("link").Text(t.T("back")).
				DataSet("act", actAttr(registration.Back)).OnClick(r.onAct),
		),
	)
}

// renderStageError draws a failed stage's error, our words first.
func (r *Register) renderStageError() app.UI {
	if m := r.view.Stage.Error; m.Key != "" {
		return r.renderError("stage-error", m, "")
	}
	return app.Div().ID("stage-error").Class("alert-slot").Aria("live", "assertive")
}

// renderAlternatives offers the other ways the server accepts ("Use an
// email address instead").
func (r *Register) renderAlternatives() app.UI {
	alts := r.view.Stage.Alternatives
	if len(alts) == 0 {
		return app.Text("")
	}
	t := r.tr()
	return app.Ul().Class("alternatives").Body(
		app.Range(alts).Slice(func(i int) app.UI {
			s := alts[i]
			key := "switch." + string(s)
			label := t.T(key)
			if label == key {
				label = t.T("switch.other")
			}
			return app.Li().Body(app.Button().Type("button").Class("link").
				ID("switch-"+registration.Slug(string(s))).Text(label).
				DataSet("stage", SafeAttr(string(s))).OnClick(r.onSwitch))
		}),
	)
}

// renderStageButton draws a stage's submit button.
func (r *Register) renderStageButton(id, label string, blocked bool) app.UI {
	return r.renderSubmit(id, label, blocked)
}

// pageTitle is the page title: it follows the screen.
func (r *Register) pageTitle() string {
	v, t := r.view, r.tr()
	switch v.Screen {
	case registration.ScreenDone:
		return t.T("success.title")
	case registration.ScreenOAuth:
		return t.T("oauth.title", v.OAuth.Issuer)
	case registration.ScreenStage:
		return t.T(stageTitleKey(v.Stage.Stage))
	case registration.ScreenConfirmed:
		return t.T("stage.email")
	}
	if b := r.Config.Brand(); b != "" {
		return r.heading() + " · " + b
	}
	return r.heading()
}
