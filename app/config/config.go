// Package config is the operator's configuration of the widget: homeserver,
// brand, texts, languages, registration options, what happens after
// sign-up, and embedding. It is pure Go, shared by the server (which reads
// config.json or config.yaml at start-up) and the browser (which reads the
// config.json of a static export).
//
// The schema is versioned: Version must be 1. Unknown fields are errors,
// reported with their path, so that a typo never passes silently.
package config

// CurrentVersion is the schema version this build reads.
const CurrentVersion = 1

// Config is the whole operator configuration.
type Config struct {
	Version      int          `json:"version"`
	Homeserver   Homeserver   `json:"homeserver"`
	Brand        Brand        `json:"brand,omitempty"`
	Texts        Texts        `json:"texts,omitempty"`
	Languages    Languages    `json:"languages,omitempty"`
	Registration Registration `json:"registration,omitempty"`
	After        After        `json:"after_signup,omitempty"`
	Embed        Embed        `json:"embed,omitempty"`
	// PublicURL is the widget's address as the public reaches it
	// (https://signup.example.org/), for link previews (og:url,
	// og:image); without it they are left out.
	PublicURL string `json:"public_url,omitempty"`
}

// Homeserver says where accounts are made.
type Homeserver struct {
	// URL is the client-server API base URL, or a server name resolved
	// through .well-known (by the server at start-up).
	URL string `json:"url"`
	// ServerName ends the user IDs, when discovery cannot tell.
	ServerName string `json:"server_name,omitempty"`
	// Choices are other homeservers the user may pick from.
	Choices []Choice `json:"choices,omitempty"`
	// AllowCustom lets the user type any homeserver (discovered through
	// .well-known).
	AllowCustom bool `json:"allow_custom,omitempty"`
	// TrustedOrigins may receive codes the user types (msisdn submit_url),
	// besides the homeserver's origin.
	// They may also report a finished fallback page ("authDone").
	TrustedOrigins []string `json:"trusted_origins,omitempty"`
}

// Choice is one homeserver offered in the picker.
type Choice struct {
	_          noEq
	Name       string `json:"name"`
	URL        string `json:"url"`
	ServerName string `json:"server_name,omitempty"`
}

// Brand is the look of the widget.
type Brand struct {
	_               noEq
	Name            string `json:"name,omitempty"`
	ShortName       string `json:"short_name,omitempty"`
	Logo            string `json:"logo,omitempty"`
	Icons           Icons  `json:"icons,omitempty"`
	ThemeColor      string `json:"theme_color,omitempty"`
	BackgroundColor string `json:"background_color,omitempty"`
	AccentColor     string `json:"accent_color,omitempty"`
	Font            string `json:"font,omitempty"`
	Stylesheet      string `json:"stylesheet,omitempty"`
}

// Icons are the app icons for the PWA manifest and the page.
type Icons struct {
	_        noEq
	Icon192  string `json:"192,omitempty"`
	Icon512  string `json:"512,omitempty"`
	Maskable string `json:"maskable,omitempty"`
	SVG      string `json:"svg,omitempty"`
}

// Texts are the operator's words. Each may be a plain string or one text
// per language (Localized): the page shows the user's language.
type Texts struct {
	Title  Localized `json:"title,omitempty"`
	Intro  Localized `json:"intro,omitempty"`
	Footer []Link    `json:"footer,omitempty"`
	// Overrides replace any UI string, per language: {"de": {"submit":
	// "Konto anlegen"}}. Keys are those of app/i18n/locales/en.json.
	Overrides map[string]map[string]string `json:"overrides,omitempty"`
}

// Link is a footer link (privacy policy, code of conduct, contact).
type Link struct {
	Label Localized `json:"label"`
	URL   string    `json:"url"`
	// Kind is "privacy", "terms", "conduct", "contact" or "other"; the
	// contact link is offered when registration is closed; the privacy
	// and terms links are the widget's policy_uri and tos_uri when it
	// registers as an OAuth 2.0 client.
	Kind string `json:"kind,omitempty"`
}

// Languages are the UI languages.
type Languages struct {
	Default string   `json:"default,omitempty"`
	Enabled []string `json:"enabled,omitempty"`
}

// Registration options.
type Registration struct {
	_      noEq
	Guests bool `json:"guests,omitempty"`
	// InhibitLogin asks /register for no access token and no device
	// (inhibit_login). Unset means true, unless a client has login_token:
	// get_token needs an access token, and the widget logs that device out
	// once it has the login token. An explicit false without such a client
	// leaves a logged-in device behind on every sign-up, whose token the
	// widget drops. Read it through Config.ShouldInhibitLogin. See
	// https://spec.matrix.org/v1.16/client-server-api/#post_matrixclientv3register.
	InhibitLogin    *bool  `json:"inhibit_login,omitempty"`
	DeviceName      string `json:"initial_device_display_name,omitempty"`
	RecaptchaScript string `json:"recaptcha_script,omitempty"`
	// UsernameHint replaces the hint under the username (per language).
	UsernameHint Localized `json:"username_hint,omitempty"`
	// Recaptcha false turns the widget's reCAPTCHA off (default true): no
	// script is loaded and the CSP allows none; the m.login.recaptcha
	// stage opens the homeserver's fallback page. Read it through
	// ui.Config.RecaptchaScript.
	Recaptcha *bool `json:"recaptcha,omitempty"`
	// MinStrength is the lowest password strength the form accepts, from
	// 0 (none, the default) to 4 (strong), on the widget's estimator
	// (app/strength): a weaker password is refused before it is sent.
	// The server's own policy, when it publishes one, applies as well.
	MinStrength int `json:"min_strength,omitempty"`
	// Method is how accounts are made on a server that offers both APIs
	// (continuwuity's hybrid mode, Synapse beside
	// matrix-authentication-service's compatibility layer): "auto" (the
	// default) follows the spec's guidance that clients use the OAuth 2.0
	// API when the server advertises it (GET auth_metadata), and /register
	// otherwise; "oauth" never uses /register; "password" never uses
	// OAuth. Read it through Registration.SignUpMethod. See
	// https://spec.matrix.org/v1.16/client-server-api/#oauth-20-api.
	Method string `json:"method,omitempty"`
	// SSO offers "Continue with <provider>" for the identity providers
	// the homeserver lists (m.login.sso): default true.
	SSO *bool `json:"sso,omitempty"`
}

// The sign-up methods of Registration.Method.
const (
	MethodAuto     = "auto"
	MethodOAuth    = "oauth"
	MethodPassword = "password"
)

// SignUpMethod is Method, "auto" when unset.
func (r Registration) SignUpMethod() string {
	if r.Method == "" {
		return MethodAuto
	}
	return r.Method
}

// OffersSSO reports whether the widget offers the homeserver's identity
// providers.
func (r Registration) OffersSSO() bool { return r.SSO == nil || *r.SSO }

// After is what happens after sign-up.
type After struct {
	// Welcome shows the welcome panel (default true).
	Welcome *bool `json:"welcome,omitempty"`
	// Clients are "Open in …" buttons. URL may contain {user_id} and
	// {homeserver}, and {login_token} when the client has login_token:
	// true; without a URL the client is opened through matrix.to.
	Clients []Client `json:"clients,omitempty"`
	// Redirect sends the user to this URL after sign-up (http(s) only,
	// never taken from the page's URL).
	Redirect string `json:"redirect,omitempty"`
	// NotifyParent posts signup:registered to the embedding page
	// (default true; only to embed.allowed_origins).
	NotifyParent *bool `json:"notify_parent,omitempty"`
}

// Client is a Matrix client offered after sign-up.
type Client struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
	// LoginToken hands the new account over with a one-time loginToken
	// (POST /_matrix/client/v1/login/get_token) when the server offers it;
	// URL must then contain {login_token}, and only such a client gets
	// it. Put it in the URL's fragment (after #) where the client reads it
	// there: a fragment is never sent to a server, so the token stays out
	// of server logs and Referer headers.
	LoginToken bool `json:"login_token,omitempty"`
}

// Embed controls embedding in other sites.
type Embed struct {
	// AllowedOrigins may frame the widget and receive its messages. Empty
	// means: not embeddable by other sites (frame-ancestors 'self').
	// Validate normalises them as browsers write an origin (lower-case
	// scheme and host, no default port, no trailing slash), so that what
	// the widget compares with the parent's origin and what the server
	// puts in frame-ancestors are the same strings.
	AllowedOrigins []string `json:"allowed_origins,omitempty"`
}

// ShowWelcome reports whether the welcome panel is shown.
func (a After) ShowWelcome() bool { return a.Welcome == nil || *a.Welcome }

// WantsLoginToken reports whether a client takes a one-time login token.
func (a After) WantsLoginToken() bool {
	for _, c := range a.Clients {
		if c.LoginToken {
			return true
		}
	}
	return false
}

// ShouldInhibitLogin reports whether /register is sent inhibit_login:
// true, so that the sign-up leaves no device behind. It is the operator's
// registration.inhibit_login, true when unset, and false whenever a client
// takes a login token (get_token needs the access token of a login).
func (c *Config) ShouldInhibitLogin() bool {
	if c.After.WantsLoginToken() {
		return false
	}
	return c.Registration.InhibitLogin == nil || *c.Registration.InhibitLogin
}

// ShouldNotifyParent reports whether signup:registered is posted to the
// embedding page (default true).
func (a After) ShouldNotifyParent() bool { return a.NotifyParent == nil || *a.NotifyParent }

// CSSVars returns the brand's colours and font as the CSS custom
// properties of web/app.css. Values were validated (colours are #hex,
// fonts a plain family list), so they are safe in a stylesheet.
func (b Brand) CSSVars() map[string]string {
	vars := map[string]string{}
	if b.AccentColor != "" {
		vars["--accent"] = b.AccentColor
	}
	if b.BackgroundColor != "" {
		vars["--bg"] = b.BackgroundColor
	}
	if b.ThemeColor != "" {
		vars["--theme"] = b.ThemeColor
	}
	if b.Font != "" {
		vars["--font"] = b.Font
	}
	return vars
}
