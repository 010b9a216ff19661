package ui

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/i18n"
	"signup/app/matrix"
	"signup/app/registration"
)

// Register is the registration widget: the form, the UIAA stages that
// follow it, and the welcome panel. It draws the view of a
// registration.Engine and sends it the user's events; the runner
// (runner.go) carries out the engine's effects. Config and Services are
// its props.
type Register struct {
	app.Compo

	Config   Config
	Services *Services

	eng     *registration.Engine
	view    registration.View
	t       *i18n.Catalog
	ctx     app.Context
	mounted bool
	queued  []registration.Effect // effects of Start, run once mounted
	run     runner

	showPassword bool
	update       bool
	focusID      string
	sel          [2]int
	title        string
}

// OnInit starts the conversation with what the user typed before the app
// took over (and the tab's saved progress).
func (r *Register) OnInit() {
	var langs []string
	if r.Services != nil && r.Services.Languages != nil {
		langs = r.Services.Languages()
	}
	r.t = r.Config.catalog(langs)
	if r.Services != nil && r.Services.SetLang != nil {
		r.Services.SetLang(r.t.Lang, r.t.Dir)
	}
	r.eng = registration.New(r.Config.settings(langs))
	if r.Services == nil || r.Services.Prefill == nil {
		r.view = r.eng.View(now())
		return
	}
	p := r.Services.Prefill()
	start := registration.Start{
		Username: p.Values["username"], Password: p.Values["password"], Confirm: p.Values["confirm"],
	}
	if r.Services.PageURL != nil {
		start.PageURL = r.Services.PageURL()
	}
	if r.Services.Store != nil {
		start.Saved, _ = r.Services.Store.Get(registration.ProgressKey)
	}
	if r.Services.Hidden != nil {
		start.Hidden = r.Services.Hidden()
	}
	if r.Services.Store != nil {
		start.Flow, _ = r.Services.Store.Get(registration.FlowKey)
	}
	if r.Services.Embedded != nil {
		start.Embedded = r.Services.Embedded()
	}
	if r.Services.CallbackURL != nil {
		start.CallbackURL = r.Services.CallbackURL()
	}
	r.focusID, r.sel = p.Focus, [2]int{p.SelStart, p.SelEnd}
	r.queued = r.eng.Handle(start, now())
	r.view = r.eng.View(now())
}

// OnMount runs the start's effects, restores the focus the pre-rendered
// form had, and listens to the other tabs and the tab's visibility.
func (r *Register) OnMount(ctx app.Context) {
	r.ctx = ctx
	r.mounted = true
	if r.Services == nil {
		return
	}
	if r.focusID != "" && r.Services.Focus != nil {
		id, sel, focus := r.focusID, r.sel, r.Services.Focus
		ctx.Defer(func(app.Context) { focus(id, sel[0], sel[1]) })
	}
	r.focusID = ""
	r.listen(ctx)
	if vars := r.Config.Operator.Brand.CSSVars(); len(vars) > 0 && r.Services.ApplyBrand != nil {
		r.Services.ApplyBrand(vars)
	}
	fx := r.queued
	r.queued = nil
	r.carry(fx)
	r.refresh()
}

// OnDismount stops background work.
func (r *Register) OnDismount() {
	r.run.stop()
	r.mounted = false
}

// send feeds an event to the engine and carries out what it asks.
func (r *Register) send(ev registration.Event) {
	if r.eng == nil || !r.mounted {
		return
	}
	r.carry(r.eng.Handle(ev, now()))
	r.refresh()
}

// Controls carry what they send in data attributes, read when they
// fire: go-app keeps the first handler of an element it patches in place
// when the new one is the same function, and every closure of one
// literal is, so a handler that captured its event would send a stale
// one (a choice that moved up the picker would still pick the server
// that was at its place before). data-act is an Action, data-pick a
// picker index, data-stage a stage to switch to, data-policy a terms
// policy, data-field a Field.

// actAttr is the data-act of a control.
func actAttr(a registration.Action) int { return int(a) }

// dataInt reads the data attribute name of the event's element.
func dataInt(ctx app.Context, name string) (int, bool) {
	n, err := strconv.Atoi(ctx.JSSrc().Get("dataset").Get(name).String())
	return n, err == nil
}

// onAct is the click or submit handler of every control that sends an
// Act (a native form submission never happens).
func (r *Register) onAct(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if a, ok := dataInt(ctx, "act"); ok {
		r.send(registration.Act{Action: registration.Action(a)})
	}
}

// onPick is a click on one of the picker's servers.
func (r *Register) onPick(ctx app.Context, e app.Event) {
	if i, ok := dataInt(ctx, "pick"); ok {
		r.send(registration.Pick{Index: i})
	}
}

// onSwitch is a click on "Use … instead".
func (r *Register) onSwitch(ctx app.Context, e app.Event) {
	r.send(registration.SwitchFlow{Stage: matrix.AuthType(ctx.JSSrc().Get("dataset").Get("stage").String())})
}

// onAccept is a terms policy's box.
func (r *Register) onAccept(ctx app.Context, e app.Event) {
	src := ctx.JSSrc()
	r.send(registration.Accept{Policy: src.Get("dataset").Get("policy").String(), Accepted: src.Get("checked").Bool()})
}

// onTyped is an input's handler: its value to the engine.
func (r *Register) onTyped(ctx app.Context, e app.Event) {
	if f, ok := dataInt(ctx, "field"); ok {
		r.send(registration.Typed{Field: registration.Field(f), Value: ctx.JSSrc().Get("value").String()})
	}
}

// refresh takes the engine's new view and follows it with the page
// title.
func (r *Register) refresh() {
	r.view = r.eng.View(now())
	if t := r.pageTitle(); t != r.title && r.mounted {
		r.title = t
		r.ctx.Page().SetTitle(t)
	}
}

// tr is the catalogue (English before OnInit, as in tests that render a
// component alone).
func (r *Register) tr() *i18n.Catalog {
	if r.t != nil {
		return r.t
	}
	return r.Config.catalog(nil)
}

// msg renders a message, the server's words after ours.
func (r *Register) msg(m registration.Msg) string {
	if m.Key == "" {
		return ""
	}
	s := r.tr().T(m.Key, m.Args...)
	if m.Then != nil {
		s += " " + r.msg(*m.Then)
	}
	if m.Detail != "" {
		s += " " + r.tr().T("server.said", m.Detail)
	}
	return s
}

// Render draws the current screen.
func (r *Register) Render() app.UI {
	v := r.view
	var screen app.UI
	switch {
	case r.Config.Problem != "":
		screen = r.renderProblem()
	case v.Screen == registration.ScreenDone:
		screen = r.renderSuccess()
	case v.Screen == registration.ScreenConfirmed:
		screen = r.renderConfirmed()
	case v.Screen == registration.ScreenOAuth:
		screen = r.renderOAuth()
	case v.Screen == registration.ScreenStage:
		screen = r.renderStage()
	default:
		screen = r.renderForm()
	}
	return app.Main().ID("signup").Class("signup").
		DataSet("ready", r.mounted).
		Body(
			r.renderUpdate(),
			app.Header().Class("brand").Body(
				r.renderLogo(),
				app.P().Class("brand__name").Text(r.Config.Brand()),
			),
			screen,
			r.renderFooter(),
		)
}

// listen wires the other tabs' messages and the tab's visibility to the
// engine; called once on mount.
func (r *Register) listen(ctx app.Context) {
	s := r.Services
	if s.OnBroadcast != nil {
		s.OnBroadcast(func(m string) {
			ctx.Dispatch(func(app.Context) { r.send(registration.TabMessage{Msg: m}) })
		})
	}
	if s.OnVisibility != nil {
		s.OnVisibility(func(hidden bool) {
			ctx.Dispatch(func(app.Context) { r.send(registration.Visibility{Hidden: hidden}) })
		})
	}
	if s.OnRelay != nil {
		s.OnRelay(func(u string) {
			ctx.Dispatch(func(app.Context) { r.send(registration.Callback{URL: u}) })
		})
	}
}
