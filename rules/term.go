package rules

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wirewatch/wirewatch/text"
)

// meta parses the value of source:, tag: or lang:.
func (p *parser) meta(t token) (node, error) {
	v := p.next()
	if v.kind != tWord && v.kind != tPhrase {
		return nil, &SyntaxError{Col: t.col, Msg: fmt.Sprintf("%s: needs a value, like %s", t.text, map[string]string{
			"source": "source:tass.com", "tag": "tag:central-asia", "lang": "lang:ru"}[t.text])}
	}
	value := strings.Join(strings.Fields(text.Fold(v.text)), " ")
	if value == "" || strings.ContainsAny(value, `"“”„«»`) {
		return nil, &SyntaxError{Col: v.col, Msg: fmt.Sprintf("%s: needs a value", t.text)}
	}
	if p.cased {
		return nil, &SyntaxError{Col: t.col, Msg: "= does not apply to " + t.text + ":"}
	}
	return &metaNode{field: t.text, value: value, col: t.col}, nil
}

// regexp compiles /re/, case-insensitive unless marked with =.
func (p *parser) regexp(t token) (node, error) {
	if !p.opts.Regexp {
		return nil, &SyntaxError{Col: t.col, Msg: "regular expressions are not enabled here"}
	}
	if utf8.RuneCountInString(t.text) > maxRegexp {
		return nil, &SyntaxError{Col: t.col, Msg: fmt.Sprintf("regular expression longer than %d characters", maxRegexp)}
	}
	if t.text == "" {
		return nil, &SyntaxError{Col: t.col, Msg: "empty regular expression"}
	}
	flags := "(?i)"
	if p.cased {
		flags = ""
	}
	re, err := syntax.Parse(flags+t.text, syntax.Perl)
	if err != nil {
		return nil, &SyntaxError{Col: t.col, Msg: "regular expression: " + strings.TrimPrefix(err.Error(), "error parsing regexp: ")}
	}
	if prog, err := syntax.Compile(re.Simplify()); err != nil || len(prog.Inst) > maxRegexpInsts {
		return nil, &SyntaxError{Col: t.col, Msg: "regular expression too large"}
	}
	x, err := regexp.Compile(flags + t.text)
	if err != nil {
		return nil, &SyntaxError{Col: t.col, Msg: "regular expression: " + err.Error()}
	}
	return &regexpNode{re: x, src: t.text, in: p.in, col: t.col}, nil
}

// compileTerm turns a word or phrase token into a term. Its text is
// tokenised like a document; a "*" right after a word makes that word a
// prefix.
func (p *parser) compileTerm(t token) (node, error) {
	col := t.col // column of text[0]
	if t.kind == tPhrase {
		col++
	}
	folded, offs := text.FoldOffsets(t.text)
	off := func(i int) int { return offs.Orig(i) }
	spans := text.AppendSpans(folded, nil)
	// Every * must end a word.
	stars := map[int]bool{} // offsets in t.text of words' ends followed by *
	for i, r := range t.text {
		if r != '*' {
			continue
		}
		starCol := col + utf8.RuneCountInString(t.text[:i])
		next, _ := utf8.DecodeRuneInString(t.text[i+1:])
		ok := next != '*' && !text.IsWordStart(next)
		if ok {
			ok = false
			for _, sp := range spans {
				if off(int(sp.End)) == i {
					ok = true
					if utf8.RuneCountInString(folded[sp.Start:sp.End]) < minPrefix {
						return nil, &SyntaxError{Col: starCol, Msg: fmt.Sprintf("a prefix needs at least %d letters before *", minPrefix)}
					}
				}
			}
		}
		if !ok {
			return nil, &SyntaxError{Col: starCol, Msg: "* must come right after a word, at its end"}
		}
		stars[i] = true
	}
	var elems []elem
	for _, sp := range spans {
		e := elem{tok: folded[sp.Start:sp.End], prefix: stars[off(int(sp.End))]}
		orig := t.text[off(int(sp.Start)):off(int(sp.End))]
		if p.cased {
			e.cased = orig
		} else if !e.prefix && p.opts.Stem.applies(e.tok) {
			e.stem = p.opts.Stem
			r, _ := utf8.DecodeRuneInString(orig)
			e.name = unicode.IsUpper(r)
		}
		elems = append(elems, e)
	}
	prox := -1
	if t.kind == tPhrase && len(elems) > 1 {
		prox = t.n
	}
	switch {
	case len(elems) == 0 && t.kind == tPhrase:
		return nil, &SyntaxError{Col: t.col, Msg: "empty phrase"}
	case len(elems) == 0:
		return nil, &SyntaxError{Col: t.col, Msg: fmt.Sprintf("%q has no letters or digits", t.text)}
	}
	return &termNode{elems: elems, prox: prox, in: p.in, col: t.col}, nil
}
