package registration

import (
	"errors"
	"time"

	"signup/app/matrix"
)

// checkDelay is how long typing must pause before the availability
// request goes out: one request per pause, not per keystroke.
const checkDelay = 450 * time.Millisecond

// nameState is what the server said about a username.
type nameState int

const (
	nameUnknown nameState = iota
	nameChecking
	nameFree
	nameTaken
	nameInvalid
	nameExclusive
)

// refused reports whether the server refuses the name.
func (s nameState) refused() bool { return s == nameTaken || s == nameExclusive || s == nameInvalid }

// nameAnswer is the server's answer for one username.
type nameAnswer struct {
	name  string
	state nameState
}

// names debounces and sequences availability checks, and remembers their
// answers so that a name is asked about once per server.
type names struct {
	current nameAnswer
	seq     int
	cache   map[string]nameState
	paused  time.Time // no checks before this (rate limit)
}

func (n *names) mark(name string, st nameState) {
	if n.cache == nil {
		n.cache = map[string]nameState{}
	}
	n.cache[name] = st
	n.current = nameAnswer{name: name, state: st}
}

// checkName starts the pause for the username, or answers from the
// cache. A name that fails the local grammar is never sent.
func (e *Engine) checkName(now bool) {
	e.names.seq++
	name := e.username
	e.names.current = nameAnswer{name: name}
	if !matrix.ValidateLocalpart(name, e.hs.ServerName).OK() {
		return
	}
	if st, ok := e.names.cache[name]; ok {
		e.names.current.state = st
		return
	}
	if !e.started || e.now.Before(e.names.paused) {
		return
	}
	d := checkDelay
	if now {
		d = 0
	}
	e.emit(Schedule{Timer: TimerCheck, Seq: e.names.seq, After: d})
}

// checkDue sends the check once typing paused.
func (e *Engine) checkDue(seq int) {
	if seq != e.names.seq || e.names.current.name != e.username || e.screen != ScreenForm {
		return
	}
	e.names.current.state = nameChecking
	e.send(Available{Base: e.hs.BaseURL, Name: e.username}, pending{check: seq})
}

// nameChecked applies an availability answer, if it is still about the
// name typed. Network trouble and odd answers leave the state unknown:
// registration itself will tell.
func (e *Engine) nameChecked(name string, ok bool, err error, seq int) {
	st := nameUnknown
	switch {
	case err == nil && ok:
		st = nameFree
	case err == nil:
		st = nameTaken
	case errors.Is(err, matrix.ErrUserInUse):
		st = nameTaken
	case errors.Is(err, matrix.ErrInvalidUsername):
		st = nameInvalid
	case errors.Is(err, matrix.ErrExclusive):
		st = nameExclusive
	default:
		if d, limited := matrix.RetryAfter(err); limited {
			if d <= 0 {
				d = 10 * time.Second
			}
			e.names.paused = e.now.Add(d)
		}
	}
	if st != nameUnknown {
		if e.names.cache == nil {
			e.names.cache = map[string]nameState{}
		}
		e.names.cache[name] = st
	}
	if seq == e.names.seq && e.names.current.name == name {
		e.names.current.state = st
	}
}
