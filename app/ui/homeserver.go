package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/matrix"
)

// pickerState is the homeserver picker: the operator's choices, and a
// typed server when the operator allows custom ones.
type pickerState struct {
	open     bool
	custom   string
	err      string
	checking bool
	// unlisted is a server the page URL asked for that the operator does
	// not run (typed into the custom field, waiting for the user's
	// click); ignored is one it asked for while custom servers are off.
	// Each shows a note until the user switches servers.
	unlisted, ignored string
}

// pickable reports whether the user may change the homeserver at all.
func (r *Register) pickable() bool {
	h := r.Config.Operator.Homeserver
	return len(h.Choices) > 0 || h.AllowCustom
}

// renderPicker shows the homeserver and, when the operator allows it, a
// way to pick another one (a listed choice, or any server name, found
// through .well-known).
func (r *Register) renderPicker() app.UI {
	name := r.hs.ServerName
	if name == "" {
		name = hostOf(r.hs.BaseURL)
	}
	var ignored app.UI = app.Text("")
	if r.picker.ignored != "" {
		ignored = app.P().ID("server-ignored").Class("alert alert--info").Text(r.t.T("server.ignored", r.picker.ignored, name))
	}
	if !r.pickable() {
		return ignored
	}
	if !r.picker.open {
		current := app.P().ID("server").Class("server").Body(
			app.Text(r.t.T("server.current", name)+" "),
			app.Button().Type("button").ID("server-change").Class("link").Text(r.t.T("server.change")).
				OnClick(func(ctx app.Context, e app.Event) {
					r.picker.open = true
					r.focus("server-choices")
				}),
		)
		if r.picker.ignored == "" {
			return current
		}
		return app.Div().Body(ignored, current)
	}
	choices := r.Config.Operator.Homeserver.Choices
	return app.Div().ID("server-choices").Class("server-picker").TabIndex(-1).Body(
		app.If(r.picker.unlisted != "", func() app.UI {
			// Opened by the page URL, not the user: say where the account
			// goes if they do nothing, and let them keep it.
			return app.P().ID("server").Class("server").Body(
				app.Text(r.t.T("server.current", name)+" "),
				app.Button().Type("button").ID("server-keep").Class("link").Text(r.t.T("server.keep")).
					OnClick(func(ctx app.Context, e app.Event) {
						r.picker = pickerState{}
						r.focus("server-change")
					}),
			)
		}),
		app.P().Class("hint").Text(r.t.T("server.pick")),
		app.Range(choices).Slice(func(i int) app.UI {
			c := choices[i]
			return app.Button().Type("button").ID("server-choice-" + strconv.Itoa(i)).Class("secondary").Text(c.Name).
				OnClick(func(ctx app.Context, e app.Event) { r.pickHomeserver(c.URL, c.ServerName) })
		}),
		app.If(r.Config.Operator.Homeserver.AllowCustom, func() app.UI {
			return app.Div().Body(
				app.If(r.picker.unlisted != "", func() app.UI {
					return app.P().ID("server-unlisted").Class("alert").Text(r.t.T("server.unlisted", r.picker.unlisted))
				}),
				field{ID: "server-custom", Label: r.t.T("server.other"), Type: "text", Value: r.picker.custom,
					AutoComplete: "url", InputMode: "url", Username: true, Hint: r.t.T("server.other.hint"),
					Error: r.picker.err, OnInput: func(ctx app.Context, e app.Event) {
						r.picker.custom = ctx.JSSrc().Get("value").String()
						r.picker.err = ""
					}}.render(),
				app.Button().Type("button").ID("server-custom-use").Class("secondary").Text(r.t.T("server.use")).
					OnClick(func(ctx app.Context, e app.Event) { r.pickHomeserver(strings.TrimSpace(r.picker.custom), "") }),
			)
		}),
	)
}

// pickHomeserver resolves what the user chose (.well-known for a name,
// /versions for a URL) and switches to it: a new session, a new
// availability check, and the delegation check again.
func (r *Register) pickHomeserver(input, serverName string) {
	if r.picker.checking || input == "" || !r.live() {
		return
	}
	r.picker.checking, r.picker.err = true, ""
	d := r.Services.Doer
	ctx, stop := r.withTimeout(20 * time.Second)
	r.ctx.Async(func() {
		hs, err := matrix.Discover(ctx, d, input)
		stop()
		r.ctx.Dispatch(func(app.Context) {
			r.picker.checking = false
			if err != nil {
				r.picker.err = r.t.T("server.bad", input)
				r.focus("server-custom")
				return
			}
			if serverName != "" {
				hs.ServerName = serverName
			}
			// A typed base URL does not tell the server name: no
			// preview then, rather than a wrong one; the success panel
			// shows the user ID the server returns.
			r.switchHomeserver(hs)
		})
	})
}

func (r *Register) switchHomeserver(hs matrix.Homeserver) {
	r.stopStages()
	r.hs = hs
	r.picker = pickerState{}
	r.auth, r.plan, r.authFor, r.shown = nil, r.plan.Reset(), "", ""
	r.phase = phaseForm
	r.oauthURL, r.oauthIssuer = "", ""
	r.checks.cache = nil
	r.checks.schedule(r, true)
	r.clearErrors()
	r.checkDelegation()
	r.focus("username")
}
