package feeds

import (
	"regexp"
	"sort"
	"strings"
)

// A wire agency: its short name, the domains it publishes on, and the
// names a re-report credits it by.
type wireAgency struct {
	name    string
	domains []string
	names   []string // as written in text; matched case-sensitively on word boundaries
	// others are names of what is not the agency but holds one of its
	// names ("Reuters Institute", "Michael Bloomberg"): hidden before the
	// patterns run, so that they credit nothing.
	others []string
}

// wireAgencies are the agencies whose reports others re-report.
var wireAgencies = []wireAgency{
	{"tass", []string{"tass.com", "tass.ru"}, []string{"TASS", "ТАСС"}, nil},
	{"ria", []string{"ria.ru", "riafan.ru"}, []string{"RIA Novosti", "RIA", "РИА Новости"}, nil},
	{"interfax", []string{"interfax.ru", "interfax.com"}, []string{"Interfax", "Интерфакс"}, nil},
	{"sputnik", []string{"sputniknews.com", "sputnikglobe.com", "sputniknews.ru"}, []string{"Sputnik", "Спутник"}, nil},
	{"reuters", []string{"reuters.com"}, []string{"Reuters", "Рейтер"}, []string{"Reuters Institute", "Thomson Reuters"}},
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
var creditPatterns = []string{
	`(?:told|to|tells|according to|cited by|quoted by|reported by|said in an interview with|in an interview with|interview to|speaking to|via)\s+(?:the\s+)?` +
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
}

// wireMatcher finds agency credits in text.
type wireMatcher struct {
	byDomain map[string]string
	res      []*regexp.Regexp    // one per agency, in wireAgencies order
	others   []*strings.Replacer // one per agency: hides its others, nil for none
	// pairs has the bit of each first two bytes of a name (first<<8 |
	// second) set; byPair lists the names beginning so.
	pairs  [1 << 16 / 64]uint64
	byPair map[uint16][]agencyName
}

// agencyName is one of an agency's names.
type agencyName struct {
	name   string
	agency int // in wireAgencies
}

// wires is built once: constant tables compiled to regexps, never changed.
var wires = newWireMatcher()

func newWireMatcher() *wireMatcher {
	if len(wireAgencies) > 64 {
		panic("feeds: more wire agencies than bits in Credits' sets")
	}
	m := &wireMatcher{byDomain: map[string]string{}, byPair: map[uint16][]agencyName{}}
	for i, a := range wireAgencies {
		for _, d := range a.domains {
			m.byDomain[d] = a.name
		}
		for _, n := range a.names { // every name is two bytes or longer
			p := uint16(n[0])<<8 | uint16(n[1])
			m.pairs[p/64] |= 1 << (p % 64)
			m.byPair[p] = append(m.byPair[p], agencyName{n, i})
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
		m.res = append(m.res, regexp.MustCompile(re))
		var hide *strings.Replacer
		if len(a.others) > 0 {
			var oldnew []string
			for _, o := range a.others {
				oldnew = append(oldnew, o, "_")
			}
			hide = strings.NewReplacer(oldnew...)
		}
		m.others = append(m.others, hide)
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
		for i := range wireAgencies {
			if named&(1<<i) == 0 {
				continue
			}
			s := t
			if hide := wires.others[i]; hide != nil {
				s = hide.Replace(t) // t itself when it holds none of them
			}
			if wires.res[i].MatchString(s) {
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

// named returns the agencies t names, a bit each (by index in
// wireAgencies): as a substring, the pattern checks the word boundaries.
// One pass over t, looking up each two bytes, rather than a search for
// each name.
func (m *wireMatcher) named(t string) uint64 {
	var found uint64
	for i := 0; i+1 < len(t); i++ {
		p := uint16(t[i])<<8 | uint16(t[i+1])
		if m.pairs[p/64]&(1<<(p%64)) == 0 {
			continue
		}
		for _, n := range m.byPair[p] {
			if found&(1<<n.agency) == 0 && strings.HasPrefix(t[i:], n.name) {
				found |= 1 << n.agency
			}
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
