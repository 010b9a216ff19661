package matrix

import (
	"fmt"
	"strings"
)

// LocalpartProblem says what is wrong with a username typed into the form.
type LocalpartProblem int

// The problems ValidateLocalpart reports.
const (
	LocalpartOK LocalpartProblem = iota
	// LocalpartEmpty: nothing typed.
	LocalpartEmpty
	// LocalpartUppercase: capitals; Suggestion holds the lowercase form.
	LocalpartUppercase
	// LocalpartInvalidChars: characters outside a-z 0-9 . _ = - / +.
	LocalpartInvalidChars
	// LocalpartTooLong: the full user ID would exceed 255 bytes.
	LocalpartTooLong
)

// LocalpartCheck is the result of ValidateLocalpart.
type LocalpartCheck struct {
	Problem LocalpartProblem
	// Invalid lists the offending characters, each once, in order.
	Invalid string
	// Upper: the name has capitals (with LocalpartInvalidChars too).
	Upper bool
	// Suggestion is a valid form of the name, when one is obvious
	// (lowercased, the refused characters left out), else "".
	Suggestion string
	// Limit is the longest username the server name leaves room for
	// (LocalpartTooLong).
	Limit int
}

// OK reports whether the name is valid.
func (c LocalpartCheck) OK() bool { return c.Problem == LocalpartOK }

// ValidateLocalpart checks a username against the localpart grammar of new
// user IDs (a-z 0-9 . _ = - / +) and against the 255-byte limit of the full
// ID on serverName. See
// https://spec.matrix.org/v1.16/appendices/#user-identifiers.
func ValidateLocalpart(name, serverName string) LocalpartCheck {
	if name == "" {
		return LocalpartCheck{Problem: LocalpartEmpty}
	}
	var invalid []rune
	upper := false
	for _, r := range name {
		switch {
		case isLocalpartRune(r):
		case r >= 'A' && r <= 'Z':
			upper = true
		default:
			if !strings.ContainsRune(string(invalid), r) {
				invalid = append(invalid, r)
			}
		}
	}
	limit := MaxUserIDLength - len(serverName) - 2
	if len(invalid) > 0 {
		fixed := strings.Map(func(r rune) rune {
			if r >= 'A' && r <= 'Z' {
				return r + 'a' - 'A'
			}
			if !isLocalpartRune(r) {
				return -1
			}
			return r
		}, name)
		if len(fixed) > limit {
			fixed = ""
		}
		return LocalpartCheck{Problem: LocalpartInvalidChars, Invalid: string(invalid), Upper: upper, Suggestion: fixed}
	}
	if len(name) > limit {
		return LocalpartCheck{Problem: LocalpartTooLong, Limit: max(limit, 0)}
	}
	if upper {
		return LocalpartCheck{Problem: LocalpartUppercase, Upper: true, Suggestion: strings.ToLower(name)}
	}
	return LocalpartCheck{}
}

func isLocalpartRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("._=-/+", r)
}

// PreviewUserID returns the ID a username will become on serverName, such
// as "@alice:example.org".
func PreviewUserID(name, serverName string) string {
	return fmt.Sprintf("@%s:%s", name, serverName)
}
