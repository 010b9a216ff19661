package webdriver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// classicSession is a session of a classic W3C WebDriver server
// (https://w3c.github.io/webdriver/#endpoints): JSON over HTTP.
type classicSession struct {
	base string // http://127.0.0.1:PORT
	id   string
}

// classicError is the error object of a failed command
// (https://w3c.github.io/webdriver/#errors).
type classicError struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

// do sends a command to path (relative to the server, e.g. "/session") and
// decodes the "value" of the answer into out (which may be nil).
func classicDo(ctx context.Context, method, url string, body any, out any) error {
	var rd io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return fmt.Errorf("encoding the request failed: %w", err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json; charset=utf-8")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s failed: %w", method, url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("reading the answer to %s %s failed: %w", method, url, err)
	}
	var env struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return fmt.Errorf("decoding the answer to %s %s failed: status %d: %.200s", method, url, resp.StatusCode, data)
	}
	if resp.StatusCode != http.StatusOK {
		var e classicError
		json.Unmarshal(env.Value, &e)
		return fmt.Errorf("%s %s failed: status %d: %s: %s", method, url, resp.StatusCode, e.Error, e.Message)
	}
	if out != nil {
		if err := json.Unmarshal(env.Value, out); err != nil {
			return fmt.Errorf("decoding the value of %s %s failed: %w", method, url, err)
		}
	}
	return nil
}

// cmd sends a command of this session; path is relative to the session,
// e.g. "/url".
func (s *classicSession) cmd(ctx context.Context, method, path string, body any, out any) error {
	return classicDo(ctx, method, s.base+"/session/"+s.id+path, body, out)
}

// execute runs a script body (https://w3c.github.io/webdriver/#execute-script)
// with arguments; the driver awaits a returned promise.
func (s *classicSession) execute(ctx context.Context, script string, args []any, out any) error {
	if args == nil {
		args = []any{}
	}
	return s.cmd(ctx, http.MethodPost, "/execute/sync", map[string]any{"script": script, "args": args}, out)
}

// elementKey is the key of a web element reference
// (https://w3c.github.io/webdriver/#elements).
const elementKey = "element-6066-11e4-a52e-4f735466cecf"
