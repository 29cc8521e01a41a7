package matrix

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"maunium.net/go/mautrix"

	"github.com/wirewatch/wirewatch/bot"
)

// permanentCodes are Matrix error codes that retrying will not fix: the
// room pauses until someone invites the bot back or fixes the account.
var permanentCodes = map[string]bool{
	"M_FORBIDDEN": true, "M_NOT_FOUND": true, "M_UNKNOWN_TOKEN": true, "M_MISSING_TOKEN": true,
	"M_USER_DEACTIVATED": true, "M_USER_LOCKED": true, "M_USER_SUSPENDED": true, "M_INVALID_PARAM": true,
}

// rejectedCodes are Matrix error codes for a message the homeserver will
// never take as it is: the delivery is dropped (logged) and the room goes
// on, as Slack's msg_too_long — paused, the room would try the same message
// first after each pause, and send nothing after it again.
var rejectedCodes = map[string]bool{"M_TOO_LARGE": true, "M_BAD_JSON": true, "M_NOT_JSON": true}

// defaultRateWait is the wait after a rate limit that names none.
const defaultRateWait = 5 * time.Second

// classify wraps an error of a client-server API call: a rate limit as
// bot.RetryAfter with the homeserver's wait, the codes in permanentCodes
// as bot.Permanent, those in rejectedCodes as bot.Rejected, anything else
// (network errors, 5xx) as transient. Its text never holds the token (the
// transport sends it in a header) nor the request's URL.
func classify(what string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var he mautrix.HTTPError
	if !errors.As(err, &he) {
		return fmt.Errorf("matrix %s: %w", what, err)
	}
	if he.RespError == nil {
		if he.WrappedError != nil {
			inner := he.WrappedError
			if ue, ok := errors.AsType[*url.Error](inner); ok {
				inner = ue.Err
			}
			return fmt.Errorf("matrix %s: %w", what, inner)
		}
		status := 0
		if he.Response != nil {
			status = he.Response.StatusCode
		}
		err = fmt.Errorf("matrix %s: %w", what, &statusError{status: status})
		if status == http.StatusTooManyRequests {
			return bot.RetryAfter(err, retryAfterHeader(he.Response))
		}
		return err
	}
	re := he.RespError
	err = fmt.Errorf("matrix %s: %w", what, &codeError{code: re.ErrCode, msg: re.Err, wrapped: *re})
	switch {
	case re.ErrCode == "M_LIMIT_EXCEEDED" || re.StatusCode == http.StatusTooManyRequests:
		wait := defaultRateWait
		if ms, ok := re.ExtraData["retry_after_ms"].(float64); ok && ms > 0 {
			wait = time.Duration(ms) * time.Millisecond
		} else if h := retryAfterHeader(he.Response); h > 0 {
			wait = h
		}
		return bot.RetryAfter(err, wait)
	case permanentCodes[re.ErrCode]:
		return bot.Permanent(err)
	case rejectedCodes[re.ErrCode]:
		return bot.Rejected(err)
	}
	return err
}

// codeError is a Matrix error: its code and message, wrapping mautrix's
// RespError so that errors.Is(err, mautrix.MForbidden) holds.
type codeError struct {
	code, msg string
	wrapped   mautrix.RespError
}

func (e *codeError) Error() string {
	if e.msg == "" {
		return e.code
	}
	return e.code + ": " + e.msg
}
func (e *codeError) Unwrap() error { return e.wrapped }

// statusError is an HTTP error status without a Matrix error code.
type statusError struct{ status int }

func (e *statusError) Error() string { return "HTTP " + strconv.Itoa(e.status) }

// answered reports whether err is the homeserver's own answer (an error
// code or status), not a failure to reach it (network errors, and the
// 502–504 of a proxy in front of it).
func answered(err error) bool {
	if _, ok := errors.AsType[*codeError](err); ok {
		return true
	}
	se, ok := errors.AsType[*statusError](err)
	return ok && (se.status < 502 || se.status > 504)
}

// retryAfterHeader reads a Retry-After header in seconds (0 when absent).
func retryAfterHeader(r *http.Response) time.Duration {
	if r == nil {
		return 0
	}
	var s int
	if _, err := fmt.Sscanf(r.Header.Get("Retry-After"), "%d", &s); err == nil && s > 0 {
		return time.Duration(s) * time.Second
	}
	return 0
}

// errCode returns the Matrix error code in err ("" if none).
func errCode(err error) string {
	if ce, ok := errors.AsType[*codeError](err); ok {
		return ce.code
	}
	var he mautrix.HTTPError
	if errors.As(err, &he) && he.RespError != nil {
		return he.RespError.ErrCode
	}
	return ""
}
