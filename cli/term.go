package cli

import (
	"fmt"
	"io"
	"os"
	"sync"

	"golang.org/x/term"

	"github.com/wirewatch/wirewatch/bot"
)

// isTerminal reports whether w is a terminal: an *os.File on one (not
// /dev/null, which is a character device too), or a writer that prints
// above a terminal's status line.
func isTerminal(w io.Writer) bool {
	switch w := w.(type) {
	case *os.File:
		return term.IsTerminal(int(w.Fd()))
	case *statusLine:
		return true
	case aboveStatus:
		return isTerminal(w.w)
	}
	return false
}

// statusLine is one line at the bottom of a terminal that a command
// rewrites in place (a carriage return, then the text, then "erase to the
// end of the line"); whatever else is written to the terminal goes above
// it. Safe for concurrent use.
type statusLine struct {
	mu    sync.Mutex
	w     io.Writer // the terminal
	width int       // its columns, 0 when unknown
	text  string    // shown now
}

// newStatusLine returns the status line of the terminal w.
func newStatusLine(w io.Writer) *statusLine {
	s := &statusLine{w: w}
	if f, ok := w.(*os.File); ok {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil {
			s.width = cols
		}
	}
	return s
}

// Set shows text on the line, cut to the terminal's width (a wrapped line
// could not be rewritten).
func (s *statusLine) Set(text string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := []rune(text); s.width > 1 && len(r) >= s.width {
		text = string(r[:s.width-1])
	}
	s.text = text
	io.WriteString(s.w, "\r"+text+"\x1b[K")
}

// Clear empties the line and leaves the cursor at its start.
func (s *statusLine) Clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.text != "" {
		io.WriteString(s.w, "\r\x1b[K")
		s.text = ""
	}
}

// Write prints p above the status line; p should end with a newline.
func (s *statusLine) Write(p []byte) (int, error) {
	return s.above(s.w, p)
}

// above writes p to w (the terminal, or another stream on it) with the
// status line out of the way, and shows the line again after it.
func (s *statusLine) above(w io.Writer, p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.text != "" {
		io.WriteString(s.w, "\r\x1b[K")
	}
	n, err := w.Write(p)
	if s.text != "" {
		if len(p) > 0 && p[len(p)-1] != '\n' {
			io.WriteString(s.w, "\n")
		}
		io.WriteString(s.w, "\r"+s.text+"\x1b[K")
	}
	return n, err
}

// aboveStatus is another writer on the status line's terminal (standard
// output when standard error shows the status): its writes go above the
// line.
type aboveStatus struct {
	status *statusLine
	w      io.Writer
}

func (a aboveStatus) Write(p []byte) (int, error) { return a.status.above(a.w, p) }

// terminalOutput is where a command that reports progress writes: stderr
// with a status line when it is a terminal, and stdout routed above that
// line when it is a terminal too. status is nil when stderr is not a
// terminal (a pipe, a file): then nothing changes.
func terminalOutput(stdout, stderr io.Writer) (status *statusLine, out, errOut io.Writer) {
	if !isTerminal(stderr) {
		return nil, stdout, stderr
	}
	status = newStatusLine(stderr)
	out = stdout
	if isTerminal(stdout) {
		out = aboveStatus{status: status, w: stdout}
	}
	return status, out, status
}

// pollProgress shows once's progress on a status line: "37/120 feeds ·
// 12 new · 1 failed · 1 waiting" (waiting: not polled, its server asked).
type pollProgress struct {
	status  *statusLine
	mu      sync.Mutex
	total   int
	done    int
	new     int // new items
	failed  int
	waiting int // not polled: their servers asked to wait
}

// polled counts one poll and shows the tally; it is a schedule.Service's OnPoll.
func (p *pollProgress) polled(_ bot.Feed, res bot.PollResult, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	p.new += res.New
	switch {
	case res.Skipped:
		p.waiting++
	case err != nil:
		p.failed++
	}
	p.show()
}

// show sets the status line; p.mu is held (or p not yet shared).
func (p *pollProgress) show() {
	line := fmt.Sprintf("%d/%d feeds · %d new", p.done, p.total, p.new)
	if p.failed > 0 {
		line += fmt.Sprintf(" · %d failed", p.failed)
	}
	if p.waiting > 0 {
		line += fmt.Sprintf(" · %d waiting", p.waiting)
	}
	p.status.Set(line)
}
