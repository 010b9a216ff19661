package uiaa

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// seq returns the bytes from..to-1 (mod 256), in order.
func seq(from, to int) []byte {
	var b []byte
	for i := from; i < to; i++ {
		b = append(b, byte(i))
	}
	return b
}

// failingReader fails every read.
type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("entropy source broken") }

func TestNewClientSecret(t *testing.T) {
	t.Run("a secret is 32 characters the spec's grammar allows", func(t *testing.T) {
		s, err := NewClientSecret(nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(s) != 32 || !ValidClientSecret(s) {
			t.Errorf("got %q", s)
		}
		for _, c := range s {
			if !strings.ContainsRune(secretAlphabet, c) {
				t.Errorf("%q has %q, outside [0-9a-zA-Z]", s, c)
			}
		}
	})

	t.Run("two secrets differ", func(t *testing.T) {
		a, err := NewClientSecret(nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := NewClientSecret(nil)
		if err != nil {
			t.Fatal(err)
		}
		if a == b {
			t.Errorf("both %q", a)
		}
	})

	t.Run("a fixed source gives a fixed secret", func(t *testing.T) {
		want := "0123456789abcdefghijklmnopqrstuv"
		for i := 0; i < 2; i++ {
			s, err := NewClientSecret(bytes.NewReader(seq(0, 64)))
			if err != nil {
				t.Fatal(err)
			}
			if s != want {
				t.Errorf("got %q, want %q", s, want)
			}
		}
	})

	t.Run("bytes past the last whole alphabet are skipped and more are read", func(t *testing.T) {
		// 248 = 4*62 is the first rejected byte: a source that starts
		// with a buffer of only those must be read again.
		high := bytes.Repeat(seq(248, 256), 8)
		next := append(bytes.Repeat([]byte{247}, 16), bytes.Repeat([]byte{0}, 48)...)
		s, err := NewClientSecret(io.MultiReader(bytes.NewReader(high), bytes.NewReader(next)))
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.Repeat("Z", 16) + strings.Repeat("0", 16); s != want {
			t.Errorf("got %q, want %q", s, want)
		}
	})

	t.Run("high bytes mixed in are skipped one by one", func(t *testing.T) {
		var src []byte
		for i := 0; i < 32; i++ {
			src = append(src, 0xFF, byte(10+i%26))
		}
		s, err := NewClientSecret(bytes.NewReader(src))
		if err != nil {
			t.Fatal(err)
		}
		if want := "abcdefghijklmnopqrstuvwxyzabcdef"; s != want {
			t.Errorf("got %q, want %q", s, want)
		}
	})

	t.Run("every character is equally likely over the accepted bytes", func(t *testing.T) {
		// Feed the accepted bytes 0..247, 31 at a time padded with
		// rejected ones, then zeros to finish the secret: the first
		// characters of each secret are those bytes' characters.
		counts := map[byte]int{}
		for off := 0; off < 248; off += 31 {
			end := min(off+31, 248)
			chunk := append(seq(off, end), bytes.Repeat([]byte{0xFF}, 64-(end-off))...)
			chunk = append(chunk, bytes.Repeat([]byte{0}, 64)...)
			s, err := NewClientSecret(bytes.NewReader(chunk))
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < end-off; i++ {
				counts[s[i]]++
			}
		}
		if len(counts) != len(secretAlphabet) {
			t.Fatalf("%d distinct characters", len(counts))
		}
		for c, n := range counts {
			if n != 4 {
				t.Errorf("%q comes from %d byte values, want 4", c, n)
			}
		}
	})

	t.Run("a source that runs dry is an error, not a short secret", func(t *testing.T) {
		for _, r := range []io.Reader{
			bytes.NewReader(bytes.Repeat([]byte{0xFF}, 1000)),
			bytes.NewReader(seq(0, 10)),
			failingReader{},
		} {
			s, err := NewClientSecret(r)
			if err == nil || s != "" {
				t.Errorf("got %q, %v", s, err)
			}
		}
	})
}

func TestValidClientSecret(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		want bool
	}{
		{"the spec example", "monkeys_are_GREAT", true},
		{"a single character", "a", true},
		{"all allowed punctuation", "a.b=c_d-e", true},
		{"255 characters", strings.Repeat("a", 255), true},
		{"256 characters", strings.Repeat("a", 256), false},
		{"empty", "", false},
		{"a space", "a b", false},
		{"a slash", "a/b", false},
		{"a plus", "a+b", false},
		{"a colon", "a:b", false},
		{"a percent escape", "a%20b", false},
		{"a tilde", "a~b", false},
		{"a newline", "ab\n", false},
		{"a NUL", "a\x00b", false},
		{"a non-ASCII letter", "é", false},
		{"a quote", `a"b`, false},
	} {
		t.Run("a client_secret with "+tc.name+" is judged by the spec's grammar", func(t *testing.T) {
			if got := ValidClientSecret(tc.in); got != tc.want {
				t.Errorf("ValidClientSecret(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}
