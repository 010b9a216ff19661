package tesths

// Config sets up a Server. The zero value is a server named "localhost"
// whose /register offers the single flow [m.login.dummy].
type Config struct {
	// ServerName is the server part of user IDs. Default "localhost".
	ServerName string
	// Flows are the UIAA flows offered by /register, each an ordered list
	// of stage types. Default [["m.login.dummy"]].
	Flows [][]string
	// Params are the UIAA params, by stage type, for example
	// {"m.login.terms": {"policies": {...}}, "m.login.recaptcha":
	// {"public_key": "..."}}. Like Synapse, a 401 only carries the params
	// of stages that appear in the current flows.
	Params map[string]any
	// RegistrationTokens are the valid m.login.registration_token tokens,
	// each with unlimited uses unless TokenUsesAllowed limits it.
	RegistrationTokens []string
	// TokenUsesAllowed is the uses_allowed of tokens of
	// RegistrationTokens: how many registrations each allows, counting,
	// as Synapse, the sessions that passed the token stage and have not
	// registered yet. A token absent here (or 0) has unlimited uses.
	TokenUsesAllowed map[string]int
	// NoTokenValidity makes GET
	// /_matrix/client/v1/register/m.login.registration_token/validity
	// answer 404 M_UNRECOGNIZED "Unrecognized request", as a server
	// without that endpoint does (Dendrite v0.13.8 has no such route and
	// its router answers so). By default the endpoint is served, as
	// Synapse registers it whatever its configuration.
	NoTokenValidity bool
	// InhibitUserInUseError is Synapse's
	// registration.inhibit_user_in_use_error: /register/available answers
	// {"available": true} for a taken name and /register runs UIA for it;
	// only the request that would create the account answers 400
	// M_USER_IN_USE.
	InhibitUserInUseError bool
	// RecaptchaResponse is the m.login.recaptcha `response` that passes.
	// Default "valid-captcha".
	RecaptchaResponse string
	// GuestsEnabled allows POST /register?kind=guest; without it that
	// answers Synapse's 403 M_UNKNOWN "Guest access is disabled".
	GuestsEnabled bool
	// RegistrationDisabled makes /register (kind=user),
	// /register/available and the token validity endpoint answer
	// 403 M_FORBIDDEN.
	RegistrationDisabled bool
	// AuthMetadata, when set, is the answer of GET
	// /_matrix/client/v1/auth_metadata (an OAuth-delegated server) and
	// GET /login then offers m.login.sso with oauth_aware_preferred;
	// otherwise auth_metadata answers 404 M_UNRECOGNIZED.
	AuthMetadata map[string]any
	// LoginTokens serves POST /_matrix/client/v1/login/get_token, which
	// turns an access token of a registered user into a one-time
	// login_token once the user passed UIA with their password, as Synapse
	// asks (else 404 M_UNRECOGNIZED, as Dendrite v0.13.8).
	LoginTokens bool
	// WellKnown, when set, is served at GET /.well-known/matrix/client;
	// otherwise that path answers 404.
	WellKnown map[string]any
	// ThreepidInUse are emails or phone numbers for which requestToken
	// answers 400 M_THREEPID_IN_USE. Emails compare case-insensitively;
	// a phone matches its phone_number as sent, its digits, or the
	// SMS.To form (country followed by digits, such as "GB7700900123").
	ThreepidInUse []string
	// ThreepidDenied are emails or phone numbers for which requestToken
	// answers 403 M_THREEPID_DENIED, matched as ThreepidInUse.
	ThreepidDenied []string
	// OAuth, when set, delegates accounts to an OAuth 2.0 authorization
	// server that the test server runs itself, as Synapse behind
	// matrix-authentication-service: see OAuthConfig. It takes over
	// auth_metadata, /login and /logout, and /register answers 403.
	OAuth *OAuthConfig
}
