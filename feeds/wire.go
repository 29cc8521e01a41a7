package feeds

import (
	"cmp"
	"iter"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/wirewatch/wirewatch/text"
	"golang.org/x/text/unicode/norm"
)

// A wire agency: its short name, the domains it publishes on, and the
// names a re-report credits it by.
type wireAgency struct {
	name    string
	domains []string
	names   []string // as written in text; matched case-sensitively on word boundaries
	// others are names of what is not the agency but holds one of its
	// names ("Thomson Reuters", "Michael Bloomberg"): hidden before the
	// patterns run (hideUses), so that they credit nothing.
	others []string
}

// attributives are the nouns an agency's name modifies where the text
// talks about the agency rather than quotes it ("AP headquarters", "the AP
// Stylebook", "AFP photo archives", "Reuters Institute"); its possessive
// ("Reuters' editor", "AFP's office") is such a use too. These uses are
// hidden, like others, before the patterns run. People are not listed,
// nor is a possessive before them hidden: "told AP reporters" and "told
// AFP's correspondent" are interviews, credits.
var attributives = []string{"headquarters", "office", "offices", "bureau", "bureaus", "building",
	"archive", "archives", "photo", "photos", "stylebook", "editor", "editors", "board", "institute", "foundation"}

// wireAgencies are the agencies whose reports others re-report.
var wireAgencies = []wireAgency{
	{"tass", []string{"tass.com", "tass.ru"}, []string{"TASS", "ТАСС", "Tass"}, nil},
	{"ria", []string{"ria.ru", "riafan.ru"}, []string{"RIA Novosti", "RIA", "РИА Новости", "Ria Novosti", "Ria Nowosti"}, nil},
	{"interfax", []string{"interfax.ru", "interfax.com"}, []string{"Interfax", "Интерфакс"}, nil},
	{"sputnik", []string{"sputniknews.com", "sputnikglobe.com", "sputniknews.ru"}, []string{"Sputnik", "Спутник"}, nil},
	{"reuters", []string{"reuters.com"}, []string{"Reuters", "Рейтер"}, []string{"Thomson Reuters"}},
	{"afp", []string{"afp.com"}, []string{"AFP", "Agence France-Presse"}, nil},
	{"ap", []string{"apnews.com", "ap.org"}, []string{"Associated Press", "AP"}, nil},
	{"xinhua", []string{"xinhuanet.com", "news.cn"}, []string{"Xinhua", "Синьхуа"}, nil},
	{"anadolu", []string{"aa.com.tr"}, []string{"Anadolu Agency", "Anadolu"}, nil},
	{"irna", []string{"irna.ir"}, []string{"IRNA"}, nil},
	{"bakhtar", []string{"bakhtarnews.af"}, []string{"Bakhtar News Agency", "Bakhtar"}, nil},
	{"app", []string{"app.com.pk"}, []string{"Associated Press of Pakistan", "APP"}, nil},
	{"ani", []string{"aninews.in"}, []string{"ANI"}, nil},
	{"pti", []string{"ptinews.com"}, []string{"PTI", "Press Trust of India"}, nil},
	{"dpa", []string{"dpa.com"}, []string{"dpa"}, nil},
	{"efe", []string{"efe.com"}, []string{"EFE"}, nil},
	{"bloomberg", []string{"bloomberg.com"}, []string{"Bloomberg"}, []string{"Michael Bloomberg", "Mike Bloomberg", "Bloomberg Philanthropies"}},
}

// creditPatterns find the phrases that credit an agency; %s is the
// agency's name. They are deliberately narrow: an agency merely mentioned
// ("TASS is state-owned") is not a credit.
//
// A bare "to" does not lead to a credit ("went to AP headquarters",
// "turned to AP reporter"); "said to", "speaking to", "confirmed to" and
// the like do. The phrases that open sentences ("According to TASS") may
// be capitalized. Every alternative costs: the patterns' time grows with
// their number.
var creditPatterns = []string{
	`(?:told|tells|[Aa]ccording to|cited by|quoted by|reported by|[Ii]n an interview with|interview to|via|writes|` +
		`(?:said|spoke|[Ss]peaking|[Tt]alking|statement|comments|confirmed|explained|stated|declared|revealed|disclosed|admitted|confided|stressed|insisted) to)\s+(?:the\s+)?` +
		`(?:(?:Russian|Russia's|state|state-run|state-owned|Chinese|Turkish|Iranian|Pakistani|official)\s+)?(?:news\s+agency\s+|agency\s+)?%s`,
	`[/,]\s*%s\s*\)`, // "(UrduPoint News / Sputnik)"
	`%s\s+(?:news agency\s+)?(?:reported|reports|said|quoted|cited|wrote|has reported|was told|learned)`,
	`\(%s\)`,
	`[-–—]\s*%s\s*$`,
	`%s\s*/?\s*[-–—]`, // "MOSCOW (Reuters) -", "Kabul, Nov 20 /TASS/ -"
	`/%s/`,
	`(?:сообщает|сообщил[аи]?|передает|передаёт|пишет|сказал[аи]?|заявил[аи]?|рассказал[аи]?|по данным|по сообщению|со ссылкой на)\s+%s`,
	`%s\s+(?:сообщает|передает|передаёт|пишет)`,
	`в интервью\s+%s`,
	// Other languages, one pattern each. The text is read as written
	// (Credits makes decomposed accents composed), so the accents are in
	// the patterns, beside the plain letter that feeds stripped of accents
	// write; "'" is typed either way.
	// French: "selon l'AFP", "a indiqué à l'agence Reuters", "rapporte Reuters".
	`(?:[Ss]elon|[Dd]['’]apr[èe]s|rapport(?:e|ait|[ée])|[ée]crit|[Cc]it[ée]e?s?\s+par|[Ii]nterrog[ée]e?s?\s+par|` +
		`(?:indiqu|d[ée]clar|confi|expliqu|affirm|pr[ée]cis|assur|racont)[ée]e?\s+(?:[àa]|aupr[èe]s\s+de)|dit\s+[àa])\s+` +
		`(?:l['’](?:agence\s+(?:de\s+presse\s+)?(?:\p{Ll}+\s+){0,2})?)?%s`,
	// German: "berichtete die Nachrichtenagentur Reuters", "laut Reuters",
	// "meldete dpa", "sagte er der Agentur AFP", "der Agentur Interfax zufolge".
	`(?:(?:berichtet|meldet)(?:e|en)?|schr(?:eibt|ieb)|[Ll]aut|gegen(?:ü|ue|u)ber|` +
		`(?:sagt|erkl(?:ä|ae|a)rt|best(?:ä|ae|a)tigt)en?\s+(?:\p{L}+\s+){0,4}der\s+(?:\p{Ll}+\s+)?(?:Nachrichtena|A)gentur)\s+` +
		`(?:(?:die|der|dem)\s+(?:\p{Ll}+\s+)?(?:Nachrichtena|A)gentur\s+)?%s|%s\s+zufolge`,
	// Spanish: "según la agencia EFE", "informó Reuters", "dijo a la agencia AFP".
	`(?:[Ss]eg[úu]n|inform(?:[óo]|a)|report(?:[óo]|a)|[Cc]itad[oa]s?\s+por|` +
		`(?:dijo|declar[óo]|explic[óo]|asegur[óo]|afirm[óo]|indic[óo]|se[ñn]al[óo]|confirm[óo]|cont[óo]|declaraciones)\s+a)\s+` +
		`(?:(?:la|el)\s+)?(?:agencia\s+(?:de\s+noticias\s+)?(?:\p{Ll}+\s+){0,2})?%s`,
	// Portuguese: "segundo a Reuters", "disse à AFP", "informou a agência Reuters".
	`(?:[Ss]egundo|[Dd]e\s+acordo\s+com|informou|noticiou|[Cc]itad[oa]s?\s+pel[oa]|` +
		`(?:disse|afirmou|declarou|contou|explicou|confirmou|entrevista)\s+(?:[àa]|ao))\s+` +
		`(?:[ao]\s+)?(?:ag(?:ê|e)ncia\s+(?:de\s+not(?:í|i)cias\s+)?(?:\p{Ll}+\s+){0,2})?%s`,
	// Italian: "secondo l'agenzia Reuters", "riferisce l'AFP", "ha detto all'AFP".
	`(?:(?:[Ss]econdo|riferisce|riporta|scrive)\s+(?:l['’]|la\s+)?|` +
		`(?:(?:detto|dichiarato|spiegato|confermato|raccontato|affermato)\s+a|(?:citat|riportat)[oaie]\s+da)(?:ll['’]|lla\s+|\s+))` +
		`(?:agenzia\s+(?:di\s+stampa\s+)?(?:\p{Ll}+\s+){0,2})?%s`,
	// Turkish: "Reuters'a konuşan", "AFP'nin haberine göre", "Sputnik'e açıklama".
	`%s['’]\p{L}{1,4}\s+(?:\p{L}+\s+)?(?:g(?:ö|o)re|konu(?:ş|s)\p{L}*|a(?:ç|c)(?:ı|i)kla\p{L}*|yapt(?:ı|i)(?:ğ|g)(?:ı|i)|verdi(?:ğ|g)i)`,
}

// wireMatcher finds agency credits in text.
type wireMatcher struct {
	byDomain map[string]string
	// res compile, one per agency in wireAgencies order, the first time a
	// text names the agency: most processes meet a few agencies, and all
	// of them took 23 ms to compile at every start.
	res []func() *regexp.Regexp
	// pairs has the bit of each first two bytes of a name (first<<8 |
	// second) set; byPair lists the names beginning so. seconds has the
	// bit of each second and third bytes of a name (of a name of two
	// bytes: its second and any byte), bySecond lists those names; either
	// has the bits of both.
	pairs, seconds, either [1 << 16 / 64]uint64
	byPair, bySecond       map[uint16][]agencyName
}

// agencyName is one of an agency's names.
type agencyName struct {
	name   string
	agency int // in wireAgencies
}

// wires is built once from constant tables, never changed.
var wires = newWireMatcher()

func newWireMatcher() *wireMatcher {
	if len(wireAgencies) > 64 {
		panic("feeds: more wire agencies than bits in Credits' sets")
	}
	m := &wireMatcher{byDomain: map[string]string{}, byPair: map[uint16][]agencyName{}, bySecond: map[uint16][]agencyName{}}
	for i, a := range wireAgencies {
		for _, d := range a.domains {
			m.byDomain[d] = a.name
		}
		for _, n := range a.names { // every name is two bytes or longer
			p := uint16(n[0])<<8 | uint16(n[1])
			m.pairs[p/64] |= 1 << (p % 64)
			m.byPair[p] = append(m.byPair[p], agencyName{n, i})
			seconds := []uint16{uint16(n[1])<<8 | uint16(n[min(2, len(n)-1)])}
			if len(n) == 2 {
				seconds = seconds[:0]
				for c := range 256 { // its second byte and whatever follows it
					seconds = append(seconds, uint16(n[1])<<8|uint16(c))
				}
			}
			for _, q := range seconds {
				m.seconds[q/64] |= 1 << (q % 64)
				m.bySecond[q] = append(m.bySecond[q], agencyName{n, i})
			}
		}
		names := make([]string, len(a.names))
		for i, n := range a.names {
			names[i] = regexp.QuoteMeta(n)
		}
		alt := `(?:` + strings.Join(names, "|") + `)`
		pats := make([]string, len(creditPatterns))
		for i, p := range creditPatterns {
			pats[i] = strings.ReplaceAll(p, "%s", alt)
		}
		// (?m) so that "$" ends a paragraph line; word boundaries by hand,
		// since \b is ASCII-only in Go regexps.
		re := `(?m)(?:^|[^\p{L}\p{N}])(?:` + strings.Join(pats, "|") + `)(?:[^\p{L}\p{N}]|$)`
		m.res = append(m.res, sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(re) }))
	}
	for k := range m.either {
		m.either[k] = m.pairs[k] | m.seconds[k]
	}
	return m
}

// WireOf returns the wire agency that publishes on an outlet domain ("tass"
// for tass.com), or "".
func WireOf(source string) string {
	return wires.byDomain[source]
}

// Credits returns the wire agencies a report credits ("told TASS", "(Reuters)
// -", "сообщает ТАСС"), by short name, sorted. An agency's patterns run only
// on a text that names it: most items name none, and the patterns, a large
// alternation each, cost far more than looking for a few names.
func Credits(texts ...string) []string {
	var credited uint64 // a bit per agency, by index in wireAgencies
	for _, t := range texts {
		named := wires.named(t) &^ credited
		if named != 0 && hasCombining(t) { // "e" and U+0301: the patterns spell "é"
			t = norm.NFC.String(t)
		}
		for i := range wireAgencies {
			if named&(1<<i) == 0 {
				continue
			}
			a := &wireAgencies[i]
			if matchNear(wires.res[i](), hideUses(t, a), a.names) {
				credited |= 1 << i
			}
		}
	}
	var out []string
	for i, a := range wireAgencies {
		if credited&(1<<i) != 0 {
			out = append(out, a.name)
		}
	}
	sort.Strings(out)
	return out
}

// reach bounds how far a credit's phrase reaches from the agency's name,
// either side ("sagte ein Sprecher des Ministeriums der Nachrichtenagentur
// AFP"); with room to spare.
const reach = 160

// matchNear reports whether re matches t around one of names: a credit
// holds the agency's name, so the regexp reads only the text within reach
// of each, not all of a long report. The patterns' time grows with their
// number and with the text they read; this keeps the second small.
func matchNear(re *regexp.Regexp, t string, names []string) bool {
	var spans [][2]int
	for _, n := range names {
		for j := range occurrences(t, n) {
			// Cut where white space is, before the window and after it:
			// the boundaries the patterns see at its ends are true ones.
			start := strings.LastIndexAny(t[:max(j-reach, 0)], " \t\n") + 1
			end := len(t)
			if k := min(j+len(n)+reach, len(t)); k < len(t) {
				if w := strings.IndexAny(t[k:], " \t\n"); w >= 0 {
					end = k + w
				}
			}
			spans = append(spans, [2]int{start, end})
		}
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	for k := 0; k < len(spans); k++ {
		s := spans[k]
		for k+1 < len(spans) && spans[k+1][0] <= s[1] { // overlapping: read once
			k++
			s[1] = max(s[1], spans[k][1])
		}
		if re.MatchString(t[s[0]:s[1]]) {
			return true
		}
	}
	return false
}

// occurrences yields the offset of each occurrence of n in t, left to
// right, none overlapping the one before.
func occurrences(t, n string) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := 0; ; {
			j := strings.Index(t[i:], n)
			if j < 0 || !yield(i+j) {
				return
			}
			i += j + len(n)
		}
	}
}

// hasCombining reports whether t may hold a combining diacritic (U+0300 to
// U+036F, whose UTF-8 begins with 0xCC or 0xCD): a search for two bytes,
// far cheaper than normalizing every text.
func hasCombining(t string) bool {
	return strings.IndexByte(t, 0xcc) >= 0 || strings.IndexByte(t, 0xcd) >= 0
}

// hideUses returns t with what names agency a without crediting it
// replaced by "_": its others ("Thomson Reuters"), and each of its names
// used attributively (see attributives) with its possessive or noun; t
// itself when there is none. Names are found with strings.Index, far
// cheaper than a regexp over the text.
func hideUses(t string, a *wireAgency) string {
	var cut [][2]int // byte ranges to hide
	for _, o := range a.others {
		for j := range occurrences(t, o) {
			cut = append(cut, [2]int{j, j + len(o)})
		}
	}
	for _, n := range a.names {
		for j := range occurrences(t, n) {
			e := j + len(n)
			if k := attributiveLen(t[e:]); k > 0 {
				cut = append(cut, [2]int{j, e + k})
			}
		}
	}
	if cut == nil {
		return t
	}
	// By start, the longer first where two start together: it hides both.
	slices.SortFunc(cut, func(a, b [2]int) int { return cmp.Or(a[0]-b[0], b[1]-a[1]) })
	var b strings.Builder
	end := 0
	for _, c := range cut {
		if c[0] < end { // inside an other or a longer name of the agency, hidden already
			continue
		}
		b.WriteString(t[end:c[0]])
		b.WriteByte('_')
		end = c[1]
	}
	b.WriteString(t[end:])
	return b.String()
}

// attributiveLen returns the length of the possessive ("'s", "'", "’s")
// or of the white space and noun of attributives that rest, the text after
// an agency's name, begins with; 0 for none. A possessive before a person
// ("told AFP's correspondent") is a credit's, not hidden.
func attributiveLen(rest string) int {
	for _, apos := range []string{"'", "’"} {
		if k, ok := strings.CutPrefix(rest, apos); ok {
			k = strings.TrimPrefix(k, "s")
			if r, _ := utf8.DecodeRuneInString(k); k != "" && text.IsWordStart(r) {
				return 0
			}
			if _, w := nextWord(k); slices.ContainsFunc(people, func(p string) bool { return strings.EqualFold(w, p) }) {
				return 0
			}
			return len(rest) - len(k)
		}
	}
	if ws, w := nextWord(rest); ws > 0 && slices.ContainsFunc(attributives, func(a string) bool { return strings.EqualFold(w, a) }) {
		return ws + len(w)
	}
	return 0
}

// people are the nouns after an agency's possessive that name its staff.
var people = []string{"correspondent", "correspondents", "reporter", "reporters", "journalist", "journalists"}

// nextWord returns the length of the white space s begins with and the
// ASCII word after it ("" when a letter of another script or a digit
// follows the ASCII letters: no listed word).
func nextWord(s string) (ws int, word string) {
	w := strings.TrimLeft(s, " \t\n\r")
	n := 0
	for n < len(w) && 'a' <= w[n]|0x20 && w[n]|0x20 <= 'z' { // ASCII letters, either case
		n++
	}
	if r, _ := utf8.DecodeRuneInString(w[n:]); n < len(w) && text.IsWordStart(r) {
		n = 0
	}
	return len(s) - len(w), w[:n]
}

// named returns the agencies t names, a bit each (by index in
// wireAgencies): as a substring, the pattern checks the word boundaries.
// One pass over t, looking up every other two bytes, rather than a search
// for each name: a name begins at one of them or is its second and third
// bytes.
func (m *wireMatcher) named(t string) uint64 {
	var found uint64
	has := func(names []agencyName, s string) {
		for _, n := range names {
			if found&(1<<n.agency) == 0 && strings.HasPrefix(s, n.name) {
				found |= 1 << n.agency
			}
		}
	}
	for i := 0; i+1 < len(t); i += 2 {
		p := uint16(t[i])<<8 | uint16(t[i+1])
		if m.either[p/64]&(1<<(p%64)) == 0 {
			continue
		}
		if m.pairs[p/64]&(1<<(p%64)) != 0 {
			has(m.byPair[p], t[i:])
		}
		if i > 0 && m.seconds[p/64]&(1<<(p%64)) != 0 {
			has(m.bySecond[p], t[i-1:])
		}
	}
	// A name of two bytes that ends t at an odd start: no pair after it.
	if i := len(t) - 2; i > 0 && i%2 == 1 {
		if p := uint16(t[i])<<8 | uint16(t[i+1]); m.pairs[p/64]&(1<<(p%64)) != 0 {
			has(m.byPair[p], t[i:])
		}
	}
	return found
}

// Origin is the independent source an item stands for: the wire agency for
// an agency's own report or for a re-report that credits one, else the
// outlet itself.
func Origin(source string, credits []string) string {
	if w := WireOf(source); w != "" {
		return w
	}
	if len(credits) > 0 {
		return credits[0]
	}
	return source
}
