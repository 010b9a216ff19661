package matrix_test

import (
	"strings"
	"testing"

	"signup/app/matrix"
)

func TestValidateLocalpart(t *testing.T) {
	const server = "example.org"
	// The longest localpart whose full ID @local:example.org is 255 bytes.
	maxLocal := matrix.MaxUserIDLength - len(server) - 2

	cases := []struct {
		name, in string
		want     matrix.LocalpartCheck
	}{
		{"an empty name is empty", "", matrix.LocalpartCheck{Problem: matrix.LocalpartEmpty}},
		{"a lower-case name is fine", "alice", matrix.LocalpartCheck{}},
		{"every allowed punctuation is fine", "a._=-/+z09", matrix.LocalpartCheck{}},
		{"punctuation alone is fine", "._=-/+", matrix.LocalpartCheck{}},
		{"digits alone are fine", "0123456789", matrix.LocalpartCheck{}},
		{"capitals suggest the lower-case form", "Alice.Smith", matrix.LocalpartCheck{Problem: matrix.LocalpartUppercase, Upper: true, Suggestion: "alice.smith"}},
		{"invalid characters are listed once each in order, and left out of the suggestion", "al ice!! bob!é", matrix.LocalpartCheck{Problem: matrix.LocalpartInvalidChars, Invalid: " !é", Suggestion: "alicebob"}},
		{"invalid characters win over capitals, which are said too and lowered in the suggestion", "Bad Name!", matrix.LocalpartCheck{Problem: matrix.LocalpartInvalidChars, Invalid: " !", Upper: true, Suggestion: "badname"}},
		{"a colon or at sign is invalid", "a:b@c", matrix.LocalpartCheck{Problem: matrix.LocalpartInvalidChars, Invalid: ":@", Suggestion: "abc"}},
		{"nothing valid left: no suggestion", "!!", matrix.LocalpartCheck{Problem: matrix.LocalpartInvalidChars, Invalid: "!"}},
		{"a name of the maximum length is fine", strings.Repeat("a", maxLocal), matrix.LocalpartCheck{}},
		{"one byte more is too long, and the limit is said", strings.Repeat("a", maxLocal+1), matrix.LocalpartCheck{Problem: matrix.LocalpartTooLong, Limit: maxLocal}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := matrix.ValidateLocalpart(tc.in, server)
			if got != tc.want {
				t.Errorf("ValidateLocalpart(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
			if got.OK() != (tc.want.Problem == matrix.LocalpartOK) {
				t.Errorf("OK() = %v", got.OK())
			}
		})
	}

	t.Run("the suggestion for capitals is itself valid", func(t *testing.T) {
		got := matrix.ValidateLocalpart("CheekyMonkey", server)
		if !matrix.ValidateLocalpart(got.Suggestion, server).OK() {
			t.Errorf("suggestion %q is invalid", got.Suggestion)
		}
	})

	t.Run("the preview is the full user ID", func(t *testing.T) {
		if got := matrix.PreviewUserID("alice", server); got != "@alice:example.org" {
			t.Errorf("got %q", got)
		}
	})
}

func TestParseUserID(t *testing.T) {
	ok := []struct {
		in           string
		local, serve string
	}{
		{"@cheeky_monkey:matrix.org", "cheeky_monkey", "matrix.org"},
		{"@alice:example.org:8448", "alice", "example.org:8448"},
		{"@alice:[::1]:8448", "alice", "[::1]:8448"},
		{"@Historical=User!:example.org", "Historical=User!", "example.org"},
	}
	for _, tc := range ok {
		t.Run("parses "+tc.in, func(t *testing.T) {
			u, err := matrix.ParseUserID(tc.in)
			if err != nil || u.Localpart != tc.local || u.ServerName != tc.serve {
				t.Fatalf("got %+v, %v", u, err)
			}
			if u.String() != tc.in {
				t.Errorf("String() = %q", u.String())
			}
		})
	}
	bad := map[string]string{
		"no @":                "cheeky_monkey:matrix.org",
		"no colon":            "@cheeky_monkey",
		"an empty local":      "@:matrix.org",
		"an empty server":     "@cheeky_monkey:",
		"a space":             "@cheeky monkey:matrix.org",
		"a control char":      "@cheeky\nmonkey:matrix.org",
		"a DEL":               "@cheeky\x7fmonkey:matrix.org",
		"an empty string":     "",
		"more than 255 bytes": "@" + strings.Repeat("a", 250) + ":example.org",
	}
	for name, in := range bad {
		t.Run("rejects "+name, func(t *testing.T) {
			if u, err := matrix.ParseUserID(in); err == nil {
				t.Errorf("accepted %q as %+v", in, u)
			}
		})
	}
}
