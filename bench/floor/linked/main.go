// Command linked is the floor app (../) written as go-app's own examples
// write it: one main for the browser and the server, so that the WASM
// links the server code too (net/http's server, app.Handler). The
// benchmark only measures its size, next to the floor's.
package main

import (
	"net/http"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/bench/floor/ui"
)

func main() {
	ui.Route()
	app.RunWhenOnBrowser()
	http.Handle("/", &app.Handler{Name: "Floor", Icon: app.Icon{Default: "/web/icon.png", SVG: "/web/icon.svg"}})
	if err := http.ListenAndServe("127.0.0.1:8100", nil); err != nil {
		panic(err)
	}
}
