package feeds

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

const (
	rssHead  = `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" xmlns:itunes="http://www.itunes.com/DTDs/PodCast-1.0.dtd"><channel><title>T</title><link>https://example.org/</link>`
	rssTail  = `</channel></rss>`
	atomHead = `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><link href="https://example.org/"/>`
	atomTail = `</feed>`
)

// fastFeedCases are documents that try fastfeed's reading against
// gofeed's: each must come out alike or be left to gofeed.
var fastFeedCases = map[string]string{
	"rss cdata":             rssHead + `<item><title><![CDATA[A <b>bold</b> & title]]></title><description>before <![CDATA[<p>x</p>]]> after &amp; more</description></item>` + rssTail,
	"rss entities":          rssHead + `<item><title>A &amp; B &lt;c&gt; &quot;d&quot; &apos;e&apos; &#8217; &#x2014; &#X41; &nbsp; &mdash; &copy=2; &bogus; & x &#; &#x; &#99999999; &#xD800;</title></item>` + rssTail,
	"rss amp no semicolon":  rssHead + `<item><title>AT&amp;T &amp AT&T</title><link>https://example.org/?a=1&amp;b=2</link></item>` + rssTail,
	"rss nested html":       rssHead + `<item><title>t</title><description><p>Raw <b>html</b> in description</p><br/></description></item>` + rssTail,
	"rss content encoded":   rssHead + `<item><title>t</title><description>short</description><content:encoded><![CDATA[<p>long text</p>]]></content:encoded></item>` + rssTail,
	"rss content only":      rssHead + `<item><content:encoded>&lt;p&gt;only content&lt;/p&gt;</content:encoded></item>` + rssTail,
	"rss atom link":         `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>T</title><atom:link href="https://example.org/feed" rel="self"/><atom:link href="https://example.org/site"/><item><title>a</title><atom:link href="https://example.org/a"/></item></channel></rss>`,
	"rss atom link empty":   `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>T</title><atom:link rel="alternate"/><atom:link href="https://example.org/site"/></channel></rss>`,
	"rss link href":         rssHead + `<item><title>a</title><link href="https://example.org/a b"/></item><item><link href=" https://example.org/%zz"></link></item>` + rssTail,
	"rss missing fields":    rssHead + `<item></item><item/><item><guid/></item>` + rssTail,
	"rss whitespace":        rssHead + "<item>\n\t<title>\n   spaced\ttitle \u00a0\n</title>\r\n<guid>  g1  </guid><description>\r\n line\r\n two\r\n</description></item>" + rssTail,
	"rss multiple links":    rssHead + `<item><title>a</title><link>https://example.org/1</link><link>https://example.org/2</link><link></link></item>` + rssTail,
	"rss dc date only":      rssHead + `<item><title>a</title><dc:date>2025-03-14T09:30:00+05:00</dc:date></item><item><title>b</title><dc:date>2025-03-14T09:30:00Z</dc:date><dc:date>2020-01-01T00:00:00Z</dc:date></item>` + rssTail,
	"rss dc and pubdate":    rssHead + `<item><title>a</title><pubDate>Fri, 14 Mar 2025 09:30:00 +0500</pubDate><dc:date>2025-03-15T09:30:00+05:00</dc:date></item>` + rssTail,
	"rss dc title":          rssHead + `<item><dc:title>from dc &amp; co</dc:title><dc:description>dc desc</dc:description><dc:creator>x</dc:creator></item>` + rssTail,
	"rss dc empty desc":     rssHead + `<item><title>a</title><dc:description></dc:description><itunes:summary>it sum</itunes:summary><atom:summary>atom sum</atom:summary></item>` + rssTail,
	"rss itunes summary":    rssHead + `<item><title>a</title><itunes:summary>it sum</itunes:summary></item>` + rssTail,
	"rss atom fields":       rssHead + `<item><title>a</title><atom:content>ac</atom:content><atom:published>2025-03-14T09:30:00Z</atom:published><atom:updated>2025-03-15T09:30:00+01:00</atom:updated></item>` + rssTail,
	"rss dates":             rssHead + `<item><pubDate>Fri, 14 Mar 2025 09:30:00 GMT</pubDate></item><item><pubDate>Fri, 4 Mar 2025 09:30:00 EST</pubDate></item><item><pubDate>Fri, 14 Mar 2025 09:30:00 CEST</pubDate></item><item><pubDate>2025-03-14T09:30:00.123+02:00</pubDate></item><item><pubDate> Sat, 01 Jan 2000 00:00:00 -0000 </pubDate></item>` + rssTail,
	"rss dc dates named":    rssHead + `<item><dc:date>Fri, 14 Mar 2025 09:30:00 PDT</dc:date></item><item><dc:date>Fri, 14 Mar 2025 09:30:00 UTC</dc:date></item><item><dc:date>Fri, 14 Mar 2025 09:30:00 +0530</dc:date></item>` + rssTail,
	"rss date ut":           rssHead + `<item><pubDate>Fri, 14 Mar 2025 09:30:00 UT</pubDate></item>` + rssTail,
	"rss date no weekday":   rssHead + `<item><pubDate>14 Mar 2025</pubDate></item>` + rssTail,
	"rss char ref zero":     rssHead + `<item><title>&#0;</title></item>` + rssTail,
	"rss pubdate twice":     rssHead + `<item><pubDate>Fri, 14 Mar 2025 09:30:00 +0000</pubDate><pubDate>nonsense</pubDate></item>` + rssTail,
	"rss pubdate empty":     rssHead + `<item><pubDate>Fri, 14 Mar 2025 09:30:00 +0000</pubDate><pubDate></pubDate></item><item><pubDate> </pubDate><dc:date>2025-03-14T09:30:00Z</dc:date></item>` + rssTail,
	"rss bad date":          rssHead + `<item><pubDate>Fri, 31 Feb 2025 09:30:00 +0000</pubDate></item>` + rssTail,
	"rss relative links":    rssHead + `<item><title>a</title><link>/news/1</link><guid>/news/1</guid></item>` + rssTail,
	"rss xml base":          `<rss version="2.0" xml:base="https://example.org/x/"><channel><item><link>a</link></item></channel></rss>`,
	"rss item xml base":     `<rss version="2.0"><channel><item xml:base="https://example.org/x/"><link>a</link></item></channel></rss>`,
	"rss doctype":           `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x "y">]><rss version="2.0"><channel><item><title>&x;</title></item></channel></rss>`,
	"rss latin1 decl":       `<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><item><title>caf` + "\xe9" + `</title></item></channel></rss>`,
	"rss mismatched":        `<rss><channel><item><title>a</item></channel></rss>`,
	"rss unclosed":          `<rss><channel><item><title>a</title>`,
	"rss uppercase":         `<RSS><Channel><TITLE>T</TITLE><Item><Title>a</Title><LINK>https://example.org/a</LINK><GUID>g</GUID><PubDate>Fri, 14 Mar 2025 09:30:00 +0000</PubDate></Item></Channel></RSS>`,
	"rss comments pi":       `<?xml version="1.0"?><?xml-stylesheet href="s.xsl" type="text/xsl"?><!-- c --><rss><channel><!-- c2 --><item><title>a<!-- inside -->b</title></item></channel></rss><!-- after -->`,
	"rss comment in dc":     rssHead + `<item><dc:date>2025-03-14T09:30:00Z<!-- c --></dc:date></item>` + rssTail,
	"rss rdf":               `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel rdf:about="https://example.org/"><title>R</title><link>https://example.org/</link><items><rdf:Seq><rdf:li rdf:resource="https://example.org/1"/></rdf:Seq></items></channel><item rdf:about="https://example.org/1"><title>one</title><link>https://example.org/1</link><dc:date>2025-03-14T09:30:00Z</dc:date></item></rdf:RDF>`,
	"rss 0.91":              `<?xml version="1.0"?><rss version="0.91"><channel><title>Old</title><link>http://example.org/</link><item><title>a</title><link>http://example.org/a</link><description>d</description></item></channel></rss>`,
	"rss foreign default":   `<rss xmlns="http://backend.userland.com/rss2"><channel><title>T</title><item><title>a</title></item></channel></rss>`,
	"rss odd prefix":        `<rss xmlns:c="http://purl.org/rss/1.0/modules/content/" xmlns:d="http://purl.org/dc/elements/1.1/"><channel><item><c:encoded>body</c:encoded><d:date>2025-03-14T09:30:00Z</d:date></item></channel></rss>`,
	"rss prefix hijack":     `<rss xmlns:dc="http://example.org/not-dc"><channel><item><dc:date>2025-03-14T09:30:00Z</dc:date></item></channel></rss>`,
	"rss content elsewhere": `<rss xmlns:content="http://example.org/other"><channel><item><content:encoded>x</content:encoded></item></channel></rss>`,
	"rss undeclared prefix": `<rss><channel><item><content:encoded>x</content:encoded><dc:date>2025-03-14T09:30:00Z</dc:date></item></channel></rss>`,
	"rss ns on element":     `<rss><channel><item><encoded xmlns="http://purl.org/rss/1.0/modules/content/">in content ns</encoded></item></channel></rss>`,
	"rss media":             rssHead + `<item><title>a</title><media:content url="https://example.org/i.jpg" medium="image"><media:title>m</media:title></media:content><enclosure url="https://example.org/a.mp3" type="audio/mpeg" length="1"/><category>c</category></item>` + rssTail,
	"rss root items":        `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><item><title>no channel</title></item></rdf:RDF>`,
	"rss two channels":      `<rss><channel><title>A</title></channel><channel><title>B</title></channel></rss>`,
	"rss cdata end text":    rssHead + `<item><title>a ]]> b</title></item>` + rssTail,
	"rss attr no quotes":    `<rss><channel><item><guid isPermaLink=false>g</guid></item></channel></rss>`,
	"rss control char":      rssHead + "<item><title>a\x01b</title></item>" + rssTail,
	"rss bom":               "\ufeff" + rssHead + `<item><title>a</title></item>` + rssTail,
	"rss trailing junk":     rssHead + `<item><title>a</title></item>` + rssTail + `<<< junk`,
	"rss empty root":        `<rss/>`,
	"rss text around":       `<rss>junk<channel>more junk<title>T</title>x<item>y<title>a</title>z</item></channel></rss>`,
	"rss guid permalink":    rssHead + `<item><guid isPermaLink="true">https://example.org/p?x=1&amp;y=2</guid></item>` + rssTail,
	"rss nbsp title":        rssHead + `<item><title>&#160;a&#xA0;</title><description>&amp;lt;p&amp;gt;double&amp;lt;/p&amp;gt;</description></item>` + rssTail,
	"rss windows-1252 refs": rssHead + `<item><title>&#150; &#146; &#x80;</title></item>` + rssTail,
	"rss long entity":       rssHead + `<item><title>&CounterClockwiseContourIntegral; &` + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa;" + `</title></item>` + rssTail,

	"rss ns on empty element": `<rss xmlns:c="http://purl.org/rss/1.0/modules/content/"><channel><item><x:y xmlns:x="http://purl.org/dc/elements/1.1/" xmlns:c="http://example.org/c"/><c:encoded>body</c:encoded></item><item><dc:date xmlns:dc="http://purl.org/dc/elements/1.1/"/><x:date xmlns:x="http://purl.org/dc/elements/1.1/">2025-03-14T09:30:00Z</x:date></item></channel></rss>`,

	"raw ampersands":     atomHead + `<entry><title>a</title><link href="https://example.org/?a=1&b=2&amp;c=3&#38;d&#x26;e&#;f&#x;g&#99999999;h&lt&gt;;&:x;&é;"/><dc:date xmlns:dc="http://purl.org/dc/elements/1.1/">x</dc:date></entry>` + atomTail,
	"rss raw ampersands": rssHead + `<item><link href="https://example.org/?a=1&b=2&amp;c&#X41;&#65"/><dc:date>2025-03-14T09:30:00Z&#13;&#10;</dc:date><dc:title>&#13;x&#13;&#10;y&am;p;</dc:title></item>` + rssTail,

	"atom text types":     atomHead + `<entry><title type="text">A &amp; B</title><summary type="html">&lt;p&gt;para&lt;/p&gt;</summary><content type="html"><![CDATA[<p>cdata</p>]]></content><id>tag:example.org,2025:1</id><updated>2025-03-14T09:30:00Z</updated></entry>` + atomTail,
	"atom xhtml":          atomHead + `<entry><title>a</title><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>x</p></div></content></entry>` + atomTail,
	"atom html markup":    atomHead + `<entry><title type="html">a <b>b</b></title></entry>` + atomTail,
	"atom text markup":    atomHead + `<entry><title>a <b>b</b></title></entry>` + atomTail,
	"atom links":          atomHead + `<entry><title>a</title><link rel="self" href="https://example.org/self"/><link href="https://example.org/alt"/><link rel="enclosure" href="https://example.org/e.mp3"/><link rel="alternate" href="https://example.org/alt2"/></entry>` + atomTail,
	"atom relative link":  atomHead + `<entry><title>a</title><link href="/news/1"/><id>urn:uuid:1234</id></entry>` + atomTail,
	"atom xml base":       `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://example.org/"><entry><link href="a"/></entry></feed>`,
	"atom dates":          atomHead + `<entry><published>2025-03-14T09:30:00+05:00</published><updated>2025-03-15T09:30:00Z</updated></entry><entry><updated>2025-03-15T09:30:00Z</updated></entry><entry><issued>2025-03-14T09:30:00Z</issued><modified>2025-03-14T10:30:00Z</modified></entry><entry><updated></updated><published>2025-03-14T09:30:00Z</published><published></published></entry>` + atomTail,
	"atom bad date":       atomHead + `<entry><updated>garbage</updated></entry>` + atomTail,
	"atom empty":          `<feed xmlns="http://www.w3.org/2005/Atom"/>`,
	"atom no namespace":   `<feed><title>T</title><entry><title>a</title><id>1</id></entry></feed>`,
	"atom 0.3":            `<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>T</title><link rel="alternate" href="https://example.org/"/><entry><title mode="escaped" type="text/html">a &amp;lt; b</title><issued>2025-03-14T09:30:00Z</issued><id>x</id></entry></feed>`,
	"atom foreign":        atomHead + `<entry xmlns:x="http://example.org/x"><x:title>not mine</x:title><title>mine</title><x:link href="https://example.org/x"/></entry>` + atomTail,
	"atom other ns":       `<feed xmlns="http://example.org/not-atom"><title>T</title><entry><title>a</title></entry></feed>`,
	"atom base64":         atomHead + `<entry><content type="image/png">aGVsbG8=</content></entry>` + atomTail,
	"atom id url":         atomHead + `<entry><id>  https://example.org/a b?x=1#f</id></entry><entry><id>%zz</id></entry>` + atomTail,
	"atom source":         atomHead + `<entry><title>a</title><source><title>S</title><link href="https://example.org/src"/><id>src</id></source><author><name>n</name></author></entry>` + atomTail,
	"atom title html ent": atomHead + `<entry><title type="html">&amp;lt;b&amp;gt; &amp;amp; &amp;nbsp;</title></entry>` + atomTail,
}

// TestWriteFastFeedSeeds writes the cases as seeds of FuzzFastFeed
// (testdata/fuzz/FuzzFastFeed), when WRITE_FUZZ_SEEDS is set.
func TestWriteFastFeedSeeds(t *testing.T) {
	if os.Getenv("WRITE_FUZZ_SEEDS") == "" {
		t.Skip("set WRITE_FUZZ_SEEDS=1 to write testdata/fuzz/FuzzFastFeed")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzFastFeed")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, doc := range fastFeedCases {
		body := "go test fuzz v1\n[]byte(" + strconv.Quote(doc) + ")\n"
		file := strings.ReplaceAll(name, " ", "_")
		if err := os.WriteFile(filepath.Join(dir, file), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// FuzzFastFeed: fastfeed never panics, and what it does not leave to
// gofeed it reads as gofeed does, as RSS and as Atom.
func FuzzFastFeed(f *testing.F) {
	for _, doc := range fastFeedCases {
		f.Add([]byte(doc))
	}
	for _, name := range []string{"caspianherald.atom", "steppewire.rss", "malformed.xml"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		fastAgrees(t, "fuzz", doc, false)
		fastAgrees(t, "fuzz", doc, true)
	})
}
