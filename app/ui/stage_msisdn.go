package ui

import (
	"errors"
	"strings"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/matrix"
	"signup/app/uiaa"
)

// phoneState is the m.login.msisdn stage: country and number, then the
// code the user received, sent to the server's submit_url.
type phoneState struct {
	country, number, code string
	err                   string
	secret, sid, submit   string
	attempt               int
	sending               bool
}

// renderMSISDN draws the country and number, then the code entry.
func (r *Register) renderMSISDN() app.UI {
	if r.phone.sid == "" {
		return app.Form().ID("msisdn-form").NoValidate(true).OnSubmit(r.onPhoneSubmit).Body(
			field{ID: "country", Label: r.t.T("msisdn.country"), Type: "text", Value: r.phone.country,
				AutoComplete: "country", Username: true, Hint: r.t.T("msisdn.country.hint"),
				OnInput: func(ctx app.Context, e app.Event) { r.phone.country = ctx.JSSrc().Get("value").String() }}.render(),
			field{ID: "phone", Label: r.t.T("msisdn.number"), Type: "tel", Value: r.phone.number,
				AutoComplete: "tel-national", InputMode: "tel", Error: r.phone.err,
				OnInput: func(ctx app.Context, e app.Event) {
					r.phone.number = ctx.JSSrc().Get("value").String()
					r.phone.err = ""
				}}.render(),
			r.renderStageButton("msisdn-send", r.t.T("msisdn.send"), r.phone.sending),
		)
	}
	return app.Form().ID("msisdn-code-form").NoValidate(true).OnSubmit(r.onCodeSubmit).Body(
		app.P().ID("msisdn-sent").Role("status").Text(r.t.T("msisdn.sent", r.phone.number)),
		field{ID: "code", Label: r.t.T("msisdn.code"), Type: "text", Value: r.phone.code,
			AutoComplete: "one-time-code", InputMode: "numeric", Error: r.phone.err,
			OnInput: func(ctx app.Context, e app.Event) {
				r.phone.code = ctx.JSSrc().Get("value").String()
				r.phone.err = ""
			}}.render(),
		r.renderStageButton("msisdn-verify", r.t.T("msisdn.verify"), r.phone.sending),
	)
}

// defaultCountry guesses the country from the user's language (en-GB →
// GB).
func (r *Register) defaultCountry() string {
	if r.Services == nil || r.Services.Languages == nil {
		return ""
	}
	for _, l := range r.Services.Languages() {
		if i := strings.IndexAny(l, "-_"); i > 0 && len(l)-i-1 == 2 {
			return strings.ToUpper(l[i+1:])
		}
	}
	return ""
}

func (r *Register) onPhoneSubmit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	if r.phone.sending || r.waiting() {
		return
	}
	country := strings.ToUpper(strings.TrimSpace(r.phone.country))
	number := strings.TrimSpace(r.phone.number)
	if len(country) != 2 || country[0] < 'A' || country[0] > 'Z' || country[1] < 'A' || country[1] > 'Z' || len(number) < 3 || len(number) > 32 {
		r.phone.err = r.t.T("msisdn.bad")
		r.focus("phone")
		return
	}
	r.phone.country, r.phone.number = country, number
	if r.phone.secret == "" {
		s, err := uiaa.NewClientSecret(nil)
		if err != nil {
			r.stageErr = r.t.T("failed")
			return
		}
		r.phone.secret = s
	}
	r.phone.attempt++
	r.phone.sending = true
	req := &matrix.RequestTokenRequest{ClientSecret: r.phone.secret, Country: country,
		PhoneNumber: number, SendAttempt: r.phone.attempt}
	client := r.client()
	cctx, stop := r.withTimeout(30 * time.Second)
	r.ctx.Async(func() {
		resp, err := client.RequestMSISDNToken(cctx, req)
		stop()
		r.ctx.Dispatch(func(app.Context) {
			r.phone.sending = false
			switch {
			case err == nil && !r.trusted(resp.SubmitURL):
				r.phone.err = r.t.T("msisdn.untrusted")
			case err == nil:
				r.phone.sid, r.phone.submit = resp.SID, resp.SubmitURL
				r.focus("code")
			case errors.Is(err, &matrix.Error{Code: matrix.CodeThreepidInUse}):
				r.phone.err = r.t.T("msisdn.inuse")
			case errors.Is(err, &matrix.Error{Code: matrix.CodeThreepidDenied}):
				r.phone.err = r.t.T("msisdn.denied")
			default:
				r.fail(err)
			}
		})
	})
}

// trusted reports whether the code may be sent to submitURL: only to the
// homeserver's own origin or to an origin the operator allowed.
func (r *Register) trusted(submitURL string) bool {
	o := matrix.Origin(submitURL)
	if o == "" {
		return false
	}
	if o == matrix.Origin(r.hs.BaseURL) {
		return true
	}
	for _, t := range r.Config.Operator.Homeserver.TrustedOrigins {
		if strings.TrimRight(t, "/") == o {
			return true
		}
	}
	return false
}

func (r *Register) onCodeSubmit(ctx app.Context, e app.Event) {
	e.PreventDefault()
	code := strings.TrimSpace(r.phone.code)
	if r.phone.sending || r.busy || code == "" || len(code) > 64 {
		return
	}
	r.phone.sending = true
	client := r.client()
	sid, secret, submit := r.phone.sid, r.phone.secret, r.phone.submit
	cctx, stop := r.withTimeout(30 * time.Second)
	r.ctx.Async(func() {
		ok, err := client.SubmitToken(cctx, submit, sid, secret, code)
		stop()
		r.ctx.Dispatch(func(app.Context) {
			r.phone.sending = false
			switch {
			case err != nil:
				r.fail(err)
			case !ok:
				r.phone.err = r.t.T("msisdn.wrong")
				r.focus("code")
			default:
				r.send(uiaa.Threepid(matrix.AuthMSISDN, r.auth.Session, sid, secret))
			}
		})
	})
}
