//go:build js && wasm

// Package jsutil holds small helpers for using promise-based JavaScript APIs
// from Go. It reaches JavaScript only through github.com/hack-pad/safejs.
package jsutil

import (
	"context"
	"fmt"

	"github.com/hack-pad/safejs"
)

// Error is a JavaScript value that a promise was rejected with, turned into a
// Go error.
type Error struct {
	// Name is the error's name, such as "TypeError" or "AbortError", or ""
	// when the value has no string name property.
	Name string
	// Message is the error's message, or the value's string form when it has
	// neither a name nor a message.
	Message string
	// Cause describes the error's cause property, or is "". Node's fetch, for
	// one, reports the underlying socket error there.
	Cause string
	// Value is the rejected JavaScript value itself.
	Value safejs.Value
}

// Error returns "name: message" when the name is known, else the message,
// followed by the cause when there is one.
func (e *Error) Error() string {
	s := e.Message
	switch {
	case e.Name != "" && e.Message != "":
		s = e.Name + ": " + e.Message
	case e.Name != "":
		s = e.Name
	}
	if e.Cause != "" {
		s += " (cause: " + e.Cause + ")"
	}
	return s
}

// Await waits until promise settles or ctx is done. A fulfilled promise
// yields its value; a rejected one yields an *Error describing the rejection
// value; a done ctx yields ctx.Err(). A value that is not a promise is
// treated like a promise fulfilled with it.
//
// The JavaScript callbacks stay attached to the promise even when ctx ends
// first, so that a late rejection is never reported as unhandled. They
// deliver into a buffered channel nobody reads any more, and release
// themselves as soon as the promise settles.
func Await(ctx context.Context, promise safejs.Value) (safejs.Value, error) {
	ch, err := watch(promise)
	if err != nil {
		return safejs.Value{}, err
	}
	if err := ctx.Err(); err != nil {
		return safejs.Value{}, err
	}
	select {
	case s := <-ch:
		return s.value, s.err
	case <-ctx.Done():
		return safejs.Value{}, ctx.Err()
	}
}

// Ignore attaches handlers to promise that discard its outcome, so that a
// rejection is never reported as unhandled, and returns without waiting.
// The handlers are released once the promise settles.
func Ignore(promise safejs.Value) error {
	_, err := watch(promise)
	return err
}

type settled struct {
	value safejs.Value
	err   error
}

// watch attaches callbacks to promise that deliver its outcome into the
// returned channel (buffered, so they never block) and then release
// themselves.
func watch(promise safejs.Value) (<-chan settled, error) {
	ch := make(chan settled, 1)
	var onFulfilled, onRejected safejs.Func
	settle := func(s settled) {
		select {
		case ch <- s:
		default: // a promise settles once; never block JavaScript.
		}
		onFulfilled.Release()
		onRejected.Release()
	}
	onFulfilled, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		settle(settled{value: firstArg(args)})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("jsutil: await: %w", err)
	}
	onRejected, err = safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		settle(settled{err: newError(firstArg(args), 0)})
		return nil
	})
	if err != nil {
		onFulfilled.Release()
		return nil, fmt.Errorf("jsutil: await: %w", err)
	}
	if err := attach(promise, onFulfilled, onRejected); err != nil {
		onFulfilled.Release()
		onRejected.Release()
		return nil, fmt.Errorf("jsutil: await: %w", err)
	}
	return ch, nil
}

// attach runs Promise.resolve(promise).then(onFulfilled, onRejected).
func attach(promise safejs.Value, onFulfilled, onRejected safejs.Func) error {
	ctor, err := safejs.Global().Get("Promise")
	if err != nil {
		return err
	}
	p, err := ctor.Call("resolve", promise)
	if err != nil {
		return err
	}
	_, err = p.Call("then", onFulfilled, onRejected)
	return err
}

// NewAbortController creates a JavaScript AbortController that is aborted
// when ctx is done, and returns its signal for fetch or any other API taking
// an AbortSignal. Call stop once the operation has finished: after stop
// returns, ctx no longer aborts the controller, and no goroutine is left
// waiting on ctx. If ctx is already done the controller is aborted at once.
func NewAbortController(ctx context.Context) (signal safejs.Value, stop func(), err error) {
	ctor, err := safejs.Global().Get("AbortController")
	if err != nil {
		return safejs.Value{}, nil, fmt.Errorf("jsutil: AbortController: %w", err)
	}
	controller, err := ctor.New()
	if err != nil {
		return safejs.Value{}, nil, fmt.Errorf("jsutil: AbortController: %w", err)
	}
	signal, err = controller.Get("signal")
	if err != nil {
		return safejs.Value{}, nil, fmt.Errorf("jsutil: AbortController: %w", err)
	}
	abort := func() {
		_, _ = controller.Call("abort") // aborting twice or too late is harmless.
	}
	if ctx.Err() != nil {
		abort()
		return signal, func() {}, nil
	}
	// AfterFunc runs abort in its own goroutine once ctx is done, unless
	// stopped first.
	stopAfter := context.AfterFunc(ctx, abort)
	return signal, func() { stopAfter() }, nil
}

func firstArg(args []safejs.Value) safejs.Value {
	if len(args) == 0 {
		return safejs.Undefined()
	}
	return args[0]
}

// newError describes the JavaScript value v; depth bounds the cause chain.
func newError(v safejs.Value, depth int) *Error {
	e := &Error{Value: v}
	if v.Type() == safejs.TypeObject || v.Type() == safejs.TypeFunction {
		e.Name = stringProp(v, "name")
		e.Message = stringProp(v, "message")
		if cause, err := v.Get("cause"); err == nil && depth < 3 &&
			!cause.IsUndefined() && !cause.IsNull() {
			e.Cause = newError(cause, depth+1).Error()
		}
	}
	if e.Name == "" && e.Message == "" {
		e.Message = jsString(v)
	}
	return e
}

// stringProp returns v[p] if it is a string, else "".
func stringProp(v safejs.Value, p string) string {
	prop, err := v.Get(p)
	if err != nil || prop.Type() != safejs.TypeString {
		return ""
	}
	s, _ := prop.String()
	return s
}

// jsString returns JavaScript's String(v).
func jsString(v safejs.Value) string {
	str, err := safejs.Global().Get("String")
	if err == nil {
		if s, err := str.Invoke(v); err == nil {
			if out, err := s.String(); err == nil {
				return out
			}
		}
	}
	out, _ := v.String()
	return out
}
