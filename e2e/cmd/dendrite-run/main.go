// Command dendrite-run runs a local Dendrite for development, as `make run`
// does:
//
//	dendrite-run -data .dendrite -addr 127.0.0.1:8008
//
// On the first run it writes the signing key and dendrite.yaml into the data
// directory, with the same settings as the e2e tests (server name localhost,
// open registration, no federation). Later runs keep both, so the accounts
// survive restarts; -regen-config rewrites the config and keeps the key. It
// then runs dendrite in the foreground in the data directory and forwards
// SIGINT, SIGTERM and SIGHUP to it.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"

	"signup/e2e"
)

func main() {
	data := flag.String("data", ".dendrite", "data directory (config, key, SQLite files)")
	addr := flag.String("addr", "127.0.0.1:8008", "HTTP listen address")
	regen := flag.Bool("regen-config", false, "rewrite dendrite.yaml even if it exists")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("dendrite-run: ")

	dir, err := filepath.Abs(*data)
	if err != nil {
		log.Fatal(err)
	}
	_, portStr, err := net.SplitHostPort(*addr)
	if err != nil {
		log.Fatalf("-addr: %v", err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		log.Fatalf("-addr: bad port %q", portStr)
	}
	var opts e2e.DendriteOptions
	config := filepath.Join(dir, e2e.DendriteConfigFile)
	if _, err := os.Stat(config); *regen || errors.Is(err, os.ErrNotExist) {
		if config, err = e2e.WriteDendriteConfig(dir, port, opts); err != nil {
			log.Fatal(err)
		}
		log.Printf("wrote %s", config)
	}
	os.Exit(run(dir, *addr, e2e.DendriteArgs(config, *addr, opts)))
}

// run runs dendrite with args in dir, listening on addr, until it exits, forwards the signals to it, and
// returns its exit code.
func run(dir, addr string, args []string) int {
	cmd := exec.Command(e2e.ToolPath("dendrite"), args...)
	cmd.Dir = dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	// Its own process group, so that only the forwarded signal reaches it;
	// and it dies with this process.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	if err := cmd.Start(); err != nil {
		log.Fatalf("%v (build the Dendrite tools into %s, or set $%s)", err, e2e.ToolsBin(), e2e.ToolsBinEnv)
	}
	log.Printf("dendrite on http://%s (data in %s)", addr, dir)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for {
		select {
		case s := <-sigs:
			cmd.Process.Signal(s)
		case err := <-done:
			var exit *exec.ExitError
			switch {
			case err == nil:
				return 0
			case errors.As(err, &exit):
				if exit.ExitCode() >= 0 {
					return exit.ExitCode()
				}
				return 1
			default:
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
	}
}
