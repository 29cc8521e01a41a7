//go:build !goolm

package matrix_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/bot/matrix"
)

func TestEncryptionNeedsGoolm(t *testing.T) {
	if matrix.EncryptionSupported {
		t.Fatal("EncryptionSupported in a build without the goolm tag")
	}
	_, err := matrix.Connect(context.Background(), matrix.ClientConfig{Homeserver: "http://127.0.0.1:1", UserID: "@bot:x",
		AccessToken: "t", Encryption: true}, nil, slog.New(slog.DiscardHandler))
	if err == nil || !strings.Contains(err.Error(), "lacks end-to-end encryption: build it with -tags goolm") {
		t.Errorf("Connect with encryption = %v, want it to say the build lacks encryption", err)
	}
}
