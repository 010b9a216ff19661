//go:build js && wasm

// Command wasm is the widget's browser entry point, built to web/app.wasm.
// It links no server code: the server's main is built separately.
package main

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/ui"
	"signup/wasm/dom"
	"signup/wasm/jsfetch"
)

func main() {
	// Read what the user typed into the pre-rendered form before go-app
	// replaces it; go-app mounts synchronously, so nothing typed in between
	// is lost.
	prefill := dom.ReadPrefill("username", "password", "confirm")
	ui.Routes(ui.ConfigFromEnv(app.Getenv), &ui.Services{
		Doer:         jsfetch.Doer{},
		Prefill:      func() ui.Prefill { return prefill },
		Focus:        dom.Focus,
		Languages:    dom.Languages,
		PageURL:      dom.PageURL,
		Store:        dom.SessionStore{},
		Hidden:       dom.Hidden,
		OnVisible:    dom.OnVisible,
		OpenFallback: dom.OpenFallback,
		Recaptcha:    dom.Recaptcha,
		Claim:        dom.Claim,
		Broadcast:    dom.Broadcast,
		OnBroadcast:  dom.OnBroadcast,
	})
	app.RunWhenOnBrowser()
}
