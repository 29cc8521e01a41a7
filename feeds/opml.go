package feeds

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// OPMLFeed is one feed in an OPML subscription list.
type OPMLFeed struct {
	Title   string
	URL     string // the feed's URL (xmlUrl)
	SiteURL string // the site's URL (htmlUrl)
	Tags    []string
}

type opmlDoc struct {
	XMLName xml.Name    `xml:"opml"`
	Version string      `xml:"version,attr"`
	Title   string      `xml:"head>title"`
	Body    []opmlEntry `xml:"body>outline"`
}

type opmlEntry struct {
	Text     string      `xml:"text,attr"`
	Title    string      `xml:"title,attr,omitempty"`
	Type     string      `xml:"type,attr,omitempty"`
	XMLURL   string      `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string      `xml:"htmlUrl,attr,omitempty"`
	Children []opmlEntry `xml:"outline"`
}

// ReadOPML reads the feeds of an OPML document; the titles of the folders
// a feed sits in become its tags.
func ReadOPML(r io.Reader) ([]OPMLFeed, error) {
	var doc opmlDoc
	if err := xml.NewDecoder(r).Decode(&doc); err != nil {
		return nil, fmt.Errorf("read opml: %w", err)
	}
	var out []OPMLFeed
	var walk func(es []opmlEntry, tags []string)
	walk = func(es []opmlEntry, tags []string) {
		for _, e := range es {
			title := strings.TrimSpace(e.Title)
			if title == "" {
				title = strings.TrimSpace(e.Text)
			}
			if e.XMLURL != "" {
				out = append(out, OPMLFeed{Title: title, URL: strings.TrimSpace(e.XMLURL), SiteURL: e.HTMLURL, Tags: tags})
			}
			if len(e.Children) > 0 {
				walk(e.Children, append(append([]string(nil), tags...), title))
			}
		}
	}
	walk(doc.Body, nil)
	return out, nil
}

// WriteOPML writes feeds as an OPML 2.0 subscription list.
func WriteOPML(w io.Writer, title string, fs []OPMLFeed) error {
	doc := opmlDoc{Version: "2.0", Title: title}
	for _, f := range fs {
		doc.Body = append(doc.Body, opmlEntry{Text: f.Title, Title: f.Title, Type: "rss", XMLURL: f.URL, HTMLURL: f.SiteURL})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write opml: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}
