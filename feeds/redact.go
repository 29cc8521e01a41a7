package feeds

import (
	"net/url"
	"sort"
	"strings"
)

// RedactURL returns u as it may appear in logs and errors: a password
// hidden, every query value replaced by REDACTED (the keys kept, so
// "?api_key=REDACTED&page=REDACTED" still says what was sent), the fragment
// dropped. Feed URLs carry API keys and tokens in their query more often
// than in a password.
func RedactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	c.Fragment, c.RawFragment = "", ""
	if c.RawQuery != "" {
		q, _ := url.ParseQuery(c.RawQuery)
		keys := make([]string, 0, len(q))
		for k := range q {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, url.QueryEscape(k)+"=REDACTED")
		}
		if len(parts) == 0 { // a query that is not key=value pairs
			parts = append(parts, "REDACTED")
		}
		c.RawQuery = strings.Join(parts, "&")
	}
	return c.Redacted()
}

// RedactRawURL is RedactURL for a URL string; one that does not parse is
// shown as "(url)".
func RedactRawURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(url)"
	}
	return RedactURL(u)
}
