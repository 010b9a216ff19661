package ui

import (
	"context"
	"errors"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/matrix"
)

// checkDelay is how long typing must pause before the availability request
// goes out: one request per pause, not per keystroke.
const checkDelay = 450 * time.Millisecond

// availState is what the server said about a username.
type availState int

const (
	availUnknown availState = iota
	availChecking
	availFree
	availTaken
	availInvalid
	availExclusive
)

// availability is the server's answer for one username.
type availability struct {
	name  string
	state availState
}

// checker debounces and sequences availability requests, and remembers
// their answers so a name is asked about once.
type checker struct {
	seq     int
	stop    context.CancelFunc
	cache   map[string]availState
	pausedU time.Time // no checks before this (rate limit)
	pending bool      // a check was wanted before the component mounted
}

func (c *checker) cancel() {
	if c.stop != nil {
		c.stop()
		c.stop = nil
	}
}

// schedule starts the debounce for r.username, or answers from the cache.
// A name that fails the local grammar is never sent.
func (c *checker) schedule(r *Register, immediate bool) {
	c.seq++
	c.cancel()
	name := r.username
	r.avail = availability{name: name}
	if !matrix.ValidateLocalpart(name, r.hs.ServerName).OK() {
		return
	}
	if st, ok := c.cache[name]; ok {
		r.avail.state = st
		return
	}
	if !r.live() {
		c.pending = true
		return
	}
	c.pending = false
	if now().Before(c.pausedU) {
		return
	}
	seq := c.seq
	delay := checkDelay
	if immediate {
		delay = 0
	}
	r.ctx.After(delay, func(app.Context) {
		if seq != c.seq {
			return
		}
		c.start(r, seq, name)
	})
}

func (c *checker) start(r *Register, seq int, name string) {
	ctx, stop := r.withTimeout(15 * time.Second)
	c.stop = stop
	r.avail.state = availChecking
	client := r.client()
	r.ctx.Async(func() {
		ok, err := client.Available(ctx, name)
		r.ctx.Dispatch(func(app.Context) {
			stop()
			if seq != c.seq {
				return
			}
			st := c.interpret(ok, err)
			if st != availUnknown {
				if c.cache == nil {
					c.cache = map[string]availState{}
				}
				c.cache[name] = st
			}
			r.avail = availability{name: name, state: st}
		})
	})
}

// interpret turns an availability answer into a state. Network trouble and
// odd answers leave the state unknown: registration itself will tell.
func (c *checker) interpret(ok bool, err error) availState {
	switch {
	case err == nil && ok:
		return availFree
	case err == nil:
		return availTaken
	case errors.Is(err, matrix.ErrUserInUse):
		return availTaken
	case errors.Is(err, matrix.ErrInvalidUsername):
		return availInvalid
	case errors.Is(err, matrix.ErrExclusive):
		return availExclusive
	}
	if d, limited := matrix.RetryAfter(err); limited {
		if d <= 0 {
			d = 10 * time.Second
		}
		c.pausedU = now().Add(d)
	}
	return availUnknown
}

// onUsername handles typing in the username field.
func (r *Register) onUsername(ctx app.Context, e app.Event) {
	r.username = ctx.JSSrc().Get("value").String()
	r.userErr = ""
	r.checks.schedule(r, false)
}

// useLowercase replaces the username by its lowercase form.
func (r *Register) useLowercase(ctx app.Context, e app.Event) {
	check := matrix.ValidateLocalpart(r.username, r.hs.ServerName)
	if check.Suggestion == "" {
		return
	}
	r.username = check.Suggestion
	r.userErr = ""
	r.checks.schedule(r, false)
	r.focus("username")
}

// usernameStatus returns the live status line and the error of the
// username field, from the local grammar and the server's answer.
func (r *Register) usernameStatus() (status, problem string, suggestion string) {
	if r.userErr != "" {
		return "", r.userErr, ""
	}
	if r.username == "" {
		return "", "", ""
	}
	check := matrix.ValidateLocalpart(r.username, r.hs.ServerName)
	switch check.Problem {
	case matrix.LocalpartUppercase:
		return "", r.t.T("username.upper", check.Suggestion), check.Suggestion
	case matrix.LocalpartInvalidChars:
		return "", r.t.T("username.chars", quoteRunes(check.Invalid)), ""
	case matrix.LocalpartTooLong:
		return "", r.t.T("username.long"), ""
	}
	if r.avail.name != r.username {
		return "", "", ""
	}
	switch r.avail.state {
	case availChecking:
		return r.t.T("username.checking", r.username), "", ""
	case availFree:
		return r.t.T("username.available", r.username), "", ""
	case availTaken:
		return "", r.t.T("username.taken"), ""
	case availInvalid:
		return "", r.t.T("username.invalid"), ""
	case availExclusive:
		return "", r.t.T("username.exclusive"), ""
	}
	return "", "", ""
}

// quoteRunes lists characters for a message: "A", " ", "!" as “A”, “ ”, “!”.
func quoteRunes(s string) string {
	out := ""
	for i, r := range s {
		if i > 0 {
			out += " "
		}
		if r == ' ' {
			out += "“ ”"
			continue
		}
		out += "“" + string(r) + "”"
	}
	return out
}
