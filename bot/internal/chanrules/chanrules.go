// Package chanrules finds the alert rules of a channel among the rules a
// story matched, by name: going through every rule for each delivery cost
// a fifth of rendering it with a thousand rules.
package chanrules

import "slices"

// Index holds, by channel, the positions of the alert rules that send
// there, by rule name.
type Index map[string]map[string][]int

// New indexes n rules; rule says the name, channels and mode (alert or
// not) of the rule at position i.
func New(n int, rule func(i int) (name string, channels []string, alert bool)) Index {
	x := Index{}
	for i := range n {
		name, channels, alert := rule(i)
		if !alert {
			continue
		}
		for _, ch := range channels {
			if x[ch] == nil {
				x[ch] = map[string][]int{}
			}
			if at := x[ch][name]; len(at) == 0 || at[len(at)-1] != i { // a channel listed twice
				x[ch][name] = append(at, i)
			}
		}
	}
	return x
}

// Of returns the positions of channel's alert rules named in matched, in
// order, each once.
func (x Index) Of(channel string, matched []string) []int {
	byName := x[channel]
	var out []int
	for _, name := range matched {
		out = append(out, byName[name]...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Set is rules of any type with the Index of their alert rules.
type Set[R any] struct {
	list     []R
	index    Index
	channels []string // the channels of the alert rules, once each
}

// NewSet indexes rs; rule says the name, channels and mode (alert or not)
// of one.
func NewSet[R any](rs []R, rule func(r *R) (name string, channels []string, alert bool)) *Set[R] {
	s := &Set[R]{list: rs, index: New(len(rs), func(i int) (string, []string, bool) { return rule(&rs[i]) })}
	for ch := range s.index {
		s.channels = append(s.channels, ch)
	}
	slices.Sort(s.channels)
	return s
}

// List returns the rules given to NewSet.
func (s *Set[R]) List() []R { return s.list }

// Of returns the alert rules that send to channel and are among matched
// (a story's rules), in the rules' order: what alerts and updates the
// story there. They point into the rules given to NewSet (a rule may be
// large: copies of them were a twentieth of the bytes a poll allocated).
func (s *Set[R]) Of(channel string, matched []string) []*R {
	at := s.index.Of(channel, matched)
	out := make([]*R, len(at))
	for k, i := range at {
		out[k] = &s.list[i]
	}
	return out
}

// Covers reports whether every channel an alert rule sends to is among
// channels.
func (s *Set[R]) Covers(channels []string) bool {
	for _, ch := range s.channels {
		if !slices.Contains(channels, ch) {
			return false
		}
	}
	return true
}
