package matrix

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"
)

// ClientMetadata is what the widget says of itself when it registers as
// an OAuth 2.0 client (RFC 7591 §2, as the Matrix spec profiles it: a web
// application, a public client, the code grant). See
// https://spec.matrix.org/v1.16/client-server-api/#client-registration.
type ClientMetadata struct {
	_                       noEq
	ClientName              string   `json:"client_name,omitempty"`
	ClientURI               string   `json:"client_uri"`
	LogoURI                 string   `json:"logo_uri,omitempty"`
	TOSURI                  string   `json:"tos_uri,omitempty"`
	PolicyURI               string   `json:"policy_uri,omitempty"`
	RedirectURIs            []string `json:"redirect_uris"`
	ApplicationType         string   `json:"application_type"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method"`
	GrantTypes              []string `json:"grant_types"`
	ResponseTypes           []string `json:"response_types"`
}

// NewClientMetadata returns the metadata of a web client at clientURI
// whose callback is redirectURI. Optional URIs the spec would refuse
// (not on clientURI's host or a subdomain of it) are left out.
func NewClientMetadata(name, clientURI, redirectURI, logo, tos, policy string) ClientMetadata {
	host := hostOf(clientURI)
	keep := func(u string) string {
		if h := hostOf(u); h != "" && (h == host || strings.HasSuffix(h, "."+host)) && IsWebURL(u) {
			return u
		}
		return ""
	}
	return ClientMetadata{
		ClientName: name, ClientURI: clientURI,
		LogoURI: keep(logo), TOSURI: keep(tos), PolicyURI: keep(policy),
		RedirectURIs:            []string{redirectURI},
		ApplicationType:         "web",
		TokenEndpointAuthMethod: "none",
		GrantTypes:              []string{"authorization_code", "refresh_token"},
		ResponseTypes:           []string{"code"},
	}
}

func hostOf(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// OAuthError is an OAuth 2.0 error answer (RFC 6749 §5.2, RFC 7591 §3.2.2)
// or an error the authorization server sent back to the redirect URI
// (RFC 6749 §4.1.2.1). Description is the server's text: show it as text
// only.
type OAuthError struct {
	Op          string
	Status      int
	Code        string // error, such as "access_denied" or "invalid_grant"
	Description string // error_description
}

func (e *OAuthError) Error() string {
	s := e.Op + ": " + e.Code
	if e.Description != "" {
		s += ": " + e.Description
	}
	return s
}

// AsOAuthError finds an *OAuthError in err's chain (without the
// reflection errors.As links into the WASM).
func AsOAuthError(err error) (*OAuthError, bool) {
	for err != nil {
		if e, ok := err.(*OAuthError); ok {
			return e, true
		}
		err = unwrap(err)
	}
	return nil, false
}

// RegisterClient registers the widget with the authorization server's
// registration endpoint (RFC 7591 §3) and returns its client_id. The
// Matrix spec asks clients to register at the start of each flow.
func RegisterClient(ctx context.Context, d Doer, endpoint string, md ClientMetadata) (string, error) {
	b, err := json.Marshal(md)
	if err != nil {
		return "", err
	}
	var resp struct {
		ClientID string `json:"client_id"`
	}
	if err := oauthCall(ctx, d, "client registration", endpoint, "application/json", b, &resp); err != nil {
		return "", err
	}
	if resp.ClientID == "" {
		return "", &ResponseError{Op: "client registration", Status: 201, Reason: "no client_id"}
	}
	return resp.ClientID, nil
}

// OAuthToken is the token endpoint's answer (RFC 6749 §5.1).
type OAuthToken struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	RefreshToken string `json:"refresh_token,omitempty"`
	ExpiresIn    int64  `json:"expires_in,omitempty"`
	Scope        string `json:"scope,omitempty"`
}

// CodeExchange is the token request of the authorization code grant with
// PKCE (RFC 6749 §4.1.3, RFC 7636 §4.5).
type CodeExchange struct {
	_                                            noEq
	Endpoint, ClientID, Code, Verifier, Redirect string
}

// ExchangeCode trades the authorization code for tokens at the token
// endpoint, form-encoded as RFC 6749 §4.1.3 asks.
func ExchangeCode(ctx context.Context, d Doer, x CodeExchange) (*OAuthToken, error) {
	form := url.Values{
		"grant_type": {"authorization_code"}, "code": {x.Code}, "redirect_uri": {x.Redirect},
		"client_id": {x.ClientID}, "code_verifier": {x.Verifier},
	}
	var tok OAuthToken
	if err := oauthCall(ctx, d, "token", x.Endpoint, "application/x-www-form-urlencoded", []byte(form.Encode()), &tok); err != nil {
		return nil, err
	}
	if tok.AccessToken == "" || !strings.EqualFold(tok.TokenType, "bearer") {
		return nil, &ResponseError{Op: "token", Status: 200, Reason: "no bearer access_token"}
	}
	return &tok, nil
}

// RevokeToken revokes token at the revocation endpoint (RFC 7009 §2.1):
// hint is "access_token" or "refresh_token". The server answers 200 for a
// token it does not know too.
func RevokeToken(ctx context.Context, d Doer, endpoint, clientID, token, hint string) error {
	form := url.Values{"token": {token}, "token_type_hint": {hint}, "client_id": {clientID}}
	return oauthCall(ctx, d, "revocation", endpoint, "application/x-www-form-urlencoded", []byte(form.Encode()), nil)
}

// oauthCall POSTs body to an endpoint of the authorization server and
// decodes a 2xx JSON answer into out; an error answer becomes an
// *OAuthError (or a *ResponseError when it is not RFC 6749's JSON).
func oauthCall(ctx context.Context, d Doer, op, endpoint, contentType string, body []byte, out any) error {
	req := &Request{Method: "POST", URL: endpoint, Body: body,
		Header: Header{"content-type": contentType, "accept": "application/json"}}
	return send(ctx, d, op, req, out, func(resp *Response) error {
		var e struct {
			Error       string `json:"error"`
			Description string `json:"error_description"`
		}
		if err := decodeJSON(resp.Body, &e); err != nil || e.Error == "" {
			return &ResponseError{Op: op, Status: resp.Status, Reason: "an error without error code"}
		}
		return &OAuthError{Op: op, Status: resp.Status, Code: truncate(e.Error, 100), Description: truncate(e.Description, maxMessage)}
	})
}

// S256 is RFC 7636's code challenge of verifier.
func S256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
