package feeds

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	jsonfeed "github.com/mmcdole/gofeed/json"
)

// jsonFeedCases are documents decodeJSONFeed must decode as gofeed does,
// the awkward ones included.
var jsonFeedCases = map[string]string{
	"plain":          `{"version":"https://jsonfeed.org/version/1.1","title":"T","items":[{"id":"1","title":"a","content_html":"\u003cp\u003ex\u003c/p\u003e"}]}`,
	"numeric id":     `{"items":[{"id":42},{"id":4.20e1},{"id":" 7 "},{"id":{"a":1}},{"id":null},{"id":true}]}`,
	"escaped id":     `{"items":[{"id":"a\"b\u00e9"},{"id":"\ud83d\ude00"}]}`,
	"null item":      `{"items":[null,{"id":"x"}]}`,
	"no items":       `{"title":"T"}`,
	"empty items":    `{"items":[]}`,
	"null items":     `{"items":null}`,
	"expired":        `{"expired":"true","items":[]}`,
	"expired bad":    `{"expired":"maybe","items":[]}`,
	"expired bool":   `{"expired":true}`,
	"items twice":    `{"items":[{"id":"1","title":"a"}],"Items":[{"title":"b"}]}`,
	"items escaped":  `{"items":[{"id":"1","title":"a"}],"\u0069tems":[{"title":"b"}]}`,
	"items long s":   `{"items":[{"id":"1","title":"a"}],"itemſ":[{"title":"b"}]}`,
	"key case":       `{"TITLE":"T","Items":[{"ID":"1","Content_HTML":"x"}]}`,
	"attachments":    `{"items":[{"id":"1","attachments":[{"url":"u","size_in_bytes":"12","duration_in_seconds":3.5}]}]}`,
	"authors":        `{"author":{"name":"n"},"items":[{"id":"1","authors":[{"name":"a"}],"tags":["x"]}]}`,
	"type error":     `{"title":5,"items":[{"id":"1"}]}`,
	"item not obj":   `{"items":["x"]}`,
	"bad json":       `{"items":[`,
	"invalid utf8":   "{\"items\":[{\"id\":\"a\xffb\",\"title\":\"c\xfe\"}]}",
	"text ending so": `{"title":"Top items","items":[{"id":"1","summary":"more items"}]}`,
}

// TestDecodeJSONFeed: decodeJSONFeed gives gofeed's feed, or its error.
func TestDecodeJSONFeed(t *testing.T) {
	for name, doc := range jsonFeedCases {
		t.Run(name, func(t *testing.T) { checkJSONFeed(t, []byte(doc)) })
	}
	body, err := os.ReadFile("testdata/ortaasia.json")
	if err != nil {
		t.Fatal(err)
	}
	checkJSONFeed(t, body)
}

// FuzzDecodeJSONFeed: decodeJSONFeed gives gofeed's feed, or its error.
func FuzzDecodeJSONFeed(f *testing.F) {
	for _, doc := range jsonFeedCases {
		f.Add([]byte(doc))
	}
	f.Fuzz(checkJSONFeed)
}

func checkJSONFeed(t *testing.T, body []byte) {
	want := &jsonfeed.Feed{}
	wantErr := json.Unmarshal(body, want)
	got, err := decodeJSONFeed(body)
	if (err != nil) != (wantErr != nil) || err != nil && err.Error() != wantErr.Error() {
		t.Fatalf("decodeJSONFeed(%q): error %v, want %v", body, err, wantErr)
	}
	if err == nil && !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Errorf("decodeJSONFeed(%q) = %s, want %s", body, g, w)
	}
}

// TestScanJSONFeed: the usual documents are read by scanJSONFeed, the
// awkward ones left to encoding/json (whose feed checkJSONFeed compares).
func TestScanJSONFeed(t *testing.T) {
	scanned := map[string]bool{
		"plain": true, "numeric id": true, "escaped id": true, "null item": true, "no items": true,
		"empty items": true, "null items": true, "expired": true, "expired bad": true, "expired bool": true,
		"authors": true, "text ending so": true,
		"items twice": false, "items escaped": false, "items long s": false, "key case": false,
		"attachments": false, "type error": false, "item not obj": false, "bad json": false, "invalid utf8": false,
	}
	for name, doc := range jsonFeedCases {
		want, ok := scanned[name]
		if !ok {
			t.Errorf("case %q: say whether scanJSONFeed reads it", name)
			continue
		}
		if _, got := scanJSONFeed([]byte(doc)); got != want {
			t.Errorf("scanJSONFeed(%s) read it: %t, want %t", name, got, want)
		}
	}
	for doc, want := range map[string]bool{
		` { "items" : [ { "id" : "1" , "title" : "a\/b\n\u00e9" } ] } `:   true,
		`{"items":[],"_ext":{"a":[1,-2.5e+3,true,false,null,{"b":"c"}]}}`: true,
		`{"items":[],"_ext":01}`:                            false,
		`{"items":[],"_ext":-}`:                             false,
		`{"items":[],"_ext":1.}`:                            false,
		`{"items":[],"_ext":"\ud800"}`:                      false,
		`{"items":[{"title":"\udc00\ud800"}]}`:              false,
		`{"items":[{"title":"a\u0000b"}]}`:                  true,
		`{"items":[{"title":"\b\f\n\r\t\\\/\"x"}]}`:         true,
		`{"items":[{"title":"\x"}]}`:                        false,
		"{\"items\":[{\"title\":\"a\tb\"}]}":                false, // a raw control character
		`{"items":[]} x`:                                    false,
		`{"items":[],}`:                                     false,
		`{"title":"a","title":"b","items":[]}`:              false,
		`{"items":[{"tags":["a",null,"b"]}]}`:               true,
		`{"items":[{"tags":["a",1]}]}`:                      false,
		`{"items":[{"authors":[null,{"name":"n","x":1}]}]}`: true,
	} {
		if _, got := scanJSONFeed([]byte(doc)); got != want {
			t.Errorf("scanJSONFeed(%s) read it: %t, want %t", doc, got, want)
		}
		checkJSONFeed(t, []byte(doc))
	}
	body, err := os.ReadFile("testdata/ortaasia.json")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := scanJSONFeed(body); !ok {
		t.Error("scanJSONFeed left testdata/ortaasia.json to encoding/json")
	}
}

// TestJSONScanKeys: scanJSONFeed knows every key of gofeed's types, so
// that a field a new gofeed adds is not passed over as unknown.
func TestJSONScanKeys(t *testing.T) {
	for _, tt := range []struct {
		typ  reflect.Type
		keys []string
	}{
		{reflect.TypeFor[jsonfeed.Feed](), feedKeys},
		{reflect.TypeFor[jsonfeed.Item](), itemKeys},
		{reflect.TypeFor[jsonfeed.Author](), authorKeys},
	} {
		var tags []string
		for f := range tt.typ.Fields() {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			tags = append(tags, name)
		}
		slices.Sort(tags)
		keys := slices.Sorted(slices.Values(tt.keys))
		if !slices.Equal(tags, keys) {
			t.Errorf("%s: keys %q, scanJSONFeed knows %q", tt.typ, tags, keys)
		}
	}
}
