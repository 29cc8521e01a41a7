package bot

import "time"

// Observer hears what the poller and the dispatcher do, for metrics. Its
// methods are called from many goroutines at once and must not block.
type Observer interface {
	// FeedPolled is one poll of f: took is the fetch's duration (zero when
	// it never got to fetch), err its failure (logged already).
	FeedPolled(f Feed, res PollResult, took time.Duration, err error)
	// Delivered is one attempt to send a delivery: result is one of the
	// Delivery* results.
	Delivered(channel, kind, result string)
}

// The results of a delivery attempt, as an Observer hears them.
const (
	DeliverySent    = "sent"    // the channel took it
	DeliveryFailed  = "failed"  // kept in the outbox, tried again later
	DeliveryRefused = "refused" // the channel will never take it: given up
	DeliveryPaused  = "paused"  // a permanent error paused the channel; kept in the outbox
)

// nopObserver hears nothing.
type nopObserver struct{}

func (nopObserver) FeedPolled(Feed, PollResult, time.Duration, error) {}
func (nopObserver) Delivered(string, string, string)                  {}

// ObserverOr returns o, or an Observer that hears nothing when o is nil.
func ObserverOr(o Observer) Observer {
	if o == nil {
		return nopObserver{}
	}
	return o
}
