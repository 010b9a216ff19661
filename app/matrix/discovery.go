package matrix

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// WellKnown is the body of GET /.well-known/matrix/client. See
// https://spec.matrix.org/v1.16/client-server-api/#well-known-uris.
type WellKnown struct {
	Homeserver struct {
		BaseURL string `json:"base_url"`
	} `json:"m.homeserver"`
}

// Versions is the body of GET /_matrix/client/versions. See
// https://spec.matrix.org/v1.16/client-server-api/#get_matrixclientversions.
type Versions struct {
	Versions         []string        `json:"versions"`
	UnstableFeatures map[string]bool `json:"unstable_features,omitempty"`
}

// Versions asks the homeserver which spec versions it supports; it is the
// cheapest proof that BaseURL is a Matrix homeserver.
func (c *Client) Versions(ctx context.Context) (*Versions, error) {
	var v Versions
	if err := c.call(ctx, "versions", "GET", "/_matrix/client/versions", nil, nil, &v); err != nil {
		return nil, err
	}
	if len(v.Versions) == 0 {
		return nil, &ResponseError{Op: "versions", Status: 200, Reason: "no versions listed"}
	}
	return &v, nil
}

// ErrNotHomeserver is returned by Discover when neither .well-known nor the
// name itself leads to a homeserver.
var ErrNotHomeserver = errors.New("no Matrix homeserver found")

// Homeserver is where the widget sends its requests, and the name user IDs
// end in.
type Homeserver struct {
	// BaseURL is the client-server API base URL, without trailing slash.
	BaseURL string
	// ServerName is the part after the colon in user IDs, when known.
	ServerName string
	// Auth is where the server's OAuth 2.0 metadata is, learnt from its
	// /versions (AuthStable, AuthUnstable), or AuthUnknown: then both
	// are tried.
	Auth AuthPath
}

// AuthPath says which auth_metadata endpoint a server serves.
type AuthPath int

// The paths.
const (
	AuthUnknown  AuthPath = iota
	AuthStable            // /versions lists v1.15 or later
	AuthUnstable          // an earlier server: MSC2965's unstable path
)

// AuthPathOf is the auth_metadata endpoint a server of these spec
// versions serves: the stable one since v1.15.
func AuthPathOf(versions []string) AuthPath {
	for _, v := range versions {
		major, minor, ok := strings.Cut(strings.TrimPrefix(v, "v"), ".")
		if !ok || !strings.HasPrefix(v, "v") {
			continue
		}
		if m, err := strconv.Atoi(major); err == nil && m > 1 {
			return AuthStable
		}
		if n, err := strconv.Atoi(minor); err == nil && major == "1" && n >= 15 {
			return AuthStable
		}
	}
	if len(versions) == 0 {
		return AuthUnknown
	}
	return AuthUnstable
}

// Discover resolves what an operator or user typed, a base URL
// ("https://matrix.example.org") or a server name ("example.org"), into a
// homeserver checked with /_matrix/client/versions. A server name is looked
// up through https://<name>/.well-known/matrix/client first (a 404 means:
// use the name as is). See
// https://spec.matrix.org/v1.16/client-server-api/#server-discovery.
func Discover(ctx context.Context, d Doer, input string) (Homeserver, error) {
	input = strings.TrimSpace(input)
	if input == "" {
		return Homeserver{}, errors.New("no homeserver given")
	}
	if strings.Contains(input, "://") {
		base, err := NormalizeBaseURL(input)
		if err != nil {
			return Homeserver{}, err
		}
		v, err := NewClient(base, d).Versions(ctx)
		if err != nil {
			return Homeserver{}, fmt.Errorf("%s is not a Matrix homeserver: %w", base, err)
		}
		return Homeserver{BaseURL: base, Auth: AuthPathOf(v.Versions)}, nil
	}
	name := input
	if !ValidServerName(name) {
		return Homeserver{}, fmt.Errorf("%q is neither a URL nor a server name (hostname, IPv4 or [IPv6], with an optional :port)", name)
	}
	var tried []string
	wk := NewClient("https://"+name, d)
	var body WellKnown
	err := wk.call(ctx, "well-known lookup", "GET", "/.well-known/matrix/client", nil, nil, &body)
	switch {
	case err == nil && body.Homeserver.BaseURL != "":
		base, err := NormalizeBaseURL(body.Homeserver.BaseURL)
		if err != nil {
			// The server answered, with something the spec does not allow.
			return Homeserver{}, fmt.Errorf(".well-known of %s: %w", name,
				&ResponseError{Op: "well-known lookup", Status: 200, Reason: "m.homeserver.base_url is not an http(s) base URL", Err: err})
		}
		v, err := NewClient(base, d).Versions(ctx)
		if err != nil {
			return Homeserver{}, fmt.Errorf(".well-known of %s points to %s, which is not a Matrix homeserver: %w", name, base, err)
		}
		return Homeserver{BaseURL: base, ServerName: name, Auth: AuthPathOf(v.Versions)}, nil
	case err == nil:
		tried = append(tried, ".well-known has no m.homeserver.base_url")
	default:
		tried = append(tried, ".well-known: "+err.Error())
	}
	v, err := NewClient("https://"+name, d).Versions(ctx)
	if err != nil {
		// Wrap the last cause too, so that errors.Is still sees a
		// cancelled context or an unreachable host.
		return Homeserver{}, fmt.Errorf("%w at %s (%s; https://%s: %w)", ErrNotHomeserver, name, strings.Join(tried, "; "), name, err)
	}
	return Homeserver{BaseURL: "https://" + name, ServerName: name, Auth: AuthPathOf(v.Versions)}, nil
}

// NormalizeBaseURL checks that s is an absolute http(s) URL without query or
// fragment and returns it without a trailing slash.
func NormalizeBaseURL(s string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil {
		return "", fmt.Errorf("homeserver URL %q: %w", s, err)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return "", fmt.Errorf("homeserver URL %q: only http and https are allowed", s)
	}
	if u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("homeserver URL %q: want scheme://host[:port][/path]", s)
	}
	return strings.TrimRight(u.Scheme+"://"+u.Host+u.EscapedPath(), "/"), nil
}

// ServerName asks a homeserver for its server name through its signing-key
// endpoint (GET /_matrix/key/v2/server, which answers {server_name, ...}).
// It is how the widget learns that http://127.0.0.1:8008 is "localhost".
// A name outside the spec's grammar (ValidServerName) is an error: it would
// end up in user IDs and in the pre-rendered page.
// See https://spec.matrix.org/v1.16/server-server-api/#get_matrixkeyv2server.
func ServerName(ctx context.Context, d Doer, baseURL string) (string, error) {
	var body struct {
		ServerName string `json:"server_name"`
	}
	if err := NewClient(baseURL, d).call(ctx, "server name lookup", "GET", "/_matrix/key/v2/server", nil, nil, &body); err != nil {
		return "", err
	}
	if body.ServerName == "" {
		return "", &ResponseError{Op: "server name lookup", Status: 200, Reason: "no server_name"}
	}
	if !ValidServerName(body.ServerName) {
		return "", &ResponseError{Op: "server name lookup", Status: 200,
			Reason: fmt.Sprintf("server_name %q is not a server name (hostname, IPv4 or [IPv6], with an optional :port)", body.ServerName)}
	}
	return body.ServerName, nil
}
