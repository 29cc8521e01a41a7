package matrix

import (
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/human"
)

func TestEscapeAndLink(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"entities", esc(`a & b < c > d "e" 'f'`), "a &amp; b &lt; c &gt; d &#34;e&#34; &#39;f&#39;"},
		{"room mention", esc("@room @ROOM x@roomy"), "@\u2060room @\u2060ROOM x@roomy"},
		{"white space", esc("  a\n\t b  "), "a b"},
		{"link", link("https://x.org/a?b=1&c=2", "A <b>"), `<a href="https://x.org/a?b=1&amp;c=2">A &lt;b&gt;</a>`},
		{"quote in URL", link(`https://x.org/a"onmouseover="x`, "t"), `<a href="https://x.org/a%22onmouseover=%22x">t</a>`},
		{"not http", link("javascript:alert(1)", "t"), "t"},
		{"no URL", link("", "t<"), "t&lt;"},
		{"no label", link("https://x.org/", ""), `<a href="https://x.org/">https://x.org/</a>`},
		{"truncate", human.Truncate("abcdef", 4), "abc…"},
		{"joinFit", human.JoinFit([]string{"aaaa", "bbbb", "cccc", "dddd"}, ", ", 24), "aaaa, bbbb, and 2 more"},
		{"joinFit all", human.JoinFit([]string{"a", "b"}, ", ", 24), "a, b"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestReplyMessage(t *testing.T) {
	st := &bot.Story{ID: "3", Title: "Kabulov <b>talks</b> @room", Updated: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC),
		Sources: 1, Independent: 1, Outlets: []string{"tass.com"}, Rules: []string{"kabulov"},
		Items: []bot.StoryItem{{URL: "https://tass.com/1", Source: "tass.com"}}}
	r := &bot.Reply{Title: "1 story <matching>", Lines: []bot.Line{{Text: "see", Link: "https://x.org/", LinkText: "x & y"}},
		Stories: []*bot.Story{st}, Location: time.UTC, Page: 1, Pages: 2, Next: "!wirewatch search x page:2"}
	m := replyMessage(r)
	wantHTML := `<p><b>1 story &lt;matching&gt;</b></p><p>see <a href="https://x.org/">x &amp; y</a></p>` +
		`<ul><li><b><a href="https://tass.com/1">Kabulov &lt;b&gt;talks&lt;/b&gt; @` + "\u2060" + `room</a></b> #3<br>` +
		`1 outlet · updated 2026-11-20 09:00 UTC · rules: kabulov<br><a href="https://tass.com/1">tass.com</a></li></ul>` +
		`<p><i>Page 1 of 2. Next page: !wirewatch search x page:2.</i></p>`
	if m.html != wantHTML {
		t.Errorf("html =\n%s\nwant\n%s", m.html, wantHTML)
	}
	wantBody := "1 story <matching>\nsee x & y https://x.org/\n#3 Kabulov <b>talks</b> @\u2060room\n" +
		"    1 outlet · updated 2026-11-20 09:00 UTC · rules: kabulov\n    tass.com\n    https://tass.com/1\n" +
		"Page 1 of 2. Next page: !wirewatch search x page:2."
	if m.body != wantBody {
		t.Errorf("body =\n%q\nwant\n%q", m.body, wantBody)
	}

	// Too long for one event: cut, saying so.
	long := &bot.Reply{Title: "feeds"}
	for range 2000 {
		long.Lines = append(long.Lines, bot.Line{Text: strings.Repeat("x", 40)})
	}
	m = replyMessage(long)
	if len(m.html)+len(m.body) > maxEventText || !strings.Contains(m.body, "cut short") || !strings.HasSuffix(m.html, "</p>") {
		t.Errorf("long reply: %d bytes, ends %q", len(m.html)+len(m.body), m.body[len(m.body)-60:])
	}
}

func TestCommandPrefix(t *testing.T) {
	h := &CommandHandler{prefix: "!wirewatch"}
	tests := []struct {
		body string
		text string
		ok   bool
	}{
		{"!wirewatch search kabulov", "search kabulov", true},
		{"  !WIREWATCH   rules ", "rules", true},
		{"!wirewatch", "", true},
		{"!wirewatch\nhelp", "help", true},
		{"!wirewatchers", "", false},
		{"hello !wirewatch help", "", false},
	}
	for _, tt := range tests {
		text, ok := h.command(tt.body)
		if text != tt.text || ok != tt.ok {
			t.Errorf("command(%q) = %q, %v; want %q, %v", tt.body, text, ok, tt.text, tt.ok)
		}
	}
}
