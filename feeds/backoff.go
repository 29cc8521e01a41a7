package feeds

import "time"

// Backoff bounds.
const (
	backoffBase = time.Minute
	backoffMax  = 6 * time.Hour
)

// Backoff returns how long to wait before polling a feed again after
// failures consecutive failures: 1 minute × 2^(failures-1), so 1m, 2m, 4m, …,
// capped at 6 hours, and never less than the server's retryAfter (itself
// capped at 24 hours). No failures means no wait. There is no jitter: the
// result is deterministic, and spreading feeds apart is the scheduler's job.
func Backoff(failures int, retryAfter time.Duration) time.Duration {
	if failures <= 0 {
		return 0
	}
	d := backoffMax
	if failures <= 10 { // 1m << 9 already exceeds 6h; larger shifts overflow
		d = min(backoffBase<<(failures-1), backoffMax)
	}
	return max(d, min(retryAfter, maxRetryAfter))
}
