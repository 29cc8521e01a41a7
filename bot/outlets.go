package bot

import (
	"fmt"
	"net/url"
	"strings"

)

// Helpers the chat adapters share when they render messages.

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

// Outlet is an outlet and the URL of its report.
type Outlet struct {
	URL    string
	Source string
}

// NewOutlets returns the outlets of an update's new URLs, once each: the
// source of the story's item at that URL, else the URL's host.
func NewOutlets(st *Story, urls []string) []Outlet {
	var out []Outlet
	seen := map[string]bool{}
	for _, u := range urls {
		source := ""
		for _, it := range st.Items {
			if it.URL == u {
				source = it.Source
				break
			}
		}
		if source == "" {
			if pu, err := url.Parse(u); err == nil {
				source = strings.TrimPrefix(pu.Hostname(), "www.")
			}
		}
		if source == "" || seen[source] {
			continue
		}
		seen[source] = true
		out = append(out, Outlet{URL: u, Source: source})
	}
	return out
}
