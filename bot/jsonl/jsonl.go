// Package jsonl delivers messages as JSON lines to stdout or an append-only file.
package jsonl

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"

	"github.com/wirewatch/wirewatch/bot"
)

// Sender writes one JSON line per message. Safe for concurrent use.
type Sender struct {
	mu   sync.Mutex
	w    io.Writer
	path string // "" for a writer
}

var _ bot.Sender = (*Sender)(nil)

// NewWriter returns a sender writing to w (for "-", standard output).
func NewWriter(w io.Writer) *Sender { return &Sender{w: w} }

// NewFile returns a sender appending to the file at path, created if needed.
// The file is opened for each message, so it can be rotated or removed.
func NewFile(path string) *Sender { return &Sender{path: path} }

// Send implements bot.Sender. The remote id is the delivery id.
func (s *Sender) Send(ctx context.Context, m *bot.Message) (string, error) {
	line, err := json.Marshal(m)
	if err != nil {
		return "", bot.Permanent(fmt.Errorf("encode delivery: %w", err))
	}
	line = append(line, '\n')
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.path == "" {
		if _, err := s.w.Write(line); err != nil {
			return "", fmt.Errorf("write delivery: %w", err)
		}
		return strconv.FormatInt(m.ID, 10), nil
	}
	f, err := os.OpenFile(s.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return "", fmt.Errorf("open %s: %w", s.path, err)
	}
	if _, err := f.Write(line); err != nil {
		f.Close()
		return "", fmt.Errorf("write %s: %w", s.path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return "", fmt.Errorf("sync %s: %w", s.path, err)
	}
	if err := f.Close(); err != nil {
		return "", fmt.Errorf("close %s: %w", s.path, err)
	}
	return strconv.FormatInt(m.ID, 10), nil
}
