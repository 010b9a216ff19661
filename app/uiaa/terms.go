package uiaa

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"signup/app/matrix"
)

// Policy is one document of m.login.terms, in the language picked for the
// user. URL is "" when the server's URL is not http(s): then the name is
// shown without a link.
type Policy struct {
	_                            noEq
	ID, Version, Lang, Name, URL string
}

// MaxPolicies bounds how many policies the widget draws.
const MaxPolicies = 20

// ErrBadTerms is returned for m.login.terms params that do not follow
// {policies: {id: {version, <lang>: {name, url}}}}.
var ErrBadTerms = errors.New("the terms of this server are malformed")

// Policies reads the policies of m.login.terms from info and picks each one's
// language from langs (the user's, in order of preference): an exact tag
// (en-US, en_US and en-us are one), then the primary language (en), then
// English, then the first language key in order (never "version"). See
// https://spec.matrix.org/v1.16/client-server-api/#terms-of-service-at-registration.
func Policies(info *matrix.AuthInfo, langs []string) ([]Policy, error) {
	var params struct {
		Policies map[string]json.RawMessage `json:"policies"`
	}
	if ok, err := info.Param(matrix.AuthTerms, &params); err != nil || !ok || len(params.Policies) == 0 {
		return nil, fmt.Errorf("%w: no policies", ErrBadTerms)
	}
	ids := make([]string, 0, len(params.Policies))
	for id, raw := range params.Policies {
		// Only objects are policies: continuwuity sends a string
		// "version": "latest" beside them, which is no document to accept.
		if !isObject(raw) {
			continue
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("%w: no policies", ErrBadTerms)
	}
	sort.Strings(ids)
	if len(ids) > MaxPolicies {
		return nil, fmt.Errorf("%w: %d policies", ErrBadTerms, len(ids))
	}
	out := make([]Policy, 0, len(ids))
	for _, id := range ids {
		p, err := policy(id, params.Policies[id], langs)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// isObject reports whether raw is a JSON object.
func isObject(raw json.RawMessage) bool {
	for _, c := range raw {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c == '{'
	}
	return false
}

type translation struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

func policy(id string, raw json.RawMessage, langs []string) (Policy, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return Policy{}, fmt.Errorf("%w: policy %q is not an object", ErrBadTerms, id)
	}
	p := Policy{ID: id}
	if v, ok := fields["version"]; ok {
		if err := json.Unmarshal(v, &p.Version); err != nil {
			return Policy{}, fmt.Errorf("%w: version of %q", ErrBadTerms, id)
		}
	}
	tr := map[string]translation{}
	var keys []string
	for k, v := range fields {
		if k == "version" {
			continue
		}
		var t translation
		if err := json.Unmarshal(v, &t); err != nil || (t.Name == "" && t.URL == "") {
			continue
		}
		tr[k] = t
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return Policy{}, fmt.Errorf("%w: policy %q has no language", ErrBadTerms, id)
	}
	sort.Strings(keys)
	lang := pickLang(keys, langs)
	t := tr[lang]
	p.Lang, p.Name = lang, strings.TrimSpace(t.Name)
	if p.Name == "" {
		p.Name = id
	}
	if len(p.Name) > 200 {
		// Cut on a rune boundary, so no broken character is shown.
		n := 200
		for n > 0 && !utf8.RuneStart(p.Name[n]) {
			n--
		}
		p.Name = p.Name[:n] + "…"
	}
	if matrix.IsWebURL(t.URL) {
		p.URL = t.URL
	}
	return p, nil
}

// pickLang chooses among keys (sorted) for the user's langs.
func pickLang(keys, langs []string) string {
	norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", "-")) }
	primary := func(s string) string {
		s = norm(s)
		if i := strings.IndexByte(s, '-'); i >= 0 {
			return s[:i]
		}
		return s
	}
	for _, want := range langs {
		for _, k := range keys {
			if norm(k) == norm(want) {
				return k
			}
		}
		for _, k := range keys {
			if primary(k) == primary(want) {
				return k
			}
		}
	}
	for _, k := range keys {
		if primary(k) == "en" {
			return k
		}
	}
	return keys[0]
}
