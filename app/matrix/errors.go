package matrix

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Error codes the widget handles. See
// https://spec.matrix.org/v1.16/client-server-api/#standard-error-response
// and https://spec.matrix.org/v1.16/client-server-api/#account-registration.
const (
	CodeUserInUse       = "M_USER_IN_USE"
	CodeInvalidUsername = "M_INVALID_USERNAME"
	CodeExclusive       = "M_EXCLUSIVE"
	CodeForbidden       = "M_FORBIDDEN"
	CodeWeakPassword    = "M_WEAK_PASSWORD"
	CodeLimitExceeded   = "M_LIMIT_EXCEEDED"
	CodeUnrecognized    = "M_UNRECOGNIZED"
	CodeUnauthorized    = "M_UNAUTHORIZED"
	CodeThreepidInUse   = "M_THREEPID_IN_USE"
	CodeThreepidDenied  = "M_THREEPID_DENIED"
	CodeServerNotTrust  = "M_SERVER_NOT_TRUSTED"
	CodeMissingParam    = "M_MISSING_PARAM"
	CodeInvalidParam    = "M_INVALID_PARAM"
	CodeNotFound        = "M_NOT_FOUND"
	CodeUnknown         = "M_UNKNOWN"
)

// Sentinel errors for errors.Is: an *Error matches a sentinel when their
// errcodes are equal, whatever the status or message.
var (
	ErrUserInUse       = &Error{Code: CodeUserInUse}
	ErrInvalidUsername = &Error{Code: CodeInvalidUsername}
	ErrExclusive       = &Error{Code: CodeExclusive}
	ErrForbidden       = &Error{Code: CodeForbidden}
	ErrWeakPassword    = &Error{Code: CodeWeakPassword}
	ErrLimitExceeded   = &Error{Code: CodeLimitExceeded}
	ErrUnrecognized    = &Error{Code: CodeUnrecognized}
)

// ErrUnreachable matches (with errors.Is) every *NetworkError: the request
// never got an HTTP answer.
var ErrUnreachable = errors.New("homeserver unreachable")

// ErrBadResponse matches (with errors.Is) every *ResponseError: the server
// answered, but not with what the spec prescribes.
var ErrBadResponse = errors.New("homeserver sent an invalid response")

// maxRetryAfter bounds how long the widget will wait on a server's say-so.
const maxRetryAfter = time.Hour

// Error is a standard Matrix error response: an HTTP status with a JSON body
// {errcode, error}. Message is the server's own text: untrusted, shown only
// as a detail under the widget's own words.
type Error struct {
	Status  int
	Code    string
	Message string
	// RetryAfter is how long the server asked the client to wait
	// (Retry-After header, else retry_after_ms), capped at an hour.
	RetryAfter time.Duration
	// Auth is set on a 401 that carries a UIAA body: the server wants
	// (more) User-Interactive Authentication. Code is then empty unless a
	// stage failed.
	Auth *AuthInfo
}

// Error implements error.
func (e *Error) Error() string {
	switch {
	case e.Code != "" && e.Message != "":
		return fmt.Sprintf("%s (HTTP %d): %s", e.Code, e.Status, e.Message)
	case e.Code != "":
		return fmt.Sprintf("%s (HTTP %d)", e.Code, e.Status)
	default:
		return fmt.Sprintf("HTTP %d", e.Status)
	}
}

// Is reports whether target is an *Error with the same errcode.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code != "" && t.Code == e.Code
}

// NetworkError means the request never received an HTTP answer: connection
// refused, DNS failure, CORS rejection, timeout or abort.
type NetworkError struct {
	Op  string
	Err error
}

// Error implements error.
func (e *NetworkError) Error() string { return e.Op + " failed: " + e.Err.Error() }

// Unwrap returns the underlying error, so errors.Is(err, context.Canceled)
// works.
func (e *NetworkError) Unwrap() error { return e.Err }

// Is makes every NetworkError match ErrUnreachable.
func (e *NetworkError) Is(target error) bool { return target == ErrUnreachable }

// ResponseError means the server answered with something that is not what
// the spec prescribes: not JSON, the wrong shape, a body over the size cap.
type ResponseError struct {
	Op     string
	Status int
	Reason string
	Err    error
}

// Error implements error.
func (e *ResponseError) Error() string {
	s := fmt.Sprintf("%s: HTTP %d: %s", e.Op, e.Status, e.Reason)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying decoding error, if any.
func (e *ResponseError) Unwrap() error { return e.Err }

// Is makes every ResponseError match ErrBadResponse.
func (e *ResponseError) Is(target error) bool { return target == ErrBadResponse }

// AsError returns the *Error in err's chain. It is errors.As for this one
// type, without the reflection errors.As links into the WASM.
func AsError(err error) (*Error, bool) {
	for err != nil {
		if e, ok := err.(*Error); ok {
			return e, true
		}
		err = unwrap(err)
	}
	return nil, false
}

// asResponseError returns the *ResponseError in err's chain.
func asResponseError(err error) (*ResponseError, bool) {
	for err != nil {
		if e, ok := err.(*ResponseError); ok {
			return e, true
		}
		err = unwrap(err)
	}
	return nil, false
}

func unwrap(err error) error {
	if u, ok := err.(interface{ Unwrap() error }); ok {
		return u.Unwrap()
	}
	return nil
}

// RetryAfter returns how long to wait before retrying after err, and whether
// err asks for a wait at all (M_LIMIT_EXCEEDED or a Retry-After header).
func RetryAfter(err error) (time.Duration, bool) {
	me, ok := AsError(err)
	if !ok {
		return 0, false
	}
	if me.RetryAfter > 0 {
		return me.RetryAfter, true
	}
	return 0, me.Code == CodeLimitExceeded
}

// parseRetryAfter reads a Retry-After header value: delay-seconds or an
// HTTP-date (RFC 9110, section 10.2.3), relative to now.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	// A number too large for int64 is still a number: ParseInt then
	// returns the largest (or smallest) int64, which the cap handles.
	if n, err := strconv.ParseInt(v, 10, 64); err == nil || errors.Is(err, strconv.ErrRange) {
		if n <= 0 {
			return 0
		}
		if n > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter
		}
		return time.Duration(n) * time.Second
	}
	if t, err := time.Parse(time.RFC1123, v); err == nil {
		return clampRetry(t.Sub(now))
	}
	return 0
}

// retryAfterMS converts retry_after_ms, capping it before the
// multiplication could overflow into a short (or negative) wait.
func retryAfterMS(ms int64) time.Duration {
	if ms > int64(maxRetryAfter/time.Millisecond) {
		return maxRetryAfter
	}
	return clampRetry(time.Duration(ms) * time.Millisecond)
}

func clampRetry(d time.Duration) time.Duration {
	switch {
	case d <= 0:
		return 0
	case d > maxRetryAfter:
		return maxRetryAfter
	}
	return d
}
