package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/matrix"
	"signup/app/uiaa"
)

// stageTitles names each stage's heading key.
var stageTitles = map[matrix.AuthType]string{
	matrix.AuthTerms:             "stage.terms",
	matrix.AuthRegistrationToken: "stage.token",
	matrix.AuthEmail:             "stage.email",
	matrix.AuthMSISDN:            "stage.msisdn",
	matrix.AuthRecaptcha:         "stage.recaptcha",
}

// stageFirstField is where the focus goes when a stage appears.
var stageFirstField = map[matrix.AuthType]string{
	matrix.AuthRegistrationToken: "token",
	matrix.AuthEmail:             "email",
	matrix.AuthMSISDN:            "country",
}

// enterStage shows a stage: its input is asked for only now that the
// stage is reached (no email is sent before the stages before it pass).
func (r *Register) enterStage(s matrix.AuthType) {
	fresh := r.shown != s
	r.shown = s
	r.phase = phaseStage
	if fresh {
		r.stageErr, r.stageDetail = "", ""
	}
	r.setTitle(r.t.T(r.stageTitleKey()))
	switch s {
	case matrix.AuthTerms:
		if fresh {
			r.loadTerms()
		}
	case matrix.AuthRegistrationToken:
		if fresh {
			r.prefillToken()
		}
	case matrix.AuthEmail:
		if r.mail.sid != "" {
			r.schedulePoll(false)
		}
	case matrix.AuthRecaptcha:
		r.startRecaptcha()
	}
	if !fresh {
		return
	}
	focus := "stage-title"
	if f, ok := stageFirstField[s]; ok {
		focus = f
	}
	if s == matrix.AuthEmail && r.mail.sid != "" {
		focus = "stage-title"
	}
	if s == matrix.AuthTerms && !r.terms.bad && len(r.terms.policies) > 0 {
		focus = policyBoxID(r.terms.policies[0].ID, 0)
	}
	r.focus(focus)
	r.broadcast("stage")
	if r.Services != nil && r.Services.Notify != nil {
		r.Services.Notify("signup:stage", map[string]string{"stage": s})
	}
}

// stopStages ends background work of the stages (polling, popups).
func (r *Register) stopStages() {
	r.mail.pollSeq++
	r.releaseClaim()
}

func (r *Register) stageTitleKey() string {
	if k, ok := stageTitles[r.plan.Next]; ok {
		return k
	}
	return "stage.fallback"
}

// renderStage draws the current UIAA stage under a heading and the
// progress through the chosen flow. Stages the widget cannot draw itself
// go through the homeserver's fallback page, never a dead end.
func (r *Register) renderStage() app.UI {
	if r.auth == nil {
		// Between sessions (a restart in flight): the form, never a nil
		// session.
		return r.renderForm()
	}
	step, total := visibleStep(r.plan)
	var body app.UI
	switch r.plan.Next {
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
	return app.Section().ID("stage").Class("card").DataSet("stage", SafeAttr(string(r.plan.Next))).
		Aria("labelledby", "stage-title").Body(
		app.H1().ID("stage-title").TabIndex(-1).Text(r.t.T(r.stageTitleKey())),
		app.If(total > 1, func() app.UI {
			return app.P().ID("stage-step").Class("step").Text(r.t.T("step", step, total))
		}),
		&keyed{Key: r.stageKey(), Child: body},
		r.renderStageError(),
		r.renderAlternatives(),
		app.P().Class("back").Body(
			app.Button().Type("button").ID("back").Class("link").Text(r.t.T("back")).OnClick(r.onBack),
		),
	)
}

// stageKey names the screen of the stage on show: a new key is a new
// subtree (see keyed).
func (r *Register) stageKey() string {
	k := string(r.plan.Next)
	switch r.plan.Next {
	case matrix.AuthEmail:
		if r.mail.sid != "" {
			k += "/sent"
		}
	case matrix.AuthMSISDN:
		if r.phone.sid != "" {
			k += "/code"
		}
	case matrix.AuthRecaptcha:
		if r.captcha.blocked {
			k += "/blocked"
		}
	}
	return k
}

// renderStageError draws a failed stage's error, our words first.
func (r *Register) renderStageError() app.UI {
	if r.stageErr == "" && r.formErr == "" {
		return app.Div().ID("stage-error").Class("alert-slot").Aria("live", "assertive")
	}
	msg, detail := r.stageErr, r.stageDetail
	if msg == "" {
		msg, detail = r.formErr, r.formDetail
	}
	return app.Div().ID("stage-error").Class("alert").Role("alert").TabIndex(-1).Body(
		app.P().Text(msg),
		app.If(detail != "", func() app.UI {
			return app.P().Class("alert__detail").Text(r.t.T("server.said", detail))
		}),
	)
}

// renderAlternatives offers the other ways the server accepts ("Use an
// email address instead").
func (r *Register) renderAlternatives() app.UI {
	alts := chooser.Alternatives(r.auth, r.plan.Stages)
	if len(alts) == 0 {
		return app.Text("")
	}
	return app.Ul().Class("alternatives").Body(
		app.Range(alts).Slice(func(i int) app.UI {
			s := alts[i]
			label := r.t.T("switch." + s)
			if label == "switch."+s {
				label = r.t.T("switch.other")
			}
			return app.Li().Body(app.Button().Type("button").Class("link").
				ID("switch-" + stageSlug(s)).Text(label).
				OnClick(func(ctx app.Context, e app.Event) { r.switchTo(s) }))
		}),
	)
}

// switchTo follows another flow, one that contains stage s.
func (r *Register) switchTo(s matrix.AuthType) {
	plan, err := chooser.Choose(r.auth, nil, s)
	if err != nil || r.busy {
		return
	}
	r.prefer = s
	r.plan = plan
	r.stopStages()
	r.saveProgress()
	if plan.Next == matrix.AuthDummy || plan.Done() {
		r.send(uiaa.Dummy(r.auth.Session))
		return
	}
	r.enterStage(plan.Next)
}

// onBack returns to the form, keeping the session and what was typed.
func (r *Register) onBack(ctx app.Context, e app.Event) {
	r.stopStages()
	r.phase = phaseForm
	r.shown = ""
	r.setTitle(r.formTitle())
	r.focus("username")
}

// visibleStep counts the stages the user sees (dummy is invisible).
func visibleStep(p uiaa.Plan) (step, total int) {
	for i, s := range p.Stages {
		if s == matrix.AuthDummy {
			continue
		}
		total++
		if i < p.Step-1 || (i == p.Step-1) {
			step++
		}
	}
	if step == 0 {
		step = 1
	}
	return step, total
}

// stageSlug makes an element ID from a stage type.
func stageSlug(s matrix.AuthType) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s) && len(out) < 40; i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			out = append(out, c)
		} else {
			out = append(out, '-')
		}
	}
	return string(out)
}

// formTitle is the page title of the form, in the user's language: its
// heading, then the brand (as the server pre-renders it in English).
func (r *Register) formTitle() string {
	if b := r.Config.Brand(); b != "" {
		return r.title() + " · " + b
	}
	return r.title()
}

// setTitle sets the page title (it follows the screen).
func (r *Register) setTitle(s string) {
	if r.live() {
		r.ctx.Page().SetTitle(s)
	}
}
