package feeds

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// clutteredBody is a feed item's content:encoded as some outlets publish
// it: the page's navigation, a thumbnail placeholder and share buttons
// around the article.
const clutteredBody = `<div class="skip"><a href="#main">Skip to main content</a></div>
<nav><ul><li>Home</li><li>Latest Updates</li></ul></nav>
<div class="label">Latest news</div>
<figure><figcaption>Thumbnail</figcaption></figure>
<div class="crumbs">Home / Latest Updates / Russia Ready To Cooperate With Taliban On Security</div>
<p>Russia is ready to cooperate with the Taliban on security, presidential envoy Zamir Kabulov said.</p>
<p>Kabulov spoke after talks in Moscow.</p>
<div class="share">Share: Facebook · Twitter · WhatsApp · Telegram</div>
<div>Subscribe to our newsletter</div>
<div>Follow us on Telegram</div>`

func TestPlainBodyDropsClutter(t *testing.T) {
	got := PlainBody(clutteredBody)
	want := "Russia is ready to cooperate with the Taliban on security, presidential envoy Zamir Kabulov said. Kabulov spoke after talks in Moscow."
	if got != want {
		t.Errorf("PlainBody:\n got %q\nwant %q", got, want)
	}
	// Titles keep every word: only bodies lose clutter lines.
	if got := PlainText("<p>Subscribe</p>"); got != "Subscribe" {
		t.Errorf("PlainText = %q, want the text as it is", got)
	}
}

func TestIsBoilerplate(t *testing.T) {
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"Skip to main content", true},
		{"Home / Latest Updates / Russia Ready To Cooperate", true},
		{"Home » World » Asia", true},
		{"Thumbnail", true},
		{"Share on Facebook", true},
		{"Facebook Twitter WhatsApp", true},
		{"Subscribe to our newsletter!", true},
		{"Read more", true},
		{"Home Secretary says border talks will go on", false},
		{"Kabulov said the talks would go on.", false},
		{"Russia shares intelligence with the Taliban", false},
	} {
		if got := IsBoilerplate(tc.line); got != tc.want {
			t.Errorf("IsBoilerplate(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}

func TestTrimBoilerplate(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Skip to main content Latest news Thumbnail Russia Ready To Cooperate With Taliban",
			"Russia Ready To Cooperate With Taliban"},
		{"Home / Latest Updates / Russia Ready To Cooperate", "Russia Ready To Cooperate"},
		{"Home Secretary says talks go on", "Home Secretary says talks go on"},
		{"Kabulov said so.", "Kabulov said so."},
	} {
		if got := TrimBoilerplate(tc.in); got != tc.want {
			t.Errorf("TrimBoilerplate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFetchArticleDropsClutter(t *testing.T) {
	page := `<!DOCTYPE html><html><head><title>Russia Ready To Cooperate With Taliban | Tolo</title></head><body>
<div id="content"><article>` + clutteredBody + `
<p>The envoy added that Moscow would host the next round of consultations in the spring, and that the border with Tajikistan remained calm.</p>
</article></div></body></html>`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(page))
	}))
	t.Cleanup(srv.Close)
	got, err := NewFetcher(FetcherOptions{}).FetchArticle(context.Background(), srv.URL+"/a", true)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "presidential envoy Zamir Kabulov said") {
		t.Errorf("article text lacks the article:\n%s", got)
	}
	for _, junk := range []string{"Skip to main content", "Thumbnail", "Home / Latest", "Subscribe", "WhatsApp"} {
		if strings.Contains(got, junk) {
			t.Errorf("article text keeps %q:\n%s", junk, got)
		}
	}
}

// FuzzIsBoilerplateAgreesWithExpression: the first-word test before the
// expression never changes its answer.
func FuzzIsBoilerplateAgreesWithExpression(f *testing.F) {
	for _, s := range []string{"Share on Facebook", "Home / News / Item", "© 2026 Outlet", "Follow us on X",
		"Copyright 2026", "The minister said", "x", "Xylophones", "ſhare", "Read more", "  Thumbnail  ", "12 · 3", "Tweet Email",
		"Homeowners said", "All rights reserved.", "You may also like", "Sign up for news", "More from Reuters"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		line = strings.TrimSpace(line)
		if got, want := IsBoilerplate(line), line != "" && boilerplateLineRE.MatchString(line); got != want {
			t.Errorf("IsBoilerplate(%q) = %v, the expression says %v", line, got, want)
		}
	})
}

// FuzzDropBoilerplateAgreesWithSplitting: DropBoilerplate gives what
// splitting its text into lines, dropping the boilerplate ones and joining
// the words of the rest by single spaces gives.
func FuzzDropBoilerplateAgreesWithSplitting(f *testing.F) {
	for _, s := range []string{"", "\n\n", "Skip to content\nThe minister said\n  it  rained ", "a\u00a0b\u0085c\u2003d\u3000e",
		"\xff\xfe bad\tbytes\v\f\r", "Share on Facebook\nHome / News\nText\u200b here", " \n x \n Read more \n© 2026",
		"one space each\ntwo  spaces", "ogham\u1680space\nline\u2028sep\u205fmath", "Ⅻ é\u00e9 ü ß 中文 \u00a0nbsp"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var kept []string
		for _, line := range strings.Split(text, "\n") {
			if line = strings.TrimSpace(line); line != "" && !IsBoilerplate(line) {
				kept = append(kept, line)
			}
		}
		want := strings.Join(strings.Fields(strings.Join(kept, " ")), " ")
		if got := DropBoilerplate(text); got != want {
			t.Errorf("DropBoilerplate(%q) = %q, want %q", text, got, want)
		}
	})
}

// TestAppendFieldsIsJoinFields: appendFields, whole-line fast path
// included, writes what strings.Join(strings.Fields(s), " ") gives, after
// a space when the builder holds text already.
func TestAppendFieldsIsJoinFields(t *testing.T) {
	for _, s := range []string{"", " ", "a", "a b", " a b", "a b ", "a  b", "a\tb", "a\u00a0b", "é ü 中文", "\xff b"} {
		for _, before := range []string{"", "x"} {
			var b strings.Builder
			b.WriteString(before)
			appendFields(&b, s)
			want := strings.Join(strings.Fields(s), " ")
			if before != "" && want != "" {
				want = before + " " + want
			} else {
				want = before + want
			}
			if b.String() != want {
				t.Errorf("appendFields(%q after %q) = %q, want %q", s, before, b.String(), want)
			}
		}
	}
}

// FuzzSingleSpaced: singleSpaced, eight bytes at a time included, reports
// whether s is its words joined by single spaces.
func FuzzSingleSpaced(f *testing.F) {
	for _, s := range []string{"", " ", "a", "a b", "eight by tes here", "abcdefgh ijklmnop", "abcdefgh  ijklmnop",
		"abcdefghijklmnopq\t", "abcdefghé ijklmnop", "abcdefg\u00a0hijklmno", "abcdefghijklmnop ", " abcdefghijklmnop",
		"\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f \x01", "abcdefgh\u2003ijk", "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8 x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := singleSpaced(s), s != "" && strings.Join(strings.Fields(s), " ") == s; got != want {
			t.Errorf("singleSpaced(%q) = %v, want %v", s, got, want)
		}
	})
}
