package ui

import (
	"context"
	"encoding/json"
	"time"

	"github.com/maxence-charriere/go-app/v10/pkg/app"

	"signup/app/registration"
)

// now is time.Now; a variable for tests.
var now = time.Now

// runner holds what the effects left running: requests to abort, locks
// to give back.
type runner struct {
	cancels map[int]context.CancelFunc
	locks   map[string]func()
}

func (rn *runner) stop() {
	for _, c := range rn.cancels {
		c()
	}
	for _, release := range rn.locks {
		release()
	}
	*rn = runner{}
}

// carry carries out the engine's effects, in order, on the UI goroutine.
// Background work (requests, the lock) runs in ctx.Async and reports back
// through ctx.Dispatch as an event; nothing in Async touches the
// component.
func (r *Register) carry(fx []registration.Effect) {
	if !r.mounted || r.Services == nil {
		return
	}
	s, ctx := r.Services, r.ctx
	if r.run.cancels == nil {
		r.run.cancels, r.run.locks = map[int]context.CancelFunc{}, map[string]func(){}
	}
	for _, f := range fx {
		switch f := f.(type) {
		case registration.Send:
			if s.Doer == nil {
				continue
			}
			cctx, cancel := context.WithCancel(context.Background())
			r.run.cancels[f.Seq] = cancel
			doer, online := s.Doer, s.Online
			ctx.Async(func() {
				v, err := registration.Do(cctx, doer, f.Req)
				offline := err != nil && online != nil && !online()
				ctx.Dispatch(func(app.Context) {
					cancel()
					delete(r.run.cancels, f.Seq)
					r.send(registration.Answer{Seq: f.Seq, Value: v, Err: err, Offline: offline})
				})
			})
		case registration.Abort:
			if c := r.run.cancels[f.Seq]; c != nil {
				c()
			}
		case registration.Schedule:
			ctx.After(f.After, func(app.Context) { r.send(registration.Due{Timer: f.Timer, Seq: f.Seq}) })
		case registration.Save:
			if b, err := json.Marshal(f.Progress); err == nil && s.Store != nil {
				s.Store.Set(registration.ProgressKey, string(b))
			}
		case registration.Forget:
			if s.Store != nil {
				s.Store.Remove(registration.ProgressKey)
			}
		case registration.Broadcast:
			if s.Broadcast != nil {
				s.Broadcast(f.Msg)
			}
		case registration.Notify:
			if s.Notify != nil {
				s.Notify(f.Event, f.Detail)
			}
		case registration.Focus:
			if s.Focus != nil {
				id, focus := f.ID, s.Focus
				ctx.Defer(func(app.Context) { focus(id, -1, -1) })
			}
		case registration.Claim:
			claim := s.Claim
			if claim == nil {
				r.send(registration.Claimed{Seq: f.Seq, Key: f.Key, OK: true})
				continue
			}
			ctx.Async(func() {
				release, ok, err := claim(f.Key)
				ctx.Dispatch(func(app.Context) {
					if ok {
						if old := r.run.locks[f.Key]; old != nil {
							old()
						}
						r.run.locks[f.Key] = release
					}
					r.send(registration.Claimed{Seq: f.Seq, Key: f.Key, OK: ok, Err: err != nil})
				})
			})
		case registration.Release:
			if release := r.run.locks[f.Key]; release != nil {
				release()
				delete(r.run.locks, f.Key)
			}
		case registration.Captcha:
			if s.Recaptcha == nil {
				continue
			}
			draw := s.Recaptcha
			ctx.Defer(func(app.Context) {
				draw(f.Script, "recaptcha", f.Key,
					func(token string) {
						ctx.Dispatch(func(app.Context) { r.send(registration.CaptchaSolved{Seq: f.Seq, Token: token}) })
					},
					func(error) {
						ctx.Dispatch(func(app.Context) { r.send(registration.CaptchaFailed{Seq: f.Seq}) })
					})
			})
		case registration.Popup:
			if s.OpenFallback == nil {
				continue
			}
			// From the click itself: a popup needs the user's gesture.
			session := f.Session
			ok := s.OpenFallback(f.URL, f.Origins, func() {
				ctx.Dispatch(func(app.Context) { r.send(registration.AuthDone{Session: session}) })
			})
			r.send(registration.PopupOpened{OK: ok})
		case registration.Navigate:
			if s.Navigate != nil {
				s.Navigate(f.URL)
			}
		case registration.SaveFlow:
			if b, err := json.Marshal(f.Flow); err == nil && s.Store != nil {
				s.Store.Set(registration.FlowKey, string(b))
			}
		case registration.ForgetFlow:
			if s.Store != nil {
				s.Store.Remove(registration.FlowKey)
			}
		case registration.OpenWindow:
			ok := s.SignUpWindow != nil && s.SignUpWindow(f.URL, f.Move)
			r.send(registration.WindowOpened{OK: ok})
		case registration.CloseWindow:
			if s.CloseSignUpWindow != nil {
				s.CloseSignUpWindow()
			}
		case registration.CleanURL:
			if s.ReplaceURL != nil {
				s.ReplaceURL(f.URL)
			}

		}
	}
}
