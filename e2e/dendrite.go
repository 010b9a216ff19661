package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// Timeouts of the Dendrite process.
const (
	dendriteStartTimeout = 60 * time.Second
)

// Dendrite is a Dendrite homeserver that a test started with [StartDendrite].
// It listens on 127.0.0.1 only, with HTTP and without federation.
type Dendrite struct {
	// BaseURL is the client-server API base, http://127.0.0.1:PORT.
	BaseURL string
	// ServerName is the Matrix server name, "localhost".
	ServerName string
	// Port is the TCP port of BaseURL. It stays the same across Stop/Start.
	Port int
	// DataDir holds the config, the key, the SQLite files and the log.
	DataDir string
	// ConfigPath is the path of dendrite.yaml.
	ConfigPath string
	// LogPath is the file that receives the output of every run.
	LogPath string

	t    testing.TB
	opts DendriteOptions
	proc *process // nil when stopped
}

// StartDendrite writes a config (see [WriteDendriteConfig]), starts Dendrite
// on a free port and waits until it answers /_matrix/client/versions. The
// test fails when Dendrite does not start within 60 s, with the end of its
// log. Dendrite stops when the test ends.
func StartDendrite(t testing.TB, opts DendriteOptions) *Dendrite {
	t.Helper()
	dir := opts.DataDir
	if dir == "" {
		dir = t.TempDir()
	}
	port := FreePort(t)
	cfg, err := WriteDendriteConfig(dir, port, opts)
	if err != nil {
		t.Fatalf("writing the dendrite config: %v", err)
	}
	d := &Dendrite{
		BaseURL:    "http://127.0.0.1:" + strconv.Itoa(port),
		ServerName: "localhost",
		Port:       port,
		DataDir:    filepath.Dir(cfg),
		ConfigPath: cfg,
		LogPath:    filepath.Join(filepath.Dir(cfg), DendriteLogFile),
		t:          t,
		opts:       opts,
	}
	t.Cleanup(d.Stop)
	d.Start()
	return d
}

// Start starts Dendrite again after Stop, on the same port and with the same
// data. It does nothing when Dendrite runs. Call it from the test goroutine.
func (d *Dendrite) Start() {
	d.t.Helper()
	if d.proc != nil {
		return
	}
	addr := "127.0.0.1:" + strconv.Itoa(d.Port)
	began := time.Now()
	p, err := startProcess(ToolPath("dendrite"), DendriteArgs(d.ConfigPath, addr, d.opts), d.DataDir, d.LogPath)
	if err != nil {
		d.t.Fatalf("starting dendrite (built into %s?): %v", ToolsBin(), err)
	}
	d.proc = p
	err = waitHTTP(context.Background(), d.BaseURL+"/_matrix/client/versions", dendriteStartTimeout, p.exited)
	if err != nil {
		d.Stop()
		d.t.Fatalf("dendrite did not start: %v\nlast lines of %s:\n%s", err, d.LogPath, tailFile(d.LogPath, 40))
	}
	d.t.Logf("dendrite ready at %s after %s", d.BaseURL, time.Since(began).Round(time.Millisecond))
}

// Stop stops Dendrite with SIGTERM, and with SIGKILL after 10 s. The data
// stays, so Start can run it again. It does nothing when Dendrite is stopped.
func (d *Dendrite) Stop() {
	if d.proc == nil {
		return
	}
	d.proc.stop()
	d.proc = nil
}

// Log returns the last n lines of the Dendrite log, for failure messages.
func (d *Dendrite) Log(n int) string {
	return tailFile(d.LogPath, n)
}

// tailFile returns the last n lines of the file at path.
func tailFile(path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(reading %s: %v)", path, err)
	}
	lines := bytes.Split(bytes.TrimRight(data, "\n"), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}
