//go:build !goolm

package matrix

import (
	"context"
	"errors"
)

// EncryptionSupported reports whether this build can use end-to-end
// encrypted rooms: only builds with the goolm tag (mautrix's pure-Go olm).
const EncryptionSupported = false

// newCryptoHelper is unreachable in this build: Connect refuses
// matrix.encryption first.
func newCryptoHelper(context.Context, *Client) (cryptoHelper, error) {
	return nil, errors.New("this build of wirewatch lacks end-to-end encryption: build it with -tags goolm")
}
