//go:build js && wasm

// Command wasm is the widget's browser entry point, built to web/app.wasm.
// It links no server code: the server's main is built separately.
package main

import (
	"context"
	"strconv"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/config"
	"signup/app/matrix"

	"signup/app/ui"
	"signup/wasm/dom"
	"signup/wasm/jsfetch"
)

func main() {
	// Read what the user typed into the pre-rendered form before go-app
	// replaces it; go-app mounts synchronously, so nothing typed in between
	// is lost.
	prefill := dom.ReadPrefill("username", "password", "confirm")
	cfg := loadConfig()
	dom.SetAllowedOrigins(cfg.Operator.Embed.AllowedOrigins)
	ui.Routes(cfg, &ui.Services{
		Doer:         jsfetch.Doer{},
		Prefill:      func() ui.Prefill { return prefill },
		Focus:        dom.Focus,
		Languages:    dom.Languages,
		PageURL:      dom.PageURL,
		Store:        dom.SessionStore{},
		Hidden:       dom.Hidden,
		OnVisibility: dom.OnVisibility,
		OpenFallback: dom.OpenFallback,
		Recaptcha:    dom.Recaptcha,
		Claim:        dom.Claim,
		Broadcast:    dom.Broadcast,
		OnBroadcast:  dom.OnBroadcast,
		SetLang:      dom.SetLang,
		Online:       dom.Online,
		Notify:       dom.Notify,
		Navigate:     dom.Navigate,
		ApplyBrand:   dom.ApplyBrand,
		Copy:         dom.Copy,

		SignUpWindow:      dom.SignUpWindow,
		CloseSignUpWindow: dom.CloseSignUpWindow,
		OnRelay:           dom.OnRelay,
		ReplaceURL:        dom.ReplaceURL,
		Embedded:          dom.Embedded,
		CallbackURL:       dom.CallbackURL,
	})
	app.RunWhenOnBrowser()
}

// loadConfig returns the deployment's config: from the page env, and for a
// static export from its config.json, which the operator may edit without a
// rebuild (an invalid one is shown to the operator; an unreachable one,
// offline, falls back to the config of the export).
func loadConfig() ui.Config {
	cfg := ui.ConfigFromEnv(app.Getenv)
	u := app.Getenv(ui.EnvConfigURL)
	if u == "" {
		return cfg
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := jsfetch.Doer{}.Do(ctx, &matrix.Request{Method: "GET", URL: u})
	if err != nil {
		return cfg
	}
	if resp.Status != 200 {
		cfg.Problem = u + ": HTTP " + strconv.Itoa(resp.Status)
		return cfg
	}
	op, err := config.Parse(resp.Body)
	if err != nil {
		cfg.Problem = u + ":\n" + err.Error()
		return cfg
	}
	return ui.FromOperator(op)
}
