package config

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// TestSlackChannelName checks the channel-name check against the regular
// expression it stands for, on names of every kind of character.
func TestSlackChannelName(t *testing.T) {
	re := regexp.MustCompile(`^#[\p{Ll}\p{Lo}\p{N}_.\-]{1,80}$`)
	cases := []string{"#general", "#", "", "general", "#General", "#новости", "#Новости", "#ニュース", "#新闻-2026", "#a_b.c-d",
		"#" + strings.Repeat("a", 80), "#" + strings.Repeat("a", 81), "#" + strings.Repeat("ж", 80), "#" + strings.Repeat("ж", 81),
		"#a b", "#a\xffb", "#١٢٣", "#Ⅻ", "#ǅ", "#a#b", "##", "#-", "#\u00b2"}
	alphabet := []rune("aZж Ж新_.-#٣Ⅻ\u00b2\u01c5 !ÿ\ufffd")
	r := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		var b strings.Builder
		if r.IntN(4) > 0 {
			b.WriteByte('#')
		}
		for range r.IntN(84) {
			b.WriteRune(alphabet[r.IntN(len(alphabet))])
		}
		cases = append(cases, b.String())
	}
	for _, s := range cases {
		if got, want := slackChannelName(s), re.MatchString(s); got != want {
			t.Errorf("slackChannelName(%q) = %t, want %t", s, got, want)
		}
	}
}
