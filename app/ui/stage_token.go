package ui

import (
	"net/url"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/matrix"
	"signup/app/uiaa"
)

// tokenState is the m.login.registration_token stage.
type tokenState struct {
	value    string
	err      string
	status   string
	checking bool
}

// maxTokenLength is the spec's bound on registration tokens.
const maxTokenLength = 64

// TokenFromPage reads a registration token from ?token= in a page URL:
// trimmed, non-empty, at most 64 characters (the spec's bound).
func TokenFromPage(pageURL string) (string, bool) {
	u, err := url.Parse(pageURL)
	if err != nil {
		return "", false
	}
	t := strings.TrimSpace(u.Query().Get("token"))
	if t == "" || len(t) > maxTokenLength {
		return "", false
	}
	return t, true
}

// prefillToken takes the token from ?token= in the page URL.
func (r *Register) prefillToken() {
	if r.tok.value != "" || r.Services == nil || r.Services.PageURL == nil {
		return
	}
	if t, ok := TokenFromPage(r.Services.PageURL()); ok {
		r.tok.value = t
	}
}

// renderToken draws the Registration token field.
func (r *Register) renderToken() app.UI {
	return app.Form().ID("token-form").NoValidate(true).OnSubmit(r.onTokenSubmit).Body(
		field{ID: "token", Label: r.t.T("token"), Type: "text", Value: r.tok.value,
			AutoComplete: "one-time-code", Username: true, Hint: r.t.T("token.hint"),
			Status: r.tok.status, Error: r.tok.err,
			OnInput: func(ctx app.Context, e app.Event) {
				r.tok.value = ctx.JSSrc().Get("value").String()
				r.tok.err, r.tok.status = "", ""
			}}.render(),
		r.renderStageButton("token-continue", r.t.T("continue"), r.tok.checking),
	)
}

// onTokenSubmit checks the token with the validity endpoint where the
// server offers it (a 404 or M_UNRECOGNIZED skips the check), then submits
// {type, token, session}.
func (r *Register) onTokenSubmit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	tok := strings.TrimSpace(r.tok.value)
	if r.busy || r.tok.checking || r.waiting() {
		return
	}
	if tok == "" || len(tok) > maxTokenLength {
		r.tok.err = r.t.T("token.empty")
		if tok != "" {
			r.tok.err = r.t.T("token.invalid")
		}
		r.focus("token")
		return
	}
	r.tok.checking, r.tok.status, r.tok.err = true, r.t.T("token.checking"), ""
	client := r.client()
	stage := r.auth.ServerName(matrix.AuthRegistrationToken)
	cctx, stop := r.withTimeout(20 * time.Second)
	r.ctx.Async(func() {
		valid, supported, err := client.TokenValidityFor(cctx, stage, tok)
		stop()
		r.ctx.Dispatch(func(app.Context) {
			r.tok.checking, r.tok.status = false, ""
			if err != nil && !supported {
				err = nil
			}
			switch {
			case err != nil:
				if d, limited := retryAfterOf(err); limited {
					r.rateLimitedFor(d)
					return
				}
				// The check is only a courtesy: let /register decide.
				r.send(uiaa.RegistrationToken(r.auth.Session, tok))
			case supported && !valid:
				r.tok.err = r.t.T("token.invalid")
				r.focus("token")
			default:
				r.send(uiaa.RegistrationToken(r.auth.Session, tok))
			}
		})
	})
}
