package server

import (
	"bytes"
	"html"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/config"
	"signup/app/i18n"
)

// pages serves the pre-rendered page in the language the browser asks for
// (Accept-Language, RFC 9110 §12.5.4) among the operator's enabled ones:
// one go-app handler per language, so that <html lang dir>, the title,
// the form and the loader's texts are in that language before the WASM
// runs. The answer varies with Accept-Language, and its ETag names the
// language (go-app's is the version alone, the same in every language).
type pages struct {
	byLang    map[string]*app.Handler
	enabled   []string
	def       string
	version   string
	publicURL string
	prefix    string
	// style replaces the page's link to /app.css (nil: the link stays).
	style *inlineStyle
	// script replaces the page's <script src> of web/loader.js (nil:
	// it stays).
	script *inlineScript

	mu    sync.Mutex
	cache map[string]*page // by language
}

// newPages builds a handler per enabled language (every catalogue when
// the operator enabled none); def is the default language's, already
// built.
func newPages(o *Options, def *app.Handler) *pages {
	l := o.Config.Operator.Languages
	p := &pages{byLang: map[string]*app.Handler{}, enabled: l.Enabled, def: def.Lang,
		version: o.Version, publicURL: o.PublicURL, prefix: o.Prefix}
	p.byLang[def.Lang] = def
	for _, lang := range enabledLanguages(o.Config.Operator) {
		if _, ok := p.byLang[lang]; !ok {
			cat, _ := i18n.Lookup(lang)
			p.byLang[lang] = langHandler(o, cat.WithOverrides(o.Config.Operator.Texts.Overrides[lang]))
		}
	}
	return p
}

// enabledLanguages lists the catalogues the operator enabled (every one
// when none is listed).
func enabledLanguages(op config.Config) []string {
	var out []string
	for _, l := range i18n.Languages() {
		if len(op.Languages.Enabled) == 0 {
			out = append(out, l)
			continue
		}
		for _, e := range op.Languages.Enabled {
			if i18n.Primary(e) == l {
				out = append(out, l)
				break
			}
		}
	}
	return out
}

// defaultCatalog is the operator's default language (English when none),
// with the operator's overrides.
func defaultCatalog(op config.Config) *i18n.Catalog {
	cat := i18n.Choose(nil, op.Languages.Enabled, op.Languages.Default)
	return cat.WithOverrides(op.Texts.Overrides[cat.Lang])
}

// lang picks the page's language for a request.
func (p *pages) lang(r *http.Request) string {
	cat := i18n.Choose(acceptLanguages(r.Header.Get("Accept-Language")), p.enabled, p.def)
	if _, ok := p.byLang[cat.Lang]; ok {
		return cat.Lang
	}
	return p.def
}

func (p *pages) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	lang := p.lang(r)
	enc := pageEncoding(r)
	// One ETag per representation: language and Content-Coding.
	etag := `"` + p.version + "-" + lang + strings.TrimSuffix("-"+enc, "-") + `"`
	w.Header().Add("Vary", "Accept-Language")
	w.Header().Add("Vary", "Accept-Encoding")
	w.Header().Set("Content-Language", lang)
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	pg := p.rendered(lang, r)
	for k, v := range pg.header {
		// A copy: the cached slices are every response's.
		w.Header()[k] = slices.Clone(v)
	}
	body := pg.body
	if enc != "" && pg.code == http.StatusOK {
		body = pg.encoded(enc)
		w.Header().Set("Content-Encoding", enc)
	}
	writeBody(w, r, pg.code, body)
}

// page is the pre-rendered page of one language, rendered once: the
// pre-render reads nothing of the request but the language (ui.Register's
// OnPreRender), and go-app writes attributes in map order, so rendering
// each request gave different bytes every time, under one strong ETag
// (RFC 9110, section 8.8.1, asks for the same bytes), and every request
// paid the render and its compression (make bench: GET / took 30 ms of a
// first visit where the floor's took 9, at about 1,100 requests/s).
type page struct {
	code   int
	header http.Header
	body   []byte

	mu  sync.Mutex
	enc map[string][]byte
}

// encoded is the page compressed with enc (pageEncoding), once.
func (pg *page) encoded(enc string) []byte {
	pg.mu.Lock()
	defer pg.mu.Unlock()
	if b, ok := pg.enc[enc]; ok {
		return b
	}
	b := compressPage(enc, pg.body)
	pg.enc[enc] = b
	return b
}

// rendered is lang's page, rendered on its first request. go-app sees a
// request for "/" with nothing of r (neither its query nor its headers),
// so nothing a request carries can reach a page that later requests get.
func (p *pages) rendered(lang string, r *http.Request) *page {
	p.mu.Lock()
	defer p.mu.Unlock()
	if pg, ok := p.cache[lang]; ok {
		return pg
	}
	r2 := httptest.NewRequestWithContext(r.Context(), http.MethodGet, "/", nil)
	rec := httptest.NewRecorder()
	p.byLang[lang].ServeHTTP(rec, r2)
	pg := &page{code: rec.Code, header: http.Header{}, body: rec.Body.Bytes(), enc: map[string][]byte{}}
	if rec.Code == http.StatusOK {
		pg.body = p.script.apply(p.style.apply(linkPreview(pg.body, p.publicURL, p.prefix, "/")))
	}
	for k, v := range rec.Header() {
		if k != "Etag" && k != "Cache-Control" && k != "Content-Length" {
			pg.header[k] = v
		}
	}
	if rec.Code == http.StatusOK {
		if p.cache == nil {
			p.cache = map[string]*page{}
		}
		p.cache[lang] = pg
	}
	return pg
}

// acceptLanguages reads an Accept-Language header into its language
// ranges, most preferred first (by q, then by order); q=0 and "*" are
// left out.
func acceptLanguages(header string) []string {
	type rng struct {
		tag string
		q   float64
	}
	var rs []rng
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag = strings.TrimSpace(tag)
		if tag == "" || tag == "*" || len(tag) > 35 {
			continue
		}
		q := 1.0
		for _, prm := range strings.Split(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(prm), "=")
			if strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && f >= 0 && f <= 1 {
					q = f
				} else {
					q = 0
				}
			}
		}
		if q > 0 {
			rs = append(rs, rng{tag, q})
		}
		if len(rs) == 20 {
			break
		}
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].q > rs[j].q })
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.tag
	}
	return out
}

// loaderTexts carries the texts web/loader.js shows before the WASM runs
// ("Still loading…" on an early submit, the progress bar's label) in the
// page's language, as <meta> it reads.
func loaderTexts(cat *i18n.Catalog) string {
	return `<meta name="signup:loading-pending" content="` + html.EscapeString(cat.T("loading.pending")) + `">` +
		`<meta name="signup:loading-app" content="` + html.EscapeString(cat.T("loading.app")) + `">`
}

// linkPreview fixes the page's link-preview tags, which go-app writes
// from a domain it does not know (og:url "https://", og:image
// "https:///web/icon-512.png"): absolute from publicURL, or left out when
// it is empty (an og:image the operator gave as an https URL stays); path is the page's path under publicURL ("/", "/de/").
// go-app writes a tag's attributes in no fixed order.
func linkPreview(page []byte, publicURL, prefix, path string) []byte {
	base := strings.TrimRight(publicURL, "/")
	var out []byte
	rest := page
	for {
		i := bytes.Index(rest, []byte("<meta "))
		if i < 0 {
			break
		}
		j := bytes.IndexByte(rest[i:], '>')
		if j < 0 {
			break
		}
		tag := string(rest[i : i+j+1])
		out = append(out, rest[:i]...)
		rest = rest[i+j+1:]
		prop := ""
		for _, p := range []string{"og:url", "og:image"} {
			if strings.Contains(tag, `property="`+p+`"`) {
				prop = p
			}
		}
		img := ogImagePath(tag)
		switch {
		case prop == "", prop == "og:image" && strings.HasPrefix(img, "https://"):
			out = append(out, tag...)
		case base == "":
			// left out
		case prop == "og:url":
			out = append(out, `<meta property="og:url" content="`+html.EscapeString(base+path)+`">`...)
		default:
			img = absolute(base, prefix, img)
			out = append(out, `<meta property="og:image" content="`+html.EscapeString(img)+`">`...)
		}
	}
	return append(out, rest...)
}

// ogImagePath is the path go-app wrote into og:image ("https://" + its
// empty domain + the path), or the URL when it was absolute already.
func ogImagePath(tag string) string {
	_, s, _ := strings.Cut(tag, `content="`)
	s, _, _ = strings.Cut(s, `"`)
	s = strings.ReplaceAll(s, "&amp;", "&")
	if strings.HasPrefix(s, "https:///") {
		return s[len("https://"):]
	}
	return s
}

// absolute makes a site path absolute from the public URL (which already
// includes any prefix the site is served under); absolute URLs stay.
func absolute(base, prefix, loc string) string {
	if strings.HasPrefix(loc, "https://") || strings.HasPrefix(loc, "http://") {
		return loc
	}
	loc = strings.TrimPrefix(loc, prefix)
	return base + "/" + strings.TrimLeft(loc, "/")
}
