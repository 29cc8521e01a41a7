package feeds

import (
	"bytes"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	"github.com/mmcdole/gofeed/rss"

	"github.com/wirewatch/wirewatch/bench/farm"
	"github.com/wirewatch/wirewatch/feeds/internal/fastfeed"
)

// feedView is what Parse reads of a gofeed.Feed: fastfeed must give the
// same, or leave the document to gofeed.
type feedView struct {
	Title, Link string
	Items       []itemView
}

type itemView struct {
	Title, Description, Content, GUID, Link string
	Links                                   []string
	Published, Updated                      *time.Time
}

func viewOf(f *gofeed.Feed) feedView {
	v := feedView{Title: f.Title, Link: f.Link}
	for _, it := range f.Items {
		if it == nil {
			v.Items = append(v.Items, itemView{Title: "<nil>"})
			continue
		}
		v.Items = append(v.Items, itemView{Title: it.Title, Description: it.Description, Content: it.Content,
			GUID: it.GUID, Link: it.Link, Links: it.Links, Published: it.PublishedParsed, Updated: it.UpdatedParsed})
	}
	return v
}

// gofeedFormat parses doc with gofeed's parser of one format and its
// translator, as parseFeed does when fastfeed leaves a document to it.
func gofeedFormat(doc []byte, isAtom bool) (*gofeed.Feed, error) {
	if isAtom {
		f, err := (&atom.Parser{}).Parse(bytes.NewReader(doc))
		if err != nil {
			return nil, err
		}
		return atomTranslator.Translate(f)
	}
	f, err := (&rss.Parser{}).Parse(bytes.NewReader(doc))
	if err != nil {
		return nil, err
	}
	return rssTranslator.Translate(f)
}

// fastAgrees runs fastfeed on doc as one format: "" when it agrees with
// gofeed, the fallback's reason when it leaves doc to gofeed; a
// disagreement fails t.
func fastAgrees(t testing.TB, name string, doc []byte, isAtom bool) (fallback string) {
	t.Helper()
	fast := fastfeed.RSS
	if isAtom {
		fast = fastfeed.Atom
	}
	got, err := fast(doc)
	if err != nil {
		if !errors.Is(err, fastfeed.ErrFallback) {
			t.Errorf("%s: error %v, not a fallback", name, err)
		}
		why := strings.TrimPrefix(err.Error(), fastfeed.ErrFallback.Error()+": ")
		if why == "" || why == err.Error() || why == "no reason given" {
			t.Errorf("%s: left to gofeed without a reason (%q)", name, err)
			why = "no reason"
		}
		return why
	}
	want, err := gofeedFormat(doc, isAtom)
	if err != nil {
		t.Errorf("%s: fastfeed parsed a document gofeed rejects (%v)", name, err)
		return ""
	}
	if g, w := viewOf(got), viewOf(want); !reflect.DeepEqual(g, w) {
		t.Errorf("%s: fastfeed and gofeed differ\n got: %+v\nwant: %+v", name, g, w)
	}
	return ""
}

// detect is parseFeed's choice of parser: ok false for JSON and unknown.
func detect(doc []byte) (isAtom, ok bool) {
	switch gofeed.DetectFeedType(bytes.NewReader(doc[:min(len(doc), detectionPeek)])) {
	case gofeed.FeedTypeAtom:
		return true, true
	case gofeed.FeedTypeRSS:
		return false, true
	}
	return false, false
}

// repoFeedDocs returns the XML feed documents in the repository: files
// under any testdata or examples directory, and the string literals of
// the test files that hold a feed.
func repoFeedDocs(t *testing.T) map[string][]byte {
	docs := map[string][]byte{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "fuzz") || d.Name() == "fastfeed_cases_test.go" {
			return filepath.SkipDir
		}
		switch {
		case d.IsDir():
		case strings.HasSuffix(path, "_test.go"):
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err == nil && (strings.Contains(s, "<rss") || strings.Contains(s, "<feed") || strings.Contains(s, "RDF")) {
					docs[fset.Position(lit.Pos()).String()] = []byte(s)
				}
				return true
			})
		default:
			switch filepath.Ext(path) {
			case ".xml", ".rss", ".atom", ".rdf":
				b, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				docs[path] = b
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

// farmDocs returns the feed farm's RSS and Atom documents, of several
// seeds and shapes, some with GUIDs that change.
func farmDocs(t *testing.T) map[string][]byte {
	docs := map[string][]byte{}
	for seed := uint64(1); seed <= 4; seed++ {
		for _, o := range []farm.Options{
			{Feeds: 12, Seed: seed, MaxItems: 30},
			{Feeds: 12, Seed: seed, MinItems: 20, MaxItems: 20, MinBytes: 700, MaxBytes: 1200},
			{Feeds: 6, Seed: seed, MinItems: 1, MaxItems: 3, MinBytes: 10, MaxBytes: 50, Shared: 0.9},
		} {
			fm, err := farm.Start(o)
			if err != nil {
				t.Fatal(err)
			}
			fm.SetFault(0, farm.GUIDChurn)
			fm.SetFault(1, farm.GUIDChurn)
			fm.SetFault(3, farm.BackInTime)
			fm.Advance(0.5, 2)
			for i := range fm.Len() {
				docs["farm "+strconv.FormatUint(seed, 10)+"/"+strconv.Itoa(o.MaxItems)+"/"+strconv.Itoa(i)] = fm.Body(i)
			}
			fm.Close()
		}
	}
	return docs
}

// TestFastFeedAgreesWithGofeed: on the repository's feeds, the farm's and
// the tricky ones of fastFeedCases, fastfeed gives what gofeed gives for
// every field Parse reads, or leaves the document to gofeed.
func TestFastFeedAgreesWithGofeed(t *testing.T) {
	sets := []struct {
		name string
		docs map[string][]byte
	}{
		{"repository", repoFeedDocs(t)},
		{"farm", farmDocs(t)},
		{"tricky", func() map[string][]byte {
			m := map[string][]byte{}
			for name, doc := range fastFeedCases {
				m[name] = []byte(doc)
			}
			return m
		}()},
	}
	for _, set := range sets {
		names := make([]string, 0, len(set.docs))
		for name := range set.docs {
			names = append(names, name)
		}
		sort.Strings(names)
		var fast, fellBack int
		for _, name := range names {
			doc, err := ToUTF8(set.docs[name], "")
			if err != nil {
				continue
			}
			isAtom, ok := detect(doc)
			if !ok {
				continue
			}
			if _, err := gofeedFormat(doc, isAtom); err != nil && set.name == "repository" {
				continue // a fragment of a test's document, or a broken one on purpose
			}
			if why := fastAgrees(t, name, doc, isAtom); why != "" {
				fellBack++
				t.Logf("%s: %s: left to gofeed: %s", set.name, name, why)
			} else {
				fast++
			}
		}
		t.Logf("%s: %d RSS and Atom documents, %d read by fastfeed, %d left to gofeed", set.name, fast+fellBack, fast, fellBack)
		if set.name == "farm" && fellBack > 0 {
			t.Errorf("farm: %d documents left to gofeed, want none", fellBack)
		}
	}
}

// TestFastFeedDates: dates of the shapes fastfeed parses, and near
// misses, come out as gofeed's, in a pubDate (kept in UTC) and a dc:date
// (kept in its zone); the common shapes are not left to gofeed.
func TestFastFeedDates(t *testing.T) {
	var dates []string
	days := []string{"Mon", "Tue", "Fri", "Sun", "Xyz", "mon"}
	zones := []string{"+0000", "-0000", "+0530", "-0800", "+1400", "GMT", "UTC", "EST", "EDT", "CST", "PDT", "CEST",
		"EEST", "WEST", "BST", "MSK", "UT", "Z", "gmt", "+05:30", "-07"}
	for i, day := range []string{"1", "01", "9", "14", "29", "31", "32", "0"} {
		for j, mon := range []string{"Jan", "Feb", "Mar", "Sep", "Dec", "jan", "JAN", "Foo"} {
			for k, zone := range zones {
				year := []string{"2025", "1999", "2024"}[(i+j+k)%3]
				clock := []string{"09:30:00", "00:00:00", "23:59:59", "24:00:00", "12:60:00"}[(i*3+j+k)%5]
				dates = append(dates, days[(i+j+k)%len(days)]+", "+day+" "+mon+" "+year+" "+clock+" "+zone)
			}
		}
	}
	for _, d := range []string{"2025-03-14T09:30:00Z", "2025-03-14T09:30:00+05:00", "2025-03-14T09:30:00.5-03:00",
		"2025-03-14T09:30:00.123456789Z", "2025-03-14T09:30:00.1234567891Z", "2025-02-30T09:30:00Z", "2025-03-14T25:30:00Z",
		"2025-03-14T09:30:00+24:00", "2025-03-14t09:30:00z", "2025-03-14T09:30:00", "2025-03-14 09:30:00Z",
		"0000-01-01T00:00:00Z", "9999-12-31T23:59:59-23:59", "2025-03-14T09:30:00.Z", "2025-03-14T09:30Z"} {
		dates = append(dates, d)
	}
	var fast, fellBack int
	for _, d := range dates {
		for _, doc := range []string{
			rssHead + "<item><pubDate>" + d + "</pubDate></item>" + rssTail,
			rssHead + "<item><dc:date>" + d + "</dc:date></item>" + rssTail,
			atomHead + "<entry><updated>" + d + "</updated></entry>" + atomTail,
		} {
			if why := fastAgrees(t, d, []byte(doc), strings.HasPrefix(doc, atomHead)); why != "" {
				fellBack++
			} else {
				fast++
			}
		}
	}
	t.Logf("%d documents read by fastfeed, %d left to gofeed", fast, fellBack)
	for _, d := range []string{"Fri, 14 Mar 2025 09:30:00 GMT", "Fri, 4 Mar 2025 09:30:00 +0100", "2025-03-14T09:30:00Z"} {
		if why := fastAgrees(t, d, []byte(rssHead+"<item><pubDate>"+d+"</pubDate></item>"+rssTail), false); why != "" {
			t.Errorf("%s left to gofeed: %s", d, why)
		}
	}
}

// TestFastFeedRandomDocs: documents put together at random from pieces
// of feeds (elements of RSS, Atom and their extensions, namespaces,
// entities, CDATA, comments, dates, white space) come out as gofeed's or
// are left to it.
func TestFastFeedRandomDocs(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 1))
	pick := func(s ...string) string { return s[r.IntN(len(s))] }
	texts := []string{"", " ", "plain", "a &amp; b", "&lt;p&gt;x&lt;/p&gt;", "<![CDATA[<b>c</b> & d]]>", "x<!-- c -->y",
		"&nbsp;&mdash;&#8217;&#x2014;", "&bogus; &", "\r\n line \r\n", "<b>raw</b>", "https://example.org/a?x=1&amp;y=2",
		"  /relative  ", "tag:example.org,2025:1", "Fri, 14 Mar 2025 09:30:00 GMT", "Fri, 14 Mar 2025 09:30:00 +0100",
		"2025-03-14T09:30:00Z", "2025-03-14T09:30:00.5+05:00", "]]&gt;", "&#65;&#0065;&#x41;&#X41;", "é ü ☃ 😀"}
	text := func() string {
		s := ""
		for range 1 + r.IntN(3) {
			s += pick(texts...)
		}
		return s
	}
	attrs := []string{"", ` href="https://example.org/l"`, ` href="/rel"`, ` rel="self"`, ` rel="alternate" href="https://example.org/alt"`,
		` type="html"`, ` type="text"`, ` type="xhtml"`, ` mode="escaped"`, ` isPermaLink="false"`, ` href="a&b"`,
		` xmlns:x="http://example.org/x"`, ` xmlns="http://purl.org/rss/1.0/modules/content/"`, ` x:y="1"`}
	elem := func(names []string) string {
		name := pick(names...)
		a := pick(attrs...)
		if r.IntN(8) == 0 {
			return "<" + name + a + "/>"
		}
		return "<" + name + a + ">" + text() + "</" + name + ">"
	}
	rssNames := []string{"title", "Title", "description", "link", "guid", "pubDate", "content:encoded", "dc:date", "dc:title",
		"dc:description", "itunes:summary", "atom:link", "atom:summary", "atom:content", "atom:updated", "atom:published",
		"media:title", "category", "enclosure", "encoded", "x:title"}
	atomNames := []string{"title", "id", "summary", "content", "updated", "published", "issued", "modified", "link", "author",
		"category", "x:title", "source", "rights"}
	var fast, fellBack int
	for range 3000 {
		var b strings.Builder
		isAtom := r.IntN(2) == 0
		if r.IntN(2) == 0 {
			b.WriteString(pick(`<?xml version="1.0" encoding="UTF-8"?>`, `<?xml version="1.0"?>`, "<!-- prolog -->", "\n"))
		}
		names, item := rssNames, "item"
		if isAtom {
			names, item = atomNames, "entry"
			b.WriteString(`<feed xmlns="http://www.w3.org/2005/Atom" xmlns:x="http://example.org/x">`)
		} else {
			b.WriteString(`<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" xmlns:itunes="http://www.itunes.com/DTDs/PodCast-1.0.dtd" xmlns:x="http://example.org/x"><channel>`)
		}
		for range r.IntN(4) {
			b.WriteString(elem(names))
		}
		for range r.IntN(4) {
			b.WriteString("<" + item + ">")
			for range r.IntN(8) {
				b.WriteString(elem(names))
				b.WriteString(pick("", " ", "\n", "junk", "<!-- c -->"))
			}
			b.WriteString("</" + item + ">")
		}
		if isAtom {
			b.WriteString("</feed>")
		} else {
			b.WriteString("</channel></rss>")
		}
		if why := fastAgrees(t, b.String(), []byte(b.String()), isAtom); why != "" {
			fellBack++
		} else {
			fast++
		}
	}
	t.Logf("%d documents read by fastfeed, %d left to gofeed", fast, fellBack)
}
