package tesths

// Answers: JSON and HTML replies, Matrix errors, and request bodies.

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// reply is what a handler answers: JSON (json) or HTML (html), with extra
// headers.
type reply struct {
	status int
	json   any
	html   string
	header map[string]string
}

type matrixError struct {
	Errcode string `json:"errcode"`
	Error   string `json:"error"`
}

func errReply(status int, errcode, msg string) reply {
	return reply{status: status, json: matrixError{Errcode: errcode, Error: msg}}
}

func jsonReply(v any) reply {
	return reply{status: http.StatusOK, json: v}
}

func writeReply(w http.ResponseWriter, rep reply) {
	for k, v := range rep.header {
		w.Header().Set(k, v)
	}
	if rep.status == 0 {
		rep.status = http.StatusOK
	}
	if rep.json == nil {
		if rep.html != "" {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		w.WriteHeader(rep.status)
		io.WriteString(w, rep.html)
		return
	}
	b, err := marshal(rep.json)
	if err != nil {
		rep.status = http.StatusInternalServerError
		b, _ = marshal(matrixError{Errcode: "M_UNKNOWN", Error: "Encoding the answer failed: " + err.Error()})
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(rep.status)
	w.Write(b)
}

func marshal(v any) ([]byte, error) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

// parseObject parses a JSON object body as Synapse does: 400 M_NOT_JSON when
// it is not JSON, 400 M_BAD_JSON when it is not an object.
func parseObject(body []byte) (map[string]any, *reply) {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		rep := errReply(http.StatusBadRequest, "M_NOT_JSON", "Content not JSON.")
		return nil, &rep
	}
	m, ok := v.(map[string]any)
	if !ok {
		rep := errReply(http.StatusBadRequest, "M_BAD_JSON", "Content must be a JSON object.")
		return nil, &rep
	}
	return m, nil
}

// baseURL is the absolute URL of the server for links it hands out.
func (s *Server) baseURL(r *http.Request) string {
	if s.URL != "" {
		return strings.TrimRight(s.URL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
