package feeds

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc64"
	"net"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unsafe"

	"golang.org/x/net/publicsuffix"
)

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

// bidiMark matches the invisible bidirectional marks (LRM, RLM, the
// embeddings, overrides and isolates: U+200E, U+200F, U+202A-U+202E,
// U+2066-U+2069), as they are or percent-encoded. A link copied from
// right-to-left text carries them; without them it is the same link.
var bidiMark = regexp.MustCompile(`[\x{200E}\x{200F}\x{202A}-\x{202E}\x{2066}-\x{2069}]|%[Ee]2%80%(?:8[EeFf]|[Aa][A-Ea-e])|%[Ee]2%81%[Aa][6-9]`)

// dropBidiMarks returns s without bidiMark's marks.
func dropBidiMarks(s string) string {
	// Every mark is E2 80 or E2 81 in UTF-8.
	if !strings.Contains(s, "\xE2") && !strings.Contains(s, "%E2") && !strings.Contains(s, "%e2") {
		return s
	}
	return bidiMark.ReplaceAllLiteralString(s, "")
}

// CanonicalURL resolves raw against base ("" for none) and returns the form
// used for identity: http or https only, scheme and host lower-cased, default
// port, user info and fragment dropped, "." and ".." segments resolved,
// tracking parameters (see trackingParams) removed, the remaining query
// parameters sorted by key (repeated keys keep their order), an empty path
// made "/", bidirectional marks (see bidiMark) removed. Path and values keep
// their case and escaping; an IDN host stays as given, lower-cased (not
// converted to punycode).
func CanonicalURL(raw, base string) (string, error) {
	raw = strings.TrimSpace(dropBidiMarks(raw))
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
		// A link escaped twice ("?id=1&amp;amp;utm_source=rss" in the
		// feed) still holds "&amp;" once decoded: each "amp;" that
		// starts a pair is what is left of its "&".
		for len(p) >= 4 && strings.EqualFold(p[:4], "amp;") {
			p = p[4:]
		}
		if p == "" {
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
		h.Write(readOnly(p))
		h.Write(nul[:])
	}
	var sum [sha256.Size]byte
	var out [32]byte
	hex.Encode(out[:], h.Sum(sum[:0])[:16])
	return string(out[:])
}

// nul ends each part of a ContentHash and an EditHash.
var nul = [1]byte{0}

// readOnly returns the bytes of s, for a callee that neither keeps nor
// changes them, without copying them.
func readOnly(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// EditHash returns the hash of an item's title and text that tells an
// edit (Item.Hash): "c" and the CRC-64 (ECMA) of the two, each followed by
// a NUL byte, in hex. It need not resist forgery, only notice a change to
// one item: a CRC notices every short change, and a tenth of ContentHash's
// cost (SHA-256, a thirtieth of the first pass's CPU) is enough. Items
// stored before it have a ContentHash, which HasHash still compares.
func EditHash(title, text string) string {
	var crc uint64
	for _, p := range [2]string{title, text} {
		crc = crc64.Update(crc, ecma, readOnly(p))
		crc = crc64.Update(crc, ecma, nul[:])
	}
	var sum [8]byte
	binary.BigEndian.PutUint64(sum[:], crc)
	var out [17]byte
	out[0] = 'c'
	hex.Encode(out[1:], sum[:])
	return string(out[:])
}

var ecma = crc64.MakeTable(crc64.ECMA)

// HasHash reports whether a stored item's hash, an EditHash or (stored by
// an earlier version) a ContentHash of its title and text, is the item's:
// whether the item is unedited.
func (it *Item) HasHash(stored string) bool {
	if len(stored) == 2*16 && len(it.Hash) != 2*16 { // a ContentHash: 16 bytes in hex
		return stored == ContentHash(it.Title, it.Text)
	}
	return stored == it.Hash
}
