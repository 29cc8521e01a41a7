package jsonl_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/jsonl"
)

// line is the part of a delivery line the tests check.
type line struct {
	DeliveryID int64            `json:"delivery_id"`
	Kind       string           `json:"kind"`
	Channel    string           `json:"channel"`
	Stories    []map[string]any `json:"stories"`
}

func message(id int64, title string) *bot.Message {
	return &bot.Message{ID: id, Kind: "alert", Channel: "log",
		Stories: []*bot.Story{{ID: strconv.FormatInt(id, 10), Title: title, Sources: 1, Outlets: []string{"tass.com"}}}}
}

// lines splits out into delivery lines, failing on any that is not one
// whole JSON object or a last line without its newline.
func lines(t *testing.T, out []byte) []line {
	t.Helper()
	if len(out) > 0 && out[len(out)-1] != '\n' {
		t.Errorf("output does not end in a newline: %q", out)
	}
	var got []line
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %d %q: %v", len(got)+1, sc.Text(), err)
		}
		got = append(got, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return got
}

func TestWriterOneLinePerSend(t *testing.T) {
	tests := []struct {
		name   string
		titles []string
	}{
		{"one", []string{"CSTO holds drills"}},
		{"three in order", []string{"first", "second", "third"}},
		{"newlines and quotes in titles", []string{"a\nb", `say "hi"`, "tab\there\r\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			s := jsonl.NewWriter(&buf)
			for i, title := range tt.titles {
				id := int64(100 + i)
				remote, err := s.Send(context.Background(), message(id, title))
				if err != nil {
					t.Fatalf("Send %d: %v", id, err)
				}
				if got, want := remote, strconv.FormatInt(id, 10); got != want {
					t.Errorf("remote id = %q, want %q", got, want)
				}
			}
			got := lines(t, buf.Bytes())
			if g, w := len(got), len(tt.titles); g != w {
				t.Fatalf("got %d lines, want %d:\n%s", g, w, buf.Bytes())
			}
			for i, l := range got {
				if g, w := l.DeliveryID, int64(100+i); g != w {
					t.Errorf("line %d delivery_id = %d, want %d", i, g, w)
				}
				if g, w := l.Kind, "alert"; g != w {
					t.Errorf("line %d kind = %q, want %q", i, g, w)
				}
				if g, w := l.Channel, "log"; g != w {
					t.Errorf("line %d channel = %q, want %q", i, g, w)
				}
				if len(l.Stories) != 1 || l.Stories[0]["title"] != tt.titles[i] {
					t.Errorf("line %d stories = %v, want one titled %q", i, l.Stories, tt.titles[i])
				}
			}
		})
	}
}

// failWriter fails every write.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk on fire") }

func TestWriterError(t *testing.T) {
	s := jsonl.NewWriter(failWriter{})
	remote, err := s.Send(context.Background(), message(1, "x"))
	if err == nil {
		t.Fatalf("Send = %q, nil; want the write error", remote)
	}
	if bot.IsPermanent(err) {
		t.Errorf("IsPermanent(%v) = true, want a write error retried", err)
	}
	if !strings.Contains(err.Error(), "disk on fire") {
		t.Errorf("error %q does not wrap the write error", err)
	}
}

func TestFileAppendsAcrossRestarts(t *testing.T) {
	tests := []struct {
		name     string
		existing string // the file's content before the first sender, "" for none
	}{
		{"new file", ""},
		{"existing file", `{"delivery_id":1,"kind":"alert","channel":"log","stories":[]}` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "out.jsonl")
			var want []int64
			if tt.existing != "" {
				if err := os.WriteFile(path, []byte(tt.existing), 0o644); err != nil {
					t.Fatal(err)
				}
				want = append(want, 1)
			}
			ctx := context.Background()
			// Two Sender values on one path: a restart between the sends.
			for run, ids := range [][]int64{{10, 11}, {12}} {
				s := jsonl.NewFile(path)
				for _, id := range ids {
					remote, err := s.Send(ctx, message(id, "run "+strconv.Itoa(run)))
					if err != nil {
						t.Fatalf("run %d Send %d: %v", run, id, err)
					}
					if got, want := remote, strconv.FormatInt(id, 10); got != want {
						t.Errorf("remote id = %q, want %q", got, want)
					}
					want = append(want, id)
				}
			}
			out, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			got := lines(t, out)
			if g, w := len(got), len(want); g != w {
				t.Fatalf("file has %d lines, want %d:\n%s", g, w, out)
			}
			for i, l := range got {
				if l.DeliveryID != want[i] {
					t.Errorf("line %d delivery_id = %d, want %d", i, l.DeliveryID, want[i])
				}
			}
		})
	}
}

// TestFileSurvivesRotation checks that the file is opened per message: a
// file moved away (rotated) is not written to again.
func TestFileSurvivesRotation(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.jsonl")
	s := jsonl.NewFile(path)
	ctx := context.Background()
	if _, err := s.Send(ctx, message(1, "before")); err != nil {
		t.Fatal(err)
	}
	rotated := filepath.Join(dir, "out.jsonl.1")
	if err := os.Rename(path, rotated); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Send(ctx, message(2, "after")); err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		path string
		want int64
	}{{rotated, 1}, {path, 2}} {
		out, err := os.ReadFile(f.path)
		if err != nil {
			t.Fatal(err)
		}
		got := lines(t, out)
		if len(got) != 1 || got[0].DeliveryID != f.want {
			t.Errorf("%s holds %s, want only delivery %d", filepath.Base(f.path), out, f.want)
		}
	}
}

func TestConcurrentSendsWriteWholeLines(t *testing.T) {
	const goroutines, perGoroutine = 8, 25
	// A long title makes a line larger than one small write would carry.
	title := strings.Repeat("CSTO holds drills in Tajikistan ", 200)
	tests := []struct {
		name string
		// setup returns one sender per goroutine and a function reading all
		// that was written.
		setup func(t *testing.T) (func(i int) *jsonl.Sender, func() []byte)
	}{
		{"one writer", func(t *testing.T) (func(int) *jsonl.Sender, func() []byte) {
			var buf bytes.Buffer
			s := jsonl.NewWriter(&buf)
			return func(int) *jsonl.Sender { return s }, func() []byte { return buf.Bytes() }
		}},
		{"one file sender", func(t *testing.T) (func(int) *jsonl.Sender, func() []byte) {
			path := filepath.Join(t.TempDir(), "out.jsonl")
			s := jsonl.NewFile(path)
			return func(int) *jsonl.Sender { return s }, readFile(t, path)
		}},
		{"a file sender per goroutine", func(t *testing.T) (func(int) *jsonl.Sender, func() []byte) {
			path := filepath.Join(t.TempDir(), "out.jsonl")
			return func(int) *jsonl.Sender { return jsonl.NewFile(path) }, readFile(t, path)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sender, read := tt.setup(t)
			ctx := context.Background()
			var wg sync.WaitGroup
			errs := make(chan error, goroutines*perGoroutine)
			for g := range goroutines {
				wg.Add(1)
				go func() {
					defer wg.Done()
					s := sender(g)
					for i := range perGoroutine {
						id := int64(g*1000 + i)
						if _, err := s.Send(ctx, message(id, title)); err != nil {
							errs <- err
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Errorf("Send: %v", err)
			}
			got := lines(t, read())
			if g, w := len(got), goroutines*perGoroutine; g != w {
				t.Fatalf("got %d lines, want %d", g, w)
			}
			// Every delivery once, and each goroutine's in its order.
			seen := map[int64]bool{}
			last := map[int64]int64{}
			for _, l := range got {
				if seen[l.DeliveryID] {
					t.Errorf("delivery %d written twice", l.DeliveryID)
				}
				seen[l.DeliveryID] = true
				g := l.DeliveryID / 1000
				if prev, ok := last[g]; ok && l.DeliveryID < prev {
					t.Errorf("delivery %d after %d, want goroutine %d's in order", l.DeliveryID, prev, g)
				}
				last[g] = l.DeliveryID
				if len(l.Stories) != 1 || l.Stories[0]["title"] != title {
					t.Errorf("delivery %d has a damaged story", l.DeliveryID)
				}
			}
		})
	}
}

func readFile(t *testing.T, path string) func() []byte {
	return func() []byte {
		out, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
}

func TestFileErrors(t *testing.T) {
	tests := []struct {
		name string
		path func(t *testing.T) string
	}{
		{"missing directory", func(t *testing.T) string {
			return filepath.Join(t.TempDir(), "no-such-dir", "out.jsonl")
		}},
		{"path is a directory", func(t *testing.T) string {
			return t.TempDir()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.path(t)
			remote, err := jsonl.NewFile(path).Send(context.Background(), message(1, "x"))
			if err == nil {
				t.Fatalf("Send = %q, nil; want an error", remote)
			}
			if remote != "" {
				t.Errorf("remote id = %q on error, want empty", remote)
			}
			if !strings.Contains(err.Error(), path) {
				t.Errorf("error %q does not name the path %s", err, path)
			}
			if bot.IsPermanent(err) {
				t.Errorf("IsPermanent(%v) = true, want it retried (the directory may yet appear)", err)
			}
		})
	}
}

// TestFileResendWritesOnce: a message sent again after a crash (Resend) is
// not written when its line is in the file, and is when it is not.
func TestFileResendWritesOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.jsonl")
	ctx := context.Background()
	s := jsonl.NewFile(path)
	if _, err := s.Send(ctx, message(7, "first attempt")); err != nil {
		t.Fatal(err)
	}
	for _, m := range []*bot.Message{message(7, "again"), message(8, "never written")} {
		m.Resend = true
		remote, err := jsonl.NewFile(path).Send(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		if want := strconv.FormatInt(m.ID, 10); remote != want {
			t.Errorf("remote id = %q, want %q", remote, want)
		}
	}
	out, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := lines(t, out)
	if len(got) != 2 || got[0].DeliveryID != 7 || got[1].DeliveryID != 8 {
		t.Errorf("file holds %+v, want deliveries 7 then 8, once each", got)
	}
}
