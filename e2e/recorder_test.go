package e2e

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

// A Recorder writes to the folder of e2e/testdata it was given, so that
// Dendrite's conversations do not overwrite Synapse's of the same name.
// (SIGNUP_RECORD is unset here: this test must not write.)
func TestRecorderDir(t *testing.T) {
	t.Setenv(RecordEnv, "")
	up := httptest.NewServer(http.NotFoundHandler())
	defer up.Close()
	for _, dir := range []string{"synapse", "dendrite"} {
		got := StartRecorder(t, up.URL, dir, "Test 1", "open-dummy").Path()
		if want := filepath.Join("e2e", "testdata", dir, "open-dummy.json"); !strings.HasSuffix(got, want) {
			t.Errorf("recording of %s = %s, want …/%s", dir, got, want)
		}
	}
}
