package feeds

import (
	"reflect"
	"strings"
	"testing"
)

func TestCredits(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"told TASS", "Zamir Kabulov told TASS on Thursday that talks would continue.", []string{"tass"}},
		{"TASS reported", "The envoy's remarks, TASS reported, came after the meeting.", []string{"tass"}},
		{"dateline", "MOSCOW, November 20. /TASS/. Russia will continue its contacts.", []string{"tass"}},
		{"reuters dateline", "ISLAMABAD (Reuters) - Pakistan said on Friday it would reopen the crossing.", []string{"reuters"}},
		{"according to sputnik", "According to Sputnik, the delegation arrived in Kabul.", []string{"sputnik"}},
		{"ria quoted", "RIA Novosti quoted him as saying that the date was not set.", []string{"ria"}},
		{"russian", "Об этом сообщает ТАСС со ссылкой на МИД.", []string{"tass"}},
		{"russian interview", "Кабулов в интервью РИА Новости заявил, что…", []string{"ria"}},
		{"two agencies", "He told TASS the same thing he had said to Interfax a day earlier; Interfax reported the date.", []string{"interfax", "tass"}},
		{"mention is not a credit", "TASS is Russia's state-owned news agency.", nil},
		{"inside a word", "The TASSEL festival opened.", nil},
		{"agency described", "Kabulov told the Russian news agency TASS that talks would go on.", []string{"tass"}},
		{"syndicated", "MOSCOW (UrduPoint News / Sputnik) Russia does not yet see grounds for recognition.", []string{"sputnik"}},
		{"plain text", "The Taliban said the border was calm.", nil},
		{"AP as a word", "The AP reported that the convoy had left.", []string{"ap"}},
		{"reuters institute is not reuters", "The share who trust the news fell, according to the Reuters Institute Digital News Report.", nil},
		{"thomson reuters is a company", "Thomson Reuters said its profit rose.", nil},
		{"a person named bloomberg", "Michael Bloomberg said he would fund the project.", nil},
		{"bloomberg philanthropies", "The programme is funded, according to Bloomberg Philanthropies, until 2030.", nil},
		{"agency beside its namesake", "According to Reuters, the Reuters Institute report is out.", []string{"reuters"}},
		// Bylines and attributions, as agencies and re-reports write them.
		{"ap dateline", "KABUL, Afghanistan (AP) — Afghan officials said the border was calm.", []string{"ap"}},
		{"byline after a dash", "The border crossing reopened on Friday. — AP", []string{"ap"}},
		{"writes", "The crossing stayed closed, writes AFP.", []string{"afp"}},
		{"said to", "He said to Interfax that the date was set.", []string{"interfax"}},
		{"statement to", "The ministry said in a statement to AFP that the border was calm.", []string{"afp"}},
		{"spoke to", "A Taliban spokesman spoke to Reuters on Friday.", []string{"reuters"}},
		{"confirmed to", "A ministry official confirmed to TASS that the talks were put off.", []string{"tass"}},
		{"explained to", "The envoy explained to AFP why the date had moved.", []string{"afp"}},
		{"told the agency's correspondent", "Kabulov told AFP's correspondent in Moscow that talks would go on.", []string{"afp"}},
		{"interview with, sentence start", "In an interview with TASS, Kabulov said talks would go on.", []string{"tass"}},
		// An agency talked about as an organisation, or as what modifies
		// another noun, is not credited.
		{"went to headquarters", "He went to AP headquarters in New York to hand over the letter.", nil},
		{"headquarters of reuters", "The delegation went to Reuters headquarters in London.", nil},
		{"an AP reporter asked", "When an AP reporter asked about the border, the minister left.", nil},
		{"turned to an AP reporter", "He turned to AP reporter Kathy Gannon and asked why.", nil},
		{"photo archives", "The pictures, according to AFP photo archives, were taken in 2001.", nil},
		{"editor of reuters", "In a letter to Reuters' editor, the ministry complained.", nil},
		{"reuters's editor", "Reuters’s editor-in-chief said the agency stood by the story.", nil},
		{"stylebook", "According to the AP Stylebook, the city is spelled Kabul.", nil},
		{"office closed", "AFP's office in Kabul was closed.", nil},
		{"moved to the office", "Its staff moved to AFP's office in Kabul, which was closed.", nil},
		{"agency founded", "TASS, the state news agency, was founded in 1904.", nil},
		{"went to the agency", "He went to TASS, the state news agency, in 1990.", nil},
		// Re-reports in other languages credit an agency in their own words;
		// the text is read as written, accents and all.
		{"fr selon", "Selon l'AFP, le poste-frontière a rouvert vendredi.", []string{"afp"}},
		{"fr selon reuters", "Le poste a rouvert, selon Reuters.", []string{"reuters"}},
		{"fr a indiqué à", "Le ministre a indiqué à l’AFP que la frontière était calme.", []string{"afp"}},
		{"fr rapporte l'agence", "La frontière est calme, rapporte l'agence Reuters.", []string{"reuters"}},
		{"fr dateline", "KABOUL (AFP) - Le poste-frontière a rouvert vendredi.", []string{"afp"}},
		{"fr interrogé par", "Interrogé par l'agence de presse allemande dpa, il a refusé de commenter.", []string{"dpa"}},
		{"fr decomposed accents", "Le ministre a déclaré à l'AFP que la frontière était calme.", []string{"afp"}},
		{"de berichtete die nachrichtenagentur", "Der Grenzübergang sei wieder offen, berichtete die Nachrichtenagentur Reuters.", []string{"reuters"}},
		{"de laut", "Laut Reuters wurde der Grenzübergang am Freitag geöffnet.", []string{"reuters"}},
		{"de Tass as German writes it", "Kabulow habe das bestätigt, berichtete die Nachrichtenagentur Tass.", []string{"tass"}},
		{"de RIA Nowosti", "Laut RIA Nowosti sind die Gespräche vertagt.", []string{"ria"}},
		{"fr Ria Novosti", "Selon Ria Novosti, les pourparlers sont reportés.", []string{"ria"}},
		{"de meldete", "Der Grenzübergang ist offen, meldete dpa am Freitag.", []string{"dpa"}},
		{"de meldet afp", "Der Übergang ist offen, meldet AFP unter Berufung auf Zöllner.", []string{"afp"}},
		{"de sagte der nachrichtenagentur", "Die Lage sei ruhig, sagte ein Sprecher der Nachrichtenagentur AFP.", []string{"afp"}},
		{"de zufolge", "Der Agentur Interfax zufolge gehen die Gespräche weiter.", []string{"interfax"}},
		{"es según la agencia", "Según la agencia EFE, el paso fronterizo reabrió el viernes.", []string{"efe"}},
		{"es según afp", "El paso reabrió, según la agencia AFP.", []string{"afp"}},
		{"es informó", "El paso fronterizo reabrió el viernes, informó Reuters.", []string{"reuters"}},
		{"es dijo a la agencia", "El ministro dijo a la agencia AFP que la frontera estaba en calma.", []string{"afp"}},
		{"pt segundo a", "Segundo a Reuters, a fronteira foi reaberta na sexta-feira.", []string{"reuters"}},
		{"pt disse à", "O ministro disse à AFP que a fronteira estava calma.", []string{"afp"}},
		{"pt informou a agência", "A fronteira foi reaberta, informou a agência Reuters.", []string{"reuters"}},
		{"it secondo l'agenzia", "Secondo l'agenzia Reuters, il valico è stato riaperto venerdì.", []string{"reuters"}},
		{"it riferisce", "Il valico è stato riaperto, riferisce l'AFP.", []string{"afp"}},
		{"it ha detto all'", "Il ministro ha detto all'AFP che il confine era tranquillo.", []string{"afp"}},
		{"tr konuşan", "Reuters'a konuşan bakan, sınırın sakin olduğunu söyledi.", []string{"reuters"}},
		{"tr haberine göre", "AFP'nin haberine göre sınır kapısı cuma günü yeniden açıldı.", []string{"afp"}},
		{"tr açıklama", "Bakan, Sputnik'e açıklama yaptı.", []string{"sputnik"}},
		// ... and talk about an agency in their own words too.
		{"fr mention", "L'AFP a fermé son bureau de Kaboul en 2021.", nil},
		{"fr selon l'agence, another's bureau", "Il travaillait au bureau de l'AFP, selon sa famille.", nil},
		{"de mention", "Die Reuters-Zentrale in London liegt an der Themse.", nil},
		{"de spokesman of the agency", "Ein Sprecher von Reuters wollte sich nicht äußern.", nil},
		{"es mention", "La sede de EFE está en Madrid.", nil},
		{"pt mention", "A sede da Reuters fica em Londres.", nil},
		{"it mention", "La sede dell'AFP è a Parigi.", nil},
		{"tr mention", "Reuters'ın Londra'daki binası satıldı.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Credits(tt.text); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Credits(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestOrigin(t *testing.T) {
	tests := []struct {
		name, source string
		credits      []string
		want         string
	}{
		{"agency's own report", "tass.com", []string{"tass"}, "tass"},
		{"agency crediting another", "tass.ru", []string{"reuters"}, "tass"},
		{"re-report", "tolonews.com", []string{"tass"}, "tass"},
		{"own reporting", "tolonews.com", nil, "tolonews.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Origin(tt.source, tt.credits); got != tt.want {
				t.Errorf("Origin(%q, %v) = %q, want %q", tt.source, tt.credits, got, tt.want)
			}
		})
	}
}

// BenchmarkCredits: wire credits of a 4 KB report, most of which name no
// agency, some of which credit one.
func BenchmarkCredits(b *testing.B) {
	para := "Russia's presidential envoy said on Thursday that Moscow would keep its contacts with the Taliban on security along the border, " +
		"adding that the next round of consultations would be held in the spring and that the regional security bloc stood ready to help. "
	plain := strings.Repeat(para, 16)
	credited := "KABUL, Nov 20 (Reuters) - " + plain + " He told TASS the talks would go on."
	b.SetBytes(int64(len(plain)))
	for i := 0; b.Loop(); i++ {
		if i%10 == 0 {
			Credits("Envoy speaks on border", credited)
		} else {
			Credits("Envoy speaks on border", plain)
		}
	}
}

// FuzzNamed: the agencies named finds in one pass are those with a name
// the text holds.
func FuzzNamed(f *testing.F) {
	for _, s := range []string{"told TASS", "ТАСС сообщает", "RIA Novosti and РИА Новости", "APP, AP, AFP", "dpa/EFE",
		"Press Trust of India", "Bloomberg Xinhua Синьхуа", "AAP", "TAS", "T", "", "Рейтер Reuters"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := wires.named(s)
		for i, a := range wireAgencies {
			want := false
			for _, n := range a.names {
				want = want || strings.Contains(s, n)
			}
			if got&(1<<i) != 0 != want {
				t.Errorf("named(%q) has %s: %v, want %v", s, a.name, got&(1<<i) != 0, want)
			}
		}
	})
}

// TestWirePatternsCompile compiles every agency's pattern, which a process
// does only when a text first names the agency.
func TestWirePatternsCompile(t *testing.T) {
	if len(wires.res) != len(wireAgencies) {
		t.Fatalf("%d patterns for %d agencies", len(wires.res), len(wireAgencies))
	}
	for i, re := range wires.res {
		if re() == nil {
			t.Errorf("agency %s: no pattern", wireAgencies[i].name)
		}
	}
}

// TestNamedEveryOffset finds every name of every agency at odd and even
// starts, with bytes or the end of the text on either side: named looks
// at every other pair of bytes.
func TestNamedEveryOffset(t *testing.T) {
	for i, a := range wireAgencies {
		for _, n := range a.names {
			for before := range 4 {
				for after := range 3 {
					s := strings.Repeat("x", before) + n + strings.Repeat("y", after)
					if wires.named(s)&(1<<i) == 0 {
						t.Errorf("named(%q) misses %s", s, a.name)
					}
				}
			}
		}
	}
}
