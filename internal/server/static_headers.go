package server

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// charsetMeta is the first element go-app writes into every page's <head>.
const charsetMeta = `<meta charset="UTF-8">`

// pageMeta is what the static export writes into every page right after
// <meta charset>, before any link or script: the Content-Security-Policy
// without what a <meta> cannot carry (metaPolicy: frame-ancestors above
// all), and the referrer policy. A policy in a <meta> governs only what
// the page loads after it, so it cannot go among go-app's RawHeaders,
// which come after the scripts.
func pageMeta(csp string) string {
	return "\n    " + `<meta http-equiv="Content-Security-Policy" content="` + attrEscaper.Replace(metaPolicy(csp)) + `">` +
		"\n    " + `<meta name="referrer" content="no-referrer">`
}

// attrEscaper makes a string safe inside a double-quoted attribute (a
// policy's quotes stay readable).
var attrEscaper = strings.NewReplacer("&", "&amp;", `"`, "&quot;", "<", "&lt;", ">", "&gt;")

// addPageMeta puts meta after <meta charset> in every page go-app
// generated in dir (the .html files outside web/).
func addPageMeta(dir, meta string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p == filepath.Join(dir, "web") {
			return filepath.SkipDir
		}
		if d.IsDir() || filepath.Ext(p) != ".html" {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		i := bytes.Index(b, []byte(charsetMeta))
		if i < 0 {
			return fmt.Errorf("adding the Content-Security-Policy to %s failed: the page has no %s to put it after", p, charsetMeta)
		}
		i += len(charsetMeta)
		out := append(append(append([]byte{}, b[:i]...), meta...), b[i:]...)
		return os.WriteFile(p, out, 0o644)
	})
}

// staticHeaders is the export's _headers file, the format Netlify and
// Cloudflare Pages read (a path, then its headers indented): every header
// the server sends (securityHeaders, frame-ancestors included), and
// app.wasm's type. Cross-Origin-Opener-Policy goes to the pages (each
// path of pages, under the prefix) rather than to /*: hosts merge the
// rules a path matches, and the callback page must not carry it.
func staticHeaders(o Options, pages []string) string {
	var sb strings.Builder
	sb.WriteString("# The widget's security headers, as bin/signup sends them (Netlify and\n")
	sb.WriteString("# Cloudflare Pages read this file; for other hosts see the README).\n")
	sb.WriteString(o.Prefix + "/*\n")
	var opener header
	for _, h := range securityHeaders(o.Config, o.HSTS) {
		if h.name == coop {
			opener = h
			continue
		}
		sb.WriteString("  " + h.name + ": " + h.value + "\n")
	}
	sort.Strings(pages)
	for _, p := range pages {
		for _, path := range []string{p, p + "index.html"} {
			sb.WriteString(o.Prefix + path + "\n  " + opener.name + ": " + opener.value + "\n")
		}
	}
	sb.WriteString(o.Prefix + "/web/app.wasm\n")
	sb.WriteString("  Content-Type: application/wasm\n")
	return sb.String()
}
