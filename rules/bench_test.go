package rules

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/bench/farm"
)

// benchParagraphs are news paragraphs the benchmark items are made of.
var benchParagraphs = [][]string{
	{
		"Russian presidential envoy for Afghanistan Zamir Kabulov said on Tuesday that the Collective Security Treaty Organization (CSTO) was ready to help Tajikistan strengthen its border with Afghanistan.",
		"The Taliban government in Kabul rejected the claims, saying that Afghan territory would not be used against neighbouring countries, including Uzbekistan, Turkmenistan and Tajikistan.",
		"Officials in Dushanbe said joint exercises would be held in October near the Panj river, where several incidents were reported this year.",
		"Analysts in Moscow and Tashkent noted that trade across the Termez crossing has grown, while Kazakhstan and Kyrgyzstan discussed water sharing and energy projects.",
		"Türkiye and Azerbaijan also sent observers; President İlham Əliyev met the delegation in Baku.",
	},
	{
		"Спецпредставитель президента России по Афганистану Замир Кабулов заявил, что ОДКБ готова помочь Таджикистану укрепить границу.",
		"По словам Кабулова, ситуация на таджикско-афганской границе остаётся напряжённой, но контролируемой.",
		"В Душанбе прошли консультации министров обороны стран Организации Договора о коллективной безопасности.",
		"Эксперты отмечают, что товарооборот через пункт пропуска Термез вырос, а Казахстан и Киргизия обсуждают совместное использование водных ресурсов.",
		"Представители движения «Талибан» в Кабуле отвергли обвинения и заявили о готовности к диалогу с соседями.",
	},
	{
		"Flooding in Sindh province has displaced thousands of families, the provincial disaster management authority said on Monday, as rains continued for a third week.",
		"The World Bank approved a new loan for irrigation projects, while officials in Islamabad warned that the harvest of cotton and rice would be smaller than expected.",
		"Opposition leaders criticised the government's response, saying relief camps lacked clean water and medicine, and called for an emergency session of parliament.",
		"Meteorologists expect the monsoon to weaken by the end of the month; schools in Hyderabad and Sukkur remain closed.",
	},
}

// benchItems returns realistic items of 3–4 KB: an English report, a
// Russian one and an unrelated English one.
func benchItems() []Item {
	titles := []string{
		"Zamir Kabulov: Russia's envoy discusses CSTO security on the Tajik-Afghan border",
		"Кабулов: ОДКБ готова помочь Таджикистану укрепить границу",
		"Sindh floods displace thousands as monsoon rains continue",
	}
	var items []Item
	for i, ps := range benchParagraphs {
		var b strings.Builder
		for b.Len() < 3500 {
			for _, p := range ps {
				b.WriteString(p)
				b.WriteString("\n\n")
			}
		}
		body := b.String()
		for len(body) > 3800 {
			body = body[:strings.LastIndex(body[:len(body)-1], "\n\n")]
		}
		items = append(items, Item{Title: titles[i], Text: body, Source: "example.com", Feed: "bench", Tags: []string{"asia"}})
	}
	return items
}

// benchName returns a made-up proper name, distinct for each i: the names
// of the people, places and organisations other rules follow.
func benchName(i int, cyrillic bool) string {
	syl := []string{"ka", "lo", "mir", "tash", "zan", "dor", "vel", "rus", "bek", "ot", "nur", "sa", "gul", "per", "xin", "yar"}
	if cyrillic {
		syl = []string{"ка", "ло", "мир", "таш", "зан", "дор", "вел", "рус", "бек", "от", "нур", "са", "гул", "пер", "син", "яр"}
	}
	var b strings.Builder
	for n := i + 4096; n > 0; n /= len(syl) {
		b.WriteString(syl[n%len(syl)])
	}
	return b.String()
}

// benchRules returns n rules of the shapes users write: ten that concern
// the items (as a desk's own rules would), the rest following other names,
// in words, phrases, aliases, prefixes, NOT, proximity, scopes and stems.
func benchRules(n int) ([]Rule, Aliases) {
	aliases := Aliases{"CSTO": {"CSTO", "Collective Security Treaty Organization", "ОДКБ", "Организация Договора о коллективной безопасности"}}
	for k := range 200 {
		aliases[fmt.Sprint("A", k)] = []string{benchName(k, false), benchName(k, true), benchName(k+1, false) + " " + benchName(k+2, false)}
	}
	own := []string{
		`kabulov OR "zamir kabulov"`,
		`(@CSTO OR "collective security") AND -exercise`,
		`taliban AND (tajikistan OR "tajik border") NOT football`,
		`"border incident" uzbek* NOT cricket`,
		`(kazakhstan OR kyrgyzstan) water -rain`,
		`Кабулов OR кабул*`,
		`"afghan territory would" (kabul OR кабул)`,
		`"kabulov csto"~10`,
		`title:kabulov NEAR/5 csto`,
		`sindh flood* -cricket`,
	}
	shapes := []string{
		`%[1]s OR "%[1]s %[2]s"`,
		`(@A%[3]d OR %[1]s) AND -exercise`,
		`%[1]s AND (tajikistan OR "tajik border") NOT football`,
		`%[1]s* -noise`,
		`"%[1]s %[2]s" %[4]s* NOT "%[2]s word"`,
		`"%[1]s talks"~10 OR %[2]s NEAR/5 kabul`,
		`title:%[1]s OR text:"%[2]s %[1]s"`,
		`@A%[3]d NEAR/10 (summit OR talks)`,
		`=%[5]s OR %[2]s`,
		`(kazakhstan OR kyrgyzstan) %[1]s -rain`,
	}
	var rs []Rule
	for i := range n {
		src, opts := "", Options{Aliases: aliases}
		if i < len(own) {
			src = own[i]
		} else {
			src = fmt.Sprintf(shapes[i%len(shapes)], benchName(2*i, false), benchName(2*i+1, false), i%200, benchName(i, true), strings.ToUpper(benchName(3*i, false)))
			if i%7 == 0 {
				src += " OR " + strings.ToUpper(benchName(i, true)[:2]) + benchName(i, true)[2:]
				opts.Stem = Russian
			}
		}
		q, err := ParseWith(src, opts)
		if err != nil {
			panic(fmt.Sprintf("Parse(%q): %v", src, err))
		}
		rs = append(rs, Rule{Query: q})
	}
	return rs, aliases
}

// BenchmarkMatch prepares and matches one 3–4 KB item against 100, 1,000
// and 10,000 rules on one goroutine; ns/op is per item, NewItem included.
// items/cpu-s counts the process's CPU time instead of the wall clock: on a
// loaded machine it is what one core would do.
func BenchmarkMatch(b *testing.B) {
	items := benchItems()
	for _, n := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			rs, _ := benchRules(n)
			m := Compile(rs)
			hits, i := 0, 0
			cpu := cpuTime()
			for b.Loop() {
				hits += len(m.Match(NewItem(items[i%len(items)])))
				i++
			}
			cpu = cpuTime() - cpu
			if hits == 0 {
				b.Fatal("no rule matched")
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "items/s")
			if cpu > 0 { // the process's CPU time (GC included): the cost apart from the machine's load
				b.ReportMetric(float64(b.N)/cpu.Seconds(), "items/cpu-s")
			}
			b.ReportMetric(float64(hits)/float64(b.N), "hits/item")
		})
	}
}

// farmItems returns n items like the capacity bench's feed farm gives
// (bench/farm): 1–10 KB of text, small ones more often, in a vocabulary of
// a few hundred words.
func farmItems(n int) []Item {
	r := rand.New(rand.NewPCG(1, 2))
	paras := strings.NewReplacer("<p>", "", "</p>", "\n\n")
	items := make([]Item, n)
	for i := range items {
		title, html := farm.Text(r.Uint64(), int(1000*math.Pow(10, r.Float64())))
		items[i] = Item{Title: title, Text: paras.Replace(html), Source: "example.com", Feed: "farm"}
	}
	return items
}

// phraseRules returns n rules shaped like the capacity bench's: two-word
// phrases over 20 words common in farm items, so that nearly every item
// is a candidate for most of them and many rules repeat one phrase, as
// rules in several channels do.
func phraseRules(n int) []Rule {
	words := strings.Fields("election ceasefire earthquake sanctions inflation parliament missile outbreak " +
		"protest summit flood budget drone border court strike oil bank rebels hospital")
	rs := make([]Rule, n)
	for i := range rs {
		q, err := Parse(fmt.Sprintf("%q", words[i%len(words)]+" "+words[(i/len(words)+i+1)%len(words)]))
		if err != nil {
			panic(err)
		}
		rs[i] = Rule{Query: q}
	}
	return rs
}

// BenchmarkMatchPhrases matches farm-like items, prepared beforehand,
// against 1,000 and 10,000 phrase rules (see phraseRules) on one
// goroutine; ns/op is per item.
func BenchmarkMatchPhrases(b *testing.B) {
	var docs []*Doc
	for _, it := range farmItems(200) {
		docs = append(docs, NewItem(it))
	}
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m := Compile(phraseRules(n))
			hits, i := 0, 0
			cpu := cpuTime()
			for b.Loop() {
				hits += len(m.Match(docs[i%len(docs)]))
				i++
			}
			cpu = cpuTime() - cpu
			if cpu > 0 {
				b.ReportMetric(float64(b.N)/cpu.Seconds(), "items/cpu-s")
			}
			b.ReportMetric(float64(hits)/float64(b.N), "hits/item")
		})
	}
}

// BenchmarkNewItem prepares one 3–4 KB item.
func BenchmarkNewItem(b *testing.B) {
	items := benchItems()
	b.SetBytes(int64(len(items[0].Title) + len(items[0].Text)))
	for b.Loop() {
		NewItem(items[0])
	}
}

// BenchmarkCompile compiles 1,000 rules into a Matcher.
func BenchmarkCompile(b *testing.B) {
	rs, _ := benchRules(1000)
	for b.Loop() {
		Compile(rs)
	}
}
