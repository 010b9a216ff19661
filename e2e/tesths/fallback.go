package tesths

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
)

// noFallback are the stage types without a fallback page: no server serves
// one for email or msisdn (SPEC.md), and dummy/password need none.
var noFallback = []string{stageEmail, stageMsisdn, stageDummy, stagePassword}

var fallbackTmpl = template.Must(template.New("fallback").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Authentication</title></head>
<body>
<h1>Authentication: {{.Stage}}</h1>
{{if .Error}}<p id="error" style="color: #b00">{{.Error}}</p>{{end}}
{{if .Policies}}<p>Please review and accept:</p>
<ul>{{range .Policies}}<li><a href="{{.URL}}" target="_blank" rel="noopener">{{.Name}}</a>{{if .Version}} (version {{.Version}}){{end}}</li>{{end}}</ul>{{end}}
<form id="form" method="post" action="{{.Action}}">
<input type="hidden" name="session" value="{{.Session}}">
{{if .AskToken}}<label for="token">Registration token</label> <input id="token" name="token" type="text" autocomplete="off">{{end}}
<button id="complete" type="submit">Complete</button>
</form>
</body></html>
`))

// doneHTML is the page after a completed stage; its script is the one the
// spec requires.
const doneHTML = `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Success!</title>
<script>
if (window.onAuthDone) {
    window.onAuthDone();
} else if (window.opener && window.opener.postMessage) {
    window.opener.postMessage("authDone", "*");
}
</script>
</head>
<body><h1>Thank you</h1>
<p id="done">You may now close this window and return to the application.</p>
</body></html>
`

type policyLink struct{ Name, URL, Version string }

type fallbackData struct {
	Stage, Session, Action, Error string
	AskToken                      bool
	Policies                      []policyLink
}

// fallbackStage returns the stage type of a fallback path.
func fallbackStage(path string) string {
	return path[len(pathFallbackPre) : len(path)-len(pathFallbackSuf)]
}

// fallbackCheck answers the fallback requests that cannot go on: a stage
// without a fallback page (404 M_UNKNOWN "Unknown auth stage type", as
// Synapse), no session or an unknown one (400 page).
func (s *Server) fallbackCheck(stage, session string) *reply {
	if slices.Contains(noFallback, stage) {
		rep := errReply(http.StatusNotFound, "M_UNKNOWN", "Unknown auth stage type")
		return &rep
	}
	if session == "" {
		return &reply{status: http.StatusBadRequest, html: page("No session supplied", `<p id="failure">No session supplied.</p>`)}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sessions[session] == nil {
		return &reply{status: http.StatusBadRequest, html: page("Unknown session", `<p id="failure">Unknown session ID: `+template.HTMLEscapeString(session)+`</p>`)}
	}
	return nil
}

// handleFallbackGet serves GET /_matrix/client/v3/auth/{type}/fallback/web:
// a page whose "Complete" button (id "complete") posts the form back to the
// same URL. For m.login.registration_token the form has a token field (id
// "token") that must hold a valid token; for m.login.terms it lists the
// policies of the params.
func (s *Server) handleFallbackGet(r *http.Request, _ []byte) reply {
	stage := fallbackStage(r.URL.Path)
	session := r.URL.Query().Get("session")
	if rep := s.fallbackCheck(stage, session); rep != nil {
		return *rep
	}
	return s.fallbackForm(r, stage, session, "")
}

func (s *Server) fallbackForm(r *http.Request, stage, session, errMsg string) reply {
	data := fallbackData{
		Stage:    stage,
		Session:  session,
		Action:   r.URL.Path + "?" + url.Values{"session": {session}}.Encode(),
		Error:    errMsg,
		AskToken: stage == stageToken,
	}
	if stage == stageTerms {
		data.Policies = policies(s.cfg.Params[stageTerms])
	}
	var b strings.Builder
	if err := fallbackTmpl.Execute(&b, data); err != nil {
		return errReply(http.StatusInternalServerError, "M_UNKNOWN", "Rendering the fallback page failed: "+err.Error())
	}
	return reply{status: http.StatusOK, html: b.String()}
}

// handleFallbackPost completes the stage for the session of the form (or of
// the query) and answers the page that runs the spec's completion script.
func (s *Server) handleFallbackPost(r *http.Request, body []byte) reply {
	stage := fallbackStage(r.URL.Path)
	form, _ := url.ParseQuery(string(body))
	session := form.Get("session")
	if session == "" {
		session = r.URL.Query().Get("session")
	}
	if rep := s.fallbackCheck(stage, session); rep != nil {
		return *rep
	}
	if stage == stageToken && !slices.Contains(s.cfg.RegistrationTokens, form.Get("token")) {
		return s.fallbackForm(r, stage, session, "Invalid registration token")
	}
	if !s.CompleteStage(session, stage) {
		return reply{status: http.StatusBadRequest, html: page("Unknown session", `<p id="failure">Unknown session ID</p>`)}
	}
	return reply{status: http.StatusOK, html: doneHTML}
}

// policies reads {"policies": {id: {"version", lang: {"name", "url"}}}},
// preferring English.
func policies(params any) []policyLink {
	m, _ := params.(map[string]any)
	ps, _ := m["policies"].(map[string]any)
	ids := make([]string, 0, len(ps))
	for id := range ps {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []policyLink
	for _, id := range ids {
		p, _ := ps[id].(map[string]any)
		version, _ := p["version"].(string)
		link := policyLink{Name: id, Version: version}
		langs := make([]string, 0, len(p))
		for k := range p {
			if k != "version" {
				langs = append(langs, k)
			}
		}
		sort.Strings(langs)
		if slices.Contains(langs, "en") {
			langs = append([]string{"en"}, langs...)
		}
		for _, lang := range langs {
			if t, ok := p[lang].(map[string]any); ok {
				link.Name, _ = t["name"].(string)
				link.URL, _ = t["url"].(string)
				break
			}
		}
		out = append(out, link)
	}
	return out
}
