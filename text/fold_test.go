package text

import (
	"slices"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestFold(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"ascii", "Zamir KABULOV, 2024!", "zamir kabulov, 2024!"},
		{"latin diacritics", "Kābulov Tādjikistān Türkiye ça", "kabulov tadjikistan turkiye ca"},
		{"turkish", "İstanbul Işık Şişli Doğu", "istanbul isik sisli dogu"},
		{"azerbaijani", "Əliyev Heydər", "aliyev heydar"},
		{"vietnamese", "Nguyễn Phú Trọng", "nguyen phu trong"},
		{"letters without decomposition", "Łódź Øresund Đà Nẵng straße Æsir", "lodz oresund da nang strasse aesir"},
		{"ligature", "ﬁnance", "finance"},
		{"decomposed latin", "Ka\u0304bulov", "kabulov"},
		{"cyrillic case", "ОДКБ Душанбе", "одкб душанбе"},
		{"cyrillic yo", "Ёлка ещё", "елка еще"},
		{"cyrillic short i kept", "Йошкар-Ола мой", "йошкар-ола мой"},
		{"cyrillic decomposed short i", "мои\u0306", "мой"},
		{"cyrillic stress", "Кабу\u0301лов", "кабулов"},
		{"ukrainian and tajik letters kept", "Київ Тоҷикистон ӯ", "київ тоҷикистон ӯ"},
		{"cyrillic schwa kept", "Қазақстан әкім", "қазақстан әкім"},
		{"greek", "Αθήνα ΚΟΣΜΟΣ", "αθηνα κοσμοσ"},
		{"arabic hamza and harakat", "أَفغانستان إيران", "افغانستان ایران"},
		{"arabic to persian letters", "كابل علي", "کابل علی"},
		{"tatweel and zwnj", "كـــابل می\u200cشود", "کابل میشود"},
		{"apostrophes", "CSTO’s O‘zbekiston Oʻzbekiston", "csto's o'zbekiston o'zbekiston"},
		{"digits", "۱۴۰۳ ٢٠٢٤ ２０２４ 𝟚𝟘", "1403 2024 2024 20"},
		{"fullwidth letters", "ＣＳＴＯ", "csto"},
		{"devanagari marks kept", "हिन्दी", "हिन्दी"},
		{"punctuation kept", "a-b (c) «d»", "a-b (c) «d»"},
		{"hyphens and dashes", "Tajik‐Afghan 1–2 −5", "tajik-afghan 1-2 -5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := Fold(tt.in), tt.want; got != want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, want)
			}
		})
	}
}

// A bidirectional mark (LRM, RLM, embeddings, overrides, isolates) inside
// a word leaves it the same word; around one it is not a token.
func TestFoldBidiMarks(t *testing.T) {
	for _, m := range []rune{0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069} {
		in := "Kabu" + string(m) + "lov " + string(m) + "کابل" + string(m)
		if got, want := Fold(in), "kabulov کابل"; got != want {
			t.Errorf("Fold(%+q) = %+q, want %+q", in, got, want)
		}
		if got, want := Tokens(in), []string{"kabulov", "کابل"}; !slices.Equal(got, want) {
			t.Errorf("Tokens(%+q) = %+q, want %+q", in, got, want)
		}
	}
}

func TestTokens(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"words", "Zamir Kabulov said", []string{"zamir", "kabulov", "said"}},
		{"possessive", "Kabulov's CSTO’s", []string{"kabulov", "csto"}},
		{"apostrophe inside word", "O'Neill rock'n'roll", []string{"o", "neill", "rock", "n", "roll"}},
		{"lone s kept", "vitamin s", []string{"vitamin", "s"}},
		{"s after apostrophe and space kept", "the 's", []string{"the", "s"}},
		{"hyphen", "Tajik-Afghan", []string{"tajik", "afghan"}},
		{"digits", "COVID-19 in 2024", []string{"covid", "19", "in", "2024"}},
		{"punctuation", "Kabul, (Afghanistan)! «ОДКБ»", []string{"kabul", "afghanistan", "одкб"}},
		{"arabic", "طالبان، کابل", []string{"طالبان", "کابل"}},
		{"persian zwnj", "می\u200cشود", []string{"میشود"}},
		{"han characters", "中国外交部", []string{"中", "国", "外", "交", "部"}},
		{"han next to latin", "CSTO中国", []string{"csto", "中", "国"}},
		{"kana", "カブール", []string{"カ", "ブ", "ー", "ル"}},
		{"devanagari with marks", "हिन्दी समाचार", []string{"हिन्दी", "समाचार"}},
		{"underscore splits", "a_b", []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := Tokens(tt.in), tt.want; !slices.Equal(got, want) {
				t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, want)
			}
		})
	}
}

// TestFoldEveryRune checks, for every assigned character alone and followed
// by a combining mark, that folding is idempotent and that every token is a
// fixed point of Tokens: the properties the canonical query form needs.
func TestFoldEveryRune(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !unicode.IsGraphic(r) && !unicode.In(r, unicode.Cc, unicode.Cf) {
			continue // unassigned, private use or surrogate
		}
		for _, s := range []string{string(r), string(r) + "\u0301", string(r) + "\u0306", string(r) + "\u0901"} {
			f := Fold(s)
			if got, want := Fold(f), f; got != want {
				t.Fatalf("Fold(Fold(%+q)) = %+q, want %+q", s, got, want)
			}
			for _, tok := range Tokens(s) {
				if got, want := Tokens(tok), []string{tok}; !slices.Equal(got, want) {
					t.Fatalf("Tokens(%+q) = %+q, want %+q (a token of %+q)", tok, got, want, s)
				}
			}
		}
	}
}

func TestFoldOffsets(t *testing.T) {
	tests := []struct {
		name, s string
	}{
		{"ascii", "Kabulov's CSTO"},
		{"diacritics", "Tādjikistān Türkiye"},
		{"decomposed", "cafe\u0301 мои\u0306"},
		{"ligature and sharp s", "ﬁsh Straße"},
		{"invisible", "می\u200cشود soft\u00adhyphen"},
		{"bidi marks", "\u2067کا\u200fبل\u2069 Kabu\u200elov"},
		{"cyrillic", "Замир Кабулов"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			folded, off := FoldOffsets(tt.s)
			if got, want := folded, Fold(tt.s); got != want {
				t.Fatalf("FoldOffsets(%q) = %q, want %q", tt.s, got, want)
			}
			if got, want := off.Orig(len(folded)), len(tt.s); got != want {
				t.Fatalf("Orig(len(folded)) = %d, want %d", got, want)
			}
			for _, sp := range AppendSpans(folded, nil) {
				orig := tt.s[off.Orig(int(sp.Start)):off.Orig(int(sp.End))]
				if got, want := Fold(orig), folded[sp.Start:sp.End]; got != want {
					t.Errorf("Fold(%q) = %q, want the token %q", orig, got, want)
				}
			}
		})
	}
}

func TestFoldCyrillicFastPath(t *testing.T) {
	for r := rune(0x0410); r <= 0x044F; r++ {
		var base rune
		got := string(appendFoldRune(nil, r, &base))
		var want []byte
		if f, ok := foldSpecial(caseFold(r)); ok {
			want = []byte(f)
		} else {
			want = utf8.AppendRune(nil, caseFold(r))
		}
		if got != string(want) {
			t.Errorf("fold of %c = %q, want %q", r, got, want)
		}
	}
}

// foldRunes is appendFold without its fast paths: every rune through
// appendFoldRune, ASCII through lowerASCII.
func foldRunes(s string) string {
	var b []byte
	var base rune
	for _, r := range s {
		if r < utf8.RuneSelf {
			c := lowerASCII[r]
			b, base = append(b, c), rune(c)
			continue
		}
		b = appendFoldRune(b, r, &base)
	}
	return string(b)
}

// spansRunes is AppendSpans without its fast paths: every rune decoded
// and taken by the general path.
func spansRunes(s string) []Span {
	var dst []Span
	sp := spanner{start: -1}
	for i, r := range s {
		dst = sp.rune(dst, s, i, r)
	}
	return sp.end(dst, s)
}

// FuzzFoldFastPaths: folding and splitting into tokens read eight ASCII
// bytes at a time, ASCII separators and Cyrillic letters without decoding
// them; the result is that of every rune taken alone.
func FuzzFoldFastPaths(f *testing.F) {
	for _, s := range []string{
		"zamir kabulov said on tuesday that the csto would", "Zamir KABULOV, 2024! `quoted` it's CSTO's",
		"abcdefgh\u0301ijklmnop", "abcdefghe\u0301 мои\u0306 Кабулов", "12345678Abcdefgh`bcdefgh", "ﬁsh Straße 東京 とうきょう",
		"sev\u00aderal wordsinarow andmore'S s' 'sis", "\u2067کا\u200fبل\u2069 Kabu\u200elov", "aaaaaaaa\x80bbbbbbbb", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		folded, _ := FoldOffsets(s)
		if want := foldRunes(s); folded != want && utf8.ValidString(s) {
			t.Fatalf("FoldOffsets(%+q) = %+q, rune by rune %+q", s, folded, want)
		}
		if got, want := AppendSpans(folded, nil), spansRunes(folded); !slices.Equal(got, want) && utf8.ValidString(folded) {
			t.Fatalf("AppendSpans(%+q) = %v, rune by rune %v", folded, got, want)
		}
	})
}
