package feeds

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// FuzzPlainText: HTML to text never panics and gives valid UTF-8 for
// valid UTF-8, without the tags of well-formed markup.
func FuzzPlainText(f *testing.F) {
	for _, s := range []string{
		"<p>Kabulov said <b>talks</b> go on.</p>",
		"a &amp; b &nbsp; &#8212; &bogus; &#xZZ;",
		"<![CDATA[<p>inside</p>]]>",
		"<script>alert(1)</script><style>p{}</style>text",
		"<p>unclosed <a href='x'>link",
		"plain text, no markup < 3 > 2",
		"<div><div><div><div><div>deep</div></div></div></div></div>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := PlainText(s)
		if utf8.ValidString(s) && !utf8.ValidString(got) {
			t.Errorf("PlainText(%q) = %q: not UTF-8", s, got)
		}
		if strings.HasPrefix(s, "<p>") && strings.HasSuffix(s, "</p>") && !strings.ContainsAny(s[3:len(s)-4], "<>&") &&
			strings.Contains(got, "<p>") {
			t.Errorf("PlainText(%q) = %q: kept the tag", s, got)
		}
	})
}

// FuzzCanonicalURL: canonicalization never panics, and a canonical URL is
// its own canonical form.
func FuzzCanonicalURL(f *testing.F) {
	for _, s := range [][2]string{
		{"https://Example.com/a/../b?utm_source=x&id=3#frag", ""},
		{"/news/1?fbclid=abc", "https://tass.com/rss"},
		{"HTTP://EXAMPLE.COM:80/", ""},
		{"//cdn.example.com/x", "https://example.com/"},
		{"mailto:a@example.com", ""},
		{"https://例え.jp/パス?q=1&q=2", ""},
		{"%zz", ""},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, raw, base string) {
		got, err := CanonicalURL(raw, base)
		if err != nil {
			return
		}
		again, err := CanonicalURL(got, "")
		if err != nil {
			t.Fatalf("CanonicalURL(%q, %q) = %q, which does not canonicalize: %v", raw, base, got, err)
		}
		if again != got {
			t.Errorf("CanonicalURL(%q, %q) = %q, then %q", raw, base, got, again)
		}
	})
}

// FuzzLowerTagName: the name extractText looks up for each tag is the
// tokenizer's TagName, for every name as long as the elements it looks for.
func FuzzLowerTagName(f *testing.F) {
	for _, s := range []string{
		"<P class=x>a</P ><br/><BR />b<div\n>c</div\t><figcaption>d</FIGCAPTION>",
		"<script>x</script><ScRiPt type=a>y</sCrIpT><p\x00>z<td/><x-y>",
		"</ p><p a=/><img src=x alt=\"a > b\"><![CDATA[<p>in</p>]]>",
	} {
		f.Add(s)
	}
	for name := range simpleElements { // skippedElements, blockElements and rawTextElements
		if len(name) > maxElementName {
			f.Fatalf("%q is longer than maxElementName", name)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		z := html.NewTokenizer(strings.NewReader(s))
		z.AllowCDATA(true)
		for {
			switch z.Next() {
			case html.ErrorToken:
				return
			case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
				var lower [maxElementName]byte
				got := lowerTagName(&lower, z.Raw())
				want, _ := z.TagName()
				if bytes.Contains(want, []byte("\ufffd")) {
					continue // a NUL, which TagName replaces: no element's name either way
				}
				if len(want) <= maxElementName && string(got) != string(want) {
					t.Errorf("lowerTagName(%q) = %q, TagName %q", z.Raw(), got, want)
				}
				if len(want) > maxElementName && got != nil {
					t.Errorf("lowerTagName(%q) = %q, TagName %q is longer than any element looked for", z.Raw(), got, want)
				}
			}
		}
	})
}

// FuzzSimpleText: where appendSimpleText takes markup on, it gives the
// text and tags the tokenizer gives.
func FuzzSimpleText(f *testing.F) {
	for _, s := range []string{
		"<p>Kabulov said <b>talks</b> go on.</p><P CLASS=x>a &amp; b &nbsp;&#8212;</P>",
		"a < b <3 <br/>c<BR >d</div\t>e<figcaption>f</FIGCAPTION>",
		"<a href=/x/>link</a><img src=x alt=\"a > b\">",
		"<p>unclosed <a href='x'>link",
		"<script>x</script><title>t</title><template>u</template>",
		"</> </ p> <!-- c --> <![CDATA[x]]> <?pi?> <!DOCTYPE html>",
		"<p>a\r\nb</p>\x00<",
		"&notit; &amp;lt;p&amp;gt; &#0; &#x80;",
		`<p>The post <a href="https://x.org/a?b=1&amp;c=2" rel="nofollow">Kabulov</a> appeared first on <a href='https://x.org'>X</a>.</p>`,
		`<img src="x.jpg" alt="a > b" width=600 /><a href="x"title="y">t</a><a ="x>y">z</a><a="x>y">w`,
		`<p class = "lead" data-x='"' >a</p><div id="a" / >b</div><a href="x>`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, gotTag, ok := appendSimpleText([]byte("x"), s)
		if !ok {
			if string(got) != "x" {
				t.Errorf("appendSimpleText(%q) declined but changed b to %q", s, got)
			}
			return
		}
		want, wantTag := tokenizeText([]byte("x"), s, 0)
		if string(got) != string(want) || gotTag != wantTag {
			t.Errorf("appendSimpleText(%q) = %q, %v; tokenizer %q, %v", s, got, gotTag, want, wantTag)
		}
	})
}
