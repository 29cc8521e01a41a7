package stories

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/feeds/stories/lex"
)

// key returns the match key of the first word of s, and the key's text.
func TestMonthKeys(t *testing.T) {
	var sc scratch
	p := fpParams{sketch: 16, quotes: 8, bands: 4, rows: 2, lead: 48, maxNames: 96, maxAnchors: 32}
	want := monthKey(2)
	for _, s := range []string{
		"Talks ended on 12 February.", "Talks ended on February 12.", "Переговоры закончились 12 февраля.",
		"Die Gespräche endeten am 12. Februar.", "Las conversaciones terminaron el 12 de febrero.",
		"Les pourparlers ont pris fin le 12 février.", "Разговори су завршени 12. фебруара.",
		"Οι συνομιλίες ολοκληρώθηκαν στις 12 Φεβρουαρίου.", "I colloqui si sono conclusi il 12 febbraio.",
		"Görüşmeler 12 Şubat'ta sona erdi.", "Rozmowy zakończyły się 12 lutego.", "Переговори завершилися 12 лютого.",
		"مذاکرات روز ۱۲ فوریه پایان یافت.", "انتهت المحادثات في 12 فبراير.", "बातचीत 12 फरवरी को समाप्त हुई।",
	} {
		var fp fingerprint
		sc.fingerprint("", s, &p, &fp)
		if _, ok := slices.BinarySearch(fp.keys, want); !ok {
			t.Errorf("%q: no key for February", s)
		}
	}
	// The day of a date is the date's key, not any number's.
	day := func(text string) map[uint32]bool {
		var fp fingerprint
		sc.fingerprint("", text, &p, &fp)
		return maps.Collect(func(yield func(uint32, bool) bool) {
			for _, k := range fp.keys {
				yield(k, true)
			}
		})
	}
	feb12, ru, people, oct := day("Talks ended on 12 February."), day("Переговоры закончились 12 февраля."),
		day("Officials said 12 people were hurt."), day("Talks ended on 12 October.")
	if !feb12[dateKey(2, 12)] || !ru[dateKey(2, 12)] || feb12[dateKey(10, 12)] || !oct[dateKey(10, 12)] {
		t.Errorf("12 February and 12 февраля should hold the key of 12 February, 12 October its own")
	}
	for k := range feb12 {
		if people[k] {
			t.Errorf("12 February and 12 people share key %d", k)
		}
	}
	var fp fingerprint
	sc.fingerprint("", "The minister may resign, officials said.", &p, &fp)
	for m := 1; m <= 12; m++ {
		if _, ok := slices.BinarySearch(fp.keys, monthKey(m)); ok {
			t.Errorf("a month key for %q without a day or year", "may")
		}
	}
}

// TestLeadDate: the first date a title or opening writes, in any language
// and script, dateline included; none when the opening names no day.
func TestLeadDate(t *testing.T) {
	feb12 := uint16(43) // the 43rd day of the year
	tests := []struct {
		title, text string
		want        uint16
	}{
		{"Talks in Moscow", "MOSCOW, February 12. /TASS/. The talks ended.", feb12},
		{"Talks ended on 12 February", "", feb12},
		{"", "Переговоры закончились 12 февраля 2024 года.", feb12},
		{"", "Las conversaciones terminaron el 12 de febrero.", feb12},
		{"", "会谈于2月12日结束。", feb12},
		{"", "Görüşmeler 12 Şubat'ta sona erdi.", feb12},
		{"", "The talks ended on 12 February; they resume on 3 March.", feb12},
		{"", "The talks ended in February 2024.", 0},
		{"", "The minister may resign, 12 officials said.", 0},
		{"", strings.Repeat("word ", dateWords) + "The talks ended on 12 February.", 0},
		{"", "12.02.2024 14:35 Переговоры закончились.", feb12},
		{"", "Objavljeno 27/02/2024. Pregovori su završeni.", 58},
		{"", "Pregovori su završeni 12. oktobra.", 285}, // Serbian Latin: oktobra, novembra, marta, maja …
		{"", "Sastanak je održan 3. maja u Beogradu.", 123},
		{"", "Sastanak je održan 7. avgusta.", 219},
		{"", "Les pourparlers ont pris fin le 1er octobre.", 274}, // ordinal days
		{"", "The talks ended on October 7th.", 280},
		{"", "The talks ended on the 21st of October.", 294},
		{"", "The talks ended on 2nd February.", 33},
		{"Talks end", "Posted 2024-02-12. The talks ended.", feb12},
		{"", "Updated 11/14/2023: the talks ended.", 318},  // 14 November
		{"", "Updated 02/03/2024: the talks ended.", 0},    // 2 March or 3 February
		{"", "The fund grew to 12,345,678 dollars.", 0},    // a number, no year at either end
		{"", "Of 2024 votes, 12 02 were void.", 0},         // not a month and a day
		{"", "The score was 31.02.2024 in the report.", 0}, // no 31 February
	}
	p := fpParams{sketch: 16, quotes: 8, bands: 4, rows: 2, lead: 48, maxNames: 96, maxAnchors: 32}
	for _, tt := range tests {
		var sc scratch
		var fp fingerprint
		sc.fingerprint(tt.title, tt.text, &p, &fp)
		if fp.date != tt.want {
			t.Errorf("%q %q: date %d, want %d", tt.title, tt.text, fp.date, tt.want)
		}
	}
	for _, tt := range []struct {
		a, b  uint16
		apart bool
	}{{43, 43, false}, {43, 44, false}, {43, 45, true}, {365, 1, false}, {364, 1, true}} {
		if got := datesApart(tt.a, tt.b); got != tt.apart {
			t.Errorf("datesApart(%d, %d) = %v", tt.a, tt.b, got)
		}
	}
}

func TestBottomKOverlap(t *testing.T) {
	var all []uint32
	for i := range uint32(1000) {
		all = append(all, mix32(i))
	}
	const k = 64
	a := bottomK(nil, slices.Clone(all[:600]), k) // shares 200 with b
	b := bottomK(nil, slices.Clone(all[400:]), k)
	if len(a) != k || !slices.IsSorted(a) {
		t.Fatalf("bottomK: %d values, sorted %t; want %d sorted", len(a), slices.IsSorted(a), k)
	}
	shared, na, nb := overlap(a, b, k)
	j := float64(shared) / float64(na+nb-shared)
	if j < 0.1 || j > 0.4 { // true Jaccard 200/1000
		t.Errorf("estimated Jaccard %.2f, want about 0.2", j)
	}
	// A short text inside a long one: containment near 1.
	short := bottomK(nil, slices.Clone(all[100:140]), k)
	long := bottomK(nil, slices.Clone(all[:900]), k)
	shared, ns, _ := overlap(short, long, k)
	if ns == 0 || shared != ns {
		t.Errorf("containment %d/%d, want all", shared, ns)
	}
	// Duplicates count once.
	if got := bottomK(nil, []uint32{5, 3, 5, 3, 1}, k); !slices.Equal(got, []uint32{1, 3, 5}) {
		t.Errorf("bottomK with duplicates = %v", got)
	}
}

func mix32(i uint32) uint32 { return uint32(lex.Mix64(uint64(i))) }

func TestFingerprintNames(t *testing.T) {
	var s scratch
	var fp fingerprint
	p := fpParams{sketch: 64, quotes: 16, bands: 4, rows: 2, lead: 3, maxNames: 10, maxAnchors: 10}
	// Lead: "the talks …" (3 words, "the" a stop word). Names: Kabulov,
	// Kazan, 2027 – not "The" (in lower case elsewhere), not "He".
	s.fingerprint("Talks", "The talks began. Kabulov spoke in Kazan on the plans for 2027. He left.", &p, &fp)
	var z lex.Tokenizer
	want := map[uint32]bool{}
	for _, w := range []string{"talks", "began", "kabulov", "kazan", "2027"} {
		toks := z.Tokenize(w, nil)
		k, _ := s.matchKey(&toks[0], toks[0].Flag&lex.TokNum != 0) // as fingerprint keys it: "talks" is a concept
		want[k] = true
	}
	if len(fp.keys) != len(want) {
		t.Errorf("%d keys, want %d", len(fp.keys), len(want))
	}
	for _, k := range fp.keys {
		if !want[k] {
			t.Errorf("unexpected key %08x", k)
		}
	}
	if len(fp.bands) != 4 {
		t.Errorf("%d band keys, want 4", len(fp.bands))
	}
}

// TestRoundNumbers: a number written with a magnitude word or in thousands
// of zeros is keyed on its digits without the trailing zeros, so that the
// ways languages write it meet; Chinese "11月" holds November's key.
func TestRoundNumbers(t *testing.T) {
	var sc scratch
	keys := func(s string) []uint32 { return textKeys(&sc, s) }
	shares := func(a, b string) bool {
		kb := keys(b)
		for _, k := range keys(a) {
			if k&1 != 0 && slices.Contains(kb, k) {
				return true
			}
		}
		return false
	}
	for _, tt := range []struct {
		a, b string
		same bool
	}{
		{"They will add 137,000 barrels a day.", "Добыча вырастет на 137 тыс. баррелей в сутки.", true},
		{"They will add 137,000 barrels a day.", "八国将上调13.7万桶。", true},
		{"Output cuts of 2.2 million barrels.", "每日220万桶的自愿减产。", true},
		{"Output cuts of 2.2 million barrels.", "Kürzungen von 2,2 Millionen Barrel.", true},
		{"Output cuts of 2,200,000 barrels.", "Output cuts of 2.2 million barrels.", true},
		{"The talks lasted 137 minutes.", "They will add 1,370 barrels.", false},
		{"It happened in 2000.", "It happened in 2 towns.", false},
	} {
		if got := shares(tt.a, tt.b); got != tt.same {
			t.Errorf("%q and %q share a number key: %t, want %t", tt.a, tt.b, got, tt.same)
		}
	}
	if !slices.Contains(keys("下次会议定于12月7日举行。"), monthKey(12)) {
		t.Error("12月: no key for December")
	}
}

// TestFunctionWordsNoKeys: function words give no keys — a French or
// Italian elision (l', d', dell'), a Serbian or Ukrainian one-letter
// preposition, a Turkish case ending after an apostrophe, Greek articles
// and particles: a text keys what its words of the news alone key.
func TestFunctionWordsNoKeys(t *testing.T) {
	var sc scratch
	for _, c := range [][2]string{
		{"Il l'a dit d'abord qu'il parlait, c'est l'accord.", "abord parlait accord"},
		{"Ha detto dell'accordo nell'ambito dell'intesa.", "accordo ambito intesa"},
		{"Rekao je da će u slučaju, ali kako i dalje oko sporazum.", "slučaju sporazum"},
		{"Він сказав, що з ним є угода.", "угода"},
		{"Türkiye'nin ve Rusya'dan yaklaşık olarak anlaşma.", "Türkiye Rusya anlaşma"},
		{"Ότι θα τις δεν να στα στη μετά ενώ συμφωνία.", "συμφωνία"},
	} {
		if got, want := textKeys(&sc, c[0]), textKeys(&sc, c[1]); !slices.Equal(got, want) {
			t.Errorf("%q: %d keys, want the %d of %q", c[0], len(got), len(want), c[1])
		}
	}
}

// textKeys returns a copy of the keys (in fingerprint's order) of a text
// without a title, fingerprinted with a 48-word lead.
func textKeys(sc *scratch, s string) []uint32 {
	p := fpParams{sketch: 16, quotes: 8, bands: 4, rows: 2, lead: 48, maxNames: 96, maxAnchors: 32}
	var fp fingerprint
	sc.fingerprint("", s, &p, &fp)
	return slices.Clone(fp.keys)
}
