package matrix

import (
	"context"
)

// AuthMetadata is the part of GET /_matrix/client/v1/auth_metadata the
// widget reads: a server that answers it delegates sign-up to an OAuth 2.0
// authorization server (such as matrix-authentication-service), and
// /register must not be used. See
// https://spec.matrix.org/v1.16/client-server-api/#get_matrixclientv1auth_metadata.
type AuthMetadata struct {
	Issuer                string   `json:"issuer"`
	AuthorizationEndpoint string   `json:"authorization_endpoint"`
	AccountManagementURI  string   `json:"account_management_uri,omitempty"`
	PromptValuesSupported []string `json:"prompt_values_supported,omitempty"`
}

// SignUpURL returns where to send a user to create an account: the account
// management page when the server names one, else the issuer. Both must be
// http(s) URLs.
func (m *AuthMetadata) SignUpURL() string {
	for _, u := range []string{m.AccountManagementURI, m.Issuer} {
		if IsWebURL(u) {
			return u
		}
	}
	return ""
}

// GetAuthMetadata reads the server's OAuth metadata. delegated is false
// (with a nil error) when the server does not delegate (404 or
// M_UNRECOGNIZED).
func (c *Client) GetAuthMetadata(ctx context.Context) (md *AuthMetadata, delegated bool, err error) {
	var resp AuthMetadata
	err = c.call(ctx, "auth metadata", "GET", "/_matrix/client/v1/auth_metadata", nil, nil, &resp)
	var me *Error
	switch {
	case err == nil && resp.SignUpURL() != "":
		return &resp, true, nil
	case err == nil:
		return nil, false, &ResponseError{Op: "auth metadata", Status: 200, Reason: "no http(s) issuer"}
	case asError(err, &me) && (me.Status == 404 || me.Code == CodeUnrecognized):
		return nil, false, nil
	case isResponseStatus(err, 404):
		return nil, false, nil
	}
	return nil, false, err
}

func asError(err error, target **Error) bool {
	e, ok := AsError(err)
	*target = e
	return ok
}

func isResponseStatus(err error, status int) bool {
	re, ok := asResponseError(err)
	return ok && re.Status == status
}
