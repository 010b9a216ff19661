package matrix

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
)

// IdentityProvider is one of m.login.sso's identity_providers: a
// provider users may sign in (and sign up) through. See
// https://spec.matrix.org/v1.16/client-server-api/#get_matrixclientv3login.
type IdentityProvider struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Icon  string `json:"icon,omitempty"`  // an mxc:// URI
	Brand string `json:"brand,omitempty"` // such as "github", "gitlab"
}

// LoginFlows is what GET /_matrix/client/v3/login offers.
type LoginFlows struct {
	// Password is whether m.login.password is offered.
	Password bool
	// SSO is whether m.login.sso is offered; Providers are its identity
	// providers (those with an id and a name).
	SSO       bool
	Providers []IdentityProvider
	// OAuthAware is m.login.sso's oauth_aware_preferred (MSC3824): the
	// server prefers the OAuth 2.0 API.
	OAuthAware bool
}

// maxProviders caps how many identity providers the widget offers.
const maxProviders = 12

// GetLoginFlows reads the login types the server offers.
func (c *Client) GetLoginFlows(ctx context.Context) (LoginFlows, error) {
	var resp struct {
		Flows []struct {
			Type       AuthType           `json:"type"`
			Providers  []IdentityProvider `json:"identity_providers"`
			OAuthAware bool               `json:"oauth_aware_preferred"`
			Unstable   bool               `json:"org.matrix.msc3824.delegated_oidc_compatibility"`
		} `json:"flows"`
	}
	if err := c.call(ctx, "login flows", "GET", "/_matrix/client/v3/login", nil, nil, &resp); err != nil {
		return LoginFlows{}, err
	}
	var lf LoginFlows
	for _, f := range resp.Flows {
		switch f.Type {
		case AuthPassword:
			lf.Password = true
		case "m.login.sso":
			lf.SSO = true
			lf.OAuthAware = lf.OAuthAware || f.OAuthAware || f.Unstable
			for _, p := range f.Providers {
				if p.ID != "" && p.Name != "" && len(lf.Providers) < maxProviders {
					p.Name = truncate(p.Name, 80)
					lf.Providers = append(lf.Providers, p)
				}
			}
		}
	}
	return lf, nil
}

// SSORedirectURL is where the browser goes to sign up through provider
// idp: GET /_matrix/client/v3/login/sso/redirect/{idpId}, back to
// redirect with a loginToken. action=register (spec v1.18, MSC3824;
// Synapse reads the unstable name) says the user means to sign up. See
// https://spec.matrix.org/v1.16/client-server-api/#get_matrixclientv3loginssoredirectidpid.
func (c *Client) SSORedirectURL(idp, redirect string) string {
	q := url.Values{"redirectUrl": {redirect}, "action": {"register"}, "org.matrix.msc3824.action": {"register"}}
	return c.URL("/_matrix/client/v3/login/sso/redirect/"+url.PathEscape(idp), q)
}

// IconURL is where an identity provider's icon (an mxc:// URI) loads
// without authentication: the homeserver's legacy thumbnail endpoint,
// which servers with authenticated media (Synapse since 1.120 by default)
// answer only for older media; "" for anything but a well-formed mxc URI.
// See https://spec.matrix.org/v1.16/client-server-api/#get_matrixmediav3thumbnailservernamemediaid.
func (c *Client) IconURL(mxc string, px int) string {
	rest, ok := strings.CutPrefix(mxc, "mxc://")
	server, media, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || !ValidServerName(server) || media == "" || len(media) > 255 {
		return ""
	}
	for i := 0; i < len(media); i++ {
		if b := media[i]; !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_') {
			return ""
		}
	}
	n := strconv.Itoa(px)
	return c.URL("/_matrix/media/v3/thumbnail/"+server+"/"+media, url.Values{"width": {n}, "height": {n}, "method": {"scale"}})
}

// LoginResponse is the answer of POST /login.
type LoginResponse struct {
	UserID      string `json:"user_id"`
	AccessToken string `json:"access_token"`
	DeviceID    string `json:"device_id"`
}

// LoginWithToken logs in with the loginToken an SSO redirect returned
// (m.login.token). See
// https://spec.matrix.org/v1.16/client-server-api/#token-based.
func (c *Client) LoginWithToken(ctx context.Context, token, deviceName string) (*LoginResponse, error) {
	body := map[string]string{"type": "m.login.token", "token": token}
	if deviceName != "" {
		body["initial_device_display_name"] = deviceName
	}
	var resp LoginResponse
	if err := c.call(ctx, "login", "POST", "/_matrix/client/v3/login", nil, body, &resp); err != nil {
		return nil, err
	}
	if _, err := ParseUserID(resp.UserID); err != nil || resp.AccessToken == "" {
		return nil, &ResponseError{Op: "login", Status: 200, Reason: "no user_id or access_token"}
	}
	return &resp, nil
}

// Whoami is the answer of GET /_matrix/client/v3/account/whoami.
type Whoami struct {
	UserID   string `json:"user_id"`
	DeviceID string `json:"device_id,omitempty"`
}

// WhoAmI asks whose accessToken is. See
// https://spec.matrix.org/v1.16/client-server-api/#get_matrixclientv3accountwhoami.
func (c *Client) WhoAmI(ctx context.Context, accessToken string) (Whoami, error) {
	req := &Request{Method: "GET", URL: c.URL("/_matrix/client/v3/account/whoami", nil),
		Header: Header{"authorization": "Bearer " + accessToken, "accept": "application/json"}}
	r, err := c.Doer.Do(ctx, req)
	if err != nil {
		return Whoami{}, &NetworkError{Op: "whoami", Err: err}
	}
	if r.Status != 200 {
		return Whoami{}, c.parseError("whoami", r)
	}
	var w Whoami
	if err := json.Unmarshal(r.Body, &w); err != nil {
		return Whoami{}, &ResponseError{Op: "whoami", Status: 200, Reason: "not JSON", Err: err}
	}
	if _, err := ParseUserID(w.UserID); err != nil {
		return Whoami{}, &ResponseError{Op: "whoami", Status: 200, Reason: "no valid user_id", Err: err}
	}
	return w, nil
}
