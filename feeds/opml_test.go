package feeds

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

func TestOPMLRoundTrip(t *testing.T) {
	in := `<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>My feeds</title></head><body>
  <outline text="Afghanistan">
    <outline text="TOLOnews" type="rss" xmlUrl="https://tolonews.com/rss.xml" htmlUrl="https://tolonews.com"/>
    <outline text="Khaama" title="Khaama Press" type="rss" xmlUrl=" https://www.khaama.com/feed/ "/>
  </outline>
  <outline text="TASS" type="rss" xmlUrl="https://tass.com/rss/v2.xml"/>
  <outline text="A folder with no feeds"/>
</body></opml>`
	got, err := ReadOPML(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []OPMLFeed{
		{Title: "TOLOnews", URL: "https://tolonews.com/rss.xml", SiteURL: "https://tolonews.com", Tags: []string{"Afghanistan"}},
		{Title: "Khaama Press", URL: "https://www.khaama.com/feed/", Tags: []string{"Afghanistan"}},
		{Title: "TASS", URL: "https://tass.com/rss/v2.xml"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ReadOPML = %+v, want %+v", got, want)
	}
	var buf bytes.Buffer
	if err := WriteOPML(&buf, "wirewatch feeds", got); err != nil {
		t.Fatal(err)
	}
	again, err := ReadOPML(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for i := range again {
		again[i].Tags = want[i].Tags // folders are not written back
	}
	if !reflect.DeepEqual(again, want) {
		t.Errorf("round trip = %+v, want %+v", again, want)
	}
	if _, err := ReadOPML(strings.NewReader("<html>not opml")); err == nil {
		t.Error("ReadOPML of HTML: err = nil, want an error")
	}
}

// TestReadOPMLDeclaredCharset is the regression test of an OPML file in an
// encoding other than UTF-8, as its XML declaration says: import-opml
// refused it with "Decoder.CharsetReader is nil".
func TestReadOPMLDeclaredCharset(t *testing.T) {
	in := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n" +
		"<opml version=\"1.0\"><head><title>Presse</title></head><body>\n" +
		"  <outline text=\"Actualit\xe9s\">\n" +
		"    <outline text=\"Le Monde \xe0 la une\" type=\"rss\" xmlUrl=\"https://www.lemonde.fr/rss/une.xml\"/>\n" +
		"  </outline>\n" +
		"</body></opml>"
	got, err := ReadOPML(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []OPMLFeed{{Title: "Le Monde à la une", URL: "https://www.lemonde.fr/rss/une.xml", Tags: []string{"Actualités"}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ReadOPML = %+v, want %+v", got, want)
	}
}
