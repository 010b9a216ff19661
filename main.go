// Command signup serves the Matrix registration widget: the pre-rendered
// form, the WASM app and its assets, for one homeserver.
//
//	bin/signup -addr 127.0.0.1:8000 -homeserver https://matrix.example.org
//
// Every flag can also come from the environment (SIGNUP_ADDR,
// SIGNUP_HOMESERVER, ...). The browser entry point is ./wasm, built
// separately, so that the WASM links no server code.
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

	"signup/app/matrix"
	"signup/app/ui"
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
	addr, homeserver, serverName, brand, web, version string
	recaptcha, trusted                                string
	guests                                            bool
}

func parseFlags(args []string) (flags, error) {
	var f flags
	fs := flag.NewFlagSet("signup", flag.ContinueOnError)
	fs.StringVar(&f.addr, "addr", env("SIGNUP_ADDR", "127.0.0.1:8000"), "listen address (SIGNUP_ADDR)")
	fs.StringVar(&f.homeserver, "homeserver", env("SIGNUP_HOMESERVER", ""), "homeserver base URL or server name (SIGNUP_HOMESERVER)")
	fs.StringVar(&f.serverName, "server-name", env("SIGNUP_SERVER_NAME", ""), "server name of user IDs, when discovery cannot tell (SIGNUP_SERVER_NAME)")
	fs.StringVar(&f.brand, "brand", env("SIGNUP_BRAND", ""), "name shown in the header (SIGNUP_BRAND; default: the server name)")
	fs.StringVar(&f.web, "web", env("SIGNUP_WEB", "web"), "directory of the web assets, holding app.wasm (SIGNUP_WEB)")
	fs.StringVar(&f.version, "version", env("SIGNUP_VERSION", ""), "app version for updates (SIGNUP_VERSION; default: hash of the assets)")
	fs.StringVar(&f.recaptcha, "recaptcha-script", env("SIGNUP_RECAPTCHA_SCRIPT", ui.DefaultRecaptchaScript), "URL of the reCAPTCHA script (SIGNUP_RECAPTCHA_SCRIPT)")
	fs.StringVar(&f.trusted, "trusted-origins", env("SIGNUP_TRUSTED_ORIGINS", ""), "space-separated origins, besides the homeserver's, that may receive phone codes (SIGNUP_TRUSTED_ORIGINS)")
	fs.BoolVar(&f.guests, "guests", env("SIGNUP_GUESTS", "") == "true", "offer \"Continue as guest\" (SIGNUP_GUESTS=true)")
	if err := fs.Parse(args); err != nil {
		return f, err
	}
	if fs.NArg() > 0 {
		return f, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if !matrix.IsWebURL(f.recaptcha) {
		return f, fmt.Errorf("-recaptcha-script %q: want an http(s) URL", f.recaptcha)
	}
	for _, o := range strings.Fields(f.trusted) {
		if matrix.Origin(o) != strings.TrimRight(o, "/") {
			return f, fmt.Errorf("-trusted-origins: %q is not an origin (scheme://host[:port])", o)
		}
	}
	if f.homeserver == "" {
		return f, errors.New("no homeserver: pass -homeserver URL-or-server-name (or SIGNUP_HOMESERVER)")
	}
	return f, nil
}

// env returns the environment variable key, or def when it is unset or
// empty (an empty SIGNUP_X= in a compose file means "default").
func env(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func run(args []string) error {
	f, err := parseFlags(args)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	hs, err := resolveHomeserver(ctx, f)
	cancel()
	if err != nil {
		return err
	}
	brand := f.brand
	if brand == "" {
		brand = hs.ServerName
	}
	h, err := server.New(server.Options{
		Config: ui.Config{
			HomeserverURL: hs.BaseURL, ServerName: hs.ServerName, Brand: brand,
			DeviceName: "Sign-up widget", RecaptchaScript: f.recaptcha,
			Guests: f.guests, TrustedOrigins: strings.Fields(f.trusted),
		},
		WebDir:  f.web,
		Version: f.version,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
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

// resolveHomeserver turns -homeserver into a checked base URL and a server
// name: discovery for a name, /versions for a URL, and the server's key
// endpoint (else the URL's host) for the name of a URL.
func resolveHomeserver(ctx context.Context, f flags) (matrix.Homeserver, error) {
	d := nethttp.Doer{}
	hs, err := matrix.Discover(ctx, d, f.homeserver)
	if err != nil {
		return hs, fmt.Errorf("homeserver %q: %w", f.homeserver, err)
	}
	switch {
	case f.serverName != "":
		hs.ServerName = f.serverName
	case hs.ServerName == "":
		if name, err := matrix.ServerName(ctx, d, hs.BaseURL); err == nil {
			hs.ServerName = name
		} else if u, err := url.Parse(hs.BaseURL); err == nil {
			hs.ServerName = u.Host
		}
	}
	return hs, nil
}
