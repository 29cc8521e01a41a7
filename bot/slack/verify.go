package slack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// replayWindow is how far a request's timestamp may be from now.
const replayWindow = 5 * time.Minute

// Why a request's signature is refused.
var (
	errMissingHeaders = errors.New("missing X-Slack-Signature or X-Slack-Request-Timestamp")
	errStale          = errors.New("timestamp outside the 5-minute window")
	errBadSignature   = errors.New("signature does not match")
)

// verify checks Slack's signature of a request: X-Slack-Signature is
// "v0=" and the hex HMAC-SHA256, keyed with the signing secret, of
// "v0:{X-Slack-Request-Timestamp}:{body}"; the timestamp must be within
// five minutes of now (no replays). The comparison takes constant time.
func verify(secret []byte, h http.Header, body []byte, now time.Time) error {
	sig, ts := h.Get("X-Slack-Signature"), h.Get("X-Slack-Request-Timestamp")
	if sig == "" || ts == "" {
		return errMissingHeaders
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errStale
	}
	if d := now.Sub(time.Unix(sec, 0)); d > replayWindow || d < -replayWindow {
		return errStale
	}
	got, err := hex.DecodeString(strings.TrimPrefix(sig, "v0="))
	if err != nil || !strings.HasPrefix(sig, "v0=") {
		return errBadSignature
	}
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write(body)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return errBadSignature
	}
	return nil
}
