package matrix

import (
	"context"
	"net/url"
)

// RequestTokenRequest is the body of the requestToken endpoints of
// registration: email (ClientSecret, Email, SendAttempt, NextLink) or
// phone (ClientSecret, Country, PhoneNumber, SendAttempt). See
// https://spec.matrix.org/v1.16/client-server-api/#post_matrixclientv3registeremailrequesttoken.
type RequestTokenRequest struct {
	_            noEq
	ClientSecret string `json:"client_secret"`
	Email        string `json:"email,omitempty"`
	Country      string `json:"country,omitempty"`
	PhoneNumber  string `json:"phone_number,omitempty"`
	SendAttempt  int    `json:"send_attempt"`
	NextLink     string `json:"next_link,omitempty"`
}

// RequestTokenResponse is the answer of requestToken: the validation
// session's sid, and where to send the code (phone) when the server wants
// it there.
type RequestTokenResponse struct {
	SID       string `json:"sid"`
	SubmitURL string `json:"submit_url,omitempty"`
}

// RequestEmailToken asks the homeserver to email a validation link, with
// POST /_matrix/client/v3/register/email/requestToken. Errors:
// M_THREEPID_IN_USE, M_SERVER_NOT_TRUSTED (400), M_THREEPID_DENIED (403).
func (c *Client) RequestEmailToken(ctx context.Context, req *RequestTokenRequest) (*RequestTokenResponse, error) {
	return c.requestToken(ctx, "email verification", "/_matrix/client/v3/register/email/requestToken", req)
}

// RequestMSISDNToken asks the homeserver to text a code to a phone, with
// POST /_matrix/client/v3/register/msisdn/requestToken. See
// https://spec.matrix.org/v1.16/client-server-api/#post_matrixclientv3registermsisdnrequesttoken.
func (c *Client) RequestMSISDNToken(ctx context.Context, req *RequestTokenRequest) (*RequestTokenResponse, error) {
	return c.requestToken(ctx, "phone verification", "/_matrix/client/v3/register/msisdn/requestToken", req)
}

func (c *Client) requestToken(ctx context.Context, op, path string, req *RequestTokenRequest) (*RequestTokenResponse, error) {
	var resp RequestTokenResponse
	if err := c.call(ctx, op, "POST", path, nil, req, &resp); err != nil {
		return nil, err
	}
	if resp.SID == "" || len(resp.SID) > 255 {
		return nil, &ResponseError{Op: op, Status: 200, Reason: "no valid sid"}
	}
	if resp.SubmitURL != "" && !IsWebURL(resp.SubmitURL) {
		return nil, &ResponseError{Op: op, Status: 200, Reason: "submit_url is not an http(s) URL"}
	}
	return &resp, nil
}

// SubmitToken sends a code the user received to submitURL, as
// {sid, client_secret, token}, and reports the server's success field.
// The caller must have checked that submitURL's origin is one it trusts
// with the code.
func (c *Client) SubmitToken(ctx context.Context, submitURL, sid, clientSecret, token string) (bool, error) {
	if !IsWebURL(submitURL) {
		return false, &ResponseError{Op: "code submission", Reason: "submit_url is not an http(s) URL"}
	}
	var resp struct {
		Success bool `json:"success"`
	}
	sub := &Client{BaseURL: "", Doer: c.Doer, Now: c.Now}
	body := map[string]string{"sid": sid, "client_secret": clientSecret, "token": token}
	if err := sub.call(ctx, "code submission", "POST", submitURL, nil, body, &resp); err != nil {
		return false, err
	}
	return resp.Success, nil
}

// TokenValidity asks whether a registration token is valid, with
// GET /_matrix/client/v1/register/m.login.registration_token/validity.
// supported is false when the server does not offer the check (404 or
// M_UNRECOGNIZED): then skip it. See
// https://spec.matrix.org/v1.16/client-server-api/#get_matrixclientv1registermloginregistration_tokenvalidity.
func (c *Client) TokenValidity(ctx context.Context, token string) (valid, supported bool, err error) {
	return c.TokenValidityFor(ctx, AuthRegistrationToken, token)
}

// TokenValidityFor is TokenValidity at the endpoint of the stage name the
// server uses (AuthInfo.ServerName): MSC3231's unstable endpoint for
// [AuthRegistrationTokenUnstable].
func (c *Client) TokenValidityFor(ctx context.Context, stage AuthType, token string) (valid, supported bool, err error) {
	var resp struct {
		Valid *bool `json:"valid"`
	}
	path := "/_matrix/client/v1/register/m.login.registration_token/validity"
	if stage == AuthRegistrationTokenUnstable {
		path = "/_matrix/client/unstable/org.matrix.msc3231/register/org.matrix.msc3231.login.registration_token/validity"
	}
	err = c.call(ctx, "token check", "GET", path, url.Values{"token": {token}}, nil, &resp)
	var me *Error
	switch {
	case err == nil && resp.Valid != nil:
		return *resp.Valid, true, nil
	case err == nil:
		return false, false, &ResponseError{Op: "token check", Status: 200, Reason: "no valid field"}
	case asError(err, &me) && (me.Status == 404 || me.Code == CodeUnrecognized):
		return false, false, nil
	case isResponseStatus(err, 404):
		return false, false, nil
	}
	return false, true, err
}

// IsWebURL reports whether s is an absolute http: or https: URL: the only
// kind of URL from a homeserver the widget turns into a link or a request.
func IsWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil
}

// Origin returns scheme://host[:port] of an http(s) URL, or "".
func Origin(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return ""
	}
	return u.Scheme + "://" + u.Host
}
