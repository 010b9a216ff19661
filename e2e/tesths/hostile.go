package tesths

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// HostileTermsParams returns the m.login.terms params of AttackTermsLinks.
// Policy IDs sort in the order below; only "z_honest" has an http(s) URL.
func HostileTermsParams() map[string]any {
	pol := func(name, url string) map[string]any {
		return map[string]any{"version": "1.0", "en": map[string]any{"name": name, "url": url}}
	}
	return map[string]any{"policies": map[string]any{
		"a_javascript": pol(`<script>window.__pwned=1;alert('name')</script>Terms`, "javascript:window.__pwned=1;alert('terms')"),
		"b_data":       pol(`<img src=x onerror="window.__pwned=1;alert('img')">Privacy`, "data:text/html,<script>alert('data')</script>"),
		"c_vbscript":   pol(`<b>Rules</b>`, "vbscript:msgbox('vb')"),
		"d_disguised":  pol(`Conduct`, " JaVaScRiPt:window.__pwned=1;alert('disguised')"),
		"e_tab":        pol(`Cookies`, "java\tscript:window.__pwned=1;alert('tab')"),
		"f_relative":   pol(`Relative`, "//evil.example/policy"),
		"z_honest":     pol(`Honest <i>policy</i>`, "https://example.org/honest.html"),
	}}
}

// Hostile is a test homeserver that attacks the client. Its Server is the
// spec-faithful server underneath: requests are recorded there (Requests,
// RequestsTo), accounts made there (Users).
type Hostile struct {
	*Server
	// Other is the base URL of a second origin ("another host"), the
	// target of the redirect and fallback attacks. Its requests are in
	// OtherRequests.
	Other string

	attacks   map[Attack]bool
	mu        sync.Mutex
	submitURL string
	oneShots  []Attack // one-shot attacks not used yet, in order
	otherReqs []Request
	stop      chan struct{}
}

// StartHostile starts a Hostile server for cfg with the given attacks on a
// free port of 127.0.0.1, and the Other origin on another. Both close when
// the test ends; never-ending answers end then too.
func StartHostile(t testing.TB, cfg Config, attacks ...Attack) *Hostile {
	t.Helper()
	h := &Hostile{attacks: map[Attack]bool{}, submitURL: DefaultHostileSubmitURL, stop: make(chan struct{})}
	for _, a := range attacks {
		if oneShot[a] {
			h.oneShots = append(h.oneShots, a)
			continue
		}
		h.attacks[a] = true
	}
	if h.attacks[AttackTermsLinks] {
		params := map[string]any{}
		for k, v := range cfg.Params {
			params[k] = v
		}
		params[stageTerms] = HostileTermsParams()
		cfg.Params = params
	}
	h.Server = New(cfg)

	other := httptest.NewServer(http.HandlerFunc(h.serveOther))
	h.Other = other.URL
	ts := httptest.NewUnstartedServer(h)
	h.Server.URL = "http://" + ts.Listener.Addr().String()
	ts.Start()
	t.Cleanup(func() {
		close(h.stop)
		ts.CloseClientConnections()
		ts.Close()
		other.CloseClientConnections()
		other.Close()
	})
	return h
}

// SetSubmitURL sets the submit_url of AttackSubmitURL.
func (h *Hostile) SetSubmitURL(u string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.submitURL = u
}

// OtherRequests returns the requests the Other origin received, OPTIONS
// preflights included (a preflight is already a leak of intent).
func (h *Hostile) OtherRequests() []Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Request(nil), h.otherReqs...)
}

// ServeHTTP answers as the attacks say, else as Server.
func (h *Hostile) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodOptions {
		h.Server.ServeHTTP(w, r)
		return
	}
	cors(w)
	p := r.URL.Path
	switch {
	case p == pathRegister && r.Method == http.MethodPost:
		h.register(w, r)
	case p == pathMsisdnToken && h.attacks[AttackSubmitURL]:
		h.rewriteJSON(w, r, func(status int, v map[string]any) {
			if status == http.StatusOK {
				h.mu.Lock()
				v["submit_url"] = h.submitURL
				h.mu.Unlock()
			}
		})
	case strings.HasPrefix(p, pathFallbackPre) && strings.HasSuffix(p, pathFallbackSuf) &&
		r.Method == http.MethodGet && h.attacks[AttackFallbackOrigin]:
		stage := fallbackStage(p)
		session := r.URL.Query().Get("session")
		h.Server.CompleteStage(session, stage)
		rw := h.recording(w, r, nil)
		http.Redirect(rw, r, h.Other+"/fallback?session="+session, http.StatusFound)
	default:
		h.Server.ServeHTTP(w, r)
	}
}

// register answers POST /register under the attacks.
func (h *Hostile) register(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxBody))
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	var req struct {
		Auth map[string]any `json:"auth"`
	}
	json.Unmarshal(body, &req)
	h.mu.Lock()
	var shot Attack
	if len(h.oneShots) > 0 {
		shot, h.oneShots = h.oneShots[0], h.oneShots[1:]
	}
	h.mu.Unlock()

	switch {
	case h.attacks[AttackRedirect]:
		rw := h.recording(w, r, body)
		http.Redirect(rw, r, h.Other+r.URL.RequestURI(), http.StatusTemporaryRedirect)
		return
	case h.attacks[AttackNeverEnding]:
		rw := h.recording(w, r, body)
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(http.StatusOK)
		io.WriteString(rw, `{"user_id":"@`)
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-h.stop:
		}
		return
	case h.attacks[AttackDropped]:
		rw := h.recording(w, r, body)
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(http.StatusOK)
		io.WriteString(rw, `{"user_id":"@`)
		w.(http.Flusher).Flush()
		// Drop the connection without ending the body.
		panic(http.ErrAbortHandler)
	case shot == AttackHTMLError:
		rw := h.recording(w, r, body)
		writeReply(rw, errReply(http.StatusForbidden, "M_FORBIDDEN", HostileHTML))
		return
	case shot == AttackHugeBody:
		rw := h.recording(w, r, body)
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(http.StatusUnauthorized)
		io.WriteString(rw, `{"flows":[{"stages":["m.login.dummy"]}],"params":{},"session":"huge","error":"`)
		chunk := strings.Repeat("A", 64<<10)
		for n := 0; n < HugeBodyBytes; n += len(chunk) {
			if _, err := io.WriteString(rw, chunk); err != nil {
				return
			}
		}
		io.WriteString(rw, `"}`)
		return
	case shot == AttackDeepJSON:
		rw := h.recording(w, r, body)
		rw.Header().Set("Content-Type", "application/json")
		rw.WriteHeader(http.StatusUnauthorized)
		io.WriteString(rw, `{"flows":`+strings.Repeat("[", DeepJSONLevels)+strings.Repeat("]", DeepJSONLevels)+`,"params":{},"session":"deep"}`)
		return
	case shot == AttackFlowsString:
		h.raw(w, r, body, http.StatusUnauthorized, `{"flows":"m.login.dummy","params":{},"session":"abc"}`)
		return
	case shot == AttackSessionNumber:
		h.raw(w, r, body, http.StatusUnauthorized, `{"flows":[{"stages":["m.login.dummy"]}],"params":{},"session":12345}`)
		return
	case shot == AttackNoSession:
		h.raw(w, r, body, http.StatusUnauthorized, `{"flows":[{"stages":["m.login.dummy"]}],"params":{}}`)
		return
	case h.attacks[AttackHTMLStageError] && req.Auth["type"] != nil:
		sid, _ := req.Auth["session"].(string)
		h.Server.mu.Lock()
		sess := h.Server.sessions[sid]
		var rep reply
		if sess != nil {
			rep = h.Server.uiaReply(sess, "M_UNAUTHORIZED", HostileHTML)
		} else {
			rep = errReply(http.StatusBadRequest, "M_UNKNOWN", "Unknown session ID: "+sid)
		}
		h.Server.mu.Unlock()
		writeReply(h.recording(w, r, body), rep)
		return
	}
	h.rewriteJSON(w, r, func(status int, v map[string]any) {
		if status == http.StatusOK && h.attacks[AttackHTMLUserID] {
			v["user_id"] = HostileUserID
		}
		if status == http.StatusUnauthorized && h.attacks[AttackManyFlows] {
			flows, _ := v["flows"].([]any)
			for i := 0; i < ManyFlows; i++ {
				flows = append(flows, map[string]any{"stages": []string{
					fmt.Sprintf("org.example.junk%d", i), "<script>alert('stage')</script>"}})
			}
			v["flows"] = flows
		}
	})
}

// raw records the request and answers status with the JSON text body.
func (h *Hostile) raw(w http.ResponseWriter, r *http.Request, body []byte, status int, text string) {
	rw := h.recording(w, r, body)
	rw.Header().Set("Content-Type", "application/json")
	rw.WriteHeader(status)
	io.WriteString(rw, text)
}

// recording returns w wrapped so that the answer records the request in
// Server's list, as Server.ServeHTTP does.
func (h *Hostile) recording(w http.ResponseWriter, r *http.Request, body []byte) *recorder {
	return &recorder{ResponseWriter: w, s: h.Server, req: Request{
		Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
		Body: body, Header: r.Header.Clone(), Time: time.Now(),
	}}
}

// rewriteJSON lets Server answer, then edits its JSON object answer.
func (h *Hostile) rewriteJSON(w http.ResponseWriter, r *http.Request, edit func(status int, v map[string]any)) {
	rec := httptest.NewRecorder()
	h.Server.ServeHTTP(rec, r)
	var v map[string]any
	out := rec.Body.Bytes()
	if json.Unmarshal(out, &v) == nil && v != nil {
		edit(rec.Code, v)
		if b, err := marshal(v); err == nil {
			out = b
		}
	}
	for k, vs := range rec.Header() {
		if k != "Content-Length" {
			w.Header()[k] = vs
		}
	}
	w.WriteHeader(rec.Code)
	w.Write(out)
}

// serveOther is the second origin: it records every request and serves
// the hostile fallback page.
func (h *Hostile) serveOther(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxBody))
	h.mu.Lock()
	h.otherReqs = append(h.otherReqs, Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
		Body: body, Header: r.Header.Clone(), Time: time.Now(), Status: http.StatusOK})
	h.mu.Unlock()
	if r.URL.Path != "/fallback" {
		// No CORS headers: a browser request here fails, as it should.
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, hostileFallbackPage)
}

// hostileFallbackPage runs in the popup the widget opened, on another
// origin than the widget and the homeserver. It tries what a hostile page
// can try through window.opener, then reports completion as the spec's
// fallback page does.
const hostileFallbackPage = `<!doctype html>
<html><head><meta charset="utf-8"><title>Hostile fallback</title></head><body>
<p id="log">hostile fallback page</p>
<script>
const log = (s) => { document.getElementById("log").textContent += "\n" + s; };
try { window.opener.location.href = "javascript:window.__pwned=1;alert('opener-js')"; log("opener js navigation attempted"); } catch (e) { log("opener js: " + e); }
try { window.opener.document.body.innerHTML = "<img src=x onerror=alert('dom')>"; log("opener DOM written"); } catch (e) { log("opener dom: " + e); }
try { window.opener.eval("alert('eval')"); log("opener eval ran"); } catch (e) { log("opener eval: " + e); }
try { window.opener.postMessage({type: "authDone", html: "<img src=x onerror=alert('msg')>"}, "*"); } catch (e) {}
try { window.opener.postMessage("<scr" + "ipt>alert('msg')</scr" + "ipt>", "*"); } catch (e) {}
try { window.opener.postMessage("authDone", "*"); log("authDone posted"); } catch (e) { log("post: " + e); }
</script>
</body></html>
`

// cors sets the headers Server sets on every answer.
func cors(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Origin, X-Requested-With, Content-Type, Accept, Authorization")
}
