package webdriver

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// stopGrace is how long a process group gets to exit after SIGTERM.
const stopGrace = 5 * time.Second

// proc is a child process in a process group of its own, so that stopping
// it also stops what it started (Firefox's content processes, MiniBrowser
// and its web processes).
type proc struct {
	cmd    *exec.Cmd
	exited chan struct{}
}

// lookPath finds an engine's executable, or says which package provides it.
func lookPath(name, pkg string) (string, error) {
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("finding %s failed: it is not installed (Debian package %s; `make deps` installs it)", name, pkg)
	}
	return p, nil
}

// startProc starts cmd with its output appended to logPath. The process
// gets SIGKILL when the test binary dies.
func startProc(cmd *exec.Cmd, logPath string) (*proc, error) {
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening the log %s failed: %w", logPath, err)
	}
	defer logf.Close() // the child has its own copy
	if cmd.Stdout == nil {
		cmd.Stdout = logf
	}
	if cmd.Stderr == nil {
		cmd.Stderr = logf
	}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s failed: %w", cmd.Path, err)
	}
	p := &proc{cmd: cmd, exited: make(chan struct{})}
	go func() { cmd.Wait(); close(p.exited) }()
	return p, nil
}

// stop sends SIGTERM to the process group, SIGKILL after stopGrace, and
// waits for the process to exit.
func (p *proc) stop() {
	if p == nil {
		return
	}
	pgid := -p.cmd.Process.Pid
	syscall.Kill(pgid, syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(stopGrace):
		syscall.Kill(pgid, syscall.SIGKILL)
		<-p.exited
	}
	// Children that outlived the leader go too.
	syscall.Kill(pgid, syscall.SIGKILL)
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("finding a free port failed: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// lineWatcher is the output of a process: it appends to a log file and
// sends the first line that contains a marker on found.
type lineWatcher struct {
	f      *os.File
	marker string
	found  chan string
	mu     sync.Mutex
	buf    []byte
	seen   bool
}

// newLineWatcher opens logPath for appending.
func newLineWatcher(logPath, marker string) (*lineWatcher, error) {
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("opening the log %s failed: %w", logPath, err)
	}
	return &lineWatcher{f: f, marker: marker, found: make(chan string, 1)}, nil
}

// Write logs p and looks for the marker in the complete lines so far.
func (w *lineWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.f.Write(p)
	if w.seen {
		return len(p), nil
	}
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		line := string(w.buf[:i])
		w.buf = w.buf[i+1:]
		if strings.Contains(line, w.marker) {
			w.seen, w.buf = true, nil
			w.found <- line
			break
		}
	}
	return len(p), nil
}

// close closes the log file.
func (w *lineWatcher) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.f.Close()
}
