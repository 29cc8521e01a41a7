package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/human"
)

// textSender delivers a jsonl channel on standard output to a person at a
// terminal: each message as the stories command prints stories, under a
// line saying what it is. Safe for concurrent use.
type textSender struct {
	mu  sync.Mutex
	w   io.Writer
	loc *time.Location
}

var _ bot.Sender = (*textSender)(nil)

// Send implements bot.Sender. The remote id is the delivery id, as the
// jsonl sender's.
func (s *textSender) Send(ctx context.Context, m *bot.Message) (string, error) {
	var b bytes.Buffer
	switch m.Kind {
	case "update":
		if len(m.Stories) == 0 {
			break
		}
		outlets := make([]string, 0, len(m.New))
		for _, l := range bot.NewOutlets(m.Stories[0], m.New) {
			outlets = append(outlets, l.Text)
		}
		fmt.Fprintf(&b, "update in channel %s: %s\n", m.Channel, strings.Join(outlets, ", "))
	case "digest":
		fmt.Fprintf(&b, "digest in channel %s: rule %s, %s\n", m.Channel, m.Rule, human.Count(len(m.Stories), "story", "stories"))
	default:
		fmt.Fprintf(&b, "%s in channel %s\n", m.Kind, m.Channel)
	}
	for _, st := range m.Stories {
		writeStory(&b, st, s.loc, false)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.w.Write(b.Bytes()); err != nil {
		return "", fmt.Errorf("write delivery: %w", err)
	}
	return strconv.FormatInt(m.ID, 10), nil
}
