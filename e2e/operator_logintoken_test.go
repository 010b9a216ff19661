package e2e

import (
	"net/url"
	"strings"
	"testing"

	"signup/e2e/tesths"
)

// A configured web client gets the new account with a one-time loginToken
// where the homeserver offers get_token, so the user arrives signed in; a
// plain link where it does not. The access token itself never leaves the
// widget.
func TestOperatorLoginTokenHandOff(t *testing.T) {
	for _, offered := range []bool{true, false} {
		name := "the server offers get_token"
		if !offered {
			name = "the server does not (404)"
		}
		t.Run(name, func(t *testing.T) {
			hs := tesths.Start(t, tesths.Config{Flows: [][]string{{"m.login.dummy"}}, LoginTokens: offered})
			cfg := writeConfig(t, `{"version": 1, "homeserver": {"url": "`+hs.URL+`", "server_name": "localhost"},
				"after_signup": {"clients": [{"name": "Web", "login_token": true,
					"url": "https://client.example.test/#/login?loginToken={login_token}&hs={homeserver}"}]}}`)
			ctx, _ := startWidget(t, hs.URL, "-config", cfg)
			fill(t, ctx, "lena", "a good long password")
			do(t, ctx, clickStable("submit"))
			waitJS(t, ctx, `document.getElementById("client-web") !== null`, "the Open in Web button")
			if offered {
				waitJS(t, ctx, `document.getElementById("client-web").href.includes("loginToken=lt_")`, "the login token in the link")
			}
			href := eval[string](t, ctx, `document.getElementById("client-web").href`)
			u, err := url.Parse(strings.Replace(href, "#/login?", "?", 1))
			if err != nil {
				t.Fatal(err)
			}
			issued := hs.LoginTokensIssued()
			switch {
			case offered && (len(issued) != 1 || u.Query().Get("loginToken") != issued[0]):
				t.Errorf("link %q, issued %q", href, issued)
			case !offered && u.Query().Has("loginToken"):
				t.Errorf("a loginToken parameter without a token: %q", href)
			}
			if u.Query().Get("hs") != hs.URL {
				t.Errorf("hs in the link = %q", u.Query().Get("hs"))
			}
			page := eval[string](t, ctx, `document.documentElement.outerHTML + JSON.stringify(sessionStorage) + JSON.stringify(localStorage)`)
			if strings.Contains(page, "access_token") || strings.Contains(page, "syt_") {
				t.Errorf("the page holds an access token")
			}
		})
	}
}
