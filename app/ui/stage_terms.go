package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"strconv"

	"signup/app/uiaa"
)

// termsState is the m.login.terms stage: the policies in the user's
// language and which boxes are ticked.
type termsState struct {
	policies []uiaa.Policy
	accepted map[string]bool
	bad      bool
}

func (r *Register) loadTerms() {
	var langs []string
	if r.Services != nil && r.Services.Languages != nil {
		langs = r.Services.Languages()
	}
	ps, err := uiaa.Policies(r.auth, langs)
	r.terms = termsState{policies: ps, accepted: map[string]bool{}, bad: err != nil}
}

func (t termsState) all() bool {
	if len(t.policies) == 0 {
		return false
	}
	for _, p := range t.policies {
		if !t.accepted[p.ID] {
			return false
		}
	}
	return true
}

// renderTerms draws one checkbox per policy, labelled with its name, with
// a link to its URL (new tab, noopener). Continue is enabled when every box
// is ticked. Malformed params get a clear error and the fallback page.
func (r *Register) renderTerms() app.UI {
	if r.terms.bad {
		return app.Div().Body(
			app.P().ID("terms-bad").Class("alert").Role("alert").Text(r.t.T("terms.bad")),
			r.renderFallback(),
		)
	}
	return app.Form().ID("terms").NoValidate(true).OnSubmit(r.onTermsSubmit).Body(
		app.P().Text(r.t.T("terms.intro")),
		app.Ul().Class("policies").Body(
			app.Range(r.terms.policies).Slice(func(i int) app.UI {
				p := r.terms.policies[i]
				id := policyBoxID(p.ID, i)
				box := app.Input().Type("checkbox").ID(id).Name(id).
					OnChange(func(ctx app.Context, e app.Event) {
						r.terms.accepted[p.ID] = ctx.JSSrc().Get("checked").Bool()
					})
				if r.terms.accepted[p.ID] {
					box = box.Checked(true)
				}
				return app.Li().Class("policy").Body(
					box,
					app.Label().For(id).Text(r.t.T("terms.accept", p.Name)),
					app.If(p.URL != "", func() app.UI {
						return app.A().Class("policy__link").Href(SafeAttr(p.URL)).Target("_blank").
							Rel("noopener noreferrer").Text(r.t.T("terms.open", p.Name))
					}),
				)
			}),
		),
		app.P().ID("terms-status").Class("hint").Aria("live", "polite").Text(r.termsHint()),
		r.renderStageButton("terms-continue", r.t.T("continue"), !r.terms.all()),
	)
}

// policyBoxID is the element ID of the i-th policy's checkbox.
func policyBoxID(policy string, i int) string {
	return "policy-" + stageSlug(policy) + "-" + strconv.Itoa(i)
}

func (r *Register) termsHint() string {
	if r.terms.all() {
		return ""
	}
	return r.t.T("terms.all")
}

func (r *Register) onTermsSubmit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if r.busy || !r.terms.all() || r.waiting() {
		return
	}
	r.stageErr = ""
	r.send(uiaa.TermsAuth(r.auth.Session))
}

// renderStageButton draws a stage's submit button: disabled while blocked
// (only ever rendered disabled when true), busy while a request runs.
func (r *Register) renderStageButton(id, label string, blocked bool) app.UI {
	if left := r.wait.left(now()); left > 0 {
		label = r.t.N("retry.in", left)
		blocked = true
	} else if r.busy {
		label = r.t.T("submitting")
	} else if r.retryable && r.formErr != "" {
		label = r.t.T("retry")
	}
	btn := app.Button().ID(id).Type("submit").Class("primary").Aria("busy", r.busy).Text(label)
	if blocked {
		btn = btn.Disabled(true)
	}
	return app.Div().Class("actions").Body(
		btn,
		app.P().ID(id+"-status").Class("sr-only").Role("status").Text(r.busyText()),
	)
}

func (r *Register) waiting() bool { return r.wait.left(now()) > 0 }
