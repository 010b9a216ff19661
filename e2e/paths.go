package e2e

import (
	"os"
	"path/filepath"
	"runtime"
)

// ToolsBinEnv names the environment variable that overrides the directory of
// the Dendrite binaries (dendrite, generate-config, generate-keys).
const ToolsBinEnv = "SIGNUP_TOOLS_BIN"

// RepoRoot returns the root of the repository, the parent of the e2e module.
// It walks up from the working directory to the first directory that holds
// e2e/go.mod, and falls back to the location of this source file.
func RepoRoot() string {
	if dir, err := os.Getwd(); err == nil {
		for {
			if _, err := os.Stat(filepath.Join(dir, "e2e", "go.mod")); err == nil {
				return dir
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// ToolsBin returns the directory of the Dendrite binaries: $SIGNUP_TOOLS_BIN
// when set, else <repo root>/.tools/bin.
func ToolsBin() string {
	if dir := os.Getenv(ToolsBinEnv); dir != "" {
		return dir
	}
	return filepath.Join(RepoRoot(), ".tools", "bin")
}

// ToolPath returns the path of the named binary in [ToolsBin].
func ToolPath(name string) string {
	return filepath.Join(ToolsBin(), name)
}
