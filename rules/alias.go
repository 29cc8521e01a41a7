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
		if name == "" || strings.ContainsFunc(name, func(r rune) bool { return endsWord(r) || r == '@' }) {
			errs = append(errs, &AliasError{Name: name, Entry: -1, Msg: "cannot be written as @NAME: use letters, digits, - or _"})
			continue
		}
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

// alias expands @NAME into the OR of its entries.
func (p *parser) alias(t token) (node, error) {
	name, entries, ok := p.opts.Aliases.lookup(t.text)
	switch {
	case t.text == "":
		return nil, &SyntaxError{Col: t.col, Msg: "missing alias name after @"}
	case !ok:
		return nil, &SyntaxError{Col: t.col, Msg: fmt.Sprintf("unknown alias @%s", t.text)}
	case len(entries) == 0:
		return nil, &SyntaxError{Col: t.col, Msg: fmt.Sprintf("alias @%s is empty", name)}
	}
	for i, a := range p.aliases {
		if a == name {
			return nil, &SyntaxError{Col: t.col, Msg: "alias cycle: @" + strings.Join(append(p.aliases[i:], name), " → @")}
		}
	}
	if err := p.nest(t.col); err != nil {
		return nil, err
	}
	p.aliases = append(p.aliases, name)
	defer func() { p.aliases = p.aliases[:len(p.aliases)-1]; p.nesting-- }()
	var xs []node
	for _, e := range entries {
		x, err := p.aliasEntry(t, name, e)
		if err != nil {
			return nil, err
		}
		xs = append(xs, x)
	}
	return &aliasNode{name: name, x: orOf(xs), in: p.in, cased: p.cased, col: t.col}, nil
}

// aliasEntry parses one entry of an alias: @OTHER, or a word or phrase
// (=… case-sensitive, a trailing * a prefix). Errors point at the @NAME.
func (p *parser) aliasEntry(at token, name, e string) (node, error) {
	wrap := func(err error) error {
		if se, ok := err.(*SyntaxError); ok && !strings.HasPrefix(se.Msg, "alias") && !strings.HasPrefix(se.Msg, "unknown alias") {
			return &SyntaxError{Col: at.col, Msg: fmt.Sprintf("alias @%s: %q: %s", name, e, se.Msg)}
		}
		return err
	}
	e = strings.TrimSpace(e)
	cased := p.cased
	defer func() { p.cased = cased }()
	if strings.HasPrefix(e, "=") {
		p.cased = true
		e = e[1:]
	}
	if strings.HasPrefix(e, "@") {
		x, err := p.alias(token{kind: tAlias, text: e[1:], col: at.col, end: at.end})
		return x, wrap(err)
	}
	if strings.ContainsAny(e, `"“”„«»`) {
		return nil, wrap(&SyntaxError{Msg: "no quotes inside an alias entry: it is a phrase already"})
	}
	x, err := p.compileTerm(token{kind: tPhrase, text: e, n: -1, col: at.col, end: at.end})
	return x, wrap(err)
}
