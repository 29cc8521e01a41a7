package feeds

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

const cyrillicTitle = "Кабулов: Россия продолжит работу с Кабулом"

// rssBody is a one-item feed, with decl as its first line ("" for none).
func rssBody(decl string) string {
	return decl + `<rss version="2.0"><channel><title>ТАСС</title><link>https://tass.ru/</link>` +
		`<item><title>` + cyrillicTitle + `</title><link>https://tass.ru/politika/1</link>` +
		`<description>Спецпредставитель президента заявил об этом в интервью.</description></item></channel></rss>`
}

func encode(t *testing.T, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFeedCharsetFromHeader is the regression test of a feed whose charset
// is only in the HTTP Content-Type (no XML declaration): it failed with
// "invalid UTF-8" on every poll.
func TestFeedCharsetFromHeader(t *testing.T) {
	tests := []struct {
		name, contentType string
		body              func(t *testing.T) []byte
	}{
		{"windows-1251 in header only", "text/xml; charset=windows-1251",
			func(t *testing.T) []byte { return encode(t, charmap.Windows1251, rssBody("")) }},
		{"koi8-r in header only", "application/rss+xml; charset=KOI8-R",
			func(t *testing.T) []byte { return encode(t, charmap.KOI8R, rssBody("")) }},
		{"header beats declaration", "text/xml; charset=windows-1251",
			func(t *testing.T) []byte {
				return encode(t, charmap.Windows1251, rssBody(`<?xml version="1.0" encoding="iso-8859-1"?>`))
			}},
		{"declaration only", "text/xml",
			func(t *testing.T) []byte {
				return encode(t, charmap.KOI8R, rssBody(`<?xml version="1.0" encoding="koi8-r"?>`))
			}},
		{"utf-16 byte-order mark", "application/xml",
			func(t *testing.T) []byte {
				return encode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), rssBody(""))
			}},
		{"sniffed windows-1251", "application/xml",
			func(t *testing.T) []byte { return encode(t, charmap.Windows1251, rssBody("")) }},
		{"sniffed koi8-r", "",
			func(t *testing.T) []byte { return encode(t, charmap.KOI8R, rssBody("")) }},
		{"utf-8 with byte-order mark", "text/xml; charset=utf-8",
			func(t *testing.T) []byte { return append([]byte("\xEF\xBB\xBF"), rssBody("")...) }},
		// The body is kept as it came: its declaration must not have the
		// parser decode it a second time (as windows-1251: mojibake).
		{"utf-8 header beats declaration", "text/xml; charset=utf-8",
			func(t *testing.T) []byte { return []byte(rssBody(`<?xml version="1.0" encoding="windows-1251"?>`)) }},
		// .NET writes "utf-16" when it serializes to a string, sent on as
		// UTF-8: the feed failed with "failed to detect feed type".
		{"utf-16 declaration of utf-8 bytes", "application/rss+xml; charset=utf-8",
			func(t *testing.T) []byte { return []byte(rssBody(`<?xml version="1.0" encoding="utf-16"?>`)) }},
		{"utf-16 declaration of utf-8 bytes, no charset", "application/xml",
			func(t *testing.T) []byte { return []byte(rssBody(`<?xml version="1.0" encoding="utf-16"?>`)) }},
		// A byte-order mark says what the bytes are, whatever the server's
		// default charset: the feed failed with "failed to detect feed type".
		{"utf-8 byte-order mark beats header", "text/xml; charset=iso-8859-1",
			func(t *testing.T) []byte {
				return append([]byte("\xEF\xBB\xBF"), rssBody(`<?xml version="1.0" encoding="utf-8"?>`)...)
			}},
		{"utf-16 byte-order mark beats header", "application/rss+xml; charset=utf-8",
			func(t *testing.T) []byte {
				return encode(t, unicode.UTF16(unicode.BigEndian, unicode.UseBOM), rssBody(""))
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := tt.body(t)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				if tt.contentType != "" {
					w.Header().Set("Content-Type", tt.contentType)
				}
				w.Write(body)
			}))
			t.Cleanup(srv.Close)
			resp, err := NewFetcher(FetcherOptions{}).Fetch(context.Background(), Request{URL: srv.URL})
			if err != nil {
				t.Fatal(err)
			}
			p, err := Parse(resp.Body, ParseOptions{Feed: "tass", FeedURL: srv.URL, ContentType: resp.ContentType})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(p.Items) != 1 {
				t.Fatalf("got %d items, want 1", len(p.Items))
			}
			if got, want := p.Items[0].Title, cyrillicTitle; got != want {
				t.Errorf("title = %q, want %q", got, want)
			}
			if got, want := p.Title, "ТАСС"; got != want {
				t.Errorf("feed title = %q, want %q", got, want)
			}
		})
	}
}

func TestToUTF8UnknownCharset(t *testing.T) {
	_, err := ToUTF8([]byte("<rss/>"), "text/xml; charset=x-nonsense")
	if err == nil || !strings.Contains(err.Error(), `"x-nonsense"`) {
		t.Errorf("err = %v, want one naming the charset", err)
	}
}
