package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/rules"
)

// ruleTestConfig stores three items (once) and returns the configuration.
func ruleTestConfig(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	now := time.Now().UTC()
	var items strings.Builder
	for i, it := range [][2]string{
		{"Kabulov meets Taliban envoys in Moscow", "Zamir Kabulov, the Kremlin's envoy, said talks with the Taliban would go on."},
		{"ОДКБ проведёт учения в Таджикистане", "Учения ОДКБ пройдут у границы с Афганистаном; об этом сообщил Кабулову представитель."},
		{"Football: Kabul derby ends in a draw", "The Kabul derby ended 1-1."},
	} {
		fmt.Fprintf(&items, `<item><guid>https://wire.example/%d</guid><link>https://wire.example/%d</link><title>%s</title><description>%s</description><pubDate>%s</pubDate></item>`,
			i, i, it[0], it[1], now.Add(-time.Duration(i+1)*time.Hour).Format(time.RFC1123Z))
	}
	feed := filepath.Join(dir, "wire.xml")
	if err := os.WriteFile(feed, []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://wire.example</link>`+items.String()+`</channel></rss>`), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "wirewatch.toml")
	if err := os.WriteFile(cfg, []byte(fmt.Sprintf(`[store]
path = "w.db"

[defaults]
stem = "russian"

[[feed]]
name = "wire"
url = %q

[[channel]]
name = "out"
jsonl = "out.jsonl"

[[rule]]
name = "kabulov"
query = "Кабулов OR kabulov OR @CSTO"
channels = ["out"]

[alias]
CSTO = ["CSTO", "ОДКБ"]
`, feed)), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if err := Run(context.Background(), []string{"once", "-config", cfg}, &out, &errOut); err != nil {
		t.Fatalf("once: %v\n%s", err, errOut.String())
	}
	return cfg
}

func TestRulesTest(t *testing.T) {
	cfg := ruleTestConfig(t)
	tests := []struct {
		name    string
		args    []string
		want    []string
		notWant []string
	}{
		{"a rule", []string{"kabulov"}, []string{
			"#3  Kabulov meets Taliban envoys in Moscow\n     wire.example · ",
			"why: kabulov\n",
			"matched: Kabulov\n",
			"title: Kabulov meets Taliban envoys in Moscow\n",
			"text: Zamir Kabulov, the Kremlin's envoy",
			"why: Кабулов OR @CSTO→Одкб\n",
			"matched: ОДКБ, Кабулову\n",
			"kabulov matched 2 stories (2 items) in the items of the last 7d; 3 items read\n",
		}, []string{"derby", "\x1b["}},
		{"a query not in the file, with the config's aliases", []string{"-query", "@CSTO OR taliban"}, []string{
			"why: taliban\n",
			"why: @CSTO→Одкб\n",
			"the query matched 2 stories (2 items)",
		}, []string{"derby"}},
		{"a query in place of a rule's", []string{"-query", "kabul", "kabulov"}, []string{
			"why: kabul\n",
			"matched: Kabul\n",
			"kabulov matched 1 story (1 item)",
		}, []string{"Moscow"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			args := append([]string{"rules", "test", "-config", cfg}, tt.args...)
			if err := Run(context.Background(), args, &out, &errOut); err != nil {
				t.Fatalf("rules test: %v\n%s", err, errOut.String())
			}
			for _, want := range tt.want {
				if !strings.Contains(out.String(), want) {
					t.Errorf("output lacks %q:\n%s", want, out.String())
				}
			}
			for _, no := range tt.notWant {
				if strings.Contains(out.String(), no) {
					t.Errorf("output holds %q:\n%s", no, out.String())
				}
			}
		})
	}
	var out, errOut bytes.Buffer
	if err := Run(context.Background(), []string{"rules", "test", "-config", cfg, "-query", "kabulov ("}, &out, &errOut); err == nil ||
		!strings.Contains(errOut.String(), "query: column 9: unclosed parenthesis") {
		t.Errorf("a bad -query: %v, stderr %q; want its column", err, errOut.String())
	}
}

func TestInContext(t *testing.T) {
	text := strings.Repeat("filler words here ", 20) + "Zamir Kabulov said   the CSTO would meet. " + strings.Repeat("more words ", 30)
	i := strings.Index(text, "Kabulov")
	j := strings.Index(text, "CSTO")
	spans := []rules.Span{{Field: rules.Text, Start: i, End: i + len("Kabulov")}, {Field: rules.Text, Start: j, End: j + 4}}
	got := inContext(text, spans, 80, func(s string) string { return "[" + s + "]" })
	if !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") || !strings.Contains(got, "Zamir [Kabulov] said the [CSTO] would") {
		t.Errorf("inContext = %q", got)
	}
	if n := len([]rune(got)); n > 100 {
		t.Errorf("inContext gave %d runes, want about 80", n)
	}
	if got := inContext("Kabulov speaks", spans[:0], 0, nil); got != "Kabulov speaks" {
		t.Errorf("inContext without spans = %q", got)
	}
}
