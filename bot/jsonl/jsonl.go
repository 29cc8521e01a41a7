// Package jsonl delivers messages as JSON lines to stdout or an append-only file.
package jsonl

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
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

var (
	_ bot.Sender      = (*Sender)(nil)
	_ bot.SnippetFree = (*Sender)(nil)
)

// NoSnippets implements bot.SnippetFree: a delivery line has no snippet.
func (s *Sender) NoSnippets() {}

// NewWriter returns a sender writing to w (for "-", standard output).
func NewWriter(w io.Writer) *Sender { return &Sender{w: w} }

// NewFile returns a sender appending to the file at path, created if needed.
// The file is opened for each message, so it can be rotated or removed. A
// message sent again after a crash (Resend) is not written when the file
// holds its line already.
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
	if m.Resend {
		// An earlier attempt may have written it before the process died:
		// the file says whether it did.
		if found, err := s.written(m.ID); err != nil {
			return "", err
		} else if found {
			return strconv.FormatInt(m.ID, 10), nil
		}
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

// written reports whether the file holds the line of delivery id.
func (s *Sender) written(id int64) (bool, error) {
	f, err := os.Open(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("open %s: %w", s.path, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	want := []byte(`{"delivery_id":` + strconv.FormatInt(id, 10) + `,`)
	for sc.Scan() {
		if bytes.HasPrefix(sc.Bytes(), want) {
			return true, nil
		}
	}
	if err := sc.Err(); err != nil {
		return false, fmt.Errorf("read %s: %w", s.path, err)
	}
	return false, nil
}
