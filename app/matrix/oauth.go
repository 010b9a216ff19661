package matrix

import (
	"context"
	"net/netip"
	"net/url"
	"slices"
	"strings"
)

// AuthMetadata is the part of the server's OAuth 2.0 authorization server
// metadata (RFC 8414) the widget reads, from GET
// /_matrix/client/v1/auth_metadata: a server that answers it delegates
// accounts to an OAuth 2.0 authorization server (such as
// matrix-authentication-service), and /register must not be used. See
// https://spec.matrix.org/v1.16/client-server-api/#get_matrixclientv1auth_metadata.
type AuthMetadata struct {
	_                                 noEq
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	TokenEndpoint                     string   `json:"token_endpoint,omitempty"`
	RegistrationEndpoint              string   `json:"registration_endpoint,omitempty"`
	RevocationEndpoint                string   `json:"revocation_endpoint,omitempty"`
	AccountManagementURI              string   `json:"account_management_uri,omitempty"`
	ResponseTypesSupported            []string `json:"response_types_supported,omitempty"`
	ResponseModesSupported            []string `json:"response_modes_supported,omitempty"`
	GrantTypesSupported               []string `json:"grant_types_supported,omitempty"`
	CodeChallengeMethodsSupported     []string `json:"code_challenge_methods_supported,omitempty"`
	PromptValuesSupported             []string `json:"prompt_values_supported,omitempty"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported,omitempty"`
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

// OAuthProblem says why the widget cannot run the authorization code flow
// with a server's metadata itself; "" when it can.
type OAuthProblem string

// The problems, in the order they are checked.
const (
	OAuthNoCreate     OAuthProblem = "prompt=create is not offered"      // prompt_values_supported lacks create
	OAuthNoEndpoints  OAuthProblem = "an endpoint is missing"            // authorization, token or registration
	OAuthInsecure     OAuthProblem = "an endpoint is not https"          // outside loopback development
	OAuthNoCode       OAuthProblem = "the code flow is not offered"      // response_types/grant_types
	OAuthNoPKCE       OAuthProblem = "PKCE S256 is not offered"          // code_challenge_methods_supported
	OAuthNoPublic     OAuthProblem = "public clients are not accepted"   // token_endpoint_auth_methods_supported
	OAuthNoMode       OAuthProblem = "no response mode the widget reads" // response_modes_supported
	OAuthIssuerBroken OAuthProblem = "the issuer is not an https URL"
)

// Problem checks that the metadata allows sign-up in the widget: the
// authorization code grant with PKCE S256 (RFC 7636) for a public client
// registered dynamically (RFC 7591), prompt=create, and endpoints on https
// (plain http only on a loopback host, for development). See
// https://spec.matrix.org/v1.16/client-server-api/#oauth-20-api.
func (m *AuthMetadata) Problem() OAuthProblem {
	switch {
	case !secureURL(m.Issuer):
		return OAuthIssuerBroken
	case !slices.Contains(m.PromptValuesSupported, "create"):
		return OAuthNoCreate
	case m.AuthorizationEndpoint == "" || m.TokenEndpoint == "" || m.RegistrationEndpoint == "":
		return OAuthNoEndpoints
	case !secureURL(m.AuthorizationEndpoint) || !secureURL(m.TokenEndpoint) || !secureURL(m.RegistrationEndpoint) ||
		m.RevocationEndpoint != "" && !secureURL(m.RevocationEndpoint):
		return OAuthInsecure
	case !slices.Contains(m.ResponseTypesSupported, "code") ||
		// RFC 8414 §2: omitted means ["authorization_code", "implicit"].
		m.GrantTypesSupported != nil && !slices.Contains(m.GrantTypesSupported, "authorization_code"):
		return OAuthNoCode
	case !slices.Contains(m.CodeChallengeMethodsSupported, "S256"):
		return OAuthNoPKCE
	case m.TokenEndpointAuthMethodsSupported != nil && !slices.Contains(m.TokenEndpointAuthMethodsSupported, "none"):
		return OAuthNoPublic
	case m.ResponseMode() == "" && m.ResponseModesSupported != nil:
		return OAuthNoMode
	}
	return ""
}

// ResponseMode is the response_mode the widget asks for: fragment when
// listed (the code then never reaches a server's logs), else query; ""
// when the server lists neither, or lists none (RFC 6749's default for
// the code flow, query, applies then).
func (m *AuthMetadata) ResponseMode() string {
	for _, mode := range []string{"fragment", "query"} {
		if slices.Contains(m.ResponseModesSupported, mode) {
			return mode
		}
	}
	return ""
}

// secureURL reports whether s is an https URL, or an http URL of a
// loopback host (a development server, as OAuth allows for native
// clients and matrix-authentication-service for insecure setups).
func secureURL(s string) bool {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil || u.Fragment != "" {
		return false
	}
	return u.Scheme == "https" || u.Scheme == "http" && IsLoopback(u.Hostname())
}

// IsLoopback reports whether host is localhost or a loopback address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(strings.Trim(host, "[]"))
	return err == nil && ip.IsLoopback()
}

// Paths of the metadata: stable since v1.15, and MSC2965's unstable one
// that servers of earlier versions (matrix-authentication-service with
// Synapse before its v1.15 support) serve.
const (
	pathAuthMetadata         = "/_matrix/client/v1/auth_metadata"
	pathAuthMetadataUnstable = "/_matrix/client/unstable/org.matrix.msc2965/auth_metadata"
)

// GetAuthMetadata reads the server's OAuth metadata at where: the stable
// endpoint for a server of v1.15 or later, MSC2965's unstable one for an
// earlier server, and when its versions are not known the stable one,
// then the unstable one when the stable answers 404. delegated is false
// (with a nil error) when the server does not delegate (404 or
// M_UNRECOGNIZED).
func (c *Client) GetAuthMetadata(ctx context.Context, where AuthPath) (md *AuthMetadata, delegated bool, err error) {
	paths := []string{pathAuthMetadata, pathAuthMetadataUnstable}
	switch where {
	case AuthStable:
		paths = paths[:1]
	case AuthUnstable:
		paths = paths[1:]
	}
	for _, path := range paths {
		var resp AuthMetadata
		err = c.call(ctx, "auth metadata", "GET", path, nil, nil, &resp)
		var me *Error
		switch {
		case err == nil && resp.SignUpURL() != "":
			return &resp, true, nil
		case err == nil:
			return nil, false, &ResponseError{Op: "auth metadata", Status: 200, Reason: "no http(s) issuer"}
		case asError(err, &me) && (me.Status == 404 || me.Code == CodeUnrecognized), isResponseStatus(err, 404):
			continue
		}
		return nil, false, err
	}
	return nil, false, nil
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
