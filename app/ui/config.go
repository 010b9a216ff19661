// Package ui holds the widget's go-app components. They render on the server
// (pre-render: the form is visible before the WASM arrives) and in the
// browser. Network calls go through Services, which only the browser entry
// point provides.
package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"strconv"
	"strings"

	"signup/app/i18n"
	"signup/app/matrix"
)

// Config is what the widget knows about its deployment. The server fills it
// from its flags; the browser reads the same values from the page's env.
type Config struct {
	// HomeserverURL is the client-server API base URL.
	HomeserverURL string
	// ServerName ends the user IDs (the "example.org" in @alice:example.org);
	// empty when unknown, then no preview is shown.
	ServerName string
	// Brand is the name shown in the header.
	Brand string
	// DeviceName is sent as initial_device_display_name.
	DeviceName string
	// RecaptchaScript is the URL of the reCAPTCHA script (the operator may
	// self-host or proxy it).
	RecaptchaScript string
	// Guests offers "Continue as guest" (kind=guest).
	Guests bool
	// TrustedOrigins may receive the codes users type (msisdn submit_url),
	// besides the homeserver's own origin.
	TrustedOrigins []string
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
	// OnVisible registers f to run (on any goroutine) whenever the tab
	// becomes visible again.
	OnVisible func(f func())
	// OpenFallback opens url in a popup from a user action and calls done
	// (on any goroutine) when that popup posts "authDone". It returns false
	// when the browser blocked the popup.
	OpenFallback func(url string, done func()) bool
	// Recaptcha loads the reCAPTCHA script from scriptURL and renders the
	// widget with siteKey into the element with ID elementID. onToken gets
	// each solved response; onError is called when the script cannot load.
	// Callbacks may run on any goroutine.
	Recaptcha func(scriptURL, elementID, siteKey string, onToken func(string), onError func(error))
	// Claim takes a cross-tab lock named key without waiting; ok is false
	// when another tab holds it. release gives it back.
	Claim func(key string) (release func(), ok bool)
	// Broadcast sends msg to the widget's other tabs; OnBroadcast registers
	// a receiver (called on any goroutine).
	Broadcast   func(msg string)
	OnBroadcast func(f func(msg string))
}

// Store is a string key-value store (the tab's sessionStorage).
type Store interface {
	Get(key string) (string, bool)
	Set(key, value string)
	Remove(key string)
}

func (c Config) catalog() *i18n.Catalog { return i18n.English }

// Environment keys that carry Config to the browser (go-app's page env).
const (
	envHomeserver = "SIGNUP_HS_URL"
	envServerName = "SIGNUP_SERVER_NAME"
	envBrand      = "SIGNUP_BRAND"
	envDevice     = "SIGNUP_DEVICE_NAME"
	envRecaptcha  = "SIGNUP_RECAPTCHA_SCRIPT"
	envGuests     = "SIGNUP_GUESTS"
	envTrusted    = "SIGNUP_TRUSTED_ORIGINS"
)

// Env returns the page environment that carries c to the browser.
func (c Config) Env() map[string]string {
	return map[string]string{
		envHomeserver: c.HomeserverURL,
		envServerName: c.ServerName,
		envBrand:      c.Brand,
		envDevice:     c.DeviceName,
		envRecaptcha:  c.RecaptchaScript,
		envGuests:     strconv.FormatBool(c.Guests),
		envTrusted:    strings.Join(c.TrustedOrigins, " "),
	}
}

// ConfigFromEnv reads the Config that Env wrote, through getenv (go-app's
// app.Getenv in the browser).
func ConfigFromEnv(getenv func(string) string) Config {
	return Config{
		HomeserverURL:   getenv(envHomeserver),
		ServerName:      getenv(envServerName),
		Brand:           getenv(envBrand),
		DeviceName:      getenv(envDevice),
		RecaptchaScript: getenv(envRecaptcha),
		Guests:          getenv(envGuests) == "true",
		TrustedOrigins:  strings.Fields(getenv(envTrusted)),
	}
}

// Routes registers the widget's pages with go-app. The server calls it
// with nil services (pre-render only); the browser with its own.
func Routes(c Config, s *Services) {
	app.Route("/", func() app.Composer { return &Register{Config: c, Services: s} })
}
