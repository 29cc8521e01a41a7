package rules

import (
	"fmt"
	"strings"
	"testing"
)

// benchItem returns a news item of about 4 KB: a title and a body.
func benchItem() (title, text string) {
	title = "Zamir Kabulov: Russia's envoy discusses CSTO security on the Tajik-Afghan border"
	paragraphs := []string{
		"Russian presidential envoy for Afghanistan Zamir Kabulov said on Tuesday that the Collective Security Treaty Organization (CSTO) was ready to help Tajikistan strengthen its border with Afghanistan.",
		"Спецпредставитель президента России по Афганистану Замир Кабулов заявил, что ОДКБ готова помочь Таджикистану укрепить границу.",
		"The Taliban government in Kabul rejected the claims, saying that Afghan territory would not be used against neighbouring countries, including Uzbekistan, Turkmenistan and Tajikistan.",
		"Officials in Dushanbe said joint exercises would be held in October near the Panj river, where several incidents were reported this year.",
		"Analysts in Moscow and Tashkent noted that trade across the Termez crossing has grown, while Kazakhstan and Kyrgyzstan discussed water sharing and energy projects.",
		"Türkiye and Azerbaijan also sent observers; President İlham Əliyev met the delegation in Baku.",
	}
	var b strings.Builder
	for b.Len() < 4000 {
		for _, p := range paragraphs {
			b.WriteString(p)
			b.WriteString("\n\n")
		}
	}
	return title, b.String()[:4096]
}

// benchRules returns n rules of the shapes users write.
func benchRules(n int) []string {
	shapes := []string{
		`kabulov OR "zamir kabulov"`,
		`(csto OR одкб OR "collective security treaty organization") AND -exercise`,
		`taliban AND (tajikistan OR "tajik border") NOT football`,
		`word%d OR "phrase %d words"`,
		`prefix%d* -noise`,
		`"border incident" uzbek* NOT "word%d"`,
		`(kazakhstan OR kyrgyzstan) water -rain%d`,
		`"замир кабулов" OR кабул*`,
		`missing%d AND other%d`,
		`"afghan territory would" (kabul OR кабул)`,
	}
	rules := make([]string, n)
	for i := range rules {
		s := shapes[i%len(shapes)]
		rules[i] = strings.ReplaceAll(s, "%d", fmt.Sprint(i))
	}
	return rules
}

// BenchmarkMatch matches 200 rules against one 4 KB item; ns/op is per item.
func BenchmarkMatch(b *testing.B) {
	var qs []*Query
	for _, src := range benchRules(200) {
		q, err := Parse(src)
		if err != nil {
			b.Fatalf("Parse(%q): %v", src, err)
		}
		qs = append(qs, q)
	}
	d := NewDoc(benchItem())
	matched := 0
	for b.Loop() {
		for _, q := range qs {
			if q.Match(d) {
				matched++
			}
		}
	}
	if matched == 0 {
		b.Fatal("no rule matched")
	}
}

// BenchmarkNewDoc prepares one 4 KB item.
func BenchmarkNewDoc(b *testing.B) {
	title, text := benchItem()
	b.SetBytes(int64(len(title) + len(text)))
	for b.Loop() {
		NewDoc(title, text)
	}
}

// BenchmarkParse compiles 200 rules.
func BenchmarkParse(b *testing.B) {
	rules := benchRules(200)
	for b.Loop() {
		for _, src := range rules {
			if _, err := Parse(src); err != nil {
				b.Fatal(err)
			}
		}
	}
}
