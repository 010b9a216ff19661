package ui

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/registration"
)

// renderPicker shows the homeserver and, when the operator allows it, a
// way to pick another one (a listed choice, or any server name, found
// through .well-known). The current server is always among the choices,
// so there is a way back, and a server that cannot be reached is said so
// at the top of the picker.
func (r *Register) renderPicker() app.UI {
	p, t := r.view.Picker, r.tr()
	var ignored app.UI = app.Text("")
	if p.Ignored != "" {
		ignored = app.P().ID("server-ignored").Class("alert alert--info").Text(t.T("server.ignored", p.Ignored, p.Current))
	}
	if !p.Pickable {
		return ignored
	}
	if !p.Open {
		current := app.P().ID("server").Class("server").Body(
			app.Text(t.T("server.current", p.Current)+" "),
			app.Button().Type("button").ID("server-change").Class("link").Text(t.T("server.change")).
				DataSet("act", actAttr(registration.PickerOpen)).OnClick(r.onAct),
		)
		if p.Ignored == "" {
			return current
		}
		return app.Div().Body(ignored, current)
	}
	return app.Div().ID("server-choices").Class("server-picker").TabIndex(-1).Body(
		// Where the account goes if the user does nothing, and a way to
		// keep it.
		app.P().ID("server").Class("server").Body(
			app.Text(t.T("server.current", p.Current)+" "),
			app.Button().Type("button").ID("server-keep").Class("link").Text(t.T("server.keep")).
				DataSet("act", actAttr(registration.PickerKeep)).OnClick(r.onAct),
		),
		app.If(p.Error.Key != "" && !p.AllowCustom || p.Error.Key != "" && p.Custom == "", func() app.UI {
			return app.P().ID("server-error").Class("alert").Role("alert").TabIndex(-1).Text(r.msg(p.Error))
		}),
		app.P().Class("hint").Text(t.T("server.pick")),
		app.Range(p.Choices).Slice(func(i int) app.UI {
			c := p.Choices[i]
			return app.Button().Type("button").ID("server-choice-"+strconv.Itoa(i)).Class("secondary").Text(c.Name).
				Aria("busy", p.Checking).DataSet("pick", i).OnClick(r.onPick)
		}),
		app.If(p.AllowCustom, func() app.UI {
			return app.Div().Body(
				app.If(p.Unlisted != "", func() app.UI {
					return app.P().ID("server-unlisted").Class("alert").Text(t.T("server.unlisted", p.Unlisted))
				}),
				field{ID: "server-custom", Label: t.T("server.other"), Type: "text", Value: p.Custom,
					AutoComplete: "url", InputMode: "url", Username: true, Hint: t.T("server.other.hint"),
					Error: r.customError(), Field: registration.FieldServer, OnInput: r.onTyped}.render(),
				app.Button().Type("button").ID("server-custom-use").Class("secondary").Text(t.T("server.use")).
					DataSet("act", actAttr(registration.PickerCustom)).OnClick(r.onAct),
			)
		}),
	)
}

// customError is the picker's error when it is about the typed server.
func (r *Register) customError() string {
	if p := r.view.Picker; p.AllowCustom && p.Custom != "" {
		return r.msg(p.Error)
	}
	return ""
}
