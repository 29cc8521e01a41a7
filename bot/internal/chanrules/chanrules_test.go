package chanrules

import (
	"slices"
	"testing"
)

type rule struct {
	name     string
	channels []string
	alert    bool
}

// Of answers as going through every rule in order does: the alert rules
// sending to the channel whose names were matched, each once.
func TestOfAsEveryRuleInOrder(t *testing.T) {
	rs := []rule{
		{"a", []string{"ops", "news"}, true},
		{"b", []string{"news"}, true},
		{"c", []string{"news"}, false}, // a digest rule
		{"a", []string{"news"}, true},  // a second rule of one name
		{"d", []string{"news", "news"}, true},
	}
	x := New(len(rs), func(i int) (string, []string, bool) { return rs[i].name, rs[i].channels, rs[i].alert })
	for _, tc := range []struct {
		name, channel string
		matched       []string
	}{
		{"none matched", "news", nil},
		{"in reverse", "news", []string{"d", "c", "b", "a"}},
		{"twice", "news", []string{"a", "a", "d"}},
		{"other channel", "ops", []string{"a", "b"}},
		{"unknown channel", "x", []string{"a"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var want []int
			for i, r := range rs {
				if slices.Contains(tc.matched, r.name) && r.alert && slices.Contains(r.channels, tc.channel) {
					want = append(want, i)
				}
			}
			if got := x.Of(tc.channel, tc.matched); !slices.Equal(got, want) {
				t.Errorf("Of(%q, %q) = %v, want %v", tc.channel, tc.matched, got, want)
			}
		})
	}
}
