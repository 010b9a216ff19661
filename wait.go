package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"signup/app/config"
	"signup/app/matrix"
)

// waitForHomeserver resolves the homeserver at start-up. A homeserver that
// cannot be reached (no HTTP answer: not running yet, a wrong address) is
// told apart from one that answers but is not a Matrix homeserver. With
// wait > 0 the server keeps trying, every interval, for that long, and
// says so once: the widget may start before its homeserver (a compose
// file, a reboot). logf prints the progress.
func waitForHomeserver(c config.Homeserver, wait, interval time.Duration, logf func(string, ...any)) (matrix.Homeserver, error) {
	start := time.Now()
	deadline := start.Add(wait)
	for attempt := 0; ; attempt++ {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		if wait > 0 {
			ctx, cancel = context.WithTimeout(context.Background(), min(20*time.Second, max(interval, time.Until(deadline))))
		}
		hs, err := resolveHomeserver(ctx, c)
		cancel()
		if err == nil {
			if attempt > 0 {
				logf("the homeserver %s answers (after %s)", hs.BaseURL, time.Since(start).Round(time.Second))
			}
			return hs, nil
		}
		unreachable, err := startupError(c.URL, err)
		if wait <= 0 || !unreachable || time.Now().Add(interval).After(deadline) {
			switch {
			case unreachable && wait > 0:
				return hs, fmt.Errorf("%w: gave up after %s; is homeserver.url right?", err, wait)
			case unreachable:
				return hs, fmt.Errorf("%w: is it running, and is homeserver.url right? Start with -wait 2m to wait for it", err)
			}
			return hs, err
		}
		if attempt == 0 {
			logf("%v; trying again every %s for up to %s", err, interval, wait)
		}
		time.Sleep(interval)
	}
}

// startupError words a failed resolution for the operator: "cannot
// reach" when no answer came back (unreachable true), the homeserver's
// answer otherwise. The example config's placeholder host says so.
func startupError(hs string, err error) (unreachable bool, _ error) {
	var ne *matrix.NetworkError
	switch {
	case errors.As(err, &ne):
		err = ne.Err
	case errors.Is(err, context.DeadlineExceeded):
		err = errors.New("no answer in time")
	default:
		return false, err
	}
	if u, perr := url.Parse(hs); perr == nil && (u.Hostname() == "matrix.example.org" || hs == "example.org") {
		return true, fmt.Errorf("cannot reach the homeserver %q, the example config's placeholder: set homeserver.url to your homeserver's address (%v)", hs, err)
	}
	return true, fmt.Errorf("cannot reach the homeserver %q (%v)", hs, err)
}
