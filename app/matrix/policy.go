package matrix

import (
	"context"
	"encoding/json"
	"unicode/utf8"
)

// PasswordPolicy is what a homeserver says it asks of passwords
// (GET /_matrix/client/v3/password_policy, the m.* keys Synapse sends
// when its password_config.policy is on; an empty object when it is off).
// Dendrite has no such endpoint. See
// https://spec.matrix.org/v1.16/client-server-api/#password-management.
type PasswordPolicy struct {
	_                                   noEq
	MinLength                           int
	Digit, Symbol, Lowercase, Uppercase bool
}

// maxPolicyLength bounds what a server may ask as a minimum length: a
// hostile one asking a million characters gets the bound.
const maxPolicyLength = 128

// Rule names a requirement of a password policy a password misses.
type Rule string

// The rules, in the order the server checks them (Synapse).
const (
	RuleLength    Rule = "length"
	RuleDigit     Rule = "digit"
	RuleSymbol    Rule = "symbol"
	RuleUppercase Rule = "uppercase"
	RuleLowercase Rule = "lowercase"
)

// Missed returns the first rule password misses, or "" when it meets the
// policy. Characters count as the server counts them: a digit is 0-9, a
// symbol anything but ASCII letters and digits, length in characters.
func (p PasswordPolicy) Missed(password string) Rule {
	var digit, symbol, upper, lower bool
	for _, r := range password {
		switch {
		case r >= '0' && r <= '9':
			digit = true
		case r >= 'A' && r <= 'Z':
			upper = true
		case r >= 'a' && r <= 'z':
			lower = true
		default:
			symbol = true
		}
	}
	switch {
	case utf8.RuneCountInString(password) < p.MinLength:
		return RuleLength
	case p.Digit && !digit:
		return RuleDigit
	case p.Symbol && !symbol:
		return RuleSymbol
	case p.Uppercase && !upper:
		return RuleUppercase
	case p.Lowercase && !lower:
		return RuleLowercase
	}
	return ""
}

// GetPasswordPolicy reads the server's password policy. supported is
// false when the server publishes none (404, M_UNRECOGNIZED); keys of the
// wrong type are ignored, as unknown ones are.
func (c *Client) GetPasswordPolicy(ctx context.Context) (p PasswordPolicy, supported bool, err error) {
	var raw map[string]json.RawMessage
	err = c.call(ctx, "password policy", "GET", "/_matrix/client/v3/password_policy", nil, nil, &raw)
	var me *Error
	switch {
	case err == nil:
	case asError(err, &me) && (me.Status == 404 || me.Code == CodeUnrecognized), isResponseStatus(err, 404):
		return p, false, nil
	default:
		return p, false, err
	}
	var n int
	if json.Unmarshal(raw["m.minimum_length"], &n) == nil && n > 0 {
		p.MinLength = min(n, maxPolicyLength)
	}
	flag := func(key string) bool {
		var b bool
		return json.Unmarshal(raw[key], &b) == nil && b
	}
	p.Digit, p.Symbol = flag("m.require_digit"), flag("m.require_symbol")
	p.Uppercase, p.Lowercase = flag("m.require_uppercase"), flag("m.require_lowercase")
	return p, true, nil
}
