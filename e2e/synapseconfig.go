package e2e

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"
)

// SynapseOptions selects the Synapse configuration. The zero value is open
// registration without verification (the m.login.dummy flow), guests
// refused (Synapse's default) and every rate limit relaxed.
// See https://element-hq.github.io/synapse/latest/usage/configuration/config_documentation.html.
type SynapseOptions struct {
	// RegistrationDisabled leaves enable_registration off: /register
	// answers 403 M_FORBIDDEN "Registration has been disabled".
	RegistrationDisabled bool
	// RequireVerification leaves enable_registration_without_verification
	// off, for a server whose Extra settings require an email or a
	// reCAPTCHA (Synapse refuses to start with open registration and no
	// verification otherwise).
	RequireVerification bool
	// RequireToken sets registration_requires_token: every flow starts
	// with m.login.registration_token.
	RequireToken bool
	// Consent turns on user_consent with require_at_registration, policy
	// version ConsentVersion of a template in the data directory, and the
	// consent resource on the listener: every flow starts with
	// m.login.terms, whose policy URL is Synapse's /_matrix/consent page.
	Consent bool
	// Guests sets allow_guest_access.
	Guests bool
	// InhibitUserInUse sets inhibit_user_in_use_error: /register/available
	// and the first /register no longer say a name is taken (the final
	// /register still does).
	InhibitUserInUse bool
	// RegistrationRate, when set, is rc_registration instead of a relaxed
	// one: Synapse counts the accounts registered per client address.
	RegistrationRate *SynapseRate
	// Extra is merged over the generated homeserver.yaml last, top-level
	// key by top-level key (for example "email" or "recaptcha_public_key").
	Extra map[string]any
}

// SynapseRate is one of Synapse's rc_* settings: a leaky bucket of
// BurstCount actions refilled at PerSecond.
type SynapseRate struct {
	PerSecond  float64 `yaml:"per_second"`
	BurstCount int     `yaml:"burst_count"`
}

// Names of what WriteSynapseConfig keeps in the data directory, and the
// policy version of SynapseOptions.Consent.
const (
	SynapseConfigFile     = "homeserver.yaml"
	SynapseKeyFile        = "localhost.signing.key"
	SynapseLogFile        = "synapse.log"
	SynapseLogConfigFile  = "log.yaml"
	SynapseConsentDir     = "consent"
	SynapseConsentVersion = "1.0"
	SynapsePolicyName     = "Privacy Policy"
	synapseServerName     = "localhost"
)

// relaxedRate is a rate limit no test reaches.
var relaxedRate = SynapseRate{PerSecond: 1000, BurstCount: 1000}

// SynapseConfig is a written config: its path and the secrets in it.
type SynapseConfig struct {
	Path         string
	SharedSecret string // registration_shared_secret
}

// WriteSynapseConfig writes dir/homeserver.yaml for a Synapse with the server
// name localhost whose only listener is the client (and consent) API on
// http://127.0.0.1:port, with SQLite in dir. It creates the signing key
// (an ed25519 seed in Synapse's "ed25519 <version> <unpadded base64>"
// format) and, with Consent, the policy templates when they are missing.
func WriteSynapseConfig(dir string, port int, opts SynapseOptions) (SynapseConfig, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return SynapseConfig{}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return SynapseConfig{}, err
	}
	key := filepath.Join(dir, SynapseKeyFile)
	if err := writeSigningKey(key); err != nil {
		return SynapseConfig{}, err
	}
	secret := randomHex(16)
	cfg := synapseSettings(dir, key, port, secret, opts)
	if opts.Consent {
		if err := writeConsentTemplates(filepath.Join(dir, SynapseConsentDir)); err != nil {
			return SynapseConfig{}, err
		}
	}
	logConfig := filepath.Join(dir, SynapseLogConfigFile)
	if err := os.WriteFile(logConfig, []byte(synapseLogConfig), 0o644); err != nil {
		return SynapseConfig{}, err
	}
	cfg["log_config"] = logConfig
	maps.Copy(cfg, opts.Extra)
	data, err := yaml.Marshal(cfg)
	if err != nil {
		return SynapseConfig{}, err
	}
	path := filepath.Join(dir, SynapseConfigFile)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		return SynapseConfig{}, err
	}
	return SynapseConfig{Path: path, SharedSecret: secret}, nil
}

// synapseSettings returns the top-level keys of homeserver.yaml.
func synapseSettings(dir, key string, port int, secret string, opts SynapseOptions) map[string]any {
	resources := []string{"client"}
	if opts.Consent {
		resources = append(resources, "consent")
	}
	registration := relaxedRate
	if opts.RegistrationRate != nil {
		registration = *opts.RegistrationRate
	}
	cfg := map[string]any{
		"server_name":    synapseServerName,
		"public_baseurl": fmt.Sprintf("http://127.0.0.1:%d/", port),
		"pid_file":       filepath.Join(dir, "homeserver.pid"),
		"listeners": []any{map[string]any{
			"port": port, "bind_addresses": []string{"127.0.0.1"}, "type": "http", "tls": false,
			"x_forwarded": false,
			"resources":   []any{map[string]any{"names": resources, "compress": false}},
		}},
		"database": map[string]any{"name": "sqlite3", "args": map[string]any{
			"database": filepath.Join(dir, "homeserver.db")}},
		"media_store_path":                         filepath.Join(dir, "media"),
		"signing_key_path":                         key,
		"trusted_key_servers":                      []any{},
		"suppress_key_server_warning":              true,
		"report_stats":                             false,
		"enable_metrics":                           false,
		"bcrypt_rounds":                            4,
		"registration_shared_secret":               secret,
		"macaroon_secret_key":                      randomHex(16),
		"form_secret":                              randomHex(16),
		"enable_registration":                      !opts.RegistrationDisabled,
		"enable_registration_without_verification": !opts.RequireVerification,
		"registration_requires_token":              opts.RequireToken,
		"allow_guest_access":                       opts.Guests,
		"inhibit_user_in_use_error":                opts.InhibitUserInUse,
		"rc_registration":                          registration,
		"rc_registration_token_validity":           relaxedRate,
		"rc_message":                               relaxedRate,
		"rc_joins":                                 map[string]any{"local": relaxedRate, "remote": relaxedRate},
		"rc_3pid_validation":                       relaxedRate,
		"rc_login": map[string]any{"address": relaxedRate, "account": relaxedRate,
			"failed_attempts": relaxedRate},
	}
	if opts.Consent {
		cfg["user_consent"] = map[string]any{
			"template_dir":            filepath.Join(dir, SynapseConsentDir),
			"version":                 SynapseConsentVersion,
			"policy_name":             SynapsePolicyName,
			"require_at_registration": true,
		}
	}
	return cfg
}

// synapseLogConfig is Python logging's dictConfig: INFO to stderr (which
// the harness sends to the log file), without the background database
// updates that Synapse logs every second on a fresh database.
const synapseLogConfig = `version: 1
formatters:
  precise:
    format: "%(asctime)s %(name)s %(levelname)s %(message)s"
handlers:
  console:
    class: logging.StreamHandler
    formatter: precise
loggers:
  synapse.storage.background_updates:
    level: WARNING
root:
  level: INFO
  handlers: [console]
disable_existing_loggers: false
`

// writeSigningKey writes a fresh ed25519 signing key to path unless a key
// is there (the accounts' devices and events stay valid across restarts).
func writeSigningKey(path string) error {
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		return err
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	seed := base64.RawStdEncoding.EncodeToString(priv.Seed())
	return os.WriteFile(path, []byte("ed25519 a_e2e "+seed+"\n"), 0o600)
}

// consentPolicy is the policy page: Jinja2, rendered by Synapse's
// ConsentResource with version, user, userhmac, has_consented and
// public_version (true when the page is opened without a user, as from a
// registration's m.login.terms link).
const consentPolicy = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Privacy Policy {{ version }}</title></head>
<body>
<h1>Privacy Policy</h1>
<p id="policy">This test server keeps your account name and nothing else. Version {{ version }}.</p>
{% if not public_version %}{% if has_consented %}<p>You have accepted this policy.</p>{% else %}
<form method="post" action="consent">
<input type="hidden" name="v" value="{{ version }}">
<input type="hidden" name="u" value="{{ user }}">
<input type="hidden" name="h" value="{{ userhmac }}">
<button type="submit">I accept</button>
</form>{% endif %}{% endif %}
</body>
</html>
`

// consentSuccess is the page after a POST to the consent form.
const consentSuccess = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Thank you</title></head>
<body><p>You have accepted the policy.</p></body></html>
`

// writeConsentTemplates writes dir/en/<version>.html and dir/success.html.
func writeConsentTemplates(dir string) error {
	if err := os.MkdirAll(filepath.Join(dir, "en"), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "en", SynapseConsentVersion+".html"), []byte(consentPolicy), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "success.html"), []byte(consentSuccess), 0o644)
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
