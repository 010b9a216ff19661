package uiaa

import (
	"crypto/rand"
	"io"
)

const secretAlphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// NewClientSecret returns a random client_secret for a requestToken
// session: 32 characters of [0-9a-zA-Z], within the spec's grammar
// [0-9a-zA-Z.=_-]{1,255}. r is the randomness source; nil means
// crypto/rand.
func NewClientSecret(r io.Reader) (string, error) {
	if r == nil {
		r = rand.Reader
	}
	out := make([]byte, 0, 32)
	buf := make([]byte, 64)
	for len(out) < 32 {
		if _, err := io.ReadFull(r, buf); err != nil {
			return "", err
		}
		for _, c := range buf {
			// Reject the top bytes so every character is equally likely.
			if int(c) < 256/len(secretAlphabet)*len(secretAlphabet) && len(out) < 32 {
				out = append(out, secretAlphabet[int(c)%len(secretAlphabet)])
			}
		}
	}
	return string(out), nil
}

// ValidClientSecret reports whether s follows the spec's client_secret
// grammar.
func ValidClientSecret(s string) bool {
	if len(s) == 0 || len(s) > 255 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == '=' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
