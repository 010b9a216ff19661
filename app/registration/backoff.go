package registration

import (
	"math/rand/v2"
	"time"
)

// backoff holds the wait the server imposed (M_LIMIT_EXCEEDED) and grows
// it exponentially, with jitter, when failures repeat.
type backoff struct {
	until    time.Time
	failures int
	total    int // whole seconds of the wait when it started
	seq      int // the tick timer
}

// maxBackoff caps the widget's own exponential wait.
const maxBackoff = time.Minute

// delay returns the wait after one more failure: at least what the server
// asked, and at least 2^failures seconds (±20 % jitter), capped at a minute
// for the widget's own part.
func (b *backoff) delay(server time.Duration) time.Duration {
	b.failures++
	own := time.Second << min(b.failures-1, 6)
	own = min(own, maxBackoff)
	own = time.Duration(float64(own) * (0.8 + 0.4*rand.Float64()))
	return max(server, own)
}

// start begins a wait of d from t.
func (b *backoff) start(d time.Duration, t time.Time) {
	b.until = t.Add(d)
	b.total = b.left(t)
}

// announced returns the seconds left to tell a screen reader: at the start
// of the wait and every ten seconds, not every second; 0 in between.
func (b *backoff) announced(t time.Time) int {
	if l := b.left(t); l > 0 && (l == b.total || l%10 == 0) {
		return l
	}
	return 0
}

// reset forgets past failures after a success.
func (b *backoff) reset() { *b = backoff{seq: b.seq + 1} }

// left returns the whole seconds still to wait, rounded up.
func (b *backoff) left(t time.Time) int {
	d := b.until.Sub(t)
	if d <= 0 {
		return 0
	}
	return int((d + time.Second - 1) / time.Second)
}

// untilNextSecond is the wait until the whole seconds left change.
func (b *backoff) untilNextSecond(t time.Time) time.Duration {
	d := b.until.Sub(t) % time.Second
	if d <= 0 {
		d += time.Second
	}
	return d
}
