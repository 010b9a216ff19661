package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/registration"
)

// OnPreRender draws the server's page in the page's language. go-app
// registers one route for every request, and OnInit cannot see the
// request; the server picks the language from Accept-Language and renders
// with a handler whose Lang is that language (internal/server), which
// go-app puts on the page. The browser chooses again from
// navigator.languages in OnInit.
func (r *Register) OnPreRender(ctx app.Context) {
	lang := ctx.Page().Lang()
	if lang == "" || r.t != nil && r.t.Lang == lang {
		return
	}
	langs := []string{lang}
	r.t = r.Config.catalog(langs)
	r.eng = registration.New(r.Config.settings(langs))
	r.view = r.eng.View(now())
}
