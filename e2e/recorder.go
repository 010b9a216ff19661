package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// RecordEnv names the environment variable that makes a [Recorder] write
// its conversation: SIGNUP_RECORD=1.
const RecordEnv = "SIGNUP_RECORD"

// Placeholders of what a recording never holds.
const (
	recordedPassword = "<password>"
	recordedToken    = "<token>"
)

// Exchange is one registration request a Recorder passed on, and the
// homeserver's answer. Bodies are JSON (null when empty or not JSON); the
// password is replaced by "<password>", access, refresh and login tokens
// by "<token>".
type Exchange struct {
	Method   string            `json:"method"`
	Path     string            `json:"path"`
	Query    string            `json:"query,omitempty"`
	Request  json.RawMessage   `json:"request"`
	Status   int               `json:"status"`
	Header   map[string]string `json:"header,omitempty"`
	Response json.RawMessage   `json:"response"`
}

// Conversation is the file a Recorder writes: what the widget and one
// homeserver said to each other during one scenario, for replay.
type Conversation struct {
	Server    string     `json:"server"`
	Scenario  string     `json:"scenario"`
	Exchanges []Exchange `json:"exchanges"`
}

// Recorder is a reverse proxy between the widget and a homeserver that keeps
// every exchange under /_matrix/client/ whose path has "/register" in it
// (register, available, the token validity check, guests), and the
// login-token hand-off (login/get_token, logout) and the password policy. With
// SIGNUP_RECORD=1 it writes them to e2e/testdata/<dir>/<scenario>.json
// when a test that passed ends.
type Recorder struct {
	// URL is the proxy's base URL; point the widget at it.
	URL string

	dir  string
	mu   sync.Mutex
	conv Conversation
}

// StartRecorder starts a Recorder to upstream on a free loopback port. dir
// is the folder of e2e/testdata the file goes to ("synapse", "dendrite");
// server names the homeserver and its version in the file.
func StartRecorder(t *testing.T, upstream, dir, server, scenario string) *Recorder {
	t.Helper()
	u, err := url.Parse(upstream)
	if err != nil {
		t.Fatal(err)
	}
	rec := &Recorder{dir: dir, conv: Conversation{Server: server, Scenario: scenario, Exchanges: []Exchange{}}}
	rp := httputil.NewSingleHostReverseProxy(u)
	rp.ErrorLog = log.New(io.Discard, "", 0)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodOptions || !recorded(r.URL.Path) {
			rp.ServeHTTP(w, r)
			return
		}
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		r.Body = io.NopCloser(bytes.NewReader(body))
		cw := &capture{ResponseWriter: w, status: http.StatusOK}
		rp.ServeHTTP(cw, r)
		ex := Exchange{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
			Request: redactJSON(body), Status: cw.status, Response: redactJSON(cw.body.Bytes())}
		if ra := cw.Header().Get("Retry-After"); ra != "" {
			ex.Header = map[string]string{"Retry-After": ra}
		}
		rec.mu.Lock()
		rec.conv.Exchanges = append(rec.conv.Exchanges, ex)
		rec.mu.Unlock()
	}))
	t.Cleanup(func() {
		srv.Close()
		if os.Getenv(RecordEnv) != "1" || t.Failed() {
			return
		}
		if err := rec.write(); err != nil {
			t.Errorf("writing the recording failed: %v", err)
		}
	})
	rec.URL = srv.URL
	return rec
}

// Exchanges returns what was recorded so far.
func (rec *Recorder) Exchanges() []Exchange {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]Exchange(nil), rec.conv.Exchanges...)
}

// Path returns the file of the recording.
func (rec *Recorder) Path() string {
	return filepath.Join(RepoRoot(), "e2e", "testdata", rec.dir, rec.conv.Scenario+".json")
}

func (rec *Recorder) write() error {
	rec.mu.Lock()
	data, err := marshalPlain(rec.conv, "  ")
	rec.mu.Unlock()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(rec.Path()), 0o755); err != nil {
		return err
	}
	return os.WriteFile(rec.Path(), data, 0o644)
}

// recorded tells whether a request path belongs to registration or to the
// login-token hand-off after it.
func recorded(path string) bool {
	return strings.HasPrefix(path, "/_matrix/client/") && (strings.Contains(path, "/register") ||
		strings.HasSuffix(path, "/login/get_token") || strings.HasSuffix(path, "/logout") ||
		strings.HasSuffix(path, "/password_policy"))
}

// capture keeps a copy of an answer's status and body.
type capture struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (c *capture) WriteHeader(code int) {
	c.status = code
	c.ResponseWriter.WriteHeader(code)
}

func (c *capture) Write(b []byte) (int, error) {
	c.body.Write(b)
	return c.ResponseWriter.Write(b)
}

// redactJSON returns body with every "password" value replaced by
// "<password>" and every access, refresh or login token by "<token>", at
// any depth; null when body is empty or not JSON.
func redactJSON(body []byte) json.RawMessage {
	var v any
	if len(bytes.TrimSpace(body)) == 0 || json.Unmarshal(body, &v) != nil {
		return json.RawMessage("null")
	}
	out, err := marshalPlain(redact(v), "")
	if err != nil {
		return json.RawMessage("null")
	}
	return bytes.TrimSpace(out)
}

// marshalPlain is JSON without the HTML escapes (so that "<password>"
// reads as such), indented by indent unless empty.
func marshalPlain(v any, indent string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if indent != "" {
		enc.SetIndent("", indent)
	}
	err := enc.Encode(v)
	return buf.Bytes(), err
}

func redact(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			switch k {
			case "password":
				x[k] = recordedPassword
			case "access_token", "refresh_token", "login_token":
				x[k] = recordedToken
			default:
				x[k] = redact(e)
			}
		}
	case []any:
		for i, e := range x {
			x[i] = redact(e)
		}
	}
	return v
}
