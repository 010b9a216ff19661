package tesths

// OAuth 2.0 Dynamic Client Registration (RFC 7591) as the Matrix spec takes
// it (spec.matrix.org/v1.16/client-server-api/#client-registration, from
// MSC2966), with the checks of MAS: ClientMetadata::validate
// (crates/oauth2-types/src/registration/mod.rs) then its policy
// (policies/client_registration/client_registration.rego).

import (
	"encoding/json"
	"mime"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Client metadata fields the server checks the type of.
var (
	clientStringFields = []string{"client_uri", "client_name", "logo_uri", "tos_uri", "policy_uri", "token_endpoint_auth_method", "application_type"}
	clientListFields   = []string{"redirect_uris", "grant_types", "response_types"}
	// clientURIFields must share client_uri's host (the spec's
	// OAuthClientMetadata.client_uri: "those MUST be either on the same
	// host or on a subdomain of the host of the client_uri"), and use https.
	clientURIFields = []string{"tos_uri", "policy_uri", "logo_uri"}
	knownGrantTypes = []string{"authorization_code", "refresh_token"}
)

// handleOAuthRegister answers POST {registration_endpoint} (RFC 7591
// section 3). Errors are 400 with error invalid_redirect_uri or
// invalid_client_metadata (section 3.2.2) as MAS chooses them: a request
// that is not JSON is invalid_request; a wrong field type, a missing or
// insecure client_uri, an insecure or foreign logo_uri, tos_uri or
// policy_uri (localised variants too), response_types without code or with
// token/id_token, an application_type other than web and native, a
// token_endpoint_auth_method other than none (MAS would issue a secret;
// this server only has public clients) are invalid_client_metadata;
// missing, empty or invalid redirect_uris are invalid_redirect_uri. The
// success is 201 with the client_id and the registered metadata, defaults
// filled in (section 3.2.1). Like MAS, a client that sends no
// token_endpoint_auth_method is registered but may not use the token
// endpoint, and grant types are checked where they are used.
func (s *Server) handleOAuthRegister(r *http.Request, body []byte) reply {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return oauthErrReply(http.StatusBadRequest, "invalid_request", "Expected request with `Content-Type: application/json`")
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return oauthErrReply(http.StatusBadRequest, "invalid_request", "The body is not JSON: "+err.Error())
	}
	md, ok := v.(map[string]any)
	if !ok {
		return oauthErrReply(http.StatusBadRequest, "invalid_client_metadata", "The client metadata must be a JSON object")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.oauth
	st.received = append(st.received, md)
	if n := len(st.received) - maxRecorded; n > 0 {
		st.received = append([]map[string]any(nil), st.received[n:]...)
	}
	if st.cfg.RefuseRegistration != "" {
		return oauthErrReply(http.StatusBadRequest, st.cfg.RefuseRegistration, "Client registration refused by the test server")
	}
	c, rep := s.checkClientMetadata(md)
	if rep != nil {
		return *rep
	}
	st.clients[c.id] = c
	st.clientList = append(st.clientList, c.id)
	if len(st.clientList) > maxSessions {
		delete(st.clients, st.clientList[0])
		st.clientList = st.clientList[1:]
	}
	out := map[string]any{
		"client_id":           c.id,
		"client_id_issued_at": time.Now().Unix(),
		"redirect_uris":       c.redirectURIs,
		"grant_types":         c.grantTypes,
		"response_types":      []string{"code"},
		"application_type":    "web",
	}
	if c.native {
		out["application_type"] = "native"
	}
	for _, f := range []string{"client_name", "client_uri", "logo_uri", "tos_uri", "policy_uri", "token_endpoint_auth_method"} {
		if v, ok := md[f]; ok {
			out[f] = v
		}
	}
	return reply{status: http.StatusCreated, json: out}
}

// checkClientMetadata returns the client that md registers, or the error
// answer. The caller holds s.mu.
func (s *Server) checkClientMetadata(md map[string]any) (*oauthClient, *reply) {
	bad := func(code, desc string) (*oauthClient, *reply) {
		rep := oauthErrReply(http.StatusBadRequest, code, desc)
		return nil, &rep
	}
	str := map[string]string{}
	for _, f := range clientStringFields {
		if v, ok := md[f]; ok {
			if str[f], ok = v.(string); !ok {
				return bad("invalid_client_metadata", f+": invalid type: expected a string")
			}
		}
	}
	lists := map[string][]string{}
	for _, f := range clientListFields {
		v, ok := md[f]
		if !ok {
			continue
		}
		arr, ok := v.([]any)
		if !ok {
			return bad("invalid_client_metadata", f+": invalid type: expected an array of strings")
		}
		lists[f] = []string{}
		for _, e := range arr {
			es, ok := e.(string)
			if !ok {
				return bad("invalid_client_metadata", f+": invalid type: expected an array of strings")
			}
			lists[f] = append(lists[f], es)
		}
	}
	grants, hasGrants := lists["grant_types"]
	if !hasGrants {
		grants = []string{"authorization_code"} // RFC 7591 section 2
	}
	usesCode := slices.Contains(grants, "authorization_code")
	redirects, hasRedirects := lists["redirect_uris"]
	for _, u := range redirects {
		if strings.Contains(u, "#") {
			return bad("invalid_redirect_uri", "redirect_uri has a fragment: "+u)
		}
	}
	if !hasRedirects && usesCode {
		return bad("invalid_redirect_uri", "missing redirect_uris")
	}
	if rts, ok := lists["response_types"]; ok {
		hasCode := false
		for _, rt := range rts {
			f := strings.Fields(rt)
			if slices.Contains(f, "token") || slices.Contains(f, "id_token") {
				return bad("invalid_client_metadata", "incoherent response_type "+rt)
			}
			hasCode = hasCode || slices.Contains(f, "code")
		}
		if !hasCode {
			return bad("invalid_client_metadata", "response_types must include code")
		}
	}
	app := str["application_type"]
	if _, ok := md["application_type"]; ok && app != "web" && app != "native" {
		return bad("invalid_client_metadata", "application_type must be web or native")
	}
	if m, ok := md["token_endpoint_auth_method"]; ok && m != "none" {
		return bad("invalid_client_metadata", "token_endpoint_auth_method must be none: the test server only registers public clients")
	}

	var violations []string
	clientURI, hasClientURI := str["client_uri"]
	cu, _ := url.Parse(clientURI)
	if !hasClientURI {
		violations = append(violations, "missing client_uri")
	} else if !s.secureURI(clientURI) {
		violations = append(violations, "invalid client_uri")
	}
	for _, f := range clientURIFields {
		for k, v := range md {
			if k != f && !strings.HasPrefix(k, f+"#") {
				continue
			}
			vs, _ := v.(string)
			if !s.secureURI(vs) {
				violations = append(violations, "invalid "+k)
			}
			if !hostMatches(cu, vs) {
				violations = append(violations, k+" not on the same host as the client_uri")
			}
		}
	}
	if hasRedirects && len(redirects) == 0 && usesCode {
		violations = append(violations, "invalid redirect_uris: it must have at least one redirect_uri")
	}
	native := app == "native"
	for _, u := range redirects {
		if !(native && validNativeRedirect(cu, u)) && !(s.secureURI(u) && hostMatches(cu, u)) {
			violations = append(violations, "invalid redirect_uri "+u)
		}
	}
	if len(violations) > 0 {
		code := "invalid_client_metadata"
		if strings.Contains(strings.Join(violations, ";"), "redirect_uri") {
			code = "invalid_redirect_uri"
		}
		return bad(code, strings.Join(violations, "; "))
	}
	var kept []string
	for _, g := range grants {
		if slices.Contains(knownGrantTypes, g) && !slices.Contains(kept, g) {
			kept = append(kept, g)
		}
	}
	if kept == nil {
		kept = []string{}
	}
	return &oauthClient{
		id:           randomFrom("0123456789ABCDEFGHJKMNPQRSTVWXYZ", 26), // a ULID, as MAS's
		name:         str["client_name"],
		redirectURIs: append([]string{}, redirects...),
		native:       native,
		grantTypes:   kept,
		authMethod:   str["token_endpoint_auth_method"],
	}, nil
}

// secureURI is MAS's secure_url: https, no user or password (the spec), not
// a loopback host; with AllowInsecureURIs, http or https on a loopback host
// passes too. The caller holds s.mu.
func (s *Server) secureURI(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.User != nil || u.Host == "" {
		return false
	}
	if isLoopback(u.Hostname()) {
		return s.oauth.cfg.AllowInsecureURIs && (u.Scheme == "http" || u.Scheme == "https")
	}
	return u.Scheme == "https"
}

func isLoopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

// hostMatches is MAS's host_matches_client_uri: raw's host is client's or a
// subdomain of it (label by label); an IP address must be equal.
func hostMatches(client *url.URL, raw string) bool {
	u, err := url.Parse(raw)
	if client == nil || err != nil {
		return false
	}
	ch, h := strings.ToLower(client.Hostname()), strings.ToLower(u.Hostname())
	if ch == "" || h == "" {
		return false
	}
	if net.ParseIP(ch) != nil {
		return h == ch
	}
	return h == ch || strings.HasSuffix(h, "."+ch)
}

// validNativeRedirect follows the spec's rules for native clients
// (spec.matrix.org/v1.16/client-server-api/#redirect-uri-validation, RFC
// 8252 section 7): a private-use scheme that is client_uri's host in
// reverse-DNS order, or more, without authority; or http on a loopback
// host without a port (any port is then accepted at authorization).
func validNativeRedirect(client *url.URL, raw string) bool {
	u, err := url.Parse(raw)
	if client == nil || err != nil || u.User != nil {
		return false
	}
	if u.Scheme == "http" {
		return isLoopback(u.Hostname()) && u.Port() == ""
	}
	if u.Scheme == "https" || u.Host != "" || strings.HasPrefix(strings.TrimPrefix(raw, u.Scheme+":"), "//") {
		return false
	}
	host := strings.Split(strings.ToLower(client.Hostname()), ".")
	slices.Reverse(host)
	parts := strings.Split(u.Scheme, ".")
	return len(parts) >= len(host) && slices.Equal(parts[:len(host)], host)
}
