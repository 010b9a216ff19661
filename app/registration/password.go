package registration

import (
	"errors"

	"signup/app/matrix"
	"signup/app/strength"
)

// PolicyAnswer is the answer to [Policy].
type PolicyAnswer struct {
	Policy    matrix.PasswordPolicy
	Supported bool
}

// passwordProblem is what the password misses before it may be sent: the
// first rule of the server's published policy (Synapse's
// password_policy), then the operator's minimum strength. Checked here,
// the user hears it while typing, in one place, instead of after a
// round trip.
func (e *Engine) passwordProblem() Msg {
	if e.password == "" {
		return Msg{}
	}
	switch r := e.policy.Missed(e.password); r {
	case "":
	case matrix.RuleLength:
		return msg("password.needs.length", e.policy.MinLength)
	default:
		return msg("password.needs." + string(r))
	}
	if min := e.set.Operator.Registration.MinStrength; min > 0 {
		if est := strength.Estimate(e.password, e.username); est.Score < min {
			m := msg("password.stronger")
			if len(est.Advice) > 0 {
				m.Then = &Msg{Key: string(est.Advice[0])}
			}
			return m
		}
	}
	return Msg{}
}

// policyAnswered keeps the server's password policy.
func (e *Engine) policyAnswered(a PolicyAnswer, err error) {
	if err == nil && a.Supported {
		e.policy = a.Policy
	}
}

// The errcodes Synapse refuses a password with (PasswordRefusedError).
var passwordCodes = []string{"M_WEAK_PASSWORD", "M_PASSWORD_TOO_SHORT", "M_PASSWORD_NO_DIGIT",
	"M_PASSWORD_NO_UPPERCASE", "M_PASSWORD_NO_LOWERCASE", "M_PASSWORD_NO_SYMBOL", "M_PASSWORD_IN_DICTIONARY"}

// passwordRefused reports whether err is the server refusing the
// password, and what to say: our rule when the policy names it, else the
// general words with the server's.
func (e *Engine) passwordRefused(err error) (Msg, bool) {
	me, ok := matrix.AsError(err)
	if !ok {
		return Msg{}, false
	}
	for _, c := range passwordCodes {
		if errors.Is(err, &matrix.Error{Code: c}) {
			if m := e.passwordProblem(); m.Key != "" {
				return m, true
			}
			return Msg{Key: "password.weak", Detail: me.Message}, true
		}
	}
	return Msg{}, false
}
