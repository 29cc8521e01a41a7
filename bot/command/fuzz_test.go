package command

import (
	"slices"
	"strings"
	"testing"
)

// FuzzParseInput: a chat command line of any words parses without panic,
// to a page within bounds and arguments that are words of the line.
func FuzzParseInput(f *testing.F) {
	for _, s := range []string{
		"search kabulov since:2d page:2",
		"story 42 in:channel",
		"mute rule:csto 3h",
		"page:0 since:forever",
		"help SINCE:1w PAGE:1000 In:Channel",
		"split tolonews.com",
		"since: page: in:",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		words := strings.Fields(line)
		if len(words) == 0 {
			return
		}
		in, err := parseInput(Request{Text: line}, words)
		if err != nil {
			return
		}
		if in.Page < 1 || in.Page > maxPage {
			t.Errorf("%q: page %d", line, in.Page)
		}
		if in.Since < 0 {
			t.Errorf("%q: since %v", line, in.Since)
		}
		for _, a := range in.Args {
			if !slices.Contains(words[1:], a) {
				t.Errorf("%q: argument %q is not a word of the line", line, a)
			}
		}
	})
}
