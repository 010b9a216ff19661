package server

import (
	"html"
	"net/http"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/i18n"
	"signup/app/ui"
)

// storiesHTML is the /stories catalogue as a page of its own: every
// screen drawn on the server with sample data, styled by the site's
// app.css, with no script. The screens need no browser code (they make
// no requests), so the widget's WASM carries none of them.
// It is drawn in lang (a catalogue's tag; English when there is none).
func storiesHTML(o Options, lang string) string {
	cat, ok := i18n.Lookup(lang)
	if !ok {
		cat = i18n.English()
	}
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"" + html.EscapeString(cat.Lang) + "\" dir=\"" + html.EscapeString(cat.Dir) + "\">\n<head>\n")
	b.WriteString(charsetMeta)
	b.WriteString("\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	b.WriteString("<meta name=\"robots\" content=\"noindex\">\n")
	b.WriteString("<title>" + html.EscapeString("signup: every screen") + "</title>\n")
	b.WriteString("<link rel=\"stylesheet\" href=\"" + html.EscapeString(o.Prefix) + "/app.css\">\n")
	b.WriteString("</head>\n<body>\n")
	b.WriteString(app.HTMLString(&ui.Stories{Config: o.Config, Lang: cat.Lang}))
	b.WriteString("\n</body>\n</html>\n")
	return b.String()
}

// storiesPage serves the catalogue (storiesHTML), drawn at start in each
// language there is a catalogue for: ?lang= picks one (English by
// default), so that translators see their screens.
func storiesPage(o Options) http.Handler {
	pages := map[string]string{}
	for _, l := range i18n.Languages() {
		pages[l] = storiesHTML(o, l)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, ok := pages[r.URL.Query().Get("lang")]
		if !ok {
			page = pages["en"]
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		if r.Method == http.MethodGet {
			_, _ = w.Write([]byte(page))
		}
	})
}
