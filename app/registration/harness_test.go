package registration

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"signup/app/config"
	"signup/app/matrix"
)

// testHS is the configured homeserver of the tests.
var testHS = matrix.Homeserver{BaseURL: "https://hs.example.org", ServerName: "example.org"}

// t0 is when every test conversation starts.
var t0 = time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)

// baseOf lists the servers a request goes to.
func baseOf(r Request) []string {
	switch r := r.(type) {
	case Register:
		return []string{r.Base}
	case EmailToken:
		return []string{r.Base}
	case PhoneToken:
		return []string{r.Base}
	case SubmitCode:
		return []string{r.Base, r.URL}
	case Available:
		return []string{r.Base}
	case Metadata:
		return []string{r.Base}
	case HandOff:
		return []string{r.Base}
	case Discover:
		return []string{r.Input}
	case Policy:
		return []string{r.Base}
	case ClientRegistration:
		return []string{r.Endpoint}
	case CodeToken:
		return []string{r.X.Endpoint}
	case Revoke:
		return []string{r.Endpoint}
	case WhoAmI:
		return []string{r.Base}
	case LoginFlows:
		return []string{r.Base}
	case TokenLogin:
		return []string{r.Base}
	case Logout:
		return []string{r.Base}
	}
	return nil
}

// conv is one conversation under test: the engine, the clock, and what
// the engine asked for that is still outstanding (requests without an
// answer, timers not yet due), as a runner would hold it.
type conv struct {
	t        *testing.T
	e        *Engine
	set      Settings
	now      time.Time
	inflight []Send
	timers   []timer
	effects  []Effect // every effect, in order
	saved    string   // the tab's sessionStorage
	flow     string   // the tab's saved Flow
	locks    map[string]bool
	sentReg  int // /register requests sent
}

type timer struct {
	at time.Time
	s  Schedule
}

// newConv starts a conversation with settings s (testHS when none) and
// the start event st.
func newConv(t *testing.T, s Settings, st Start) *conv {
	t.Helper()
	if s.Homeserver.BaseURL == "" {
		s.Homeserver = testHS
	}
	if s.Operator.Version == 0 {
		s.Operator.Version = config.CurrentVersion
	}
	if s.RecaptchaScript == "" {
		s.RecaptchaScript = "https://www.google.com/recaptcha/api.js"
	}
	c := &conv{t: t, set: s, e: New(s), now: t0, locks: map[string]bool{}}
	c.do(st)
	return c
}

// do feeds an event and records its effects.
func (c *conv) do(ev Event) []Effect {
	c.t.Helper()
	fx := c.e.Handle(ev, c.now)
	c.record(fx)
	return fx
}

func (c *conv) record(fx []Effect) {
	c.t.Helper()
	for _, f := range fx {
		c.effects = append(c.effects, f)
		switch f := f.(type) {
		case Send:
			if _, ok := f.Req.(Register); ok {
				for _, s := range c.inflight {
					if _, also := s.Req.(Register); also {
						c.t.Fatalf("a second /register (#%d) while #%d is in flight", f.Seq, s.Seq)
					}
				}
				c.sentReg++
			}
			c.inflight = append(c.inflight, f)
		case Schedule:
			c.timers = append(c.timers, timer{at: c.now.Add(f.After), s: f})
		case Save:
			b, err := json.Marshal(f.Progress)
			if err != nil {
				c.t.Fatal(err)
			}
			c.saved = string(b)
		case Forget:
			c.saved = ""
		case SaveFlow:
			b, err := json.Marshal(f.Flow)
			if err != nil {
				c.t.Fatal(err)
			}
			c.flow = string(b)
		case ForgetFlow:
			c.flow = ""
		case Abort:
			// The request stays in flight until answered (a runner's
			// abort makes it fail fast).
		}
	}
}

// act is the user's action a.
func (c *conv) act(a Action) []Effect { c.t.Helper(); return c.do(Act{Action: a}) }

// typeIn types v into field f.
func (c *conv) typeIn(f Field, v string) { c.t.Helper(); c.do(Typed{Field: f, Value: v}) }

// fill types the form.
func (c *conv) fill(user, password string) {
	c.t.Helper()
	c.typeIn(FieldUsername, user)
	c.typeIn(FieldPassword, password)
	c.typeIn(FieldConfirm, password)
}

// pending returns the oldest request in flight of type R, failing the
// test when there is none.
func pendingOf[R Request](c *conv) (Send, R) {
	c.t.Helper()
	for _, s := range c.inflight {
		if r, ok := s.Req.(R); ok {
			return s, r
		}
	}
	var zero R
	c.t.Fatalf("no %T in flight (in flight: %s)", zero, c.describe())
	return Send{}, zero
}

// has reports whether a request of type R is in flight.
func hasPending[R Request](c *conv) bool {
	for _, s := range c.inflight {
		if _, ok := s.Req.(R); ok {
			return true
		}
	}
	return false
}

func (c *conv) describe() string {
	var out []string
	for _, s := range c.inflight {
		out = append(out, fmt.Sprintf("#%d %T", s.Seq, s.Req))
	}
	return "[" + strings.Join(out, ", ") + "]"
}

// answer answers request s with what Do makes of an HTTP answer (status,
// JSON body, headers as "Name: value"): the widget's own parsing.
func (c *conv) answer(s Send, status int, body string, headers ...string) []Effect {
	c.t.Helper()
	d := &scripted{status: status, body: body, headers: headers}
	v, err := Do(context.Background(), d, s.Req)
	return c.deliver(s, v, err, false)
}

// fail answers request s with a network failure.
func (c *conv) failNet(s Send, offline bool) []Effect {
	c.t.Helper()
	v, err := Do(context.Background(), &scripted{netErr: true}, s.Req)
	return c.deliver(s, v, err, offline)
}

func (c *conv) deliver(s Send, v any, err error, offline bool) []Effect {
	c.t.Helper()
	for i, x := range c.inflight {
		if x.Seq == s.Seq {
			c.inflight = append(c.inflight[:i], c.inflight[i+1:]...)
			break
		}
	}
	return c.do(Answer{Seq: s.Seq, Value: v, Err: err, Offline: offline})
}

// reply answers the oldest /register in flight.
func (c *conv) reply(status int, body string, headers ...string) []Effect {
	c.t.Helper()
	s, _ := pendingOf[Register](c)
	return c.answer(s, status, body, headers...)
}

// advance moves the clock by d, firing the timers that fall due, in
// order (the runner's ctx.After).
func (c *conv) advance(d time.Duration) {
	c.t.Helper()
	end := c.now.Add(d)
	for {
		i := -1
		for j, tm := range c.timers {
			if !tm.at.After(end) && (i < 0 || tm.at.Before(c.timers[i].at)) {
				i = j
			}
		}
		if i < 0 {
			break
		}
		tm := c.timers[i]
		c.timers = append(c.timers[:i], c.timers[i+1:]...)
		if tm.at.After(c.now) {
			c.now = tm.at
		}
		c.do(Due{Timer: tm.s.Timer, Seq: tm.s.Seq})
	}
	c.now = end
}

// claims answers every Claim effect not yet answered: granted unless
// another tab holds the lock.
func (c *conv) grantClaims(fx []Effect) {
	c.t.Helper()
	for _, f := range fx {
		if cl, ok := f.(Claim); ok {
			granted := !c.locks[cl.Key]
			c.record(c.e.Handle(Claimed{Seq: cl.Seq, Key: cl.Key, OK: granted}, c.now))
		}
	}
}

// view is the view now.
func (c *conv) view() View { return c.e.View(c.now) }

// scripted is a Doer that answers once with a scripted HTTP answer, and
// keeps the request.
type scripted struct {
	status  int
	body    string
	headers []string
	netErr  bool
	got     []*matrix.Request
}

func (d *scripted) Do(ctx context.Context, req *matrix.Request) (*matrix.Response, error) {
	d.got = append(d.got, req)
	if d.netErr {
		return nil, errors.New("connection refused")
	}
	h := matrix.Header{"content-type": "application/json"}
	for _, kv := range d.headers {
		k, v, _ := strings.Cut(kv, ":")
		h.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	return &matrix.Response{Status: d.status, Header: h, Body: []byte(d.body)}, nil
}

// httpOf is the HTTP request Do makes of r (method, path, query, JSON
// body), through a Doer that answers 404.
func httpOf(t *testing.T, r Request) (method, path string, query url.Values, body map[string]any) {
	t.Helper()
	d := &scripted{status: 404, body: `{"errcode":"M_UNRECOGNIZED"}`}
	_, _ = Do(context.Background(), d, r)
	if len(d.got) == 0 {
		t.Fatalf("%T made no HTTP request", r)
	}
	req := d.got[0]
	u, err := url.Parse(req.URL)
	if err != nil {
		t.Fatal(err)
	}
	if len(req.Body) > 0 {
		if err := json.Unmarshal(req.Body, &body); err != nil {
			t.Fatalf("body of %s: %v", req.URL, err)
		}
	}
	return req.Method, u.Path, u.Query(), body
}

// subset reports whether every key of want is in got with an equal value
// (recursively for objects); a null in want asks for the key's absence.
func subset(want, got map[string]any) error {
	for k, w := range want {
		g, ok := got[k]
		if w == nil {
			if ok {
				return fmt.Errorf("%s present (%v), want absent", k, g)
			}
			continue
		}
		if !ok {
			return fmt.Errorf("%s missing", k)
		}
		if wm, isMap := w.(map[string]any); isMap {
			gm, _ := g.(map[string]any)
			if err := subset(wm, gm); err != nil {
				return fmt.Errorf("%s.%w", k, err)
			}
			continue
		}
		if !reflect.DeepEqual(w, g) {
			return fmt.Errorf("%s = %v, want %v", k, g, w)
		}
	}
	return nil
}

// emailSent is a conversation on the email stage whose validation email
// the server sent (sid e1).
func emailSent(t *testing.T) *conv {
	t.Helper()
	c := started(t, Settings{}, email401)
	c.typeIn(FieldEmail, "alice@example.org")
	c.act(EmailSend)
	s, _ := pendingOf[EmailToken](c)
	c.answer(s, 200, `{"sid":"e1"}`)
	return c
}

// sendsNothing fails the test when letting d pass sends any request.
func (c *conv) sendsNothing(d time.Duration, why string) {
	c.t.Helper()
	n := len(c.effects)
	c.advance(d)
	for _, f := range c.effects[n:] {
		if s, ok := f.(Send); ok {
			c.t.Fatalf("%s: %T sent", why, s.Req)
		}
	}
}
