package config

import (
	"cmp"
	"fmt"
	"reflect"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// keyLines maps key paths as errors name them ("feed[2].schedule",
// "rule[0].channels[1]") to where they are written.
type keyLines map[string]keyPos

// keyPos is where a key is written, and the kind of its value (Invalid
// for table headers and parts of dotted keys).
type keyPos struct {
	unstable.Position
	kind unstable.Kind
}

// scanKeyLines walks the TOML document with go-toml's parser and records the
// position of every table header, key and array element. Array tables count
// from 0 in document order, as they decode. It stops at a syntax error,
// which decoding reports.
func scanKeyLines(data []byte) keyLines {
	lines := keyLines{}
	arrays := map[string]int{} // array tables seen so far, by path
	var p unstable.Parser
	p.Reset(data)
	prefix := ""
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			path := ""
			for it := e.Key(); it.Next(); {
				path = joinKey(path, string(it.Node().Data))
				n, isArray := arrays[path]
				switch {
				case e.Kind == unstable.ArrayTable && it.IsLast():
					arrays[path] = n + 1
					path = fmt.Sprintf("%s[%d]", path, n)
				case isArray:
					path = fmt.Sprintf("%s[%d]", path, n-1)
				}
				lines.add(path, p.Shape(it.Node().Raw).Start, unstable.Invalid)
			}
			prefix = path
		case unstable.KeyValue:
			lines.addKeyValue(&p, prefix, e)
		}
	}
	return lines
}

func (l keyLines) addKeyValue(p *unstable.Parser, prefix string, kv *unstable.Node) {
	path := prefix
	for it := kv.Key(); it.Next(); {
		path = joinKey(path, string(it.Node().Data))
		kind := unstable.Invalid
		if it.IsLast() {
			kind = kv.Value().Kind
		}
		l.add(path, p.Shape(it.Node().Raw).Start, kind)
	}
	l.addValue(p, path, kv.Value())
}

func (l keyLines) addValue(p *unstable.Parser, path string, v *unstable.Node) {
	switch v.Kind {
	case unstable.InlineTable:
		for it := v.Children(); it.Next(); {
			if it.Node().Kind == unstable.KeyValue {
				l.addKeyValue(p, path, it.Node())
			}
		}
	case unstable.Array:
		i := 0
		for it := v.Children(); it.Next(); {
			elem := it.Node()
			if elem.Kind == unstable.Comment {
				continue
			}
			key := fmt.Sprintf("%s[%d]", path, i)
			if elem.Raw.Length > 0 {
				l.add(key, p.Shape(elem.Raw).Start, elem.Kind)
			}
			l.addValue(p, key, elem)
			i++
		}
	}
}

// add records the first place a key is written.
func (l keyLines) add(key string, pos unstable.Position, kind unstable.Kind) {
	if _, ok := l[key]; !ok {
		l[key] = keyPos{pos, kind}
	}
}

// line returns the line of key, else of its nearest written parent, else 0.
func (l keyLines) line(key string) int {
	for key != "" {
		if pos, ok := l[key]; ok {
			return pos.Line
		}
		key = key[:max(strings.LastIndexAny(key, ".["), 0)]
	}
	return 0
}

// keyAt returns the key written last before column col of line, or "".
func (l keyLines) keyAt(line, col int) string {
	best, bestCol := "", 0
	for key, pos := range l {
		if pos.Line == line && pos.Column <= col && (pos.Column > bestCol || pos.Column == bestCol && len(key) > len(best)) {
			best, bestCol = key, pos.Column
		}
	}
	return best
}

func joinKey(prefix, part string) string {
	if prefix == "" {
		return part
	}
	return prefix + "." + part
}

// structFields yields the fields of struct type t that TOML decodes.
func structFields(t reflect.Type) func(yield func(reflect.StructField) bool) {
	return func(yield func(reflect.StructField) bool) {
		for i := range t.NumField() {
			f := t.Field(i)
			if f.IsExported() && tomlName(f) != "-" && !yield(f) {
				return
			}
		}
	}
}

func fieldByKey(t reflect.Type, key string) (reflect.StructField, bool) {
	for f := range structFields(t) {
		if tomlName(f) == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func tomlName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
	return cmp.Or(name, f.Name)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
