package server

import (
	"html"
	"net/http"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/ui"
)

// storiesHTML is the /stories catalogue as a page of its own: every
// screen drawn on the server with sample data, styled by the site's
// app.css, with no script. The screens need no browser code (they make
// no requests), so the widget's WASM carries none of them.
func storiesHTML(o Options) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">\n<head>\n")
	b.WriteString(charsetMeta)
	b.WriteString("\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	b.WriteString("<meta name=\"robots\" content=\"noindex\">\n")
	b.WriteString("<title>" + html.EscapeString("signup: every screen") + "</title>\n")
	b.WriteString("<link rel=\"stylesheet\" href=\"" + html.EscapeString(o.Prefix) + "/app.css\">\n")
	b.WriteString("</head>\n<body>\n")
	b.WriteString(app.HTMLString(&ui.Stories{Config: o.Config}))
	b.WriteString("\n</body>\n</html>\n")
	return b.String()
}

// storiesPage serves page (storiesHTML).
func storiesPage(page string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
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
