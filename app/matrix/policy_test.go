package matrix_test

import (
	"context"
	"net/http"
	"testing"

	"signup/app/matrix"
)

// Synapse's password policy, as its servlet answers, and a server
// without one.
func TestPasswordPolicy(t *testing.T) {
	t.Run("Synapse with a policy", func(t *testing.T) {
		c, _ := newClient(t, respond(200, `{"m.minimum_length":10,"m.require_digit":true,"m.require_symbol":true,"m.require_uppercase":false,"m.require_lowercase":true,"org.example.other":1}`))
		p, ok, err := c.GetPasswordPolicy(context.Background())
		if err != nil || !ok {
			t.Fatal(ok, err)
		}
		if p.MinLength != 10 || !p.Digit || !p.Symbol || p.Uppercase || !p.Lowercase {
			t.Fatalf("%+v", p)
		}
		for pw, want := range map[string]matrix.Rule{
			"short1!":            matrix.RuleLength,
			"longer password!":   matrix.RuleDigit,
			"longer password 1":  "",
			"longerpassword1":    matrix.RuleSymbol,
			"LONGER PASSWORD 1!": matrix.RuleLowercase,
			"ünïcödé 1234":       "",
		} {
			if got := p.Missed(pw); got != want {
				t.Errorf("Missed(%q) = %q, want %q", pw, got, want)
			}
		}
	})
	t.Run("Synapse with the policy off: nothing asked", func(t *testing.T) {
		c, _ := newClient(t, respond(200, `{}`))
		p, ok, err := c.GetPasswordPolicy(context.Background())
		if err != nil || !ok || p.Missed("a") != "" {
			t.Fatalf("%+v %v %v", p, ok, err)
		}
	})
	t.Run("Dendrite: no endpoint", func(t *testing.T) {
		c, _ := newClient(t, respond(404, `{"errcode":"M_UNRECOGNIZED","error":"Unrecognized request"}`))
		if _, ok, err := c.GetPasswordPolicy(context.Background()); ok || err != nil {
			t.Fatal(ok, err)
		}
	})
	t.Run("a hostile policy is bounded, wrong types ignored", func(t *testing.T) {
		c, _ := newClient(t, respond(200, `{"m.minimum_length":100000000,"m.require_digit":"yes"}`))
		p, ok, err := c.GetPasswordPolicy(context.Background())
		if err != nil || !ok || p.MinLength != 128 || p.Digit {
			t.Fatalf("%+v", p)
		}
	})
	t.Run("a server error is an error", func(t *testing.T) {
		c, _ := newClient(t, respond(http.StatusInternalServerError, `{"errcode":"M_UNKNOWN"}`))
		if _, _, err := c.GetPasswordPolicy(context.Background()); err == nil {
			t.Fatal("no error")
		}
	})
}
