// Package senderr marks the errors a sender returns with what the
// dispatcher does about them: bot.Permanent, bot.Rejected and
// bot.RetryAfter are these.
package senderr

import (
	"errors"
	"time"
)

// permanentError marks an error that retrying will not fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks err as permanent: the channel is paused, not retried soon.
func Permanent(err error) error { return &permanentError{err: err} }

// rejectedError marks a message the channel will never take as it is.
type rejectedError struct{ err error }

func (e *rejectedError) Error() string { return e.err.Error() }
func (e *rejectedError) Unwrap() error { return e.err }

// Rejected marks err as the channel refusing this message for good.
func Rejected(err error) error { return &rejectedError{err: err} }

// IsRejected reports whether err was marked Rejected.
func IsRejected(err error) bool {
	var r *rejectedError
	return errors.As(err, &r)
}

// IsPermanent reports whether err was marked Permanent.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}

// retryAfterError carries the wait the remote side asked for.
type retryAfterError struct {
	err   error
	after time.Duration
}

func (e *retryAfterError) Error() string { return e.err.Error() }
func (e *retryAfterError) Unwrap() error { return e.err }

// RetryAfter marks err as transient with a wait the remote side asked for.
func RetryAfter(err error, after time.Duration) error {
	return &retryAfterError{err: err, after: after}
}

// RetryAfterOf returns the wait in err, or 0.
func RetryAfterOf(err error) time.Duration {
	var r *retryAfterError
	if errors.As(err, &r) {
		return r.after
	}
	return 0
}
