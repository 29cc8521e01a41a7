//go:build unix

package main

import (
	"bytes"
	"io"
	"os"
	"runtime/pprof"
	"sync"
	"sync/atomic"
)

// writeHeapProfile writes what was allocated so far (and what is live).
func writeHeapProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.WriteHeapProfile(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// countWriter counts the bytes and the lines (messages) written to it.
type countWriter struct{ bytes, lines *atomic.Int64 }

func (w countWriter) Write(p []byte) (int, error) {
	w.bytes.Add(int64(len(p)))
	w.lines.Add(int64(bytes.Count(p, []byte{'\n'})))
	return len(p), nil
}

// heldWriter holds writes, when told to, until it is released.
type heldWriter struct {
	w    io.Writer
	mu   sync.Mutex
	gate chan struct{} // closed when released; nil when not held
}

func (h *heldWriter) hold() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.gate = make(chan struct{})
}

func (h *heldWriter) release() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.gate != nil {
		close(h.gate)
		h.gate = nil
	}
}

func (h *heldWriter) Write(p []byte) (int, error) {
	h.mu.Lock()
	gate := h.gate
	h.mu.Unlock()
	if gate != nil {
		<-gate
	}
	return h.w.Write(p)
}
