package human

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// JoinFit joins parts with sep within max bytes: the parts that do not fit
// are counted instead ("a, b, and 3 more").
func JoinFit(parts []string, sep string, max int) string { return JoinFitMore(parts, sep, max, 0, "") }

// JoinFitMore is JoinFit for parts that are the first of len(parts)+rest:
// one note counts those that did not fit and the rest, and ends with tail
// ("a, b, and 7 more · story #12"; "a b c d e and 7 more · story #12"
// when all parts fit).
func JoinFitMore(parts []string, sep string, max, rest int, tail string) string {
	var b strings.Builder
	for i, p := range parts {
		need := b.Len() + len(p)
		if i > 0 {
			need += len(sep)
		}
		if left := len(parts) - i - 1 + rest; left > 0 { // keep room to say how many more there are
			need += len(sep) + len(fmt.Sprintf("and %d more", left)) + len(tail)
		}
		if need > max {
			if i > 0 {
				b.WriteString(sep)
			}
			fmt.Fprintf(&b, "and %d more%s", len(parts)-i+rest, tail)
			return b.String()
		}
		if i > 0 {
			b.WriteString(sep)
		}
		b.WriteString(p)
	}
	if rest > 0 {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "and %d more%s", rest, tail)
	}
	return b.String()
}

// urlRE finds URLs in error text.
var urlRE = regexp.MustCompile(`[a-zA-Z][a-zA-Z0-9+.-]*://[^\s"'<>]+`)

// RedactURLs shortens the URLs in s to their scheme, host and path: user
// info, query and fragment may hold secrets.
func RedactURLs(s string) string {
	return urlRE.ReplaceAllStringFunc(s, func(raw string) string {
		u, err := url.Parse(strings.TrimRight(raw, ".,;:)"))
		if err != nil || u.Host == "" && u.Scheme != "file" {
			return "(url)"
		}
		out := u.Scheme + "://" + u.Host + u.EscapedPath()
		if u.RawQuery != "" || u.Fragment != "" {
			out += "?…"
		}
		return out + raw[len(strings.TrimRight(raw, ".,;:)")):]
	})
}
