package matrix_test

import (
	"strings"
	"testing"

	"signup/app/matrix"
)

func TestValidServerName(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		// The spec's own examples.
		{"matrix.org", true},
		{"matrix.org:8888", true},
		{"1.2.3.4", true},
		{"1.2.3.4:1234", true},
		{"[1234:5678::abcd]", true},
		{"[1234:5678::abcd]:5678", true},
		{"localhost", true},
		{"localhost:8448", true},
		{"[::1]:8008", true},
		{"xn--bcher-kva.example", true},
		{strings.Repeat("a", 255), true},

		{"", false},
		{strings.Repeat("a", 256), false},
		{`evil"'x'><plaintext>`, false},
		{"example.org:", false},
		{"example.org:123456", false},
		{"example.org:80a", false},
		{"example.org:80:80", false},
		{":8448", false},
		{"exa mple.org", false},
		{"example.org/path", false},
		{"user@example.org", false},
		{"bücher.example", false},
		{"example.org\n", false},
		{"[::1", false},
		{"[]", false},
		{"[::]", true}, // two IPv6 characters: the grammar's floor
		{"[:]", false},
		{"[::1]x", false},
		{"[::g]", false},
		{"[" + strings.Repeat("1", 46) + "]", false},
		{"::1", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := matrix.ValidServerName(tc.name); got != tc.ok {
				t.Errorf("ValidServerName(%q) = %v, want %v", tc.name, got, tc.ok)
			}
		})
	}
}
