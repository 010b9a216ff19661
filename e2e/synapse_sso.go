package e2e

import (
	"maps"
	"net/url"
	"testing"
)

// Synapse with single sign-on through the test OpenID provider
// ([OIDCProvider]), as Synapse 1.163.2 reads it:
// https://element-hq.github.io/synapse/latest/openid.html and
// https://element-hq.github.io/synapse/latest/usage/configuration/config_documentation.html#oidc_providers.
//
// What Synapse needs, and why:
//   - oidc_providers[].idp_id "test": Synapse lists it as "oidc-test"
//     (it prefixes every id but "oidc" with "oidc-"), in GET /login's
//     m.login.sso identity_providers and in
//     /login/sso/redirect/{idpId}.
//   - no skip_verification: Synapse checks the discovered metadata with
//     authlib (https issuer, "code" in response_types_supported, its
//     client_auth_method in token_endpoint_auth_methods_supported, S256
//     when PKCE is advertised, jwks_uri), and authlib counts http on a
//     loopback host (localhost, 127.0.0.1, ::1) as secure, so the test
//     issuer http://127.0.0.1:PORT passes. Only an http issuer elsewhere
//     would need skip_verification.
//   - no user_mapping_provider.config.localpart_template: the mapper then
//     gives no localpart and Synapse sends a new user to its own page,
//     /_synapse/client/pick_username/account_details, to choose one.
//   - public_baseurl (which StartSynapse sets): the callback Synapse gives
//     the provider is public_baseurl + "_synapse/client/oidc/callback".
//   - nothing for the address: Synapse talks to the provider with its
//     proxied HTTP client, which has no IP blocklist (ip_range_blacklist
//     applies to other clients), so 127.0.0.1 is reachable. It honours
//     http_proxy/https_proxy/no_proxy from the environment.
//   - sso.client_whitelist: prefixes of redirectUrl that Synapse sends the
//     browser back to at once; for any other, it first shows "Continue to
//     your account" (sso_redirect_confirm.html) with a Continue link to
//     redirectUrl + loginToken. The match is a plain string prefix, so a
//     prefix should end with "/".
//
// Synapse 1.163.2 reads no "action" (nor "org.matrix.msc3824.action")
// parameter on /login/sso/redirect: sign-up and sign-in are the same
// request, and a user the provider has not seen before always gets the
// username picker.

// Identity provider of a Synapse started by StartSynapseSSO.
const (
	// SSOIdPID is the id Synapse lists for the test provider.
	SSOIdPID = "oidc-" + ssoIdPConfigID
	// SSOIdPName is its idp_name, what a client shows.
	SSOIdPName     = "Test IdP"
	ssoIdPConfigID = "test"
	// SSOCallbackPath is Synapse's OpenID callback, under public_baseurl.
	SSOCallbackPath = "/_synapse/client/oidc/callback"
	// SSOPickUsernamePath is Synapse's username picker for a new user.
	SSOPickUsernamePath = "/_synapse/client/pick_username/account_details"
	// SSOConfirmTitle heads the page Synapse shows before sending the
	// browser to a redirectUrl outside sso.client_whitelist.
	SSOConfirmTitle = "Continue to your account"
	// SSONoRegistrationText is the message (#errormsg) of Synapse's error
	// page (a 400 at SSOCallbackPath, error code mapping_error) for a new
	// user of a provider with enable_registration: false.
	SSONoRegistrationText = "User does not exist and registrations are disabled"
)

// SynapseSSOOptions selects a Synapse with single sign-on.
type SynapseSSOOptions struct {
	// Synapse is the rest of the configuration; its Extra may not set
	// oidc_providers or sso, which StartSynapseSSO writes.
	Synapse SynapseOptions
	// ClientWhitelist is sso.client_whitelist: prefixes of the redirectUrl
	// that skip Synapse's "Continue to your account" page.
	ClientWhitelist []string
	// IdPBrand is idp_brand (lower case, as "gitlab"), unset when empty.
	IdPBrand string
	// IdPIcon is idp_icon, an mxc:// URI, unset when empty.
	IdPIcon string
	// NoRegistration sets the provider's enable_registration to false:
	// only users Synapse already mapped may sign in (it is independent
	// of the homeserver's enable_registration).
	NoRegistration bool
}

// StartSynapseSSO starts the test OpenID provider and a Synapse that
// offers it as its one identity provider (see [SSOIdPID]), and registers
// Synapse's callback with the provider. Add users with
// OIDCProvider.AddUser. Both stop when the test ends.
func StartSynapseSSO(t testing.TB, opts SynapseSSOOptions) (*Synapse, *OIDCProvider) {
	t.Helper()
	idp := StartOIDCProvider(t)
	so := opts.Synapse
	so.Extra = maps.Clone(so.Extra)
	if so.Extra == nil {
		so.Extra = map[string]any{}
	}
	for k, v := range SSOSettings(idp, opts) {
		if _, ok := so.Extra[k]; ok {
			t.Fatalf("SynapseSSOOptions.Synapse.Extra sets %q, which StartSynapseSSO writes", k)
		}
		so.Extra[k] = v
	}
	hs := StartSynapse(t, so)
	idp.AllowRedirectURI(hs.BaseURL + SSOCallbackPath)
	return hs, idp
}

// SSOSettings returns the top-level homeserver.yaml keys that make idp
// Synapse's identity provider: oidc_providers and sso.
func SSOSettings(idp *OIDCProvider, opts SynapseSSOOptions) map[string]any {
	provider := map[string]any{
		"idp_id":              ssoIdPConfigID,
		"idp_name":            SSOIdPName,
		"issuer":              idp.Issuer,
		"client_id":           idp.ClientID,
		"client_secret":       idp.ClientSecret,
		"client_auth_method":  "client_secret_basic",
		"scopes":              []string{"openid"},
		"enable_registration": !opts.NoRegistration,
		// The default mapper (JinjaOidcMappingProvider) with the subject
		// in "sub" and no localpart_template.
		"user_mapping_provider": map[string]any{"config": map[string]any{"subject_claim": "sub"}},
	}
	if opts.IdPBrand != "" {
		provider["idp_brand"] = opts.IdPBrand
	}
	if opts.IdPIcon != "" {
		provider["idp_icon"] = opts.IdPIcon
	}
	whitelist := []string{}
	if opts.ClientWhitelist != nil {
		whitelist = opts.ClientWhitelist
	}
	return map[string]any{
		"oidc_providers": []any{provider},
		"sso":            map[string]any{"client_whitelist": whitelist},
	}
}

// SSORedirectURL is the address a client sends the browser to for
// signing up through the test provider:
// /_matrix/client/v3/login/sso/redirect/{idpId}?redirectUrl=…&action=register
// (https://spec.matrix.org/v1.18/client-server-api/#get_matrixclientv3loginssoredirectidpid).
// Synapse ignores action (see above); the spec's clients send it.
func (s *Synapse) SSORedirectURL(redirectURL string) string {
	q := url.Values{"redirectUrl": {redirectURL}, "action": {"register"}}
	return s.BaseURL + "/_matrix/client/v3/login/sso/redirect/" + url.PathEscape(SSOIdPID) + "?" + q.Encode()
}
