package config

import (
	"errors"
	"reflect"
	"sort"
	"strings"

	"signup/app/jsonlite"
)

// Localized is an operator text in one or more languages. In a config it
// is a plain string (every language) or an object of language tags:
//
//	title: "Join Example"
//	title: {en: "Join Example", de: "Example beitreten", ar: "انضم إلى Example"}
//
// A plain string is stored under the key "". Read it through In.
type Localized map[string]string

// localizedType is the type checkShape and assign treat as a string or a
// map of strings.
var localizedType = reflect.TypeOf(Localized(nil))

// Text returns a Localized that says s in every language.
func Text(s string) Localized {
	if s == "" {
		return nil
	}
	return Localized{"": s}
}

// In returns the text for the language lang (a tag such as "de" or
// "de-AT", compared by its primary subtag), else the plain string, else
// the text in def (the config's default language), else English, else the
// first language in alphabetical order; "" when there is none.
func (l Localized) In(lang, def string) string {
	if len(l) == 0 {
		return ""
	}
	if s, ok := l.lookup(lang); ok {
		return s
	}
	if s := l[""]; s != "" {
		return s
	}
	for _, d := range []string{def, "en"} {
		if s, ok := l.lookup(d); ok {
			return s
		}
	}
	keys := make([]string, 0, len(l))
	for k, v := range l {
		if v != "" {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return ""
	}
	sort.Strings(keys)
	return l[keys[0]]
}

// lookup finds the text of a language: the exact tag first, then any tag
// with the same primary subtag.
func (l Localized) lookup(lang string) (string, bool) {
	if lang == "" {
		return "", false
	}
	if s := l[lang]; s != "" {
		return s, true
	}
	p := primary(lang)
	keys := make([]string, 0, len(l))
	for k := range l {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if k != "" && primary(k) == p && l[k] != "" {
			return l[k], true
		}
	}
	return "", false
}

func primary(tag string) string {
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return strings.ToLower(tag)
}

// UnmarshalJSON reads a plain string or an object of strings (with
// jsonlite: this package never needs encoding/json).
func (l *Localized) UnmarshalJSON(b []byte) error {
	v, err := jsonlite.Parse(b)
	if err != nil {
		return err
	}
	switch v := v.(type) {
	case nil:
		*l = nil
	case string:
		*l = Text(v)
	case map[string]any:
		out := make(Localized, len(v))
		for k, e := range v {
			s, ok := e.(string)
			if !ok {
				return errors.New("want a string for " + k)
			}
			out[k] = s
		}
		*l = out
	default:
		return errors.New("want a string or an object of languages")
	}
	return nil
}

// checkLocalized is checkShape for a Localized: a string, or an object
// whose values are strings.
func checkLocalized(v any, path string, errs *Errors) {
	switch v := v.(type) {
	case string:
	case map[string]any:
		for k, e := range v {
			if _, ok := e.(string); !ok {
				*errs = append(*errs, &FieldError{Field: join(path, k), Problem: "want a string, got " + valueKind(e)})
			}
		}
	default:
		*errs = append(*errs, &FieldError{Field: path, Problem: "want a string or an object of languages ({\"en\": …, \"de\": …}), got " + valueKind(v)})
	}
}

// assignLocalized is assign for a Localized.
func assignLocalized(v any, rv reflect.Value) {
	switch v := v.(type) {
	case string:
		rv.Set(reflect.ValueOf(Text(v)))
	case map[string]any:
		out := make(Localized, len(v))
		for k, e := range v {
			out[k], _ = e.(string)
		}
		rv.Set(reflect.ValueOf(out))
	}
}

// validateLocalized checks the language tags of a Localized ("" is the
// plain string) and the length of each text.
func validateLocalized(l Localized, field string, max int, add func(string, string, ...any)) {
	for k, s := range l {
		if k != "" && !isLangTag(k) {
			add(join(field, k), "not a language tag (such as \"de\" or \"pt-BR\")")
		}
		if len(s) > max {
			f := field
			if k != "" {
				f = join(field, k)
			}
			add(f, "longer than %d characters", max)
		}
	}
}

// isLangTag reports a BCP 47-shaped tag: a primary subtag of 2 to 8
// letters, then subtags of 1 to 8 letters or digits.
func isLangTag(s string) bool {
	for i, part := range strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '_' }) {
		if len(part) < 1 || len(part) > 8 || i == 0 && len(part) < 2 {
			return false
		}
		for _, r := range part {
			letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
			if !letter && (i == 0 || r < '0' || r > '9') {
				return false
			}
		}
	}
	return s != "" && !strings.HasPrefix(s, "-") && !strings.HasSuffix(s, "-") && !strings.Contains(s, "--")
}
