package bot

import (
	"fmt"
	"strings"

	"github.com/wirewatch/wirewatch/rules"
)

// Helpers the chat adapters share when they render messages.

// RuleQueries maps rule names to their queries, for Snippet.
func RuleQueries(rs []Rule) map[string]*rules.Query {
	out := make(map[string]*rules.Query, len(rs))
	for _, r := range rs {
		out[r.Name] = r.Query
	}
	return out
}

// JoinFit joins parts with sep within max bytes: the parts that do not fit
// are counted instead ("a, b, and 3 more").
func JoinFit(parts []string, sep string, max int) string {
	var b strings.Builder
	for i, p := range parts {
		need := b.Len() + len(p)
		if i > 0 {
			need += len(sep)
		}
		if i < len(parts)-1 { // keep room to say how many more there are
			need += len(sep) + len(fmt.Sprintf("and %d more", len(parts)-i-1))
		}
		if need > max {
			if i > 0 {
				b.WriteString(sep)
			}
			fmt.Fprintf(&b, "and %d more", len(parts)-i)
			return b.String()
		}
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(p)
	}
	return b.String()
}
