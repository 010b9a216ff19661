// Command signup serves the Matrix registration widget: the pre-rendered
// form, the WASM app and its assets, for one homeserver; or writes it all as
// a static site.
//
//	bin/signup -addr 127.0.0.1:8000 -homeserver https://matrix.example.org
//	bin/signup -config signup.yaml
//	bin/signup -config signup.yaml -static static/ -prefix /signup
//
// Flags override the config file; every flag can also come from the
// environment (SIGNUP_ADDR, SIGNUP_HOMESERVER, ...). The browser entry point
// is ./wasm, built separately, so that the WASM links no server code.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"signup/app/config"
	"signup/app/matrix"
	"signup/app/ui"
	"signup/internal/configfile"
	"signup/internal/nethttp"
	"signup/internal/server"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "signup:", err)
		os.Exit(1)
	}
}

// flags are the command-line options, defaulting to the environment.
type flags struct {
	addr, config, homeserver, serverName, brand, web, version string
	recaptcha, trusted, static, prefix, publicURL             string
	guests, stories, hsts                                     bool
	timeout, wait                                             time.Duration
	set                                                       map[string]bool
}

func parseFlags(args []string) (flags, error) {
	f := flags{set: map[string]bool{}}
	fs := flag.NewFlagSet("signup", flag.ContinueOnError)
	str := func(p *string, name, envKey, def, usage string) {
		if v := os.Getenv(envKey); v != "" {
			f.set[name] = true
			def = v
		}
		fs.StringVar(p, name, def, usage+" ("+envKey+")")
	}
	str(&f.addr, "addr", "SIGNUP_ADDR", "127.0.0.1:8000", "listen address")
	str(&f.config, "config", "SIGNUP_CONFIG", "", "operator config file, JSON or YAML (see config.example.yaml)")
	str(&f.homeserver, "homeserver", "SIGNUP_HOMESERVER", "", "homeserver base URL or server name")
	str(&f.serverName, "server-name", "SIGNUP_SERVER_NAME", "", "server name of user IDs, when discovery cannot tell")
	str(&f.brand, "brand", "SIGNUP_BRAND", "", "name shown in the header (default: the server name)")
	str(&f.web, "web", "SIGNUP_WEB", "web", "directory of the web assets, holding app.wasm")
	str(&f.version, "version", "SIGNUP_VERSION", "", "app version for updates (default: a hash of the assets and config)")
	str(&f.recaptcha, "recaptcha-script", "SIGNUP_RECAPTCHA_SCRIPT", "", "URL of the reCAPTCHA script (default: Google's)")
	str(&f.trusted, "trusted-origins", "SIGNUP_TRUSTED_ORIGINS", "", "space-separated origins, besides the homeserver's, that may receive phone codes")
	str(&f.static, "static", "SIGNUP_STATIC", "", "write a static site to this directory instead of serving")
	str(&f.prefix, "prefix", "SIGNUP_PREFIX", "", "path prefix the static site is served under, such as /signup")
	str(&f.publicURL, "public-url", "SIGNUP_PUBLIC_URL", "", "the widget's public address, such as https://signup.example.org/, for link previews (config: public_url)")
	wait, _ := time.ParseDuration(os.Getenv("SIGNUP_WAIT"))
	fs.DurationVar(&f.wait, "wait", wait, "at start-up, keep trying a homeserver that cannot be reached for this long, such as 2m (SIGNUP_WAIT)")
	timeout := time.Minute
	if d, err := time.ParseDuration(os.Getenv("SIGNUP_REQUEST_TIMEOUT")); err == nil && d > 0 {
		timeout = d
	}
	fs.DurationVar(&f.timeout, "request-timeout", timeout, "how long the widget waits for one /register answer (SIGNUP_REQUEST_TIMEOUT)")
	guests := os.Getenv("SIGNUP_GUESTS") == "true"
	fs.BoolVar(&f.guests, "guests", guests, "offer \"Continue as guest\" (SIGNUP_GUESTS=true)")
	if guests {
		f.set["guests"] = true
	}
	fs.BoolVar(&f.stories, "stories", os.Getenv("SIGNUP_STORIES") == "true", "serve /stories, every screen with sample data, for development (SIGNUP_STORIES=true)")
	fs.BoolVar(&f.hsts, "hsts", os.Getenv("SIGNUP_HSTS") == "true", "send Strict-Transport-Security (two years) on every response, when TLS ends at a proxy in front (SIGNUP_HSTS=true)")
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	fs.Visit(func(fl *flag.Flag) { f.set[fl.Name] = true })
	if fs.NArg() > 0 {
		return f, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if f.prefix != "" && (!strings.HasPrefix(f.prefix, "/") || strings.HasSuffix(f.prefix, "/") || strings.ContainsAny(f.prefix, "?#\" ")) {
		return f, fmt.Errorf("-prefix %q: want a path such as /signup", f.prefix)
	}
	if f.timeout < time.Second || f.timeout > 10*time.Minute {
		return f, fmt.Errorf("-request-timeout %v: want between 1s and 10m", f.timeout)
	}
	if f.wait < 0 || f.wait > time.Hour {
		return f, fmt.Errorf("-wait %v: want between 0 and 1h", f.wait)
	}
	if f.config == "" && f.homeserver == "" {
		return f, errors.New("no homeserver: pass -homeserver URL-or-server-name (or SIGNUP_HOMESERVER), or -config FILE")
	}
	return f, nil
}

// operator reads the config file (if any) and lays the flags that were set
// over it, then checks the result.
func operator(f flags) (*config.Config, error) {
	c := &config.Config{Version: config.CurrentVersion}
	if f.config != "" {
		var err error
		if c, err = configfile.Load(f.config); err != nil {
			return nil, err
		}
	}
	if f.set["homeserver"] {
		c.Homeserver.URL = f.homeserver
	}
	if f.set["server-name"] {
		c.Homeserver.ServerName = f.serverName
	}
	if f.set["brand"] {
		c.Brand.Name = f.brand
	}
	if f.set["recaptcha-script"] {
		c.Registration.RecaptchaScript = f.recaptcha
	}
	if f.set["trusted-origins"] {
		c.Homeserver.TrustedOrigins = strings.Fields(f.trusted)
	}
	if f.set["guests"] {
		c.Registration.Guests = f.guests
	}
	if f.set["public-url"] {
		c.PublicURL = f.publicURL
	}
	if err := c.Validate(); err != nil {
		src := "flags"
		if f.config != "" {
			src = f.config + " (with flags)"
		}
		return nil, fmt.Errorf("%s:\n%w", src, err)
	}
	return c, nil
}

func run(args []string) error {
	f, err := parseFlags(args)
	if err != nil {
		return err
	}
	op, err := operator(f)
	if err != nil {
		return err
	}
	if f.static != "" {
		return export(f, op)
	}
	hs, err := waitForHomeserver(op.Homeserver, f.wait, 2*time.Second, log.Printf)
	if err != nil {
		return err
	}
	h, err := server.New(server.Options{
		Config: ui.Config{HomeserverURL: hs.BaseURL, ServerName: hs.ServerName, Operator: *op, RequestTimeout: f.timeout,
			AuthPath: hs.Auth},
		WebDir:    f.web,
		Version:   f.version,
		Stories:   f.stories,
		HSTS:      f.hsts,
		PublicURL: op.PublicURL,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return err
	}
	srv := newHTTPServer(h, defaultLimits)
	log.Printf("serving the widget for %s (%s) on http://%s", hs.BaseURL, hs.ServerName, ln.Addr())
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-stop
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// export writes the static site. The homeserver is not contacted: it must
// be a base URL, and the server name given, since browsers will read
// config.json without a server to resolve them.
func export(f flags, op *config.Config) error {
	if !matrix.IsWebURL(op.Homeserver.URL) {
		return fmt.Errorf("homeserver.url %q: a static site needs the homeserver's base URL (https://...)", op.Homeserver.URL)
	}
	cfg := ui.FromOperator(op)
	if cfg.ServerName == "" {
		u, _ := url.Parse(cfg.HomeserverURL)
		cfg.ServerName = u.Hostname()
	}
	if err := server.Export(f.static, server.Options{Config: cfg, WebDir: f.web, Version: f.version, Prefix: f.prefix, Stories: f.stories, HSTS: f.hsts, PublicURL: op.PublicURL}); err != nil {
		return err
	}
	log.Printf("wrote the static site to %s (config.json is read by the browser: edit it there)", f.static)
	return nil
}

// resolveHomeserver turns the configured homeserver into a checked base URL
// and a server name: discovery for a name, /versions for a URL, and the
// server's key endpoint (else the URL's host) for the name of a URL.
func resolveHomeserver(ctx context.Context, c config.Homeserver) (matrix.Homeserver, error) {
	d := nethttp.Doer{}
	hs, err := matrix.Discover(ctx, d, c.URL)
	if err != nil {
		return hs, fmt.Errorf("homeserver %q: %w", c.URL, err)
	}
	switch {
	case c.ServerName != "":
		hs.ServerName = c.ServerName
	case hs.ServerName == "":
		if name, err := matrix.ServerName(ctx, d, hs.BaseURL); err == nil {
			hs.ServerName = name
		} else if u, err := url.Parse(hs.BaseURL); err == nil && matrix.ValidServerName(u.Host) {
			hs.ServerName = u.Host
		}
	}
	return hs, nil
}
