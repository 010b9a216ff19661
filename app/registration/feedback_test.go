package registration

import (
	"context"
	"fmt"
	"testing"

	"signup/app/config"
	"signup/app/matrix"
)

// The server's published password policy is read at start and checked
// while typing and before sending: the user hears the rule, in one place,
// and nothing is sent that the server would refuse.
func TestPasswordPolicy(t *testing.T) {
	c := newConv(t, Settings{}, Start{PageURL: "https://widget.example/"})
	s, _ := pendingOf[Policy](c)
	c.answer(s, 200, `{"m.minimum_length":10,"m.require_digit":true}`)
	c.fill("alice", "abc")
	f := c.view().Form
	if f.PassAdvice.Key != "password.needs.length" || fmt.Sprint(f.PassAdvice.Args) != "[10]" || f.Strength != 0 {
		t.Fatalf("while typing: %+v", f)
	}
	c.act(Submit)
	if v := c.view(); v.Form.PassError.Key != "password.needs.length" || hasPending[Register](c) {
		t.Fatalf("sent a password the policy refuses: %+v", v.Form.PassError)
	}
	c.fill("alice", "a long password")
	if f := c.view().Form; f.PassError.Key != "" || f.PassAdvice.Key != "password.needs.digit" {
		t.Fatalf("%+v", f)
	}
	c.fill("alice", "a long password 4")
	c.act(Submit)
	if !hasPending[Register](c) {
		t.Fatal("a password that meets the policy was not sent")
	}
}

// Dendrite publishes no policy: nothing is checked but the estimator's
// advice, and the server's own refusal is shown on the field with its
// words.
func TestNoPolicyServerRefuses(t *testing.T) {
	c := newConv(t, Settings{}, Start{PageURL: "https://widget.example/"})
	s, _ := pendingOf[Policy](c)
	c.answer(s, 404, `{"errcode":"M_UNRECOGNIZED"}`)
	c.fill("alice", "abc")
	if f := c.view().Form; f.PassAdvice.Key != "strength.short" {
		t.Fatalf("%+v", f.PassAdvice)
	}
	c.act(Submit)
	c.reply(400, `{"errcode":"M_WEAK_PASSWORD","error":"password too weak: min 8 chars"}`)
	if f := c.view().Form; f.PassError.Key != "password.weak" || f.PassError.Detail != "password too weak: min 8 chars" {
		t.Fatalf("%+v", f.PassError)
	}
	c.fill("alice", "abcdefghi")
	c.act(Submit)
	c.reply(400, `{"errcode":"M_PASSWORD_NO_DIGIT","error":"The password must include at least one digit"}`)
	if f := c.view().Form; f.PassError.Key != "password.weak" {
		t.Fatalf("Synapse's errcode: %+v", f.PassError)
	}
}

// The operator's minimum strength refuses a weak password before it is
// sent, with the estimator's advice.
func TestMinStrength(t *testing.T) {
	op := config.Config{Registration: config.Registration{MinStrength: 3}}
	c := newConv(t, Settings{Operator: op}, Start{})
	c.fill("alice", "password1")
	c.act(Submit)
	v := c.view()
	if v.Form.PassError.Key != "password.stronger" || v.Form.PassError.Then == nil || hasPending[Register](c) {
		t.Fatalf("%+v", v.Form.PassError)
	}
	c.fill("alice", "correct horse battery staple")
	c.act(Submit)
	if !hasPending[Register](c) {
		t.Fatal("a strong password was refused")
	}
}

// A homeserver that never answers: the first request gives up sooner,
// says the server is not answering (the connection only when the browser
// is offline), and Cancel stops the wait at once.
func TestHomeserverNotAnswering(t *testing.T) {
	c := newConv(t, Settings{}, Start{PageURL: "https://widget.example/"})
	c.fill("alice", "a good long password")
	c.act(Submit)
	s, r := pendingOf[Register](c)
	if r.Timeout() != firstTimeout {
		t.Fatalf("first timeout %v", r.Timeout())
	}
	c.deliver(s, nil, &matrix.NetworkError{Op: "register", Err: context.DeadlineExceeded}, false)
	if v := c.view(); v.FormError.Key != "notanswering" || !v.Retryable {
		t.Fatalf("%+v", v.FormError)
	}

	c.act(Submit)
	if !c.view().Busy {
		t.Fatal("not busy")
	}
	fx := c.act(Cancel)
	s, _ = pendingOf[Register](c)
	aborted := false
	for _, f := range fx {
		if a, ok := f.(Abort); ok && a.Seq == s.Seq {
			aborted = true
		}
	}
	if v := c.view(); !aborted || v.Busy || v.FormError.Key != "cancelled" || v.Form.Password == "" {
		t.Fatalf("after Cancel: aborted %v, %+v", aborted, v)
	}
	c.act(Submit) // waits for the aborted request to end: never two
	if n := c.sentReg; n != 2 {
		t.Fatalf("%d sent", n)
	}
	c.failNet(s, false) // the abort's answer
	if v := c.view(); v.FormError.Key == "unreachable" {
		t.Fatal("the aborted request's failure was shown")
	}
	if c.sentReg != 3 {
		t.Fatal("the submit made while the abort ended did not go out")
	}
}
