package feeds

import (
	"net/url"
	"testing"
)

func TestPlainText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain passes through", "Envoy visits Almaty", "Envoy visits Almaty"},
		{"plain with entities", "Tom &amp; Jerry&#8217;s &quot;show&quot;", "Tom & Jerry’s \"show\""},
		{"bare ampersand kept", "R&D in AT&T labs & more", "R&D in AT&T labs & more"},
		{"less-than in text", "inflation < 5% and 3<4", "inflation < 5% and 3<4"},
		{"tags removed", "<p>Talks in <b>Bishkek</b> <a href=\"/x\">ended</a>.</p>", "Talks in Bishkek ended."},
		{"blocks separate words", "<h2>Title</h2><p>One</p><p>Two</p>Three<br>Four<br/>Five<ul><li>a</li><li>b</li></ul><div>c</div>", "Title One Two Three Four Five a b c"},
		{"inline keeps words joined", "Kaz<b>akh</b>stan", "Kazakhstan"},
		{"script and style dropped", "<p>Before<script>var x = '<p>no</p>';</script> after</p><style>p{color:red}</style><noscript><img src=x>enable js</noscript>", "Before after"},
		{"nested script in div", "<div><div>Text<script type=\"text/javascript\">document.write(\"<div>bad</div>\")</script></div> tail</div>", "Text tail"},
		{"comments dropped", "a<!-- hidden -->b <!-- x -->c", "ab c"},
		{"nbsp folds", "a&nbsp;b\u00a0c &nbsp; d", "a b c d"},
		{"numeric entities", "&#8220;quote&#8221; &#x2014; dash", "“quote” — dash"},
		{"double escaped quote", "said &amp;quot;yes&amp;quot;", "said \"yes\""},
		{"double escaped amp", "Kazakhstan &amp;amp; Uzbekistan", "Kazakhstan & Uzbekistan"},
		{"unknown entity left", "&amp;notanentity; x", "&notanentity; x"},
		{"escaped html read as html", "&lt;p&gt;Deputies voted 61&amp;ndash;9.&lt;/p&gt;&lt;p&gt;Next&lt;/p&gt;", "Deputies voted 61–9. Next"},
		{"escaped html with script", "&lt;script&gt;alert(1)&lt;/script&gt;Safe", "Safe"},
		{"cdata", "<![CDATA[<p>Hello &amp; welcome</p>]]>", "Hello & welcome"},
		{"cdata after text", "Lead: <![CDATA[<b>bold</b> text]]> end", "Lead: bold text end"},
		{"cyrillic", "<p>Ашхабад   объявил о&nbsp;запуске<br/>газопровода.</p>", "Ашхабад объявил о запуске газопровода."},
		{"whitespace folded and trimmed", "\n\t  Almaty \r\n\n  Tashkent\t ", "Almaty Tashkent"},
		{"invisible characters removed", "Dushan\u00adbe\u200b is\ufeff here", "Dushanbe is here"},
		{"unclosed tag", "text <b>bold", "text bold"},
		{"table", "<table><tr><td>a</td><td>b</td></tr></table>", "a b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PlainText(tt.in); got != tt.want {
				t.Errorf("PlainText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCanonicalURL(t *testing.T) {
	tests := []struct {
		name, raw, base, want string
		wantErr               bool
	}{
		{name: "already canonical", raw: "https://example.com/a/b", want: "https://example.com/a/b"},
		{name: "utm removed", raw: "https://example.com/a?utm_source=rss&utm_medium=feed&UTM_Campaign=x", want: "https://example.com/a"},
		{name: "tracking removed, others kept", raw: "https://example.com/a?id=42&fbclid=abc&gclid=1&dclid=2&msclkid=3&mc_cid=4&mc_eid=5&yclid=6&_ga=7&igshid=8&ref_src=twsrc&cmpid=9&ocid=10&at_medium=RSS&at_campaign=KARANGA", want: "https://example.com/a?id=42"},
		{name: "params sorted", raw: "https://example.com/s?z=1&a=2&m=3", want: "https://example.com/s?a=2&m=3&z=1"},
		{name: "repeated keys keep order", raw: "https://example.com/s?tag=b&id=1&tag=a", want: "https://example.com/s?id=1&tag=b&tag=a"},
		{name: "same params other order", raw: "https://example.com/s?m=3&a=2&z=1", want: "https://example.com/s?a=2&m=3&z=1"},
		{name: "escaping kept", raw: "https://example.com/s?q=Central%20Asia&b=a+b", want: "https://example.com/s?b=a+b&q=Central%20Asia"},
		{name: "empty params dropped", raw: "https://example.com/s?&a=1&&", want: "https://example.com/s?a=1"},
		{name: "only tracking leaves no question mark", raw: "https://example.com/s?utm_source=x", want: "https://example.com/s"},
		{name: "scheme and host lower-cased, path kept", raw: "HTTPS://WWW.Example.COM/News/Story-ABC", want: "https://www.example.com/News/Story-ABC"},
		{name: "fragment dropped", raw: "https://example.com/a#comments", want: "https://example.com/a"},
		{name: "default http port", raw: "http://example.com:80/a", want: "http://example.com/a"},
		{name: "default https port", raw: "https://example.com:443/a", want: "https://example.com/a"},
		{name: "other port kept", raw: "https://example.com:8443/a", want: "https://example.com:8443/a"},
		{name: "empty path", raw: "https://example.com", want: "https://example.com/"},
		{name: "empty path with query", raw: "https://example.com?b=1&a=2", want: "https://example.com/?a=2&b=1"},
		{name: "dot segments", raw: "https://example.com/a/../b/./c", want: "https://example.com/b/c"},
		{name: "relative to base", raw: "/en/news/1", base: "https://www.steppewire.kz/en/", want: "https://www.steppewire.kz/en/news/1"},
		{name: "relative path to base", raw: "story?id=1", base: "https://example.com/news/index.html", want: "https://example.com/news/story?id=1"},
		{name: "protocol-relative", raw: "//cdn.example.com/a", base: "https://example.com/", want: "https://cdn.example.com/a"},
		{name: "absolute ignores base", raw: "https://other.org/x", base: "https://example.com/", want: "https://other.org/x"},
		{name: "user info dropped", raw: "https://user:secret@example.com/a", want: "https://example.com/a"},
		{name: "idn host stays unicode, lower-cased", raw: "https://Новости.РФ/Статья", want: "https://новости.рф/%D0%A1%D1%82%D0%B0%D1%82%D1%8C%D1%8F"},
		{name: "punycode host stays punycode", raw: "https://xn--h1aeegel.xn--p1ai/", want: "https://xn--h1aeegel.xn--p1ai/"},
		{name: "ipv6 host", raw: "http://[::1]:80/a", want: "http://[::1]/a"},
		{name: "trailing dot in host", raw: "https://example.com./a", want: "https://example.com/a"},
		{name: "whitespace trimmed", raw: "  https://example.com/a \n", want: "https://example.com/a"},
		{name: "empty", raw: "", wantErr: true},
		{name: "relative without base", raw: "/en/news/1", wantErr: true},
		{name: "mailto rejected", raw: "mailto:editor@example.com", wantErr: true},
		{name: "ftp rejected", raw: "ftp://example.com/a", wantErr: true},
		{name: "javascript rejected", raw: "javascript:alert(1)", base: "https://example.com/", wantErr: true},
		{name: "no host", raw: "https:///path", wantErr: true},
		{name: "unparsable", raw: "https://exa mple.com/%zz", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CanonicalURL(tt.raw, tt.base)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("CanonicalURL(%q, %q) = %q, want an error", tt.raw, tt.base, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("CanonicalURL(%q, %q): %v", tt.raw, tt.base, err)
			}
			if got != tt.want {
				t.Errorf("CanonicalURL(%q, %q) = %q, want %q", tt.raw, tt.base, got, tt.want)
			}
		})
	}
}

// bidiMarks are the invisible bidirectional marks: LRM, RLM, the
// embeddings and overrides LRE, RLE, PDF, LRO, RLO, and the isolates LRI,
// RLI, FSI, PDI.
var bidiMarks = []string{"\u200E", "\u200F", "\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069"}

// A link copied with a bidirectional mark (from right-to-left text, say)
// is the same article.
func TestCanonicalURLBidiMarks(t *testing.T) {
	const want = "https://tolonews.com/afghanistan-190311?id=7"
	for _, m := range bidiMarks {
		for _, raw := range []string{
			m + "https://tolonews.com/afghanistan-190311?id=7",
			"https://tolonews.com/afghanistan-190311?id=7" + m,
			"https://tolo" + m + "news.com/afghanistan-190311?id=7",
			"https://tolonews.com/afghanistan-" + m + "190311?id=7",
			"https://tolonews.com/afghanistan-190311?id=" + m + "7",
			"https://tolonews.com/afghanistan-" + url.PathEscape(m) + "190311?id=7",
		} {
			got, err := CanonicalURL(raw, "")
			if err != nil || got != want {
				t.Errorf("CanonicalURL(%+q) = %q, %v; want %q", raw, got, err, want)
			}
		}
	}
}

func TestRegisteredDomain(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"www stripped", "https://www.steppewire.kz/en/", "steppewire.kz"},
		{"m stripped", "https://m.ortaasia.news/feed.json", "ortaasia.news"},
		{"amp stripped", "https://amp.caspianherald.com/", "caspianherald.com"},
		{"deep subdomain", "https://a.b.news.example.com/x", "example.com"},
		{"co.uk", "https://news.bbc.co.uk/1/hi", "bbc.co.uk"},
		{"bare host", "news.bbc.co.uk", "bbc.co.uk"},
		{"host with path", "www.rferl.org/a/123.html", "rferl.org"},
		{"upper case", "HTTPS://WWW.Example.COM/", "example.com"},
		{"port ignored", "http://www.example.com:8080/x", "example.com"},
		{"ipv4", "http://192.0.2.10:8080/feed", "192.0.2.10"},
		{"ipv6", "http://[2001:db8::1]/feed", "2001:db8::1"},
		{"localhost", "http://localhost:8080/feed.xml", "localhost"},
		{"www under a public suffix is registrable", "https://www.github.io/", "www.github.io"},
		{"public suffix itself", "https://github.io/", "github.io"},
		{"private suffix", "https://www.someone.github.io/", "someone.github.io"},
		{"idn", "https://www.Новости.рф/", "новости.рф"},
		{"empty", "", ""},
		{"file url", "file:///srv/feeds/a.xml", ""},
		{"plain path", "/srv/feeds/a.xml", ""},
		{"unparsable", "http://[::1/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := RegisteredDomain(tt.in); got != tt.want {
				t.Errorf("RegisteredDomain(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestContentHash(t *testing.T) {
	// Stored hashes must not change between versions.
	a := ContentHash("title", "text")
	if want := "d2a284c5d43abfbf102bf9e826859713"; a != want {
		t.Errorf("ContentHash(%q, %q) = %q, want %q", "title", "text", a, want)
	}
	if got := ContentHash("title", "text"); got != a {
		t.Errorf("ContentHash not stable: got %q, want %q", got, a)
	}
	if got := ContentHash("titlet", "ext"); got == a {
		t.Errorf("ContentHash(%q, %q) = ContentHash(%q, %q) = %q, want different", "titlet", "ext", "title", "text", got)
	}
	if got := ContentHash("title text"); got == a {
		t.Errorf("ContentHash of one joined part equals two parts: %q", got)
	}
}

func TestEditHash(t *testing.T) {
	// Stored hashes must not change between versions.
	a := EditHash("title", "text")
	if want := "cca7936371a9fca2f"; a != want {
		t.Errorf("EditHash(%q, %q) = %q, want %q", "title", "text", a, want)
	}
	if got := EditHash("title", "text"); got != a {
		t.Errorf("EditHash not stable: got %q, want %q", got, a)
	}
	for _, other := range [][2]string{{"titlet", "ext"}, {"title text", ""}, {"title", "texT"}, {"title", "text "}} {
		if got := EditHash(other[0], other[1]); got == a {
			t.Errorf("EditHash(%q, %q) = EditHash(%q, %q) = %q, want different", other[0], other[1], "title", "text", got)
		}
	}
}

// TestHasHashReadsStoredContentHashes: items stored before EditHash carry
// a ContentHash; the same title and text still count as unedited, any
// change as an edit.
func TestHasHashReadsStoredContentHashes(t *testing.T) {
	it := Item{Title: "CSTO drills", Text: "Troops of the CSTO held drills."}
	it.Hash = EditHash(it.Title, it.Text)
	if !it.HasHash(it.Hash) {
		t.Errorf("HasHash(its own EditHash) = false")
	}
	if !it.HasHash(ContentHash(it.Title, it.Text)) {
		t.Errorf("HasHash(ContentHash of the same title and text) = false, want true: stored before EditHash, unedited")
	}
	edited := it
	edited.Text += " Ten thousand took part."
	edited.Hash = EditHash(edited.Title, edited.Text)
	for _, stored := range []string{it.Hash, ContentHash(it.Title, it.Text)} {
		if edited.HasHash(stored) {
			t.Errorf("edited HasHash(%q) = true, want false", stored)
		}
	}
}
