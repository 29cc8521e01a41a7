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
