package matrix

import (
	"context"
	"net/url"
)

// AuthType names a User-Interactive Authentication stage. See
// https://spec.matrix.org/v1.16/client-server-api/#authentication-types.
type AuthType string

// The stage types the widget knows.
const (
	AuthDummy             AuthType = "m.login.dummy"
	AuthTerms             AuthType = "m.login.terms"
	AuthRegistrationToken AuthType = "m.login.registration_token"
	AuthEmail             AuthType = "m.login.email.identity"
	AuthMSISDN            AuthType = "m.login.msisdn"
	AuthRecaptcha         AuthType = "m.login.recaptcha"
	AuthSSO               AuthType = "m.login.sso"
)

// Kind is the kind of account to register: "user" (the default) or "guest".
type Kind string

// Account kinds for the ?kind= query parameter.
const (
	KindUser  Kind = "user"
	KindGuest Kind = "guest"
)

// RegisterRequest is the body of POST /_matrix/client/v3/register. See
// https://spec.matrix.org/v1.16/client-server-api/#post_matrixclientv3register.
type RegisterRequest struct {
	_                        noEq
	Auth                     *AuthDict `json:"auth,omitempty"`
	Username                 string    `json:"username,omitempty"`
	Password                 string    `json:"password,omitempty"`
	DeviceID                 string    `json:"device_id,omitempty"`
	InitialDeviceDisplayName string    `json:"initial_device_display_name,omitempty"`
	InhibitLogin             bool      `json:"inhibit_login,omitempty"`
	RefreshToken             bool      `json:"refresh_token,omitempty"`
}

// AuthDict is the auth object of a UIAA request. Type is empty only after a
// stage was completed out of band (fallback page): then the dict is
// {session} alone. See
// https://spec.matrix.org/v1.16/client-server-api/#user-interactive-authentication-api.
type AuthDict struct {
	_             noEq
	Type          AuthType       `json:"type,omitempty"`
	Session       string         `json:"session,omitempty"`
	Token         string         `json:"token,omitempty"`
	Response      string         `json:"response,omitempty"`
	ThreepidCreds *ThreepidCreds `json:"threepid_creds,omitempty"`
}

// ThreepidCreds identifies a validation session of an email address or a
// phone number.
type ThreepidCreds struct {
	SID          string `json:"sid"`
	ClientSecret string `json:"client_secret"`
}

// RegisterResponse is the 200 answer of /register. UserID is the account the
// server created: it may differ from the requested username.
type RegisterResponse struct {
	_            noEq
	UserID       string `json:"user_id"`
	AccessToken  string `json:"access_token,omitempty"`
	DeviceID     string `json:"device_id,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	ExpiresInMS  int64  `json:"expires_in_ms,omitempty"`
}

// Register sends one /register request. A 401 asking for (more) UIAA comes
// back as an *Error whose Auth is set; use AuthRequired to read it.
func (c *Client) Register(ctx context.Context, kind Kind, req *RegisterRequest) (*RegisterResponse, error) {
	var q url.Values
	if kind != "" && kind != KindUser {
		q = url.Values{"kind": {string(kind)}}
	}
	var resp RegisterResponse
	if err := c.call(ctx, "register", "POST", "/_matrix/client/v3/register", q, req, &resp); err != nil {
		return nil, err
	}
	if _, err := ParseUserID(resp.UserID); err != nil {
		return nil, &ResponseError{Op: "register", Status: 200, Reason: "invalid user_id", Err: err}
	}
	return &resp, nil
}

// AuthRequired returns the UIAA state carried by err, when err is a 401
// that asks for (more) authentication.
func AuthRequired(err error) (*AuthInfo, bool) {
	if me, ok := AsError(err); ok && me.Auth != nil {
		return me.Auth, true
	}
	return nil, false
}

// Available asks whether a username is free, with
// GET /_matrix/client/v3/register/available. It reserves nothing. A taken or
// invalid name comes back as an *Error (M_USER_IN_USE, M_INVALID_USERNAME,
// M_EXCLUSIVE). See
// https://spec.matrix.org/v1.16/client-server-api/#get_matrixclientv3registeravailable.
func (c *Client) Available(ctx context.Context, username string) (bool, error) {
	var resp struct {
		Available *bool `json:"available"`
	}
	err := c.call(ctx, "availability check", "GET", "/_matrix/client/v3/register/available",
		url.Values{"username": {username}}, nil, &resp)
	if err != nil {
		return false, err
	}
	if resp.Available == nil {
		return false, &ResponseError{Op: "availability check", Status: 200, Reason: "no available field"}
	}
	return *resp.Available, nil
}
