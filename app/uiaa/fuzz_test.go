package uiaa_test

// Fuzz tests of what the widget derives from a UIAA body: the terms
// policies shown to the user, the flow it follows, the fallback URL it
// opens, the client secrets it makes. UIAA bodies are parsed by
// matrix.Client (through a fake Doer), as in the widget, so that only what
// the client accepts reaches the chooser. The seed corpus is in
// testdata/fuzz/<target>/.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"signup/app/matrix"
	"signup/app/uiaa"
)

// bodyDoer answers every request with a 401 carrying body.
type bodyDoer struct{ body []byte }

func (d bodyDoer) Do(ctx context.Context, req *matrix.Request) (*matrix.Response, error) {
	if len(d.body) > matrix.MaxBodyBytes {
		return nil, matrix.ErrBodyTooLarge
	}
	return &matrix.Response{Status: 401, Header: matrix.Header{"content-type": "application/json"}, Body: d.body}, nil
}

// parse401 returns the UIAA state the client reads from a 401 body, or nil.
func parse401(body []byte) *matrix.AuthInfo {
	c := matrix.NewClient("https://hs.example.org", bodyDoer{body})
	_, err := c.Register(context.Background(), matrix.KindUser, &matrix.RegisterRequest{Username: "a", Password: "b"})
	info, _ := matrix.AuthRequired(err)
	return info
}

// isLink reports whether s is an absolute http(s) URL, by its text and by
// its parse.
func isLink(s string) bool {
	l := strings.ToLower(s)
	if !strings.HasPrefix(l, "https://") && !strings.HasPrefix(l, "http://") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Host != "" && (u.Scheme == "http" || u.Scheme == "https")
}

// FuzzPolicies feeds m.login.terms params and the user's languages to
// Policies: a typed error or at most MaxPolicies policies with a name,
// http(s) links only, bounded valid-UTF-8 names.
func FuzzPolicies(f *testing.F) {
	f.Fuzz(func(t *testing.T, params []byte, langs string) {
		info := &matrix.AuthInfo{
			Flows:   []matrix.Flow{{Stages: []matrix.AuthType{matrix.AuthTerms}}},
			Session: "s",
			Params:  map[matrix.AuthType]json.RawMessage{matrix.AuthTerms: json.RawMessage(params)},
		}
		ps, err := uiaa.Policies(info, strings.Split(langs, ","))
		if err != nil {
			if !errors.Is(err, uiaa.ErrBadTerms) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			return
		}
		if len(ps) == 0 || len(ps) > uiaa.MaxPolicies {
			t.Fatalf("%d policies", len(ps))
		}
		ids := map[string]bool{}
		for _, p := range ps {
			if ids[p.ID] {
				t.Fatalf("policy %q twice", p.ID)
			}
			ids[p.ID] = true
			if p.Name == "" || len(p.Name) > 200+len("…") || !utf8.ValidString(p.Name) {
				t.Fatalf("policy name %q (%d bytes)", p.Name, len(p.Name))
			}
			if p.URL != "" && !isLink(p.URL) {
				t.Fatalf("policy link %q", p.URL)
			}
			if p.Lang == "version" {
				t.Fatal("the version key was taken for a language")
			}
		}
	})
}

// FuzzChoose feeds a 401 body (parsed by the client) to the chooser, with
// a stage the user prefers, and checks the plan: one of the offered flows,
// consistent with the completed stages, Done only when every stage is
// completed, stable when chosen again, and a fallback URL on the
// homeserver's origin.
func FuzzChoose(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte, prefer string) {
		info := parse401(body)
		if info == nil {
			return
		}
		ch := uiaa.Widget
		plan, err := ch.Choose(info, nil, matrix.AuthType(prefer))
		if err != nil {
			if !errors.Is(err, uiaa.ErrNoFlow) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			for _, fl := range info.Flows {
				if consistent(info, fl.Stages) {
					t.Fatalf("no flow chosen, but %q is consistent with completed %q", fl.Stages, info.Completed)
				}
			}
			return
		}
		checkPlan(t, info, plan)
		again, err := ch.Choose(info, plan.Stages, matrix.AuthType(prefer))
		if err != nil || !slices.Equal(again.Stages, plan.Stages) {
			t.Fatalf("choosing again switched flows: %q -> %q, %v", plan.Stages, again.Stages, err)
		}
		for _, alt := range ch.Alternatives(info, plan.Stages) {
			if alt == matrix.AuthDummy || slices.Contains(plan.Stages, alt) || info.HasCompleted(alt) {
				t.Fatalf("alternative %q to %q (completed %q)", alt, plan.Stages, info.Completed)
			}
			sw, err := ch.Choose(info, nil, alt)
			if err != nil || !slices.Contains(sw.Stages, alt) {
				t.Fatalf("switching to %q gave %q, %v", alt, sw.Stages, err)
			}
		}
		if plan.Done() {
			return
		}
		fb := uiaa.FallbackURL("https://hs.example.org", plan.Next, info.Session)
		u, err := url.Parse(fb)
		if err != nil || !isLink(fb) || u.Host != "hs.example.org" || u.Query().Get("session") != info.Session ||
			!strings.HasPrefix(u.Path, "/_matrix/client/v3/auth/") || !strings.HasSuffix(u.Path, "/fallback/web") {
			t.Fatalf("fallback URL %q for stage %q, session %q (%v)", fb, plan.Next, info.Session, err)
		}
		if u.Path != "/_matrix/client/v3/auth/"+string(plan.Next)+"/fallback/web" {
			t.Fatalf("fallback URL %q does not name stage %q", fb, plan.Next)
		}
	})
}

func consistent(info *matrix.AuthInfo, stages []matrix.AuthType) bool {
	for _, c := range info.Completed {
		if !slices.Contains(stages, c) {
			return false
		}
	}
	return true
}

func checkPlan(t *testing.T, info *matrix.AuthInfo, p uiaa.Plan) {
	t.Helper()
	offered := false
	for _, fl := range info.Flows {
		if slices.Equal(fl.Stages, p.Stages) {
			offered = true
		}
	}
	if !offered {
		t.Fatalf("plan %q is not an offered flow", p.Stages)
	}
	if !consistent(info, p.Stages) {
		t.Fatalf("plan %q ignores completed %q", p.Stages, info.Completed)
	}
	if p.Total != len(p.Stages) {
		t.Fatalf("Total %d for %d stages", p.Total, len(p.Stages))
	}
	all := true
	for _, s := range p.Stages {
		if !info.HasCompleted(s) {
			all = false
		}
	}
	if p.Done() != all {
		t.Fatalf("Done() = %v for %q with completed %q", p.Done(), p.Stages, info.Completed)
	}
	if !p.Done() {
		if p.Step < 1 || p.Step > p.Total || p.Stages[p.Step-1] != p.Next || info.HasCompleted(p.Next) {
			t.Fatalf("next %q at step %d of %q (completed %q)", p.Next, p.Step, p.Stages, info.Completed)
		}
	}
}

// FuzzClientSecret feeds NewClientSecret any randomness: a secret in the
// spec's grammar, or the reader's error.
func FuzzClientSecret(f *testing.F) {
	f.Fuzz(func(t *testing.T, random []byte) {
		s, err := uiaa.NewClientSecret(bytes.NewReader(random))
		if err != nil {
			return
		}
		if !uiaa.ValidClientSecret(s) || len(s) != 32 {
			t.Fatalf("secret %q", s)
		}
	})
}
