package matrix

import (
	"context"
	"encoding/json"
	"slices"
)

// AuthPassword is the m.login.password stage type.
const AuthPassword AuthType = "m.login.password"

// PasswordAuth is the auth dict of the m.login.password stage: the user's
// own password, re-entered to confirm an action on their account. See
// https://spec.matrix.org/v1.16/client-server-api/#password-based.
type PasswordAuth struct {
	_          noEq
	Type       AuthType       `json:"type"`
	Session    string         `json:"session,omitempty"`
	Identifier UserIdentifier `json:"identifier"`
	Password   string         `json:"password"`
}

// UserIdentifier is the m.id.user identifier: a localpart or a user ID.
// See https://spec.matrix.org/v1.16/client-server-api/#matrix-user-id.
type UserIdentifier struct {
	Type string `json:"type"`
	User string `json:"user"`
}

// NewPasswordAuth returns the m.login.password auth dict for userID in the
// UIAA session.
func NewPasswordAuth(session, userID, password string) *PasswordAuth {
	return &PasswordAuth{Type: AuthPassword, Session: session,
		Identifier: UserIdentifier{Type: "m.id.user", User: userID}, Password: password}
}

// GetLoginToken asks for a one-time login token for the account of
// accessToken, with POST /_matrix/client/v1/login/get_token; auth is the
// UIAA auth dict (nil for none). The endpoint uses User-Interactive
// Authentication and the spec says servers MUST always ask for it: a 401
// with the flows comes back as an *Error whose Auth is set (read it with
// AuthRequired). See
// https://spec.matrix.org/v1.16/client-server-api/#post_matrixclientv1loginget_token.
func (c *Client) GetLoginToken(ctx context.Context, accessToken string, auth *PasswordAuth) (string, error) {
	var resp struct {
		LoginToken string `json:"login_token"`
	}
	body := []byte("{}")
	if auth != nil {
		b, err := json.Marshal(struct {
			Auth *PasswordAuth `json:"auth"`
		}{auth})
		if err != nil {
			return "", err
		}
		body = b
	}
	req := &Request{Method: "POST", URL: c.URL("/_matrix/client/v1/login/get_token", nil),
		Header: Header{"authorization": "Bearer " + accessToken, "content-type": "application/json", "accept": "application/json"},
		Body:   body}
	r, err := c.Doer.Do(ctx, req)
	if err != nil {
		return "", &NetworkError{Op: "login token", Err: err}
	}
	if r.Status != 200 {
		return "", c.parseError("login token", r)
	}
	if err := decodeJSON(r.Body, &resp); err != nil || resp.LoginToken == "" || len(resp.LoginToken) > 1024 {
		return "", &ResponseError{Op: "login token", Status: 200, Reason: "no login_token"}
	}
	return resp.LoginToken, nil
}

// LoginTokenWithPassword runs get_token's UIA round: a first call without
// auth, and, when its 401 offers the flow [m.login.password], the same
// call with userID's password in that session. A server that answers the
// first call with a token never sees the password; one that asks for
// anything else gets no second call, and the error comes back.
func (c *Client) LoginTokenWithPassword(ctx context.Context, accessToken, userID, password string) (string, error) {
	tok, err := c.GetLoginToken(ctx, accessToken, nil)
	info, ok := AuthRequired(err)
	if !ok || password == "" || !offersPasswordAlone(info) {
		return tok, err
	}
	return c.GetLoginToken(ctx, accessToken, NewPasswordAuth(info.Session, userID, password))
}

// offersPasswordAlone reports whether some flow is m.login.password alone.
func offersPasswordAlone(info *AuthInfo) bool {
	return slices.ContainsFunc(info.Flows, func(f Flow) bool {
		return len(f.Stages) == 1 && f.Stages[0] == AuthPassword
	})
}
