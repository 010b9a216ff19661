package config

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"signup/app/jsonlite"
)

// MaxSize bounds a config file.
const MaxSize = 1 << 20

// FieldError is one problem in a config: the field's path (such as
// "brand.accent_color") and what is wrong with it.
type FieldError struct {
	Field   string
	Problem string
}

// Error implements error.
func (e *FieldError) Error() string {
	if e.Field == "" {
		return e.Problem
	}
	return e.Field + ": " + e.Problem
}

// Errors are all the problems found in a config.
type Errors []*FieldError

// Error implements error: one problem per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Parse reads a JSON config, reports unknown fields and wrong types with
// their paths, then checks the values (Validate).
func Parse(data []byte) (*Config, error) {
	if len(data) > MaxSize {
		return nil, Errors{{Problem: "the file is larger than 1 MiB"}}
	}
	raw, err := jsonlite.Parse(data)
	if err != nil {
		return nil, Errors{{Problem: "not valid JSON: " + err.Error()}}
	}
	return FromValue(raw)
}

// FromValue checks a config already decoded into generic values (maps,
// slices, strings, numbers, bools), as a YAML or JSON decoder gives it.
func FromValue(raw any) (*Config, error) {
	if _, ok := raw.(map[string]any); !ok {
		return nil, Errors{{Problem: "the config must be an object"}}
	}
	var errs Errors
	checkShape(raw, reflect.TypeOf(Config{}), "", &errs)
	if len(errs) > 0 {
		return nil, errs
	}
	var c Config
	assign(raw, reflect.ValueOf(&c).Elem())
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// checkShape reports fields the schema does not know, and values of the
// wrong kind, with their paths.
func checkShape(v any, t reflect.Type, path string, errs *Errors) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == localizedType {
		checkLocalized(v, path, errs)
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			*errs = append(*errs, &FieldError{Field: path, Problem: "want an object, got " + valueKind(v)})
			return
		}
		fields := jsonFields(t)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			f, ok := fields[k]
			if !ok {
				*errs = append(*errs, &FieldError{Field: join(path, k), Problem: "unknown field" + suggest(k, fields)})
				continue
			}
			checkShape(m[k], f, join(path, k), errs)
		}
	case reflect.Slice:
		s, ok := v.([]any)
		if !ok {
			*errs = append(*errs, &FieldError{Field: path, Problem: "want a list, got " + valueKind(v)})
			return
		}
		for i, e := range s {
			checkShape(e, t.Elem(), fmt.Sprintf("%s[%d]", path, i), errs)
		}
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			*errs = append(*errs, &FieldError{Field: path, Problem: "want an object, got " + valueKind(v)})
			return
		}
		for k, e := range m {
			checkShape(e, t.Elem(), join(path, k), errs)
		}
	case reflect.String:
		if _, ok := v.(string); !ok {
			*errs = append(*errs, &FieldError{Field: path, Problem: "want a string, got " + valueKind(v)})
		}
	case reflect.Bool:
		if _, ok := v.(bool); !ok {
			*errs = append(*errs, &FieldError{Field: path, Problem: "want true or false, got " + valueKind(v)})
		}
	case reflect.Int:
		switch n := v.(type) {
		case jsonlite.Number:
			if _, err := n.Int64(); err != nil {
				*errs = append(*errs, &FieldError{Field: path, Problem: "want a whole number, got " + n.String()})
			}
		case int, int64, uint64:
		case float64:
			if n != float64(int64(n)) {
				*errs = append(*errs, &FieldError{Field: path, Problem: "want a whole number"})
			}
		default:
			*errs = append(*errs, &FieldError{Field: path, Problem: "want a number, got " + valueKind(v)})
		}
	}
}

// assign stores v, whose shape checkShape accepted, into rv: the decoding
// step of encoding/json without its reflection-heavy code, which the WASM
// would compile on its first call (see package jsonlite).
func assign(v any, rv reflect.Value) {
	if rv.Type() == localizedType {
		assignLocalized(v, rv)
		return
	}
	switch rv.Kind() {
	case reflect.Pointer:
		e := reflect.New(rv.Type().Elem())
		assign(v, e.Elem())
		rv.Set(e)
	case reflect.Struct:
		m := v.(map[string]any)
		t := rv.Type()
		for i := 0; i < t.NumField(); i++ {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			if e, ok := m[name]; ok && name != "" && name != "-" {
				assign(e, rv.Field(i))
			}
		}
	case reflect.Slice:
		s := v.([]any)
		out := reflect.MakeSlice(rv.Type(), len(s), len(s))
		for i, e := range s {
			assign(e, out.Index(i))
		}
		rv.Set(out)
	case reflect.Map:
		m := v.(map[string]any)
		out := reflect.MakeMapWithSize(rv.Type(), len(m))
		for k, e := range m {
			ev := reflect.New(rv.Type().Elem()).Elem()
			assign(e, ev)
			out.SetMapIndex(reflect.ValueOf(k).Convert(rv.Type().Key()), ev)
		}
		rv.Set(out)
	case reflect.String:
		rv.SetString(v.(string))
	case reflect.Bool:
		rv.SetBool(v.(bool))
	case reflect.Int:
		switch n := v.(type) {
		case jsonlite.Number:
			i, _ := n.Int64()
			rv.SetInt(i)
		case int:
			rv.SetInt(int64(n))
		case int64:
			rv.SetInt(n)
		case uint64:
			rv.SetInt(int64(n))
		case float64:
			rv.SetInt(int64(n))
		}
	}
}

func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		out[name] = f.Type
	}
	return out
}

// suggest proposes the known field closest to a misspelt one.
func suggest(k string, fields map[string]reflect.Type) string {
	best, dist := "", 4
	for f := range fields {
		if d := distance(strings.ToLower(k), f); d < dist || d == dist && f < best {
			best, dist = f, d
		}
	}
	if best == "" {
		names := make([]string, 0, len(fields))
		for f := range fields {
			names = append(names, f)
		}
		sort.Strings(names)
		return " (known: " + strings.Join(names, ", ") + ")"
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// distance is the Levenshtein distance, bounded to short strings.
func distance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 99
	}
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func valueKind(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("the string %q", truncate(v, 40))
	case bool:
		return fmt.Sprint(v)
	case jsonlite.Number, float64, int, int64, uint64:
		return fmt.Sprint("the number ", v)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64:
		return "a number"
	case reflect.Slice:
		return "a list"
	}
	return "an object"
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
