// Package strength estimates how hard a password is to guess, compactly
// enough for the WASM (no dictionaries beyond a short list of the most
// common passwords). It gives a score from 0 to 4 and concrete advice.
// Servers have the last word (M_WEAK_PASSWORD); MinLength matches the
// minimum Dendrite and common Synapse policies enforce.
package strength

import (
	"math"
	"strings"
	"unicode"
)

// MinLength is the shortest password the widget calls acceptable.
const MinLength = 8

// Advice is a problem found in a password, as a message key of app/i18n.
type Advice string

// The advice the estimator gives.
const (
	TooShort   Advice = "strength.short"
	Common     Advice = "strength.common"
	Sequence   Advice = "strength.sequence"
	Repeated   Advice = "strength.repeated"
	HasName    Advice = "strength.name"
	MoreKinds  Advice = "strength.kinds"
	MoreLength Advice = "strength.longer"
)

// Result is the estimate for one password.
type Result struct {
	// Score is 0 (very weak) to 4 (strong).
	Score int
	// Bits is the estimated entropy.
	Bits float64
	// Advice lists what would make it stronger, most important first.
	Advice []Advice
}

// common are among the most used passwords (lowercase): any password made
// of one of them with digits or symbols around is weak.
var common = []string{
	"password", "passwort", "motdepasse", "123456", "qwerty", "azerty", "letmein", "welcome",
	"admin", "iloveyou", "monkey", "dragon", "football", "baseball", "sunshine", "princess",
	"master", "shadow", "superman", "michael", "trustno1", "starwars", "hello", "freedom",
	"whatever", "matrix", "element", "secret", "changeme", "login", "abc123", "passw0rd",
}

// Estimate scores password; username (may be empty) counts as known.
func Estimate(password, username string) Result {
	var r Result
	lower := strings.ToLower(password)
	n := len([]rune(password))
	if n == 0 {
		return Result{Advice: []Advice{TooShort}}
	}
	var hasLower, hasUpper, hasDigit, hasOther bool
	for _, c := range password {
		switch {
		case unicode.IsLower(c):
			hasLower = true
		case unicode.IsUpper(c):
			hasUpper = true
		case unicode.IsDigit(c):
			hasDigit = true
		default:
			hasOther = true
		}
	}
	pool := 0
	for _, p := range []struct {
		has  bool
		size int
	}{{hasLower, 26}, {hasUpper, 26}, {hasDigit, 10}, {hasOther, 33}} {
		if p.has {
			pool += p.size
		}
	}
	effective := float64(n)
	penalty := 0.0
	for _, w := range common {
		if strings.Contains(lower, w) {
			r.Advice = append(r.Advice, Common)
			penalty += float64(len(w)) * 0.9
			break
		}
	}
	if u := strings.ToLower(username); len(u) >= 3 && strings.Contains(lower, u) {
		r.Advice = append(r.Advice, HasName)
		penalty += float64(len(u)) * 0.9
	}
	if s := runs(lower, sequential); s >= 3 {
		r.Advice = append(r.Advice, Sequence)
		penalty += float64(s) * 0.7
	}
	if s := runs(lower, same); s >= 3 {
		r.Advice = append(r.Advice, Repeated)
		penalty += float64(s) * 0.8
	}
	effective = math.Max(1, effective-penalty)
	r.Bits = effective * math.Log2(float64(max(pool, 10)))
	switch {
	case r.Bits < 28:
		r.Score = 0
	case r.Bits < 36:
		r.Score = 1
	case r.Bits < 50:
		r.Score = 2
	case r.Bits < 65:
		r.Score = 3
	default:
		r.Score = 4
	}
	if n < MinLength {
		r.Score = min(r.Score, 1)
		r.Advice = append([]Advice{TooShort}, r.Advice...)
	}
	if r.Score < 3 && len(r.Advice) == 0 {
		if kinds := b2i(hasLower) + b2i(hasUpper) + b2i(hasDigit) + b2i(hasOther); kinds < 3 && n < 16 {
			r.Advice = append(r.Advice, MoreKinds)
		} else {
			r.Advice = append(r.Advice, MoreLength)
		}
	}
	return r
}

func sequential(a, b rune) bool { return b == a+1 || b == a-1 }
func same(a, b rune) bool       { return a == b }

// runs returns the total length of runs of 3+ characters where each pair
// satisfies rel (abc, 321, aaa).
func runs(s string, rel func(a, b rune) bool) int {
	rs := []rune(s)
	total, cur := 0, 1
	for i := 1; i <= len(rs); i++ {
		if i < len(rs) && rel(rs[i-1], rs[i]) {
			cur++
			continue
		}
		if cur >= 3 {
			total += cur
		}
		cur = 1
	}
	return total
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
