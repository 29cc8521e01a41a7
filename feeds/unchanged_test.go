package feeds

import (
	"reflect"
	"testing"
	"time"
)

// TestParseUnchanged: given the digests of the last parse, Parse leaves out
// the entries among them that have a GUID, and builds the rest as a parse
// without them would; the digests it returns cover the entries it kept
// and the ones it left out, not one whose ID an earlier entry took.
func TestParseUnchanged(t *testing.T) {
	doc := func(second string) []byte {
		return []byte(`<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link>
<item><guid>a</guid><title>Envoy meets delegation</title><description>The envoy met the delegation.</description></item>
<item><guid>b</guid><title>Border talks</title><description>` + second + `</description></item>
<item><title>No GUID</title><link>https://wire.example/c</link><description>An entry known by its link.</description></item>
<item><guid>a</guid><title>Envoy meets delegation again</title><description>The first entry of this GUID is kept.</description></item>
</channel></rss>`)
	}
	opts := ParseOptions{Feed: "wire", FeedURL: "https://wire.example/feed", Now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	first, err := Parse(doc("Talks on the border."), opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.Items) != 3 || first.Unchanged != 0 || len(first.Digests) != 3 {
		t.Fatalf("first parse: %d items, %d unchanged, %d digests; want 3, 0, 3", len(first.Items), first.Unchanged, len(first.Digests))
	}

	edited := doc("Talks on the border resumed.")
	plain, err := Parse(edited, opts)
	if err != nil {
		t.Fatal(err)
	}
	opts.Unchanged = first.Digests
	again, err := Parse(edited, opts)
	if err != nil {
		t.Fatal(err)
	}
	// a is left out; b (edited) and the entry without a GUID are built.
	if want := plain.Items[1:]; !reflect.DeepEqual(again.Items, want) || again.Unchanged != 1 {
		t.Errorf("with the digests: %d unchanged, items %+v; want 1 unchanged, items %+v", again.Unchanged, again.Items, want)
	}
	if !reflect.DeepEqual(again.Digests, plain.Digests) {
		t.Errorf("digests %x, want those of a parse of the same document %x", again.Digests, plain.Digests)
	}
}
