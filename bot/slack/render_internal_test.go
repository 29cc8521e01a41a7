package slack

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"
	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/human"
)

// TestHighlight checks the mrkdwn rendering of bot.Highlight (whose
// matching bot/snippet_test.go covers): bold runs, escaping, no broadcasts.
func TestHighlight(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		terms []string
		n     int
		want  string // "" when nothing matches
	}{
		{"word", "Moscow will keep talking, Kabulov said.", []string{"kabulov"}, 240,
			"Moscow will keep talking, *Kabulov* said."},
		{"no match", "nothing here", []string{"kabulov"}, 240, ""},
		{"markup escaped", "<!here> Kabulov & co <@U1>", []string{"kabulov"}, 240, "&lt;!here&gt; *Kabulov* &amp; co &lt;@U1&gt;"},
		{"broadcast across words", "@channel Kabulov", []string{"kabulov"}, 240, "@\u2060channel *Kabulov*"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var terms [][]string
			for _, s := range tt.terms {
				terms = append(terms, strings.Fields(s))
			}
			parts := bot.Highlight(tt.text, terms, tt.n)
			got, ok := snippetMrkdwn(parts), parts != nil
			if ok != (tt.want != "") || got != tt.want {
				t.Errorf("highlight = %q, %v; want %q", got, ok, tt.want)
			}
		})
	}
}

func TestEscapeAndLink(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"entities", escape("a & b < c > d"), "a &amp; b &lt; c &gt; d"},
		{"mentions", escape("<!here> <!channel> <@U1> <#C1>"), "&lt;!here&gt; &lt;!channel&gt; &lt;@U1&gt; &lt;#C1&gt;"},
		{"broadcast words", escape("@channel @Here @everyone x@channelx"), "@\u2060channel @\u2060Here @\u2060everyone x@channelx"},
		{"white space", escape("  a\n\t b  "), "a b"},
		{"link", link("https://x.org/a?b=1&c=2", "A <b> | c"), "<https://x.org/a?b=1&amp;c=2|A &lt;b&gt; ¦ c>"},
		{"link with a pipe in the URL", link("https://x.org/a|b>c", "t"), "<https://x.org/a%7Cb%3Ec|t>"},
		{"not http", link("javascript:alert(1)", "t"), "t"},
		{"no URL", link("", "t<"), "t&lt;"},
		{"truncate keeps entities whole", truncate("abc &amp; def", 7), "abc…"},
		{"joinFit", human.JoinFit([]string{"aaaa", "bbbb", "cccc", "dddd"}, ", ", 24), "aaaa, bbbb, and 2 more"},
		{"joinFit all", human.JoinFit([]string{"a", "b"}, ", ", 24), "a, b"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

// TestMessagesStayWithinBlockKitLimits is the regression test of titles
// and snippets that exceeded Block Kit's limits: Slack refused the message
// (invalid_blocks) and it was retried for ever.
func TestMessagesStayWithinBlockKitLimits(t *testing.T) {
	huge := "https://example.org/" + strings.Repeat("a", 5000)
	st := &bot.Story{ID: "1", Title: strings.Repeat("Kabulov & co ", 40), Sources: 1, Outlets: []string{"tass.com"},
		Items: []bot.StoryItem{{URL: huge, Title: strings.Repeat("Kabulov & co ", 40), Source: "tass.com"}}}
	snippet := []bot.SnippetPart{{Text: strings.Repeat("<&> ", 900)}, {Text: "Kabulov", Bold: true}}
	m := &bot.Message{Kind: "alert", Channel: "desk", Stories: []*bot.Story{st}, Snippet: snippet, New: []string{huge}}
	msgs := []message{alertMessage(m, "", time.Time{}, time.UTC), threadReply(m)}
	msgs = append(msgs, digestMessages("kabulov", []*bot.Story{st})...)
	for i, m := range msgs {
		for j, b := range m.blocks {
			var text string
			limit := maxSectionText
			switch b := b.(type) {
			case *slack.SectionBlock:
				text = b.Text.Text
			case *slack.HeaderBlock:
				text, limit = b.Text.Text, maxHeaderText
			case *slack.ContextBlock:
				text = b.ContextElements.Elements[0].(*slack.TextBlockObject).Text
			}
			if n := utf8.RuneCountInString(text); n > limit {
				t.Errorf("message %d block %d (%T): %d characters, over Slack's %d", i, j, b, n, limit)
			}
		}
		// The fallback text is cut to its length as sent, escaped, and
		// not back to the first raw "&" (it was "Kabulov…").
		if n := utf8.RuneCountInString(m.text); n > maxFallback || i == 0 && n < maxFallback/2 {
			t.Errorf("message %d: fallback text of %d characters, want up to %d and most of them", i, n, maxFallback)
		}
	}
}

// TestDigestStaysWithinBlocksTextLimit is the regression test of digests
// that Slack refuses as msg_blocks_too_long: it takes up to 45 stories in
// a message, but refuses one whose blocks hold more than about 12,000
// characters of text in all, and a story's section (its headline and five
// outlets linked) takes some 800 — a digest of more than about 15 stories
// never went out. Each part now stays within maxBlocksText, the stories in
// their order, none left out.
func TestDigestStaysWithinBlocksTextLimit(t *testing.T) {
	var stories []*bot.Story
	for i := range 45 {
		st := &bot.Story{ID: fmt.Sprint(100 + i), Title: fmt.Sprintf("Russia ready to cooperate with Taliban on security, says envoy Zamir Kabulov (%d)", i)}
		for k := range 6 {
			o := fmt.Sprintf("outlet%d.example", k)
			st.Outlets = append(st.Outlets, o)
			st.Items = append(st.Items, bot.StoryItem{URL: fmt.Sprintf("https://www.%s/news/2026/11/20/russia-ready-to-cooperate-with-taliban-%d.html", o, i), Title: st.Title, Source: o})
		}
		st.Sources, st.Independent = 6, 6
		stories = append(stories, st)
	}
	msgs := digestMessages("russia-taliban", stories)
	next := 0
	for i, m := range msgs {
		total := 0
		for _, b := range m.blocks {
			switch b := b.(type) {
			case *slack.SectionBlock:
				if want := fmt.Sprintf("(%d)>*", next); !strings.Contains(b.Text.Text, want) {
					t.Errorf("part %d: a section %.60q…, want story %d's", i+1, b.Text.Text, next)
				}
				next++
				total += utf8.RuneCountInString(b.Text.Text)
			case *slack.HeaderBlock:
				total += utf8.RuneCountInString(b.Text.Text)
				if want := fmt.Sprintf("(%d/%d)", i+1, len(msgs)); len(msgs) > 1 && !strings.HasSuffix(b.Text.Text, want) {
					t.Errorf("part %d header %q, want it to end %q", i+1, b.Text.Text, want)
				}
			case *slack.ContextBlock:
				total += utf8.RuneCountInString(b.ContextElements.Elements[0].(*slack.TextBlockObject).Text)
			}
		}
		if total > maxBlocksText {
			t.Errorf("part %d of %d: %d characters of block text, over %d", i+1, len(msgs), total, maxBlocksText)
		}
	}
	if next != len(stories) {
		t.Errorf("the parts list %d stories, want %d", next, len(stories))
	}
}
