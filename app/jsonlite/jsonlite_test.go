package jsonlite

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// std parses data with encoding/json, numbers as Number, for comparison.
func std(data []byte) (any, error) {
	// Valid, not Decode, decides what may follow the value; and only the
	// syntax counts (1E1000 is valid JSON, though no float64).
	if !json.Valid(data) {
		return nil, errors.New("invalid JSON")
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return fromStd(v), nil
}

func fromStd(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = fromStd(e)
		}
	case []any:
		for i, e := range v {
			v[i] = fromStd(e)
		}
	case json.Number:
		return Number(v)
	}
	return v
}

func TestParse(t *testing.T) {
	t.Run("values of every kind come out as encoding/json gives them", func(t *testing.T) {
		in := `{"s":"a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00","n":[-0,1.5e+3,12,0.25E-2],"t":true,"f":false,"z":null,"o":{},"a":[],"dup":1,"dup":2}`
		got, err := Parse([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		want, _ := std([]byte(in))
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("got %#v\nwant %#v", got, want)
		}
		if got.(map[string]any)["dup"] != Number("2") {
			t.Fatal("the last of duplicate keys must win")
		}
	})
	t.Run("invalid UTF-8 and lone surrogates become U+FFFD", func(t *testing.T) {
		for _, in := range []string{"\"a\xffb\"", `"\ud800x"`, `"\udc00\u0041"`, `"\ud800\ud800"`} {
			got, err := Parse([]byte(in))
			want, _ := std([]byte(in))
			if err != nil || got != want {
				t.Errorf("%q: got %q, %v; want %q", in, got, err, want)
			}
		}
	})
	t.Run("malformed input is an error with its line and column", func(t *testing.T) {
		for in, where := range map[string]string{
			"{\n  \"a\": 1,\n}": "line 3, column 1",
			`[1 2]`:             "line 1, column 4",
			`{"a" 1}`:           "line 1, column 6",
			`"abc`:              "line 1, column 5",
			"\"a\tb\"":          "line 1, column 3",
			`"\x"`:              "line 1, column 3",
			`01`:                "line 1, column 2",
			`-`:                 "line 1, column 2",
			`1.`:                "line 1, column 3",
			`1e`:                "line 1, column 3",
			`tru`:               "line 1, column 4",
			`{} {}`:             "line 1, column 4",
			``:                  "line 1, column 1",
			`"\u12"`:            "line 1, column 6",
			`{"a":[1,{"b":]}]}`: "line 1, column 14",
		} {
			_, err := Parse([]byte(in))
			if err == nil || !strings.HasPrefix(err.Error(), where+":") {
				t.Errorf("%q: got %v, want an error at %s", in, err, where)
			}
			if _, serr := std([]byte(in)); serr == nil {
				t.Errorf("%q: encoding/json accepts it", in)
			}
		}
	})
	t.Run("nesting deeper than encoding/json allows is refused", func(t *testing.T) {
		ok := strings.Repeat("[", maxDepth) + strings.Repeat("]", maxDepth)
		if _, err := Parse([]byte(ok)); err != nil {
			t.Fatalf("depth %d: %v", maxDepth, err)
		}
		deep := "[" + ok + "]"
		if _, err := Parse([]byte(deep)); err == nil {
			t.Fatal("depth beyond the limit accepted")
		}
		if _, err := std([]byte(deep)); err == nil {
			t.Fatal("encoding/json accepts it: the limits differ")
		}
	})
}

func TestStringMap(t *testing.T) {
	m, err := StringMap([]byte(`{"a":"x","b":"y\n"}`))
	if err != nil || len(m) != 2 || m["b"] != "y\n" {
		t.Fatalf("got %v, %v", m, err)
	}
	for _, in := range []string{`["a"]`, `{"a":1}`, `{"a":null}`} {
		if _, err := StringMap([]byte(in)); err == nil {
			t.Errorf("%s: accepted", in)
		}
	}
}

func TestNumber(t *testing.T) {
	if n, err := Number("42").Int64(); err != nil || n != 42 {
		t.Fatal(n, err)
	}
	if _, err := Number("1.5").Int64(); err == nil {
		t.Fatal("1.5 is not a whole number")
	}
}

// FuzzParse checks that Parse accepts exactly what encoding/json accepts,
// with the same values.
func FuzzParse(f *testing.F) {
	for _, s := range []string{`{"a":[1,"b",null,true,{"c":-1.5e3}]}`, `"\ud83d\ude00\u00e9"`, "\"\xff\"", `[1,]`, ` 0 `, `{"a":1}x`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Parse(data)
		want, serr := std(data)
		if (err == nil) != (serr == nil) {
			t.Fatalf("%q: jsonlite error %v, encoding/json error %v", data, err, serr)
		}
		if err == nil && !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: got %#v, want %#v", data, got, want)
		}
	})
}
