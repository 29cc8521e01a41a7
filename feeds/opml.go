package feeds

import (
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"

	"golang.org/x/net/html/charset"
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
	Category string      `xml:"category,attr,omitempty"`
	Children []opmlEntry `xml:"outline"`
}

// UnmarshalXML reads an outline whatever the case of its attributes'
// names (exporters write xmlUrl, xmlurl and xmlURL), and its children.
func (e *opmlEntry) UnmarshalXML(d *xml.Decoder, start xml.StartElement) error {
	for _, a := range start.Attr {
		switch strings.ToLower(a.Name.Local) {
		case "text":
			e.Text = a.Value
		case "title":
			e.Title = a.Value
		case "type":
			e.Type = a.Value
		case "xmlurl":
			e.XMLURL = a.Value
		case "htmlurl":
			e.HTMLURL = a.Value
		case "category":
			e.Category = a.Value
		}
	}
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !strings.EqualFold(t.Name.Local, "outline") {
				if err := d.Skip(); err != nil {
					return err
				}
				continue
			}
			var c opmlEntry
			if err := c.UnmarshalXML(d, t); err != nil {
				return err
			}
			e.Children = append(e.Children, c)
		case xml.EndElement:
			return nil
		}
	}
}

// ReadOPML reads the feeds of an OPML document, in the encoding its XML
// declaration names (UTF-8 when none); the titles of the folders a feed
// sits in, and the parts of its category attribute ("/News/World,
// Politics"), become its tags.
func ReadOPML(r io.Reader) ([]OPMLFeed, error) {
	var doc opmlDoc
	d := xml.NewDecoder(r)
	d.CharsetReader = charset.NewReaderLabel // encoding/xml itself reads only UTF-8
	if err := d.Decode(&doc); err != nil {
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
				ftags := append([]string(nil), tags...)
				for _, c := range strings.Split(e.Category, ",") {
					for _, part := range strings.Split(c, "/") {
						if part = strings.TrimSpace(part); part != "" && !slices.Contains(ftags, part) {
							ftags = append(ftags, part)
						}
					}
				}
				out = append(out, OPMLFeed{Title: title, URL: strings.TrimSpace(e.XMLURL), SiteURL: strings.TrimSpace(e.HTMLURL), Tags: ftags})
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
