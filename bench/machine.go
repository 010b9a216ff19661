package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	goruntime "runtime"
	"runtime/debug"
	"strings"
)

func execOutput(name string, args ...string) (string, error) {
	out, err := exec.Command(name, args...).Output()
	return string(out), err
}

// machineInfo describes the machine and the versions of everything
// measured, as a Markdown list.
func machineInfo(chromium, root string) string {
	var b strings.Builder
	cpu, cores := "?", 0
	if c, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(c), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
			}
		}
	}
	cores = goruntime.NumCPU()
	mem := "?"
	if c, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(c), "\n") {
			if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				var kb float64
				fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), &kb)
				mem = fmt.Sprintf("%.1f GiB", kb/1024/1024)
			}
		}
	}
	osName := "?"
	if c, err := os.ReadFile("/etc/os-release"); err == nil {
		for _, line := range strings.Split(string(c), "\n") {
			if v, ok := strings.CutPrefix(line, "PRETTY_NAME="); ok {
				osName = strings.Trim(v, `"`)
			}
		}
	}
	kernel, _ := os.ReadFile("/proc/sys/kernel/osrelease")
	gover, _ := execOutput("go", "version")
	fmt.Fprintf(&b, "- CPU: %s, %d cores; memory %s; %s, Linux %s\n", cpu, cores, mem, osName, strings.TrimSpace(string(kernel)))
	fmt.Fprintf(&b, "- %s\n", strings.TrimSpace(gover))
	fmt.Fprintf(&b, "- Browser: %s (headless, --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run --disable-quic, fresh profile; one new browser context per load)\n", chromium)
	fmt.Fprintf(&b, "- Widget: go-app %s, brotli %s (go.mod); floor app: go-app %s\n",
		modVersion(filepath.Join(root, "go.mod"), "github.com/maxence-charriere/go-app/v10"),
		modVersion(filepath.Join(root, "go.mod"), "github.com/andybalholm/brotli"),
		modVersion("go.mod", "github.com/maxence-charriere/go-app/v10"))
	fmt.Fprintf(&b, "- Harness: chromedp %s, cdproto %s; wasm-opt (binaryen) %s\n",
		depVersion("github.com/chromedp/chromedp"), depVersion("github.com/chromedp/cdproto"), wasmOptVersion())
	if rev, err := execOutput("git", "-C", root, "rev-parse", "--short", "HEAD"); err == nil {
		dirty := ""
		if st, err := execOutput("git", "-C", root, "status", "--porcelain"); err == nil && strings.TrimSpace(st) != "" {
			dirty = " with uncommitted changes"
		}
		fmt.Fprintf(&b, "- Repository at %s%s\n", strings.TrimSpace(rev), dirty)
	}
	return b.String()
}

// modVersion reads a requirement's version from a go.mod.
func modVersion(gomod, path string) string {
	c, err := os.ReadFile(gomod)
	if err != nil {
		return "?"
	}
	for _, line := range strings.Split(string(c), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == path {
			return f[1]
		}
		if len(f) >= 3 && f[0] == "require" && f[1] == path {
			return f[2]
		}
	}
	return "?"
}

// depVersion is the version of a module linked into this benchmark.
func depVersion(path string) string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == path {
				return d.Version
			}
		}
	}
	return "?"
}

// loadAvg is the first three fields of /proc/loadavg.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}
