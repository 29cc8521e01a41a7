package feeds

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/net/html"
	"golang.org/x/net/publicsuffix"
)

// skippedElements are elements whose contents are never text for a reader.
var skippedElements = map[string]bool{
	"script": true, "style": true, "noscript": true, "noembed": true,
	"noframes": true, "iframe": true, "template": true,
}

// blockElements break words apart: their boundaries become spaces.
var blockElements = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "br": true,
	"dd": true, "div": true, "dl": true, "dt": true, "figcaption": true, "figure": true,
	"footer": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"header": true, "hr": true, "li": true, "main": true, "nav": true, "ol": true, "p": true,
	"pre": true, "section": true, "table": true, "td": true, "th": true, "tr": true, "ul": true,
}

// invisibleRunes are dropped from text: they only hide word boundaries.
const invisibleRunes = "\u200b\u2060\ufeff\u00ad"

// PlainText turns an HTML fragment (or plain text) into one line of text:
// tags removed, script and style contents dropped, entities decoded,
// whitespace folded to single spaces.
//
// Feeds often escape their HTML twice, so text still holding entities after
// decoding (such as "&quot;" from "&amp;quot;") is decoded once more, and
// input that holds no tags but decodes to markup ("&lt;p&gt;") is read as
// HTML once more.
func PlainText(s string) string {
	var x extractor
	return x.plainText(s)
}

// PlainBody is PlainText for an item's body: the lines (blocks) that are
// navigation or clutter (IsBoilerplate) are left out.
func PlainBody(s string) string {
	var x extractor
	return x.plainBody(s)
}

// extractor turns HTML into text. The text of a fragment is extracted into
// its buffer, which the next fragment reuses, and then cleaned into a
// string of its own: Parse keeps one extractor for every field of every
// item.
type extractor struct {
	buf []byte
}

// plainText is PlainText.
func (x *extractor) plainText(s string) string {
	text := x.plainLines(s)
	if text == s && singleSpaced(s) {
		return s // most titles: their own text, already one line
	}
	var b strings.Builder
	b.Grow(len(text))
	appendFields(&b, text)
	return b.String()
}

// plainBody is PlainBody.
func (x *extractor) plainBody(s string) string { return DropBoilerplate(x.plainLines(s)) }

// plainLines is the text of s, a line per block element. It may be held
// in x's buffer, until x is used again.
func (x *extractor) plainLines(s string) string {
	text := s
	// Text without tags, entities, carriage returns or NULs is its own
	// text (most titles; the empty content of an item with a description).
	if strings.ContainsAny(s, "<&\r\x00") {
		var sawTag bool
		x.buf, sawTag = extractText(x.buf[:0], s, 0)
		text = unsafe.String(unsafe.SliceData(x.buf), len(x.buf))
		if !sawTag && looksLikeMarkup(text) {
			text = string(x.buf) // a copy: the buffer is written again
			x.buf, _ = extractText(x.buf[:0], text, 1)
			text = unsafe.String(unsafe.SliceData(x.buf), len(x.buf))
		}
		text = decodeLeftoverEntities(text)
	}
	if hasInvisible(text) {
		text = strings.Map(func(r rune) rune {
			if r >= 0xad && strings.ContainsRune(invisibleRunes, r) {
				return -1
			}
			return r
		}, text)
	}
	return text
}

// hasInvisible reports whether s holds one of invisibleRunes: a search for
// each one's bytes, far quicker than decoding every rune of s.
func hasInvisible(s string) bool {
	for _, r := range invisibleRunes {
		if strings.Contains(s, string(r)) {
			return true
		}
	}
	return false
}

// extractText appends the text of src to b and reports whether src held
// any tags. CDATA sections are read as HTML, nested at most once.
func extractText(b []byte, src string, depth int) (_ []byte, sawTag bool) {
	z := html.NewTokenizer(strings.NewReader(src))
	z.AllowCDATA(true)
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken: // io.EOF: a strings.Reader fails in no other way
			return b, sawTag
		case html.TextToken:
			if skip > 0 {
				continue
			}
			raw := z.Raw()
			if inner, ok := cdataContent(raw); ok {
				if depth < 2 {
					var inTag bool
					if b, inTag = extractText(b, string(inner), depth+1); inTag {
						sawTag = true
					}
				} else {
					b = append(b, inner...)
				}
				continue
			}
			b = append(b, z.Text()...)
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			sawTag = true
			var lower [maxElementName]byte
			name := lowerTagName(&lower, z.Raw())
			if skippedElements[string(name)] { // no copy of name: the compiler looks it up as it is
				switch tt {
				case html.StartTagToken:
					skip++
				case html.EndTagToken:
					if skip > 0 {
						skip--
					}
				}
				continue
			}
			if blockElements[string(name)] {
				b = append(b, '\n') // a line of its own: DropBoilerplate looks at lines
			}
		}
	}
}

// maxElementName is the length of the longest name in skippedElements and
// blockElements.
const maxElementName = len("figcaption")

// lowerTagName returns the name of the tag token raw ("<P class=x>",
// "</p>", "<br/>") lower-cased in lower, as the tokenizer's TagName would
// (which copies it), or nil when it is longer than maxElementName and so
// names no element looked for.
func lowerTagName(lower *[maxElementName]byte, raw []byte) []byte {
	name := raw[1:] // after "<"
	if len(name) > 0 && name[0] == '/' {
		name = name[1:]
	}
	if end := bytes.IndexAny(name, " \n\r\t\f/>"); end >= 0 {
		name = name[:end]
	}
	if len(name) > len(lower) {
		return nil
	}
	for i, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	return lower[:len(name)]
}

// cdataContent returns the inside of a "<![CDATA[...]]>" token.
func cdataContent(raw []byte) ([]byte, bool) {
	const open, closing = "<![CDATA[", "]]>"
	if !bytes.HasPrefix(raw, []byte(open)) {
		return nil, false
	}
	inner := raw[len(open):]
	inner = bytes.TrimSuffix(inner, []byte(closing))
	return inner, true
}

// looksLikeMarkup reports whether text holds something like a tag: "<" then
// a letter, "/" or "!".
func looksLikeMarkup(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] != '<' {
			continue
		}
		c := s[i+1]
		if c == '/' || c == '!' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') {
			return true
		}
	}
	return false
}

// decodeLeftoverEntities decodes each complete entity ("&name;", "&#n;",
// "&#xh;") still present in s, leaving everything else (a bare "&", "R&D",
// unknown names) as it is.
func decodeLeftoverEntities(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '&')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		end := strings.IndexByte(s, ';')
		if end > 1 && end <= 32 && isEntityName(s[1:end]) {
			candidate := s[:end+1]
			// A whole entity decodes to one or two runes; more means only a
			// prefix matched ("&notit;" gives "¬it;") and it is no entity.
			if decoded := html.UnescapeString(candidate); decoded != candidate && utf8.RuneCountInString(decoded) <= 2 {
				b.WriteString(decoded)
				s = s[end+1:]
				continue
			}
		}
		b.WriteByte('&')
		s = s[1:]
	}
}

// isEntityName reports whether s can be the part of an entity between "&" and ";".
func isEntityName(s string) bool {
	if strings.HasPrefix(s, "#") {
		s = strings.TrimPrefix(strings.TrimPrefix(s[1:], "x"), "X")
	}
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// trackingParams are query parameters that only identify a campaign, a click
// or a share, never the article. Keys are compared lower-cased.
var trackingParams = map[string]bool{
	// Google Ads, Analytics and Display
	"gclid": true, "gclsrc": true, "dclid": true, "gbraid": true, "wbraid": true,
	"_ga": true, "_gl": true,
	// Facebook, Instagram, X/Twitter
	"fbclid": true, "fb_action_ids": true, "fb_action_types": true, "fb_ref": true,
	"fb_source": true, "igshid": true, "igsh": true, "twclid": true, "ref_src": true,
	"ref_url": true,
	// Microsoft, Yandex
	"msclkid": true, "ocid": true, "yclid": true, "ysclid": true,
	// Mailchimp, HubSpot, Marketo, Adobe
	"mc_cid": true, "mc_eid": true, "_hsenc": true, "_hsmi": true, "mkt_tok": true,
	"sc_cid": true, "s_cid": true,
	// AT Internet (BBC, France 24, Le Monde) and comScore
	"at_medium": true, "at_campaign": true, "at_custom1": true, "at_custom2": true,
	"at_custom3": true, "at_custom4": true, "xtor": true,
	"ns_mchannel": true, "ns_source": true, "ns_campaign": true, "ns_linkname": true,
	"ns_fee": true,
	// Publishers' own share and campaign markers (CNN, Guardian, NYT, Yahoo)
	"cmpid": true, "cmp": true, "smid": true, "smtyp": true, "ncid": true,
	// Piwik/Matomo without the mtm_ prefix
	"pk_campaign": true, "pk_kwd": true, "pk_source": true, "pk_medium": true,
	"pk_content": true,
}

// trackingPrefixes mark whole families of tracking parameters.
var trackingPrefixes = []string{"utm_", "mtm_"}

// isTrackingParam reports whether the query key (raw, maybe escaped) tracks.
func isTrackingParam(key string) bool {
	if k, err := url.QueryUnescape(key); err == nil {
		key = k
	}
	key = strings.ToLower(key)
	if trackingParams[key] {
		return true
	}
	for _, p := range trackingPrefixes {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return false
}

// CanonicalURL resolves raw against base ("" for none) and returns the form
// used for identity: http or https only, scheme and host lower-cased, default
// port, user info and fragment dropped, "." and ".." segments resolved,
// tracking parameters (see trackingParams) removed, the remaining query
// parameters sorted by key (repeated keys keep their order), an empty path
// made "/". Path and values keep their case and escaping; an IDN host stays
// as given, lower-cased (not converted to punycode).
func CanonicalURL(raw, base string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", errors.New("canonical url: empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("canonical url: %w", err)
	}
	if base = strings.TrimSpace(base); base != "" && !u.IsAbs() {
		b, err := url.Parse(base)
		if err != nil {
			return "", fmt.Errorf("canonical url: base: %w", err)
		}
		u = b.ResolveReference(u)
	} else {
		u = u.ResolveReference(u) // removes "." and ".." segments
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		if scheme == "" {
			return "", fmt.Errorf("canonical url %q: not absolute", raw)
		}
		return "", fmt.Errorf("canonical url %q: scheme %q is not http or https", raw, scheme)
	}
	host := strings.TrimRight(strings.ToLower(u.Hostname()), ".") // "x.org." and "x.org.." are x.org
	if strings.Trim(host, ".") == "" {                            // "", ".", "..": no host at all
		return "", fmt.Errorf("canonical url %q: no host", raw)
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port := u.Port(); port != "" && !(scheme == "http" && port == "80") && !(scheme == "https" && port == "443") {
		host += ":" + port
	}

	var b strings.Builder
	b.WriteString(scheme)
	b.WriteString("://")
	b.WriteString(host)
	if path := u.EscapedPath(); path != "" {
		b.WriteString(path)
	} else {
		b.WriteByte('/')
	}
	if q := cleanQuery(u.RawQuery); q != "" {
		b.WriteByte('?')
		b.WriteString(q)
	}
	return b.String(), nil
}

// cleanQuery drops empty and tracking parameters from a raw query and sorts
// the rest by key, keeping each pair's original escaping.
func cleanQuery(rawQuery string) string {
	type pair struct{ key, raw string }
	var pairs []pair
	for p := range strings.SplitSeq(rawQuery, "&") {
		// White space around a pair goes: a URL's trailing white space
		// does not survive being canonicalized again ("?%20#" was "/? ").
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		key, _, _ := strings.Cut(p, "=")
		if isTrackingParam(key) {
			continue
		}
		pairs = append(pairs, pair{key: key, raw: p})
	}
	slices.SortStableFunc(pairs, func(a, b pair) int { return strings.Compare(a.key, b.key) })
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = p.raw
	}
	return strings.Join(parts, "&")
}

// RegisteredDomain returns the outlet of an URL or host name: its registered
// domain (eTLD+1, so "news.bbc.co.uk" gives "bbc.co.uk"). IP addresses and
// hosts without a registrable domain ("localhost", "github.io") give the host
// itself without a "www.", "m." or "amp." prefix; unparsable input gives "".
func RegisteredDomain(rawURLOrHost string) string {
	s := strings.TrimSpace(rawURLOrHost)
	if s == "" {
		return ""
	}
	if !strings.Contains(s, "://") {
		s = "http://" + strings.TrimPrefix(s, "//")
	}
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	host := strings.TrimRight(strings.ToLower(u.Hostname()), ".") // "x.org." and "x.org.." are x.org
	if strings.Trim(host, ".") == "" {                            // "", ".", "..": no host at all
		return ""
	}
	if net.ParseIP(host) != nil {
		return host
	}
	if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return d
	}
	for _, p := range []string{"www.", "m.", "amp."} {
		if rest, ok := strings.CutPrefix(host, p); ok && rest != "" {
			host = rest
		}
	}
	return host
}

// ContentHash returns a short stable hex hash of parts: the first 16 bytes of
// the SHA-256 of the parts, each followed by a NUL byte.
func ContentHash(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		// The hash reads the part's own bytes: io.WriteString would copy
		// the whole text of every item first (SHA-256 has no WriteString),
		// and a Writer neither keeps nor changes what it is given.
		h.Write(unsafe.Slice(unsafe.StringData(p), len(p)))
		h.Write(nul[:])
	}
	var sum [sha256.Size]byte
	var out [32]byte
	hex.Encode(out[:], h.Sum(sum[:0])[:16])
	return string(out[:])
}

// nul ends each part of a ContentHash.
var nul = [1]byte{0}
