package e2e

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

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
			// The page without its scripts' code (the inline loader names
			// the field it never posts), and the tab's storage.
			page := eval[string](t, ctx, `(() => { const d = document.documentElement.cloneNode(true);
				d.querySelectorAll("script").forEach(s => s.remove());
				return d.outerHTML + JSON.stringify(sessionStorage) + JSON.stringify(localStorage); })()`)
			if strings.Contains(page, "access_token") || strings.Contains(page, "syt_") {
				t.Errorf("the page holds an access token")
			}
		})
	}
}

// get_token uses User-Interactive Authentication, and the spec says
// servers MUST always ask for it (Synapse asks for m.login.password): the
// widget asks without auth first, answers the 401's session with the
// password the user just typed, and gets the token. The password goes to
// get_token only in that answer, and afterwards it is nowhere in the
// browser: not in any storage, the DOM, the URL or the console.
func TestOperatorLoginTokenAnswersUIA(t *testing.T) {
	const password = "Unmistakable-Handoff-P4ss-5207"
	hs := tesths.Start(t, tesths.Config{Flows: [][]string{{"m.login.dummy"}}, LoginTokens: true})
	cfg := writeConfig(t, `{"version": 1, "homeserver": {"url": "`+hs.URL+`", "server_name": "localhost"},
		"after_signup": {"clients": [{"name": "Web", "login_token": true,
			"url": "https://client.example.test/#/login?loginToken={login_token}"}]}}`)
	s := StartSignup(t, "-homeserver", hs.URL, "-server-name", "localhost", "-config", cfg)
	ctx := NewBrowser(t)
	cl := startConsoleLog(t, ctx)
	do(t, ctx, chromedp.Navigate(s.URL+"/"))
	waitReady(t, ctx)
	fill(t, ctx, "lena", password)
	do(t, ctx, clickStable("submit"))
	waitTokenLink(t, ctx, hs)

	gets := hs.RequestsTo("POST", "/_matrix/client/v1/login/get_token")
	if len(gets) != 2 || gets[0].Status != 401 || gets[1].Status != 200 {
		t.Fatalf("get_token requests: %+v, want a 401 then a 200", gets)
	}
	if strings.Contains(string(gets[0].Body), password) || strings.Contains(string(gets[0].Body), "auth") {
		t.Errorf("the first get_token, before the server asked, sent %s", gets[0].Body)
	}
	var answer struct {
		Auth struct {
			Type       string `json:"type"`
			Session    string `json:"session"`
			Password   string `json:"password"`
			Identifier struct {
				Type string `json:"type"`
				User string `json:"user"`
			} `json:"identifier"`
		} `json:"auth"`
	}
	if err := gets[1].Decode(&answer); err != nil {
		t.Fatal(err)
	}
	a := answer.Auth
	if a.Type != "m.login.password" || a.Password != password || a.Identifier.Type != "m.id.user" ||
		a.Identifier.User != "@lena:localhost" || a.Session == "" {
		t.Errorf("the UIA answer = %s", gets[1].Body)
	}
	for _, r := range hs.Requests() {
		if r.Path != "/_matrix/client/v1/login/get_token" && r.Path != "/_matrix/client/v3/register" &&
			(strings.Contains(string(r.Body), password) || strings.Contains(r.RawQuery, password)) {
			t.Errorf("the password went to %s %s", r.Method, r.Path)
		}
	}
	places := checkNoSecrets(t, ctx, cl, map[string]string{"password": password})
	control(t, places, "dom", "@lena:localhost")
	control(t, places, "dom", "loginToken=lt_")
}

// waitTokenLink waits until the "Web" client's link on the welcome panel
// carries a login token, and checks it is the one token the test
// homeserver issued, in the fragment of the configured URL.
func waitTokenLink(t *testing.T, ctx context.Context, hs *tesths.Server) {
	t.Helper()
	waitJS(t, ctx, `(document.getElementById("client-web") || {href: ""}).href.includes("loginToken=lt_")`, "the login token in the link")
	link := eval[string](t, ctx, `document.getElementById("client-web").href`)
	if issued := hs.LoginTokensIssued(); len(issued) != 1 || link != "https://client.example.test/#/login?loginToken="+issued[0] {
		t.Errorf("issued %q, link %q", issued, link)
	}
}
