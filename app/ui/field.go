package ui

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/registration"
)

// field describes one labelled input with its hint, live status and error.
type field struct {
	ID, Label, Type, Value  string
	AutoComplete, InputMode string
	Hint, Status, Error     string
	// Extra renders under the input (such as a "Use alice" button).
	Extra app.UI
	// Field is what the input holds, for OnInput (see Register.onTyped).
	Field   registration.Field
	OnInput app.EventHandler
	// Username turns off capitalisation, correction and spellcheck, and
	// reads left to right (as LTR).
	Username bool
	// LTR makes the input left to right in a right-to-left page: user
	// IDs, server names, addresses, tokens and codes are written so.
	LTR bool
	// Secret leaves the input without a name, so that a native submission
	// of its form (before the app loaded, or with JavaScript off) never
	// carries it; a password type does the same. Password managers find it
	// by its id and autocomplete.
	Secret bool
}

// render draws the field: a real <label for>, the input described by its
// hint, status and error (aria-describedby), aria-invalid on error, and the
// error as role="alert" so screen readers announce it.
func (f field) render() app.UI {
	var described []string
	if f.Hint != "" {
		described = append(described, f.ID+"-hint")
	}
	described = append(described, f.ID+"-status")
	if f.Error != "" {
		described = append(described, f.ID+"-error")
	}
	in := app.Input().
		ID(f.ID).
		Type(f.Type).
		Value(SafeAttr(f.Value)).
		Attr("autocomplete", f.AutoComplete).
		Aria("describedby", strings.Join(described, " ")).
		Aria("invalid", f.Error != "").
		DataSet("field", int(f.Field)).
		OnInput(f.OnInput)
	if !f.Secret && f.Type != "password" {
		in = in.Name(f.ID)
	}
	if f.InputMode != "" {
		in = in.Attr("inputmode", f.InputMode)
	}
	if f.Username {
		in = in.Attr("autocapitalize", "none").Attr("autocorrect", "off").Spellcheck(false)
	}
	if f.Username || f.LTR {
		in = in.Dir("ltr")
	}
	cls := "field"
	if f.Error != "" {
		cls += " field--invalid"
	}
	return app.Div().Class(cls).Body(
		app.Label().For(f.ID).Text(f.Label),
		in,
		app.If(f.Hint != "", func() app.UI {
			return app.P().ID(f.ID + "-hint").Class("hint").Text(f.Hint)
		}),
		app.P().ID(f.ID+"-status").Class("status").Aria("live", "polite").Text(f.Status),
		app.If(f.Error != "", func() app.UI {
			return app.P().ID(f.ID + "-error").Class("error").Role("alert").Text(f.Error)
		}),
		app.If(f.Extra != nil, func() app.UI { return f.Extra }),
	)
}
