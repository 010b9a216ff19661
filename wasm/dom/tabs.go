//go:build js && wasm

package dom

import (
	"errors"
	"sync"
	"time"

	"github.com/hack-pad/safejs"
)

// channelName is the BroadcastChannel shared by the widget's tabs.
const channelName = "signup"

var channel struct {
	sync.Mutex
	ch safejs.Value
	ok bool
}

func broadcastChannel() (safejs.Value, bool) {
	channel.Lock()
	defer channel.Unlock()
	if channel.ok {
		return channel.ch, true
	}
	ctor, err := safejs.Global().Get("BroadcastChannel")
	if err != nil || ctor.IsUndefined() {
		return safejs.Undefined(), false
	}
	ch, err := ctor.New(channelName)
	if err != nil {
		return safejs.Undefined(), false
	}
	channel.ch, channel.ok = ch, true
	return ch, true
}

// Broadcast sends msg to the widget's other tabs of this origin.
func Broadcast(msg string) {
	if ch, ok := broadcastChannel(); ok {
		_, _ = ch.Call("postMessage", msg)
	}
}

// OnBroadcast calls f (on a new goroutine) with each string message from
// the widget's other tabs.
func OnBroadcast(f func(msg string)) {
	ch, ok := broadcastChannel()
	if !ok {
		return
	}
	fn, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		if len(args) == 0 {
			return nil
		}
		data, err := args[0].Get("data")
		if err != nil {
			return nil
		}
		if s, err := data.String(); err == nil && len(s) < 1024 {
			go f(s)
		}
		return nil
	})
	if err == nil {
		_, _ = ch.Call("addEventListener", "message", fn.Value())
	}
}

// claimTimeout bounds the wait for the Web Locks API's answer.
const claimTimeout = 2 * time.Second

// errNoAnswer is a Web Locks request the browser did not answer in time.
var errNoAnswer = errors.New("the browser did not answer the lock request")

// Claim takes the Web Lock named key if no other tab holds it, without
// waiting for it (ifAvailable). The lock is held until release is called
// or the tab closes. Where Web Locks are missing, every claim succeeds.
// When the browser does not answer within claimTimeout, Claim fails safe:
// not ok, with an error (the caller asks again later), and a lock granted
// after that is given back at once. It must not be called from a JS
// callback: it waits for the browser.
func Claim(key string) (release func(), ok bool, err error) {
	nav, err := safejs.Global().Get("navigator")
	if err != nil {
		return func() {}, true, nil
	}
	locks, err := nav.Get("locks")
	if err != nil || locks.IsUndefined() || locks.IsNull() {
		return func() {}, true, nil
	}
	got := make(chan bool, 1)
	var resolveHold safejs.Value
	var holder, executor safejs.Func
	executor, err = safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		resolveHold = args[0]
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	holder, err = safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		if len(args) == 0 || args[0].IsNull() || args[0].IsUndefined() {
			got <- false
			return nil
		}
		promiseCtor, err := safejs.Global().Get("Promise")
		if err != nil {
			got <- true
			return nil
		}
		p, err := promiseCtor.New(executor.Value())
		got <- true
		if err != nil {
			return nil
		}
		return p
	})
	if err != nil {
		executor.Release()
		return nil, false, err
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			if !resolveHold.IsUndefined() {
				_, _ = resolveHold.Invoke()
			}
			holder.Release()
			executor.Release()
		})
	}
	opts, _ := safejs.ValueOf(map[string]any{"ifAvailable": true})
	if _, err := locks.Call("request", key, opts, holder.Value()); err != nil {
		release()
		return nil, false, err
	}
	select {
	case ok = <-got:
	case <-time.After(claimTimeout):
		go func() {
			if <-got {
				release()
			}
		}()
		return nil, false, errNoAnswer
	}
	if !ok {
		release()
		return nil, false, nil
	}
	return release, true, nil
}
