//go:build js && wasm

package dom

import (
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/hack-pad/safejs"
)

// recaptchaLoadTimeout bounds the wait for the script.
const recaptchaLoadTimeout = 15 * time.Second

var captcha struct {
	sync.Mutex
	loaded  bool
	loading bool
	waiting []pendingCaptcha
}

type pendingCaptcha struct {
	render func()
	fail   func(error)
}

// Recaptcha loads the reCAPTCHA script from scriptURL (once per page, with
// an onload callback and explicit rendering) and renders the widget with
// siteKey into the element with ID elementID. onToken receives each solved
// response; onError is called when the script cannot load (blocked,
// offline, CSP) or the element is missing. Callbacks run on new goroutines.
func Recaptcha(scriptURL, elementID, siteKey string, onToken func(string), onError func(error)) {
	p := pendingCaptcha{
		render: func() {
			if err := renderCaptcha(elementID, siteKey, onToken); err != nil {
				go onError(err)
			}
		},
		fail: func(err error) { go onError(err) },
	}
	captcha.Lock()
	if captcha.loaded {
		captcha.Unlock()
		p.render()
		return
	}
	captcha.waiting = append(captcha.waiting, p)
	start := !captcha.loading
	captcha.loading = true
	captcha.Unlock()
	if start {
		if err := loadScript(scriptURL); err != nil {
			loaded(err)
		}
	}
}

// loaded runs the renders waiting for the script, or fails them. After a
// failure a later call tries to load the script again (back online).
func loaded(err error) {
	captcha.Lock()
	if !captcha.loading {
		captcha.Unlock()
		return
	}
	waiting := captcha.waiting
	captcha.waiting, captcha.loading = nil, false
	captcha.loaded = err == nil
	captcha.Unlock()
	for _, p := range waiting {
		if err != nil {
			p.fail(err)
		} else {
			p.render()
		}
	}
}

func loadScript(scriptURL string) error {
	g := safejs.Global()
	onload, err := safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
		go loaded(nil)
		return nil
	})
	if err != nil {
		return err
	}
	if err := g.Set("signupRecaptchaLoaded", onload.Value()); err != nil {
		return err
	}
	doc, err := g.Get("document")
	if err != nil {
		return err
	}
	script, err := doc.Call("createElement", "script")
	if err != nil {
		return err
	}
	sep := "?"
	if strings.Contains(scriptURL, "?") {
		sep = "&"
	}
	_ = script.Set("src", scriptURL+sep+"onload=signupRecaptchaLoaded&render=explicit")
	_ = script.Set("async", true)
	onerror, err := safejs.FuncOf(func(safejs.Value, []safejs.Value) any {
		go loaded(errors.New("the reCAPTCHA script could not load"))
		return nil
	})
	if err == nil {
		_ = script.Set("onerror", onerror.Value())
	}
	head, err := doc.Get("head")
	if err != nil {
		return err
	}
	if _, err := head.Call("appendChild", script); err != nil {
		return err
	}
	time.AfterFunc(recaptchaLoadTimeout, func() {
		loaded(errors.New("the reCAPTCHA script did not load in time"))
	})
	return nil
}

func renderCaptcha(elementID, siteKey string, onToken func(string)) error {
	g := safejs.Global()
	grecaptcha, err := g.Get("grecaptcha")
	if err != nil || grecaptcha.IsUndefined() || grecaptcha.IsNull() {
		return errors.New("reCAPTCHA is not available")
	}
	doc, err := g.Get("document")
	if err != nil {
		return err
	}
	el, err := doc.Call("getElementById", elementID)
	if err != nil || el.IsNull() || el.IsUndefined() {
		return errors.New("no element for reCAPTCHA")
	}
	// A fresh container each time: a re-entered stage renders anew.
	_ = el.Set("innerHTML", "")
	cb, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		if len(args) > 0 {
			if s, err := args[0].String(); err == nil && s != "" {
				go onToken(s)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	params, err := safejs.ValueOf(map[string]any{"sitekey": siteKey})
	if err != nil {
		return err
	}
	_ = params.Set("callback", cb.Value())
	if _, err := grecaptcha.Call("render", el, params); err != nil {
		return errors.New("reCAPTCHA could not render")
	}
	return nil
}
