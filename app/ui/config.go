// Package ui holds the widget's go-app components. They render on the server
// (pre-render: the form is visible before the WASM arrives) and in the
// browser. Network calls go through Services, which only the browser entry
// point provides.
package ui

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/config"
	"signup/app/i18n"
	"signup/app/matrix"
)

// Config is what the widget knows about its deployment: the resolved
// homeserver and the operator's configuration. The server fills it at
// start-up; the browser reads the same values from the page's env (or, for
// a static export, from config.json).
type Config struct {
	// HomeserverURL is the client-server API base URL.
	HomeserverURL string
	// ServerName ends the user IDs (the "example.org" in @alice:example.org);
	// empty when unknown, then no preview is shown.
	ServerName string
	// Operator is the operator's configuration (brand, texts, languages,
	// registration options, after sign-up, embedding).
	Operator config.Config
	// RequestTimeout bounds one /register request (default a minute).
	RequestTimeout time.Duration
	// AuthPath is where the homeserver's OAuth metadata is, from its
	// /versions at the server's start (unknown for a static export).
	AuthPath matrix.AuthPath
	// Problem is set when the operator's config.json (static export) is
	// invalid: the widget shows it instead of the form.
	Problem string
}

// Brand returns the name shown in the header: the operator's brand, else
// the server name.
func (c Config) Brand() string {
	if n := c.Operator.Brand.Name; n != "" {
		return n
	}
	return c.ServerName
}

// Title is the page title in the default language (TitleIn).
func (c Config) Title() string { return c.TitleIn(c.catalog(nil)) }

// TitleIn is the page title in cat's language: the operator's
// texts.title, else the catalogue's "title", followed by the brand (so
// that changing brand.name alone renames the tab).
func (c Config) TitleIn(cat *i18n.Catalog) string {
	t := c.Operator.Texts.Title.In(cat.Lang, c.Operator.Languages.Default)
	if t == "" {
		t = cat.T("title")
	}
	if b := c.Brand(); b != "" {
		t += " · " + b
	}
	return t
}

// AppName is the installed app's name: the brand, else "Matrix sign-up".
func (c Config) AppName() string {
	if b := c.Brand(); b != "" {
		return b
	}
	return "Matrix sign-up"
}

// ShortName is the installed app's short name: brand.short_name, else
// derived from the brand (config.Brand.ShortNameOr).
func (c Config) ShortName() string {
	return c.Operator.Brand.ShortNameOr(c.Brand(), "Sign up")
}

// DeviceName is sent as initial_device_display_name: the operator's, else
// "<brand> sign-up".
func (c Config) DeviceName() string {
	return c.Operator.Registration.DeviceNameOr(c.Brand(), "Sign-up widget")
}

// RecaptchaScript is the URL of the reCAPTCHA script, or "" when the
// operator turned reCAPTCHA off (registration.recaptcha: false).
func (c Config) RecaptchaScript() string {
	if on := c.Operator.Registration.Recaptcha; on != nil && !*on {
		return ""
	}
	if s := c.Operator.Registration.RecaptchaScript; s != "" {
		return s
	}
	return DefaultRecaptchaScript
}

// DefaultRecaptchaScript is Google's reCAPTCHA script, loaded with an onload
// callback and explicit rendering.
const DefaultRecaptchaScript = "https://www.google.com/recaptcha/api.js"

// Prefill is what the user typed into the pre-rendered form before the WASM
// took over: values by input ID, and the focused input.
type Prefill struct {
	Values           map[string]string
	Focus            string
	SelStart, SelEnd int
}

// Services are what only a browser provides. On the server they are nil:
// the pre-rendered page makes no requests.
type Services struct {
	// Doer sends HTTP requests (fetch).
	Doer matrix.Doer
	// Prefill returns the pre-rendered form's input, read before the app
	// replaced it.
	Prefill func() Prefill
	// Focus moves the keyboard focus to the element with this ID and, for a
	// text input, restores the selection when start >= 0.
	Focus func(id string, start, end int)
	// Languages returns the user's languages, most preferred first
	// (navigator.languages).
	Languages func() []string
	// PageURL returns the page's URL (for ?token= and next_link).
	PageURL func() string
	// Store is the tab's sessionStorage: progress that must survive a
	// reload. Never the password.
	Store Store
	// Hidden reports whether the tab is hidden (no polling then).
	Hidden func() bool
	// OnVisibility registers f to run (on any goroutine) whenever the
	// tab becomes hidden or visible again.
	OnVisibility func(f func(hidden bool))
	// OpenFallback opens url in a popup from a user action and calls done
	// (on any goroutine) when that popup posts "authDone" from one of
	// origins (canonical, as event.origin reads). It returns false when the
	// browser blocked the popup.
	OpenFallback func(url string, origins []string, done func()) bool
	// Recaptcha loads the reCAPTCHA script from scriptURL and renders the
	// widget with siteKey into the element with ID elementID. onToken gets
	// each solved response; onError is called when the script cannot load.
	// Callbacks may run on any goroutine.
	Recaptcha func(scriptURL, elementID, siteKey string, onToken func(string), onError func(error))
	// Claim takes a cross-tab lock named key without waiting; ok is false
	// when another tab holds it, err set when the browser did not answer.
	// release gives it back. It blocks: call it from ctx.Async.
	Claim func(key string) (release func(), ok bool, err error)
	// SetLang sets the document's language and direction (lang, dir on
	// <html>).
	SetLang func(lang, dir string)
	// Online reports whether the browser believes it is online.
	Online func() bool
	// Notify posts an event to the embedding page (signup:registered,
	// signup:stage, signup:error), only to an allowed parent origin.
	Notify func(event string, detail map[string]string)
	// Navigate sends the browser to an http(s) URL (after sign-up).
	Navigate func(url string)
	// ApplyBrand sets the brand colours and font as CSS custom properties
	// on the document (CSSOM, allowed by the CSP).
	ApplyBrand func(vars map[string]string)
	// Copy writes text to the clipboard from a user's click and calls
	// done (on any goroutine) with whether it worked.
	Copy func(text string, done func(ok bool))
	// Broadcast sends msg to the widget's other tabs; OnBroadcast registers
	// a receiver (called on any goroutine).
	Broadcast   func(msg string)
	OnBroadcast func(f func(msg string))
	// SignUpWindow opens the window of a sign-up on another page (OAuth,
	// SSO) at url (about:blank when empty) from a user action, or, with
	// move, sends the window it opened there; false when the browser
	// blocked it or it is gone. CloseSignUpWindow closes it.
	SignUpWindow      func(url string, move bool) bool
	CloseSignUpWindow func()
	// OnRelay registers f to run (on any goroutine) with the callback URL
	// the sign-up window hands back: only from that window, on this
	// page's own origin.
	OnRelay func(f func(url string))
	// ReplaceURL replaces the page's address (history.replaceState).
	ReplaceURL func(url string)
	// Embedded reports whether the page is in a frame; CallbackURL is the
	// address of web/callback.html, where flows in a popup come back.
	Embedded    func() bool
	CallbackURL func() string
}

// Store is a string key-value store (the tab's sessionStorage).
type Store interface {
	Get(key string) (string, bool)
	Set(key, value string)
	Remove(key string)
}

// catalog picks the UI language from the user's languages (most
// preferred first), the operator's enabled list and default, and applies
// the operator's overrides for it.
func (c Config) catalog(user []string) *i18n.Catalog {
	l := c.Operator.Languages
	cat := i18n.Choose(user, l.Enabled, l.Default)
	return cat.WithOverrides(c.Operator.Texts.Overrides[cat.Lang])
}

// Environment keys that carry Config to the browser (go-app's page env).
const (
	envHomeserver = "SIGNUP_HS_URL"
	envServerName = "SIGNUP_SERVER_NAME"
	envConfig     = "SIGNUP_CONFIG"
	envTimeout    = "SIGNUP_REQUEST_TIMEOUT"
	envAuthPath   = "SIGNUP_AUTH_PATH"
	// EnvConfigURL names a config.json to fetch at start (static export).
	EnvConfigURL = "SIGNUP_CONFIG_URL"
)

// Env returns the page environment that carries c to the browser.
func (c Config) Env() map[string]string {
	b, _ := json.Marshal(c.Operator)
	return map[string]string{
		envHomeserver: c.HomeserverURL,
		envServerName: c.ServerName,
		envConfig:     string(b),
		envTimeout:    c.RequestTimeout.String(),
		envAuthPath:   strconv.Itoa(int(c.AuthPath)),
	}
}

// ConfigFromEnv reads the Config that Env wrote, through getenv (go-app's
// app.Getenv in the browser). A config that does not parse becomes
// Problem.
func ConfigFromEnv(getenv func(string) string) Config {
	c := Config{HomeserverURL: getenv(envHomeserver), ServerName: getenv(envServerName)}
	if d, err := time.ParseDuration(getenv(envTimeout)); err == nil && d > 0 {
		c.RequestTimeout = d
	}
	if n, err := strconv.Atoi(getenv(envAuthPath)); err == nil && n >= 0 && n <= int(matrix.AuthUnstable) {
		c.AuthPath = matrix.AuthPath(n)
	}
	if raw := getenv(envConfig); raw != "" {
		op, err := config.Parse([]byte(raw))
		if err != nil {
			c.Problem = err.Error()
		} else {
			c.Operator = *op
		}
	}
	return c
}

// FromOperator builds the Config of a static export from its config.json:
// the homeserver must be a base URL there, since no server resolves it.
func FromOperator(op *config.Config) Config {
	return Config{HomeserverURL: strings.TrimRight(op.Homeserver.URL, "/"), ServerName: op.Homeserver.ServerName, Operator: *op}
}

// Routes registers the widget's page with go-app. The server calls it
// with nil services (pre-render only); the browser with its own. A static
// export, which cannot read Accept-Language, also has one page per
// enabled language at /<lang>/ (LangPath): there the language is the
// page's, whatever the browser prefers. Those are regexp routes, which
// go-app's static generator does not write (internal/server writes them
// with the language's own <html lang dir>). The browser (s not nil) has
// the same routes as plain paths, with and without the final slash:
// compiling the regular expressions took 8 to 17 ms of the WASM's start
// (a CPU profile of the page's load), before the form was interactive.
func Routes(c Config, s *Services) {
	app.Route("/", func() app.Composer { return &Register{Config: c, Services: s} })
	for _, lang := range i18n.Languages() {
		pinned := c.InLanguage(lang)
		page := func() app.Composer { return &Register{Config: pinned, Services: s} }
		if s == nil {
			app.RouteWithRegexp("^"+LangPath(lang)+"?$", page)
			continue
		}
		app.Route(LangPath(lang), page)
		app.Route(strings.TrimSuffix(LangPath(lang), "/"), page)
	}
}

// LangPath is the path of a static export's page in one language
// ("/de/").
func LangPath(lang string) string { return "/" + lang + "/" }

// InLanguage is c with the UI language fixed to lang (the page at
// LangPath).
func (c Config) InLanguage(lang string) Config {
	c.Operator.Languages = config.Languages{Default: lang, Enabled: []string{lang}}
	return c
}
