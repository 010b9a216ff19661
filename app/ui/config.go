// Package ui holds the widget's go-app components. They render on the server
// (pre-render: the form is visible before the WASM arrives) and in the
// browser. Network calls go through Services, which only the browser entry
// point provides.
package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

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
}

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
}

func (c Config) catalog() *i18n.Catalog { return i18n.English }

// Environment keys that carry Config to the browser (go-app's page env).
const (
	envHomeserver = "SIGNUP_HS_URL"
	envServerName = "SIGNUP_SERVER_NAME"
	envBrand      = "SIGNUP_BRAND"
	envDevice     = "SIGNUP_DEVICE_NAME"
)

// Env returns the page environment that carries c to the browser.
func (c Config) Env() map[string]string {
	return map[string]string{
		envHomeserver: c.HomeserverURL,
		envServerName: c.ServerName,
		envBrand:      c.Brand,
		envDevice:     c.DeviceName,
	}
}

// ConfigFromEnv reads the Config that Env wrote, through getenv (go-app's
// app.Getenv in the browser).
func ConfigFromEnv(getenv func(string) string) Config {
	return Config{
		HomeserverURL: getenv(envHomeserver),
		ServerName:    getenv(envServerName),
		Brand:         getenv(envBrand),
		DeviceName:    getenv(envDevice),
	}
}

// Routes registers the widget's pages with go-app. The server calls it
// with nil services (pre-render only); the browser with its own.
func Routes(c Config, s *Services) {
	app.Route("/", func() app.Composer { return &Register{Config: c, Services: s} })
}
