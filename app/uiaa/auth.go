package uiaa

import (
	"net/url"

	"signup/app/matrix"
)

// Dummy returns the auth dict of m.login.dummy: {type, session}.
func Dummy(session string) *matrix.AuthDict {
	return &matrix.AuthDict{Type: matrix.AuthDummy, Session: session}
}

// TermsAuth returns the auth dict of m.login.terms: {type, session}.
func TermsAuth(session string) *matrix.AuthDict {
	return &matrix.AuthDict{Type: matrix.AuthTerms, Session: session}
}

// RegistrationToken returns the auth dict of m.login.registration_token:
// {type, token, session}.
func RegistrationToken(session, token string) *matrix.AuthDict {
	return &matrix.AuthDict{Type: matrix.AuthRegistrationToken, Session: session, Token: token}
}

// Recaptcha returns the auth dict of m.login.recaptcha: {type, response,
// session}.
func Recaptcha(session, response string) *matrix.AuthDict {
	return &matrix.AuthDict{Type: matrix.AuthRecaptcha, Session: session, Response: response}
}

// Threepid returns the auth dict of m.login.email.identity or
// m.login.msisdn: {type, threepid_creds: {sid, client_secret}, session}.
func Threepid(stage matrix.AuthType, session, sid, clientSecret string) *matrix.AuthDict {
	return &matrix.AuthDict{Type: stage, Session: session,
		ThreepidCreds: &matrix.ThreepidCreds{SID: sid, ClientSecret: clientSecret}}
}

// OutOfBand returns the auth dict sent after a stage was completed on the
// fallback page: {session} alone.
func OutOfBand(session string) *matrix.AuthDict {
	return &matrix.AuthDict{Session: session}
}

// FallbackURL returns the homeserver's fallback page for a stage:
// {base}/_matrix/client/v3/auth/{type}/fallback/web?session={session}. See
// https://spec.matrix.org/v1.16/client-server-api/#fallback.
func FallbackURL(baseURL string, stage matrix.AuthType, session string) string {
	return baseURL + "/_matrix/client/v3/auth/" + url.PathEscape(string(stage)) +
		"/fallback/web?session=" + url.QueryEscape(session)
}
