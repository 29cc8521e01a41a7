package rules

import (
	"fmt"
	"slices"
	"strings"
)

// Aliases are named lists of terms, used as @NAME in queries. An entry is
// a word or a phrase (its words consecutive; "word*" a prefix, "=WORD"
// case-sensitive) or @OTHER, another alias.
type Aliases map[string][]string

// lookup returns the alias called name: exactly, else the one whose name
// differs from it in case only.
func (a Aliases) lookup(name string) (string, []string, bool) {
	if es, ok := a[name]; ok {
		return name, es, true
	}
	var found []string
	for k := range a {
		if strings.EqualFold(k, name) {
			found = append(found, k)
		}
	}
	if len(found) == 1 {
		return found[0], a[found[0]], true
	}
	return "", nil, false
}

// AliasError is an invalid alias.
type AliasError struct {
	Name  string // the alias
	Entry int    // the index of the faulty entry, or -1 for the alias as a whole
	Msg   string
}

// Error returns "alias NAME: msg".
func (e *AliasError) Error() string { return fmt.Sprintf("alias %s: %s", e.Name, e.Msg) }

// Check reports every invalid alias, sorted by name: entries that do not
// parse, unknown aliases named by an entry, and cycles.
func (a Aliases) Check() []*AliasError {
	var errs []*AliasError
	names := make([]string, 0, len(a))
	for name := range a {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if len(a[name]) == 0 {
			errs = append(errs, &AliasError{Name: name, Entry: -1, Msg: "has no entries"})
			continue
		}
		for i, e := range a[name] {
			// Parse each entry alone, so that the error names it.
			p := &parser{opts: Options{Aliases: a}, in: inBoth, aliases: []string{name}}
			if _, err := p.aliasEntry(token{col: 1}, name, e); err != nil {
				msg := err.Error()
				if se, ok := err.(*SyntaxError); ok {
					msg = strings.TrimPrefix(se.Msg, fmt.Sprintf("alias @%s: %q: ", name, strings.TrimSpace(e)))
				}
				errs = append(errs, &AliasError{Name: name, Entry: i, Msg: fmt.Sprintf("%q: %s", e, msg)})
			}
		}
	}
	return errs
}
