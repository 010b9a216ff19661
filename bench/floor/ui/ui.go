// Package ui is the floor app's only component: a form-like page, the
// smallest go-app v10 app that does what the widget's first screen does
// (pre-rendered by the server, taken over by the WASM). It marks the
// takeover the way the widget does, with data-ready="true" on #signup, so
// the benchmark measures both apps with the same readiness signal.
package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// Form is the floor's page.
type Form struct {
	app.Compo
	mounted  bool
	username string
}

// OnMount marks the takeover by the WASM app.
func (f *Form) OnMount(ctx app.Context) {
	f.mounted = true
	ctx.Update()
}

// Render draws a title, three inputs and a button.
func (f *Form) Render() app.UI {
	return app.Elem("main").ID("signup").DataSet("ready", f.mounted).Body(
		app.Form().ID("signup-form").Body(
			app.H1().Text("Create your account"),
			app.Label().For("username").Text("Username"),
			app.Input().ID("username").Name("username").Type("text").Value(f.username).
				OnInput(func(ctx app.Context, e app.Event) { f.username = ctx.JSSrc().Get("value").String() }),
			app.Label().For("password").Text("Password"),
			app.Input().ID("password").Name("password").Type("password"),
			app.Label().For("confirm").Text("Confirm password"),
			app.Input().ID("confirm").Name("confirm").Type("password"),
			app.Button().ID("submit").Type("submit").Text("Create account"),
		),
	)
}

// Route registers the page, in the browser and on the server alike.
func Route() { app.Route("/", func() app.Composer { return &Form{} }) }
