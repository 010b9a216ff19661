package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// signupStartTimeout bounds the start of the widget server.
const signupStartTimeout = 30 * time.Second

// Signup is a running widget server that a test started with [StartSignup].
type Signup struct {
	// URL is the base URL of the server, http://127.0.0.1:PORT.
	URL string
	// LogPath is the file that receives its stdout and stderr.
	LogPath string

	proc *process
}

// StartSignup runs the prebuilt widget server <repo root>/bin/signup with
// -addr 127.0.0.1:<free port> and args, for example
// "-homeserver", d.BaseURL, in the repository root. It waits until GET /
// answers 200, and stops the server when the test ends. The test fails when
// the binary is missing: run `make build` first.
func StartSignup(t testing.TB, args ...string) *Signup {
	t.Helper()
	root := RepoRoot()
	bin := filepath.Join(root, "bin", "signup")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("%s is missing: run `make build` first (%v)", bin, err)
	}
	addr := "127.0.0.1:" + strconv.Itoa(FreePort(t))
	logPath := filepath.Join(t.TempDir(), "signup.log")
	p, err := startProcess(bin, append([]string{"-addr", addr}, args...), root, logPath)
	if err != nil {
		t.Fatalf("starting %s: %v", bin, err)
	}
	s := &Signup{URL: "http://" + addr, LogPath: logPath, proc: p}
	t.Cleanup(p.stop)
	if err := waitHTTP(context.Background(), s.URL+"/", signupStartTimeout, p.exited); err != nil {
		t.Fatalf("signup server did not start: %v\nlast lines of its log:\n%s", err, tailFile(logPath, 40))
	}
	return s
}

// Log returns the last n lines of the output of the server.
func (s *Signup) Log(n int) string {
	return tailFile(s.LogPath, n)
}
