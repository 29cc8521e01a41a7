package feeds

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	jsonfeed "github.com/mmcdole/gofeed/json"
)

// A JSON Feed decoded as gofeed decodes it, in one pass. gofeed's Feed and
// Item have UnmarshalJSON methods (for an "id" that is a number, an
// "expired" that is a string), each of which unmarshals its value again:
// the document was validated three times and its items decoded twice.
// Here the same struct fields are decoded once, "id" and "expired" kept
// raw and coerced afterwards as gofeed coerces them.

// jsonFeedFields and jsonItemFields are gofeed's types without their
// UnmarshalJSON methods.
type (
	jsonFeedFields jsonfeed.Feed
	jsonItemFields jsonfeed.Item
)

// jsonFeedDoc is what jsonfeed.Feed's UnmarshalJSON decodes: its "expired"
// and "items" shadow the embedded fields'.
type jsonFeedDoc struct {
	Expired json.RawMessage `json:"expired"`
	Items   []*jsonItemDoc  `json:"items"`
	jsonFeedFields
}

// jsonItemDoc is what jsonfeed.Item's UnmarshalJSON decodes.
type jsonItemDoc struct {
	ID json.RawMessage `json:"id"`
	jsonItemFields
}

// decodeJSONFeed is json.Unmarshal into a jsonfeed.Feed. The usual
// document is read by scanJSONFeed; the rest by encoding/json. A document
// that does not decode so, or that may hold "items" twice (see
// mayRepeatItems), goes through gofeed's methods, which then give the
// same feed, or the same error, as before.
func decodeJSONFeed(body []byte) (*jsonfeed.Feed, error) {
	if f, ok := scanJSONFeed(body); ok {
		return f, nil
	}
	var doc jsonFeedDoc
	if mayRepeatItems(body) || json.Unmarshal(body, &doc) != nil {
		f := &jsonfeed.Feed{}
		if err := json.Unmarshal(body, f); err != nil {
			return nil, err
		}
		return f, nil
	}
	f := jsonfeed.Feed(doc.jsonFeedFields)
	f.Expired = coerceJSONBool(doc.Expired)
	if doc.Items != nil {
		f.Items = make([]*jsonfeed.Item, len(doc.Items))
		items := make([]jsonfeed.Item, len(doc.Items))
		for i, it := range doc.Items {
			if it == nil {
				continue // "null": nil, as gofeed leaves it
			}
			items[i] = jsonfeed.Item(it.jsonItemFields)
			items[i].ID = coerceJSONString(it.ID)
			f.Items[i] = &items[i]
		}
	}
	return &f, nil
}

// mayRepeatItems reports whether body may name "items" more than once.
// The second array is decoded into the first one's items; gofeed's
// UnmarshalJSON then gives an item without "id" an empty ID, where the
// one-pass decoding would keep the earlier one. A key matches "items"
// case-insensitively ("ſ" folds to "s") and may escape its letters, so
// this counts every string ending so, and any escape of a letter.
func mayRepeatItems(body []byte) bool {
	n := 0
	for i := 0; ; i++ {
		q := bytes.IndexByte(body[i:], '"')
		if q < 0 {
			break
		}
		i += q
		if endsWithItems(body[:i]) {
			if n++; n > 1 {
				return true
			}
		}
	}
	for i := 0; ; i += 2 {
		e := bytes.Index(body[i:], []byte(`\u`))
		if e < 0 {
			return false
		}
		i += e
		if esc := body[i+2:]; len(esc) >= 4 && (esc[0] == '0' && esc[1] == '0' && '4' <= esc[2] && esc[2] <= '7' ||
			esc[0] == '0' && esc[1] == '1' && esc[2] == '7' && esc[3]|0x20 == 'f') {
			return true // U+0040–U+007F or U+017F
		}
	}
}

// endsWithItems reports whether b ends with "items" in any case, or with
// "item" and "ſ".
func endsWithItems(b []byte) bool {
	switch {
	case len(b) >= 5 && b[len(b)-1]|0x20 == 's':
		b = b[:len(b)-1]
	case len(b) >= 6 && b[len(b)-2] == 0xC5 && b[len(b)-1] == 0xBF:
		b = b[:len(b)-2]
	default:
		return false
	}
	return bytes.EqualFold(b[len(b)-4:], []byte("item"))
}

// coerceJSONString is gofeed's coercion of an item's "id": a string, a
// number as written, else the raw JSON trimmed; "" when missing or null.
func coerceJSONString(raw json.RawMessage) string {
	if emptyJSON(raw) {
		return ""
	}
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' && bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		return string(raw[1 : len(raw)-1]) // as json.Unmarshal gives it: no escapes, valid UTF-8
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err == nil {
		return n.String()
	}
	return strings.TrimSpace(string(raw))
}

// coerceJSONBool is gofeed's coercion of a feed's "expired": a boolean,
// or a string strconv.ParseBool takes; false otherwise.
func coerceJSONBool(raw json.RawMessage) bool {
	if emptyJSON(raw) {
		return false
	}
	var b bool
	if err := json.Unmarshal(raw, &b); err == nil {
		return b
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		b, _ := strconv.ParseBool(strings.TrimSpace(s))
		return b
	}
	return false
}

// emptyJSON reports whether raw is missing or null.
func emptyJSON(raw json.RawMessage) bool {
	s := bytes.TrimSpace(raw)
	return len(s) == 0 || string(s) == "null"
}
