// Command floor is the framework floor of the benchmark: a go-app v10
// "hello" (one component, no server code), built to WASM with the same
// flags as the widget:
//
//	GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o app.wasm ./floor
//
// Its server is ./floor/server, built separately, so that this WASM links
// no server code.
package main

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/bench/floor/ui"
)

func main() {
	ui.Route()
	app.RunWhenOnBrowser()
}
