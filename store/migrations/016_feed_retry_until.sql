-- The time before which a feed's server asked not to be polled again (its
-- Retry-After with a 429 or 503), in milliseconds, 0 when it did not ask:
-- `run` waits for it as for its own backoff (next_poll), and `once`, which
-- otherwise polls every feed each time it is run, skips the feed until then.
ALTER TABLE feeds ADD COLUMN retry_until BIGINT NOT NULL DEFAULT 0;
