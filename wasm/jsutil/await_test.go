//go:build js && wasm

package jsutil

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hack-pad/safejs"
)

// evalJS runs src as the body of a new JavaScript function and returns its
// result.
func evalJS(t *testing.T, src string) safejs.Value {
	t.Helper()
	fn, err := safejs.Global().Get("Function")
	if err != nil {
		t.Fatal(err)
	}
	f, err := fn.New(src)
	if err != nil {
		t.Fatal(err)
	}
	v, err := f.Invoke()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestAwaitResolve(t *testing.T) {
	for name, src := range map[string]string{
		"resolved": "return Promise.resolve(42)",
		"later":    "return new Promise(r => setTimeout(() => r(42), 10))",
		"value":    "return 42",
	} {
		t.Run(name, func(t *testing.T) {
			v, err := Await(context.Background(), evalJS(t, src))
			if err != nil {
				t.Fatal(err)
			}
			if n, err := v.Int(); err != nil || n != 42 {
				t.Fatalf("got %v, %v; want 42", n, err)
			}
		})
	}
}

func TestAwaitReject(t *testing.T) {
	for _, tc := range []struct {
		src, want, name string
	}{
		{"return Promise.reject(new TypeError('boom'))", "TypeError: boom", "TypeError"},
		{"return new Promise((_, r) => setTimeout(() => r(new RangeError('late')), 10))", "RangeError: late", "RangeError"},
		{"return Promise.reject('plain string')", "plain string", ""},
		{"return Promise.reject(7)", "7", ""},
		{"return Promise.reject(undefined)", "undefined", ""},
		{"return Promise.reject(new Error('outer', {cause: new Error('inner')}))", "Error: outer (cause: Error: inner)", "Error"},
		{"return (async () => { throw new SyntaxError('thrown') })()", "SyntaxError: thrown", "SyntaxError"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			_, err := Await(context.Background(), evalJS(t, tc.src))
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tc.want {
				t.Errorf("error %q, want %q", err, tc.want)
			}
			var jsErr *Error
			if !errors.As(err, &jsErr) {
				t.Fatalf("error %T is not *Error", err)
			}
			if jsErr.Name != tc.name {
				t.Errorf("name %q, want %q", jsErr.Name, tc.name)
			}
		})
	}
}

func TestAwaitContext(t *testing.T) {
	t.Run("never settles", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := Await(ctx, evalJS(t, "return new Promise(() => {})"))
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("error %v, want deadline exceeded", err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("took %v", d)
		}
	})
	t.Run("settles after cancel", func(t *testing.T) {
		// The late settlements must neither block, crash, nor be reported
		// as unhandled rejections (which would kill Node).
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			time.Sleep(5 * time.Millisecond)
			cancel()
		}()
		resolveLate := evalJS(t, "return new Promise(r => setTimeout(() => r(1), 30))")
		rejectLate := evalJS(t, "return new Promise((_, r) => setTimeout(() => r(new Error('late')), 30))")
		if _, err := Await(ctx, resolveLate); !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v, want canceled", err)
		}
		if _, err := Await(ctx, rejectLate); !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v, want canceled", err)
		}
		// A fresh Await after the late settlements still works.
		time.Sleep(100 * time.Millisecond)
		if _, err := Await(context.Background(), evalJS(t, "return new Promise(r => setTimeout(r, 30))")); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("already done", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := Await(ctx, evalJS(t, "return Promise.reject(new Error('ignored'))"))
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("error %v, want canceled", err)
		}
		time.Sleep(20 * time.Millisecond) // let the rejection be handled
	})
}

func aborted(t *testing.T, signal safejs.Value) bool {
	t.Helper()
	v, err := signal.Get("aborted")
	if err != nil {
		t.Fatal(err)
	}
	b, err := v.Bool()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestNewAbortController(t *testing.T) {
	t.Run("cancel aborts", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		signal, stop, err := NewAbortController(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer stop()
		if aborted(t, signal) {
			t.Fatal("aborted before cancel")
		}
		cancel()
		deadline := time.Now().Add(time.Second)
		for !aborted(t, signal) {
			if time.Now().After(deadline) {
				t.Fatal("not aborted after cancel")
			}
			time.Sleep(time.Millisecond)
		}
	})
	t.Run("already done", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		signal, stop, err := NewAbortController(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer stop()
		if !aborted(t, signal) {
			t.Fatal("not aborted")
		}
	})
	t.Run("stop detaches", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		signal, stop, err := NewAbortController(ctx)
		if err != nil {
			t.Fatal(err)
		}
		stop()
		cancel()
		time.Sleep(20 * time.Millisecond)
		if aborted(t, signal) {
			t.Fatal("aborted after stop")
		}
	})
}

func TestIgnore(t *testing.T) {
	// Neither a late rejection nor a resolution may crash Node or block.
	for _, src := range []string{
		"return Promise.reject(new Error('ignored'))",
		"return new Promise((_, r) => setTimeout(() => r(new Error('late')), 10))",
		"return new Promise(r => setTimeout(() => r(1), 10))",
		"return 1",
	} {
		if err := Ignore(evalJS(t, src)); err != nil {
			t.Fatal(err)
		}
	}
	time.Sleep(50 * time.Millisecond)
}
