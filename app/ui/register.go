package ui

import (
	"context"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/i18n"
	"signup/app/matrix"
	"signup/app/uiaa"
)

// phase is which screen the widget shows.
type phase int

const (
	phaseForm phase = iota
	phaseStage
	phaseDone
	phaseConfirmed // this tab was opened by the email link
)

// Register is the registration widget: the form, the UIAA stages that
// follow it, and the success panel. Config and Services are its props.
type Register struct {
	app.Compo

	Config   Config
	Services *Services

	ctx     app.Context
	mounted bool
	t       *i18n.Catalog
	hs      matrix.Homeserver // where accounts are made: the configured one, or the user's pick
	picker  pickerState

	username, password, confirm string
	avail                       availability
	checks                      checker

	// Errors next to what caused them, and the form-level alert.
	userErr, passErr, confirmErr string
	formErr, formDetail          string
	retryable                    bool

	busy      bool
	polling   bool
	phase     phase
	auth      *matrix.AuthInfo
	plan      uiaa.Plan
	authFor   string          // the request the UIAA session belongs to
	autoSteps int             // stages completed by the widget in a row
	restarts  int             // sessions restarted in this submit
	attempt   matrix.AuthType // the stage the request in flight submits
	prefer    matrix.AuthType // the stage the user switched to
	shown     matrix.AuthType // the stage on screen

	stageErr, stageDetail string
	terms                 termsState
	tok                   tokenState
	mail                  mailState
	phone                 phoneState
	captcha               captchaState
	fallback              fallbackState
	pendingPassword       string
	restored              bool

	claimed       string
	unclaim       func()
	doneElsewhere bool
	guest         bool
	oauthURL      string
	oauthIssuer   string
	update        bool
	showPassword  bool
	redirecting   bool
	contact       string
	loginToken    string

	wait    backoff
	result  *matrix.RegisterResponse
	focusID string
	sel     [2]int
}

// OnInit applies what the user typed before the app took over.
func (r *Register) OnInit() {
	r.hs = matrix.Homeserver{BaseURL: r.Config.HomeserverURL, ServerName: r.Config.ServerName}
	var langs []string
	if r.Services != nil && r.Services.Languages != nil {
		langs = r.Services.Languages()
	}
	r.t = r.Config.catalog(langs)
	if r.Services != nil && r.Services.SetLang != nil {
		r.Services.SetLang(r.t.Lang, r.t.Dir)
	}
	if r.Services == nil || r.Services.Prefill == nil {
		return
	}
	if r.restoreProgress() {
		return
	}
	p := r.Services.Prefill()
	r.username = p.Values["username"]
	r.password = p.Values["password"]
	r.confirm = p.Values["confirm"]
	r.focusID = p.Focus
	r.sel = [2]int{p.SelStart, p.SelEnd}
	r.checks.schedule(r, false)
}

// OnMount keeps the component's context for background work and restores
// the focus the pre-rendered form had.
func (r *Register) OnMount(ctx app.Context) {
	r.ctx = ctx
	r.mounted = true
	if r.focusID != "" && r.Services != nil && r.Services.Focus != nil {
		id, sel := r.focusID, r.sel
		ctx.Defer(func(app.Context) { r.Services.Focus(id, sel[0], sel[1]) })
	}
	r.focusID = ""
	if r.checks.pending {
		r.checks.schedule(r, true)
	}
	r.listenTabs(ctx)
	if vars := r.Config.Operator.Brand.CSSVars(); len(vars) > 0 && r.Services.ApplyBrand != nil {
		r.Services.ApplyBrand(vars)
	}
	switch {
	case r.confirmedLanding():
	case r.restored:
		r.enterStage(r.plan.Next)
	default:
		r.setTitle(r.formTitle())
		if r.followPageHomeserver() {
			break
		}
		r.checkDelegation()
	}
	ctx.Update()
}

// OnDismount stops background work.
func (r *Register) OnDismount() {
	r.checks.cancel()
	r.stopStages()
}

func (r *Register) client() *matrix.Client {
	return matrix.NewClient(r.hs.BaseURL, r.Services.Doer)
}

// live reports whether the widget can make requests (in a mounted browser
// component).
func (r *Register) live() bool { return r.mounted && r.Services != nil && r.Services.Doer != nil }

// focus moves the keyboard focus after the next render.
func (r *Register) focus(id string) {
	if !r.live() || r.Services.Focus == nil {
		return
	}
	r.ctx.Defer(func(app.Context) { r.Services.Focus(id, -1, -1) })
}

// Render draws the current screen.
func (r *Register) Render() app.UI {
	if r.t == nil {
		r.t = r.Config.catalog(nil)
	}
	if r.hs.BaseURL == "" {
		r.hs = matrix.Homeserver{BaseURL: r.Config.HomeserverURL, ServerName: r.Config.ServerName}
	}
	var screen app.UI
	switch {
	case r.Config.Problem != "":
		screen = r.renderProblem()
	case r.phase == phaseDone:
		screen = r.renderSuccess()
	case r.phase == phaseConfirmed:
		screen = r.renderConfirmed()
	case r.oauthURL != "":
		screen = r.renderOAuth()
	case r.phase == phaseStage:
		screen = r.renderStage()
	default:
		screen = r.renderForm()
	}
	return app.Main().ID("signup").Class("signup").
		DataSet("ready", r.mounted).
		Body(
			r.renderUpdate(),
			app.Header().Class("brand").Body(
				app.Img().Class("brand__logo").Src(r.logo()).Role("presentation").Attr("width", 40).Attr("height", 40),
				app.P().Class("brand__name").Text(r.Config.Brand()),
			),
			screen,
			r.renderFooter(),
		)
}

// now is time.Now; a variable for tests.
var now = time.Now

// withTimeout bounds one request.
func (r *Register) withTimeout(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(r.ctx, d)
}
