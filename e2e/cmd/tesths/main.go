// Command tesths runs the test homeserver of package tesths on its own, for
// trying the widget by hand:
//
//	tesths -addr 127.0.0.1:8008 -flows "m.login.terms,m.login.registration_token;m.login.dummy" -tokens abc,def
//
// Flows are separated by ";" and stages by ",". When a flow has
// m.login.terms or m.login.recaptcha the server gets default params for them
// (a privacy policy served by the server itself, the -recaptcha-key). It
// prints its URL, then one line per request; emails and SMS it "sends" are
// printed with their link or code.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"signup/e2e/tesths"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8008", "HTTP listen address")
	flows := flag.String("flows", "m.login.dummy", `UIAA flows: stages separated by ",", flows by ";"`)
	tokens := flag.String("tokens", "", "valid registration tokens, separated by commas")
	serverName := flag.String("server-name", "localhost", "server name of the user IDs")
	guests := flag.Bool("guests", false, "allow guest registration")
	validity := flag.Bool("token-validity", true, "serve the registration token validity endpoint")
	disabled := flag.Bool("registration-disabled", false, "answer 403 M_FORBIDDEN to /register")
	captchaKey := flag.String("recaptcha-key", "test-public-key", "public_key in the m.login.recaptcha params")
	captcha := flag.String("recaptcha-response", "valid-captcha", "the m.login.recaptcha response that passes")
	issuer := flag.String("oauth-issuer", "", "if set, serve auth_metadata for this issuer (an OAuth-delegated server)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("tesths: ")

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	cfg := tesths.Config{
		ServerName:           *serverName,
		Flows:                parseFlows(*flows),
		Params:               map[string]any{},
		RegistrationTokens:   splitList(*tokens),
		NoTokenValidity:      !*validity,
		RecaptchaResponse:    *captcha,
		GuestsEnabled:        *guests,
		RegistrationDisabled: *disabled,
	}
	for _, f := range cfg.Flows {
		for _, stage := range f {
			switch stage {
			case "m.login.terms":
				cfg.Params[stage] = map[string]any{"policies": map[string]any{
					"privacy_policy": map[string]any{
						"version": "1.0",
						"en":      map[string]any{"name": "Privacy Policy", "url": url + tesths.PathPolicy + "?name=Privacy+Policy"},
					},
				}}
			case "m.login.recaptcha":
				cfg.Params[stage] = map[string]any{"public_key": *captchaKey}
			}
		}
	}
	if *issuer != "" {
		iss := strings.TrimRight(*issuer, "/") + "/"
		cfg.AuthMetadata = map[string]any{
			"issuer":                                     iss,
			"authorization_endpoint":                     iss + "authorize",
			"token_endpoint":                             iss + "oauth2/token",
			"registration_endpoint":                      iss + "oauth2/registration",
			"revocation_endpoint":                        iss + "oauth2/revoke",
			"response_types_supported":                   []string{"code"},
			"grant_types_supported":                      []string{"authorization_code", "refresh_token"},
			"response_modes_supported":                   []string{"query", "fragment"},
			"code_challenge_methods_supported":           []string{"S256"},
			"prompt_values_supported":                    []string{"create"},
			"account_management_uri":                     iss + "account",
			"account_management_actions_supported":       []string{"org.matrix.profile"},
			"token_endpoint_auth_methods_supported":      []string{"none"},
			"revocation_endpoint_auth_methods_supported": []string{"none"},
		}
	}
	s := tesths.New(cfg)
	s.URL = url
	fmt.Println(url)
	log.Printf("flows %v, tokens %v", cfg.Flows, cfg.RegistrationTokens)

	var mu sync.Mutex
	var emails, sms int
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, code: http.StatusOK}
		s.ServeHTTP(sw, r)
		log.Printf("%s %s -> %d (%s)", r.Method, r.URL.RequestURI(), sw.code, time.Since(start).Round(time.Microsecond))
		mu.Lock()
		defer mu.Unlock()
		if e := s.Emails(); len(e) > emails {
			for _, m := range e[emails:] {
				log.Printf("email to %s (attempt %d): %s", m.To, m.SendAttempt, m.Link)
			}
			emails = len(e)
		}
		if t := s.SMS(); len(t) > sms {
			for _, m := range t[sms:] {
				log.Printf("SMS to %s (sid %s): code %s", m.To, m.SID, m.Code)
			}
			sms = len(t)
		}
	})
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.Serve(ln); err != nil {
		log.Fatal(err)
	}
	os.Exit(0)
}

// parseFlows reads "a,b;c" as [[a b] [c]].
func parseFlows(s string) [][]string {
	var flows [][]string
	for _, f := range strings.Split(s, ";") {
		if stages := splitList(f); len(stages) > 0 {
			flows = append(flows, stages)
		}
	}
	return flows
}

// splitList splits on commas and drops empty items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// statusWriter keeps the status of the answer for the log.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	w.code = code
	w.ResponseWriter.WriteHeader(code)
}
