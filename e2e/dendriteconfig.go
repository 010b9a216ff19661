package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// DendriteOptions selects the Dendrite configuration. The zero value is an
// open server (registration with the m.login.dummy flow), guests allowed and
// rate limiting off.
type DendriteOptions struct {
	// RegistrationDisabled sets client_api.registration_disabled.
	RegistrationDisabled bool
	// GuestsDisabled sets client_api.guests_disabled.
	GuestsDisabled bool
	// RateLimit keeps Dendrite's rate limiting on. It is off by default so
	// that tests don't trip it.
	RateLimit bool
	// RecaptchaPublicKey, RecaptchaPrivateKey and RecaptchaSiteVerifyURL
	// enable reCAPTCHA registration when RecaptchaPublicKey is set. The
	// registration flow is then m.login.recaptcha only.
	RecaptchaPublicKey, RecaptchaPrivateKey, RecaptchaSiteVerifyURL string
	// DataDir is a persistent data directory. The default is t.TempDir().
	DataDir string
}

// Names of the files that WriteDendriteConfig keeps in the data directory.
const (
	DendriteConfigFile = "dendrite.yaml"
	DendriteKeyFile    = "matrix_key.pem"
	DendriteLogFile    = "dendrite.log"
)

// WriteDendriteConfig writes dir/dendrite.yaml for a Dendrite with the server
// name localhost that serves http://127.0.0.1:port, and returns its path. It
// creates dir and the signing key dir/matrix_key.pem when they are missing,
// and keeps an existing key, so that the accounts and rooms in dir stay valid.
// It runs generate-keys and generate-config from [ToolsBin]. The config is
// rewritten on each call.
func WriteDendriteConfig(dir string, port int, opts DendriteOptions) (configPath string, err error) {
	dir, err = filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	key := filepath.Join(dir, DendriteKeyFile)
	if _, err := os.Stat(key); errors.Is(err, os.ErrNotExist) {
		if _, err := runTool(dir, "generate-keys", "--private-key", key); err != nil {
			return "", err
		}
	}
	out, err := runTool(dir, "generate-config", "-dir", dir, "-server", "localhost")
	if err != nil {
		return "", err
	}
	var cfg map[string]any
	if err := yaml.Unmarshal(out, &cfg); err != nil {
		return "", fmt.Errorf("parsing the output of generate-config: %w", err)
	}
	for k, v := range dendriteSettings(dir, key, port, opts) {
		if err := setPath(cfg, k, v); err != nil {
			return "", err
		}
	}
	data, err := yaml.Marshal(cfg)
	if err != nil {
		return "", err
	}
	configPath = filepath.Join(dir, DendriteConfigFile)
	return configPath, os.WriteFile(configPath, data, 0o644)
}

// dendriteSettings returns the config keys that WriteDendriteConfig sets over
// the output of generate-config, by dotted path.
func dendriteSettings(dir, key string, port int, opts DendriteOptions) map[string]any {
	captcha := opts.RecaptchaPublicKey != ""
	return map[string]any{
		"global.server_name":                     "localhost",
		"global.private_key":                     key,
		"global.disable_federation":              true,
		"global.well_known_client_name":          fmt.Sprintf("http://127.0.0.1:%d", port),
		"global.trusted_third_party_id_servers":  []string{},
		"global.server_notices.enabled":          false,
		"global.report_stats.enabled":            false,
		"global.jetstream.in_memory":             true,
		"global.jetstream.storage_path":          filepath.Join(dir, "jetstream"),
		"federation_api.key_perspectives":        []any{},
		"client_api.registration_disabled":       opts.RegistrationDisabled,
		"client_api.guests_disabled":             opts.GuestsDisabled,
		"client_api.rate_limiting.enabled":       opts.RateLimit,
		"client_api.enable_registration_captcha": captcha,
		"client_api.recaptcha_public_key":        opts.RecaptchaPublicKey,
		"client_api.recaptcha_private_key":       opts.RecaptchaPrivateKey,
		"client_api.recaptcha_siteverify_api":    opts.RecaptchaSiteVerifyURL,
		"user_api.bcrypt_cost":                   4,
		"media_api.base_path":                    filepath.Join(dir, "media"),
		"sync_api.search.enabled":                false,
		"sync_api.search.index_path":             filepath.Join(dir, "searchindex"),
		"logging":                                []map[string]any{{"type": "std", "level": "info"}},
	}
}

// DendriteArgs returns the command line of dendrite for the config at
// configPath, listening for HTTP on httpAddr (host:port) only. Open
// registration without reCAPTCHA needs -really-enable-open-registration.
func DendriteArgs(configPath, httpAddr string, opts DendriteOptions) []string {
	args := []string{"-config", configPath, "-http-bind-address", httpAddr}
	if !opts.RegistrationDisabled && opts.RecaptchaPublicKey == "" {
		args = append(args, "-really-enable-open-registration")
	}
	return args
}

// setPath sets the value at the dotted path in the YAML mapping m, and
// creates the mappings on the way when they are missing.
func setPath(m map[string]any, path string, v any) error {
	keys := strings.Split(path, ".")
	for _, k := range keys[:len(keys)-1] {
		next, ok := m[k]
		if !ok || next == nil {
			child := map[string]any{}
			m[k] = child
			m = child
			continue
		}
		child, ok := next.(map[string]any)
		if !ok {
			return fmt.Errorf("dendrite config: %s: %q is not a mapping", path, k)
		}
		m = child
	}
	m[keys[len(keys)-1]] = v
	return nil
}

// runTool runs a binary of ToolsBin in dir and returns its stdout.
func runTool(dir, name string, args ...string) ([]byte, error) {
	path := ToolPath(name)
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("%s not found (set $%s or build it: cd tools/dendrite && GOBIN=%s go install tool): %w",
			name, ToolsBinEnv, ToolsBin(), err)
	}
	cmd := exec.Command(path, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, stderr.String())
	}
	return out, nil
}
