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

// TestSet: a Set's Of points at the rules Index.Of names, and Covers
// holds when every channel of an alert rule is listed, whatever the
// digest rules send to.
func TestSet(t *testing.T) {
	rs := []rule{
		{"a", []string{"ops", "news"}, true},
		{"b", []string{"news"}, true},
		{"c", []string{"digest"}, false},
	}
	s := NewSet(rs, func(r *rule) (string, []string, bool) { return r.name, r.channels, r.alert })
	if got := s.Of("news", []string{"b", "a", "c"}); len(got) != 2 || got[0] != &rs[0] || got[1] != &rs[1] {
		t.Errorf("Of(news) = %v, want pointers to rules 0 and 1", got)
	}
	if got := s.Of("digest", []string{"c"}); len(got) != 0 {
		t.Errorf("Of(digest) = %v, want none", got)
	}
	for _, tc := range []struct {
		channels []string
		want     bool
	}{
		{nil, false},
		{[]string{"news"}, false},
		{[]string{"news", "ops"}, true},
		{[]string{"x", "ops", "news"}, true},
	} {
		if got := s.Covers(tc.channels); got != tc.want {
			t.Errorf("Covers(%q) = %v, want %v", tc.channels, got, tc.want)
		}
	}
	if empty := NewSet([]rule(nil), func(r *rule) (string, []string, bool) { return r.name, r.channels, r.alert }); !empty.Covers(nil) {
		t.Error("a set without alert rules does not cover no channels")
	}
}
