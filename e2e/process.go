package e2e

import (
	"os"
	"os/exec"
	"syscall"
	"time"
)

// stopGrace is how long a process gets to exit after SIGTERM, before SIGKILL.
const stopGrace = 10 * time.Second

// process is a child process whose stdout and stderr go to a log file.
type process struct {
	cmd    *exec.Cmd
	exited chan struct{} // closed when the process has exited
}

// startProcess starts bin with args in dir, and appends its output to
// logPath. The process gets SIGKILL when the test binary dies.
func startProcess(bin string, args []string, dir, logPath string) (*process, error) {
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	defer logf.Close() // the child has its own copy
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Stdout = logf
	cmd.Stderr = logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	p := &process{cmd: cmd, exited: make(chan struct{})}
	go func() { cmd.Wait(); close(p.exited) }()
	return p, nil
}

// stop sends SIGTERM, then SIGKILL after stopGrace, and waits for the exit.
func (p *process) stop() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(stopGrace):
		p.cmd.Process.Kill()
		<-p.exited
	}
}
