package lex

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/wirewatch/wirewatch/text"
)

func key(z *Tokenizer, s string) (uint32, string) {
	toks := z.Tokenize(s, nil)
	t := &toks[0]
	k := z.MatchKey(z.Word(t), t.Flag&TokNum != 0)
	return k, string(z.key)
}

func TestMatchKey(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		same bool
	}{
		{"case ending", "Кабулова", "Kabulov", true},
		{"possessive", "Kabulov's", "Kabulov", true},
		{"dzh and j", "Таджикистана", "Tajikistan", true},
		{"german dsch", "Dschabbarow", "Jabbarov", true},
		{"г for h", "Герат", "Herat", true},
		{"kh", "Хатлон", "Khatlon", true},
		{"adjective", "Дарвозском", "Darvoz", true},
		{"q and k", "Муттаки", "Muttaqi", true},
		{"diacritics", "Kābulov", "Kabulov", true},
		{"ё", "Алёна", "Алена", true},
		{"numbers", "1,200", "1200", true},
		{"decimal", "6,1", "6.1", true},
		{"serbian cyrillic and latin", "Вучић", "Vučić", true},
		{"serbian latin and english", "Vučića", "Vucic", true},
		{"serbian љ", "Љубљана", "Ljubljana", true},
		{"greek", "Πούτιν", "Putin", true},
		{"greek digraph", "Τραμπ", "Trump", true},
		{"greek final sigma", "Μητσοτάκης", "Mitsotakis", true},
		{"cyrillic k for latin c", "Макрон", "Macron", true},
		{"thousands with a space", "1 200 000", "1,200,000", true},
		{"persian", "کابلوف", "Kabulov", true},
		{"persian vav", "لاوروف", "Lavrov", true},
		{"dari", "طالبان", "Taliban", true},
		{"urdu", "ہرات", "Herat", true},
		{"persian f and v", "افغانستان", "Afghanistan", true},
		{"persian digits", "۶٫۲", "6.2", true},
		{"arabic-indic digits", "١٥", "15", true},
		{"devanagari digits", "२०२३", "2023", true},
		{"hindi", "मुजाहिद", "Mujahid", true},
		{"hindi nukta", "ज़बीहुल्लाह", "Zabihullah", true},
		{"hindi aspirate", "ढाका", "Dhaka", true},
		{"hindi russian name", "लावरोव", "Lavrov", true},
		{"bengali", "তালেবান", "Taliban", true},
		{"bengali v", "লাভরভ", "Lavrov", true},
		{"fullwidth digits", "２０２３", "2023", true},
		{"thousands with a point", "1.200", "1,200", true},
		{"british -ise", "organisation", "organization", true},
		{"british -ised", "criticised", "criticized", true},
		{"british -yse", "analyse", "analyze", true},
		{"transliterated iz is not -ize", "میزان", "mission", false},
		{"year and number apart", "2017 200", "2017200", false},
		{"different names", "Kabulov", "Kabul", false},
		{"different numbers", "6.1", "4.7", false},
		{"number and word", "20", "twenty", false},
	}
	var z Tokenizer
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ka, sa := key(&z, tt.a)
			kb, sb := key(&z, tt.b)
			if (ka == kb) != tt.same {
				t.Errorf("keys of %q (%s) and %q (%s) equal: %t, want %t", tt.a, sa, tt.b, sb, ka == kb, tt.same)
			}
		})
	}
}

func TestTokenize(t *testing.T) {
	var z Tokenizer
	toks := z.Tokenize(`Kabulov said: "We will not rush." The envoy met «Муттаки» in Kazan. NATO's 1,200 troops`, nil)
	var words []string
	var flags []uint8
	for i := range toks {
		words = append(words, string(z.Word(&toks[i])))
		flags = append(flags, toks[i].Flag)
	}
	want := []string{"kabulov", "said", "we", "will", "not", "rush", "the", "envoy", "met", "муттаки", "in", "kazan", "nato", "1200", "troops"}
	if !slices.Equal(words, want) {
		t.Fatalf("words %q, want %q", words, want)
	}
	checks := []struct {
		i    int
		flag uint8
		want bool
	}{
		{0, TokCap | TokStart, true},
		{1, TokCap, false},
		{2, TokQuote | TokQBreak | TokStart | TokCap, true}, // "We" opens a quotation
		{3, TokQuote, true},
		{3, TokQBreak, false},
		{6, TokQuote, false}, // "The", after the closing mark
		{6, TokStart, true},
		{9, TokQuote | TokQBreak | TokCap, true},
		{12, TokLower, false}, // "NATO": an acronym
		{13, TokNum, true},
	}
	for _, c := range checks {
		if got := toks[c.i].Flag&c.flag == c.flag; got != c.want {
			t.Errorf("%q: flags %06b ∋ %06b is %t, want %t", words[c.i], toks[c.i].Flag, c.flag, got, c.want)
		}
	}
}

// TestTokenizeWordEnds: an ASCII word is taken whole when what follows
// ends it, and read on when what follows may continue it — a number's
// separator after a digit, an apostrophe, a letter, mark or invisible
// character of another script.
func TestTokenizeWordEnds(t *testing.T) {
	var z Tokenizer
	in := "Café Kabulov’s COVID19, U.S. in 2017, 200 people; 1 200 000 and 6.1% x\u0301y ab\u00adcd Дуб42 end"
	var words []string
	var flags []uint8
	for _, tok := range z.Tokenize(in, nil) {
		words = append(words, string(z.Word(&tok)))
		flags = append(flags, tok.Flag&(TokCap|TokLower|TokNum))
	}
	want := []string{"cafe", "kabulov", "covid19", "u", "s", "in", "2017", "200", "people", "1200000", "and", "61", "xy", "abcd", "дуб42", "end"}
	if !slices.Equal(words, want) {
		t.Fatalf("words %q, want %q", words, want)
	}
	wantFlags := []uint8{TokCap | TokLower, TokCap | TokLower, TokCap | TokNum, TokCap, TokCap, TokLower, TokNum, TokNum, TokLower,
		TokNum, TokLower, TokNum, TokLower, TokLower, TokCap | TokLower | TokNum, TokLower}
	if !slices.Equal(flags, wantFlags) {
		t.Errorf("flags %06b, want %06b", flags, wantFlags)
	}
}

// A bidirectional mark inside a word leaves it one word, as text.Fold does.
func TestTokenizeBidiMarks(t *testing.T) {
	var z Tokenizer
	for _, m := range []rune{0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069} {
		in := "Kabu" + string(m) + "lov in کا" + string(m) + "بل"
		var words []string
		for _, tok := range z.Tokenize(in, nil) {
			words = append(words, string(z.Word(&tok)))
		}
		if want := []string{"kabulov", "in", "کابل"}; !slices.Equal(words, want) {
			t.Errorf("Tokenize(%+q) = %q, want %q", in, words, want)
		}
	}
}

// An apostrophe inside a Ukrainian word (п'ять, прем’єр) leaves it one
// word, read without it, as Russian writes it; elsewhere it still
// separates words.
func TestTokenizeCyrillicApostrophe(t *testing.T) {
	var z Tokenizer
	var words []string
	for _, tok := range z.Tokenize("П'ять прем’єрів, В'ячеслав ' як Д'Артаньян O'Brien п' ять", nil) {
		words = append(words, string(z.Word(&tok)))
	}
	want := []string{"пять", "премєрів", "вячеслав", "як", "дартаньян", "o", "brien", "п", "ять"}
	if !slices.Equal(words, want) {
		t.Errorf("words %q, want %q", words, want)
	}
}

// TestInvisibleAsFold: text.IsInvisible, which the tokenizer reads inside
// a word, holds for every character text.Fold removes from inside a word,
// so that the tokenizer keeps the word whole.
func TestInvisibleAsFold(t *testing.T) {
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		if isMark(r) || !utf8.ValidRune(r) {
			continue
		}
		if removed := text.Fold("a"+string(r)+"b") == "ab"; removed != text.IsInvisible(r) {
			t.Errorf("%U: removed by text.Fold %t, text.IsInvisible %t", r, removed, text.IsInvisible(r))
		}
	}
}

// TestConceptLines checks that no word of conceptText belongs to two
// concepts, which would make its key depend on the order of the lines.
func TestConceptLines(t *testing.T) {
	var z Tokenizer
	owner := map[uint32]string{}
	for _, line := range strings.Split(conceptText, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		seen := map[uint32]bool{}
		for _, w := range f {
			for _, tok := range z.Tokenize(w, nil) {
				k := z.MatchKey(z.Word(&tok), false)
				if len(z.key) < MinConceptKey || seen[k] {
					continue
				}
				seen[k] = true
				if o, ok := owner[k]; ok && o != f[0] {
					t.Errorf("%q (%s) is in the lines of %q and %q", w, z.key, o, f[0])
				}
				owner[k] = f[0]
			}
		}
	}
}

// TestConceptWordsMeet checks that every word of conceptText has its
// line's concept, those whose skeleton is too short to be its key there
// (военных, суд) too, unless names.txt or vocab.txt lists it as written.
func TestConceptWordsMeet(t *testing.T) {
	var z Tokenizer
	names, vocab := readNames(nil), readVocab()
	short := 0
	for _, line := range strings.Split(conceptText, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		var want uint32 // the concept of the line's first word listed nowhere else
		for _, w := range f {
			for _, tok := range z.Tokenize(w, nil) {
				key := z.MatchKey(z.Word(&tok), false)
				if len(z.key) < MinConceptKey {
					short++
				}
				_, named := names[tok.H]
				_, listed := vocab[tok.H]
				got, ok := Concept(z.Word(&tok), tok.H, key)
				if want == 0 && !named && !listed {
					want = got
				}
				if !named && !listed && (got != want || !ok) {
					t.Errorf("%q of the line of %q has key %x (concept %v), want %x", w, f[0], got, ok, want)
				}
			}
		}
	}
	if short < 100 {
		t.Errorf("%d words of short skeletons: the test no longer reaches them", short)
	}
}

// TestMarkedConceptWords checks that a word conceptText marks "=" meets its
// concept only as written: its skeleton is a common English word's, which
// would otherwise take the concept too ("выборы" is "vbr", as "February").
func TestMarkedConceptWords(t *testing.T) {
	var z Tokenizer
	keyOf := func(s string) uint32 {
		k, _ := wordKey(t, &z, s)
		return k
	}
	for _, c := range []struct{ english, word, concept string }{
		{"February", "выборы", "election"}, {"report", "riaperto", "reopened"}, {"old", "öldü", "killed"},
		{"common", "commune", "joint"}, {"premier", "перемирие", "ceasefire"}, {"social", "школы", "education"},
		{"Amir", "إمارة", "emirate"}, {"another", "انتحاری", "suicide"}, {"crude", "cerrado", "closed"},
	} {
		if e, w, want := keyOf(c.english), keyOf(c.word), keyOf(c.concept); w != want || e == want {
			t.Errorf("%q has key %x, %q %x, %q %x: want the second and third alike, the first apart",
				c.english, e, c.word, w, c.concept, want)
		}
	}
}

// conceptKeys returns the concept keys of the words of s (a Chinese word
// is one token a character).
func conceptKeys(z *Tokenizer, s string) map[uint32]bool {
	keys := map[uint32]bool{}
	for _, tok := range z.Tokenize(s, nil) {
		if c, ok := tokenConcept(z, &tok); ok {
			keys[c] = true
		}
	}
	return keys
}

// TestConceptPairs checks that a report's words in other languages and
// scripts hold the concept key of the English word, and that words of two
// concepts stay apart.
func TestConceptPairs(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"Oberster", "Supreme", true},
		{"Gerichtshof", "court", true},
		{"embajada", "embassy", true},
		{"πρεσβεία", "embassy", true},
		{"σεισμός", "earthquake", true},
		{"земљотрес", "earthquake", true},
		{"zemljotres", "earthquake", true},
		{"地震", "earthquake", true}, // 震: one character, one token
		{"锂", "lithium", true},
		{"sankcije", "sanctions", true},
		{"санкције", "sanctions", true},
		{"sankcje", "sanctions", true},
		{"rozejm", "ceasefire", true},
		{"اوربند", "ceasefire", true},
		{"گروگان", "hostage", true},
		{"Geiseln", "hostages", true},
		{"زندانیان", "prisoners", true},
		{"humanitární", "humanitarian", true},
		{"inwestycje", "investment", true},
		{"evakuace", "evacuated", true},
		{"Lawine", "avalanche", true},
		{"خشکسالی", "drought", true},
		{"συνέντευξη", "interview", true},
		{"ambasador", "ambassador", true},
		{"ministry", "minister", true},
		{"суверенитет", "sovereignty", true}, // vocab.txt
		{"حاکمیت", "sovereignty", true},
		{"السيادة", "sovereignty", true}, // Arabic yeh folded as Persian's
		{"egemenliği", "sovereignty", true},
		{"технического", "technical", true},
		{"تخنیکی", "technical", true},
		{"Flüchtlinge", "refugees", true}, // a vocab word joins a line of conceptText
		{"суверенитет", "technical", false},
		{"explosion", "expelled", false},
		{"earthquake", "drone", false},
		{"prisoners", "person", false},
	}
	var z Tokenizer
	for _, tt := range tests {
		ka, kb := conceptKeys(&z, tt.a), conceptKeys(&z, tt.b)
		if len(ka) == 0 && tt.same {
			t.Errorf("%q holds no concept", tt.a)
			continue
		}
		shared := false
		for k := range ka {
			shared = shared || kb[k]
		}
		if shared != tt.same {
			t.Errorf("%q and %q share a concept: %t, want %t", tt.a, tt.b, shared, tt.same)
		}
	}
}

// TestVocabLines checks vocab.txt: each word is one token of three
// letters or more, folded, listed once; and no word but a line's name is a
// word the English test articles use (English texts keep their keys).
func TestVocabLines(t *testing.T) {
	english := englishWords(t)
	var z Tokenizer
	line := map[string]int{}
	for n, l := range strings.Split(vocabText, "\n") {
		f := strings.Fields(l)
		for i, w := range f {
			toks := z.Tokenize(w, nil)
			if len(toks) != 1 || string(z.Word(&toks[0])) != w || utf8.RuneCountInString(w) < minLetters(w) {
				t.Errorf("vocab.txt:%d: %q is not one folded word of three letters (two Chinese characters) or more", n+1, w)
				continue
			}
			if m, ok := line[w]; ok && i > 0 {
				t.Errorf("vocab.txt:%d: %q is listed on line %d too", n+1, w, m)
			}
			line[w] = n + 1
			if i > 0 && english[w] {
				t.Errorf("vocab.txt:%d: %q (%s) is an English word of the test articles", n+1, w, f[0])
			}
			if i == 0 && Info(toks[0].H)&InfoStop != 0 {
				t.Errorf("vocab.txt:%d: %q is a stop word: English texts never hold its key", n+1, w)
			}
		}
	}
	if len(line) < 10000 {
		t.Errorf("vocab.txt holds %d words", len(line))
	}
}

// minLetters is the fewest letters a listed word may have: three, or two
// Chinese characters (each a syllable) or Cyrillic letters (an acronym:
// РФ, the Russian Federation).
func minLetters(w string) int {
	if r, _ := utf8.DecodeRuneInString(w); isHan(r) || unicode.Is(unicode.Cyrillic, r) {
		return 2
	}
	return 3
}

// TestNameLines: each line of names.txt is an English word of three
// letters or more, then at least one form of it in another language or
// script: Chinese forms of two characters or more, other forms of three
// letters or more, each one folded token listed once here and not in
// vocab.txt. A form takes the English word's key and is no concept; a
// form other than a Chinese one is listed only when transliteration,
// stemming and the skeleton do not already give it that key.
func TestNameLines(t *testing.T) {
	var z Tokenizer
	seen := map[string]int{}
	for _, l := range strings.Split(vocabText, "\n") {
		for _, w := range strings.Fields(l) {
			seen[w] = -1
		}
	}
	lines := 0
	for n, l := range strings.Split(namesText, "\n") {
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		lines++
		if len(f) < 2 {
			t.Errorf("names.txt:%d: no form", n+1)
		}
		first := z.Tokenize(f[0], nil)
		want, _ := tokenConcept(&z, &first[0])
		for i, w := range f {
			toks := z.Tokenize(w, nil)
			r, _ := utf8.DecodeRuneInString(w)
			han := isHan(r)
			if len(toks) != 1 || string(z.Word(&toks[0])) != w || utf8.RuneCountInString(w) < minLetters(w) || i == 0 && han {
				t.Errorf("names.txt:%d: %q is not one folded word of its kind", n+1, w)
				continue
			}
			if i == 0 {
				continue
			}
			if m, ok := seen[w]; ok {
				t.Errorf("names.txt:%d: %q is listed on line %d too (-1: vocab.txt)", n+1, w, m)
			}
			seen[w] = n + 1
			key := z.MatchKey(z.Word(&toks[0]), false)
			if own, _ := wordConcept(z.Word(&toks[0]), toks[0].H, key); !han && own == want {
				t.Errorf("names.txt:%d: %q meets %s without being listed", n+1, w, f[0])
			}
			if got, concept := Concept(z.Word(&toks[0]), toks[0].H, key); got != want || concept {
				t.Errorf("names.txt:%d: %q has key %x (concept %v), want %s's %x", n+1, w, got, concept, f[0], want)
			}
		}
	}
	if lines < 300 {
		t.Errorf("names.txt holds %d names", lines)
	}
}

// englishWords returns the folded words of the English test articles.
func englishWords(t *testing.T) map[string]bool {
	var z Tokenizer
	words := map[string]bool{}
	for _, p := range []string{"../testdata/eval/hard.jsonl", "../testdata/eval/articles.jsonl", "../testdata/sample.jsonl"} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(string(b), "\n") {
			var a struct{ Lang, Title, Text string }
			if json.Unmarshal([]byte(l), &a) != nil || a.Lang != "en" {
				continue
			}
			for _, tok := range z.Tokenize(a.Title+"\n"+a.Text, nil) {
				words[string(z.Word(&tok))] = true
			}
		}
	}
	return words
}

// TestChineseWords: the characters of a listed Chinese word or name make
// one token, which meets the English word: 拉夫罗夫 "Lavrov" (a name),
// 停火 "truce" (a word of the news); a character outside any listed word
// stays a token of its own; a function character is a stop word.
func TestChineseWords(t *testing.T) {
	var z Tokenizer
	toks := z.Tokenize("外长拉夫罗夫说，塔利班同意停火。", nil)
	var words []string
	for i := range toks {
		words = append(words, string(z.Word(&toks[i])))
	}
	if got, want := strings.Join(words, " "), "外 长 拉夫罗夫 说 塔利班 同意 停火"; got != want {
		t.Errorf("tokens %q, want %q", got, want)
	}
	// A function character is a stop word: no key, and no name.
	if de := z.Tokenize("的", nil); Info(de[0].H)&InfoStop == 0 {
		t.Error("的 is no stop word")
	}
	for _, c := range []struct {
		zh, en  string
		concept bool
	}{{"拉夫罗夫", "Lavrov", false}, {"普京", "Путин", false}, {"塔利班", "Taliban", false}, {"停火", "truce", true}} {
		k, concept := wordKey(t, &z, c.zh)
		want, _ := wordKey(t, &z, c.en)
		if k != want || concept != c.concept {
			t.Errorf("%s: key %x concept %v, want %s's %x concept %v", c.zh, k, concept, c.en, want, c.concept)
		}
	}
}

// TestNamesBeforeConcepts: a name listed as written takes its English
// word's key even where its skeleton is a concept word's.
func TestNamesBeforeConcepts(t *testing.T) {
	var z Tokenizer
	for _, p := range [][2]string{{"مصر", "Egypt"}, {"سوریه", "Syria"}, {"الیمن", "Yemen"}} {
		got, concept := wordKey(t, &z, p[0])
		want, _ := wordKey(t, &z, p[1])
		if got != want || concept {
			t.Errorf("%s: key %x (concept %t), want %s's %x", p[0], got, concept, p[1], want)
		}
	}
	if _, concept := wordKey(t, &z, "مسيرة"); !concept {
		t.Error("مسيرة (drone) is no concept")
	}
}

// wordConcept is Concept without the names: a word of the vocabulary, else
// its skeleton's concept.
func wordConcept(word []byte, h uint64, key uint32) (uint32, bool) {
	if c, ok := listedOf().words[h]; ok && c>>32 != 0 {
		return uint32(c), true // "sovereignty", "суверенитет", "حاکمیت": the word as listed
	}
	return skeletonConcept(key, word)
}

// tokenConcept is Concept of a token, as a text's word is read.
func tokenConcept(z *Tokenizer, tok *Token) (uint32, bool) {
	return Concept(z.Word(tok), tok.H, z.MatchKey(z.Word(tok), false))
}

// wordKey is tokenConcept of w, which must be one token.
func wordKey(t *testing.T, z *Tokenizer, w string) (uint32, bool) {
	t.Helper()
	toks := z.Tokenize(w, nil)
	if len(toks) != 1 {
		t.Fatalf("%q: %d tokens", w, len(toks))
	}
	return tokenConcept(z, &toks[0])
}

// TestConceptNeedsItsStem: a word no line lists takes the concept of its
// skeleton only as a form of a word that line lists (its first sounds,
// whatever the script: "пограничных" is a form of Czech "pohraniční");
// a word whose skeleton merely meets one of the line's is no concept and
// keeps its own key — "summits" is no earthquake (Spanish "sismo"),
// "fund" and "большая" are not "injured", Turkish "söyledi" (said) no
// flood — while a case ending or a plural keeps the concept. (A word
// whose own skeleton is the concept's English word's, "trust" and
// "terrorist", still meets it, as any two words of one skeleton do.) And
// an English country's name meets its name in the other languages of its
// line.
func TestConceptNeedsItsStem(t *testing.T) {
	var z Tokenizer
	for _, p := range [][2]string{{"summits", "earthquake"}, {"fund", "injured"}, {"большая", "injured"},
		{"söyledi", "flood"}, {"fields", "flood"}, {"девять", "invited"}} {
		got, concept := wordKey(t, &z, p[0])
		if want, _ := wordKey(t, &z, p[1]); got == want || concept {
			t.Errorf("%s: key %x (concept %t), meets %s", p[0], got, concept, p[1])
		}
	}
	for _, p := range [][2]string{{"таджикистане", "Tajikistan"}, {"афганистане", "Afghan"}, {"санкцій", "sanctions"},
		{"flooded", "flood"}, {"пограничных", "пограничники"}, {"افغانستانی", "Afghan"}, {"России", "Russia"},
		{"Russland", "Russia"}, {"Китай", "China"}, {"Çin", "China"}} {
		got, _ := wordKey(t, &z, p[0])
		if want, _ := wordKey(t, &z, p[1]); got != want {
			t.Errorf("%s: key %x, want %s's %x", p[0], got, p[1], want)
		}
	}
}

// TestRuneClass checks runeClass's shortcuts against unicode's tables, rune
// by rune.
func TestRuneClass(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		up, low, dig := runeClass(r)
		if up != (unicode.IsUpper(r) || unicode.IsTitle(r)) || low != unicode.IsLower(r) || dig != unicode.IsDigit(r) {
			t.Errorf("runeClass(%U) = %t, %t, %t", r, up, low, dig)
		}
	}
}

// TestFunctionWords: a sentence of nothing but function words, in each
// language whose function words stopText lists, holds no word that is not
// a stop word — such words would be keys every text of the language
// shares, and that no translation holds.
func TestFunctionWords(t *testing.T) {
	var z Tokenizer
	for _, s := range []string{
		"Sie hatte jedoch keine, weil er seit dem nicht mehr dort, und sowie dazu ihrer",
		"Elle avait aussi dit qu'il ne peut pas, mais nous sommes toujours avec vous depuis",
		"Ella también dijo que ya no hay nada, pero ellos están muy desde entonces aunque",
		"Lei ha detto che loro sono anche più, ma noi siamo sempre senza questo",
		"Ele disse que eles também não estão, mas nós ainda temos isso depois",
		"Він також заявив, що вони вже були там, але ми ще не цього після",
		"Той също каза, че те вече са били там, но ние още не сме това след",
		"Jednak jego zdaniem nie było już tam tych, którzy także się tylko przed",
	} {
		for _, tk := range z.Tokenize(s, nil) {
			if Info(tk.H)&InfoStop == 0 {
				t.Errorf("%q: %q is no stop word", s, z.Word(&tk))
			}
		}
	}
}
