package e2e

import (
	"fmt"
	"time"
)

// statusError is an HTTP answer with an unexpected status code.
type statusError struct {
	url  string
	code int
}

func (e *statusError) Error() string {
	return fmt.Sprintf("GET %s: status %d", e.url, e.code)
}

// waitError tells why waitHTTP gave up.
type waitError struct {
	url     string
	timeout time.Duration
	exited  bool
	last    error
}

func (e *waitError) Error() string {
	if e.exited {
		return fmt.Sprintf("process exited before %s answered (last error: %v)", e.url, e.last)
	}
	return fmt.Sprintf("%s did not answer 200 within %s (last error: %v)", e.url, e.timeout, e.last)
}

func (e *waitError) Unwrap() error { return e.last }
