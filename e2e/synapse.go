package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// SynapsePythonEnv names the environment variable that overrides the Python
// of the Synapse virtualenv (tools/synapse.sh installs it).
const SynapsePythonEnv = "SYNAPSE_PYTHON"

// synapseStartTimeout bounds one start of Synapse (a first start creates
// the SQLite schema).
const synapseStartTimeout = 90 * time.Second

// Synapse is a Synapse homeserver that a test started with [StartSynapse].
// It listens on 127.0.0.1 only, with the client API and no federation
// listener.
type Synapse struct {
	// BaseURL is the client-server API base, http://127.0.0.1:PORT; it is
	// also Synapse's public_baseurl (without the final slash).
	BaseURL string
	// ServerName is the Matrix server name, "localhost".
	ServerName string
	// Port is the TCP port of BaseURL. It stays the same across Stop/Start.
	Port int
	// DataDir holds the config, the key, the SQLite database and the log.
	DataDir string
	// ConfigPath is the path of homeserver.yaml.
	ConfigPath string
	// LogPath is the file that receives the output of every run.
	LogPath string
	// StartTime is how long the last Start took, until /versions answered.
	StartTime time.Duration

	t      testing.TB
	secret string
	admin  string // access token of AdminUser, once made
	proc   *process
}

// SynapsePython returns the Python of the Synapse virtualenv:
// $SYNAPSE_PYTHON when set, else <repo root>/.tools/synapse/bin/python.
func SynapsePython() string {
	if p := os.Getenv(SynapsePythonEnv); p != "" {
		return p
	}
	return filepath.Join(RepoRoot(), ".tools", "synapse", "bin", "python")
}

// StartSynapse writes a config (see [WriteSynapseConfig]) into a fresh
// t.TempDir(), starts Synapse on a free port and waits until it answers
// /_matrix/client/versions. The test fails when Synapse does not start
// within 90 s. Synapse stops when the test ends, and the end of its log is
// printed when the test failed.
func StartSynapse(t testing.TB, opts SynapseOptions) *Synapse {
	t.Helper()
	py := SynapsePython()
	if _, err := os.Stat(py); err != nil {
		t.Fatalf("Synapse is not installed (%s is missing): run tools/synapse.sh or make synapse", py)
	}
	port := FreePort(t)
	cfg, err := WriteSynapseConfig(t.TempDir(), port, opts)
	if err != nil {
		t.Fatalf("writing the synapse config failed: %v", err)
	}
	s := &Synapse{
		BaseURL:    "http://127.0.0.1:" + strconv.Itoa(port),
		ServerName: synapseServerName,
		Port:       port,
		DataDir:    filepath.Dir(cfg.Path),
		ConfigPath: cfg.Path,
		LogPath:    filepath.Join(filepath.Dir(cfg.Path), SynapseLogFile),
		t:          t,
		secret:     cfg.SharedSecret,
	}
	t.Cleanup(func() {
		s.Stop()
		if t.Failed() {
			t.Logf("last lines of %s:\n%s", s.LogPath, s.Log(60))
		}
	})
	s.Start()
	return s
}

// Start starts Synapse again after Stop, on the same port and with the same
// data. It does nothing when Synapse runs. Call it from the test goroutine.
func (s *Synapse) Start() {
	s.t.Helper()
	if s.proc != nil {
		return
	}
	began := time.Now()
	args := []string{"-m", "synapse.app.homeserver", "--config-path", s.ConfigPath}
	p, err := startProcess(SynapsePython(), args, s.DataDir, s.LogPath)
	if err != nil {
		s.t.Fatalf("starting synapse failed: %v", err)
	}
	s.proc = p
	err = waitHTTP(context.Background(), s.BaseURL+"/_matrix/client/versions", synapseStartTimeout, p.exited)
	if err != nil {
		s.Stop()
		s.t.Fatalf("synapse did not start: %v\nlast lines of %s:\n%s", err, s.LogPath, tailFile(s.LogPath, 40))
	}
	s.StartTime = time.Since(began)
	s.t.Logf("synapse ready at %s after %s", s.BaseURL, s.StartTime.Round(time.Millisecond))
}

// Stop stops Synapse with SIGTERM, and with SIGKILL after 10 s. The data
// stays, so Start can run it again. It does nothing when Synapse is stopped.
func (s *Synapse) Stop() {
	if s.proc == nil {
		return
	}
	s.proc.stop()
	s.proc = nil
}

// Log returns the last n lines of the Synapse log, for failure messages.
func (s *Synapse) Log(n int) string {
	return tailFile(s.LogPath, n)
}

// ConsentURL is the policy page Synapse links from m.login.terms:
// public_baseurl + "_matrix/consent?v=" + the policy version.
func (s *Synapse) ConsentURL() string {
	return s.BaseURL + "/_matrix/consent?v=" + SynapseConsentVersion
}
