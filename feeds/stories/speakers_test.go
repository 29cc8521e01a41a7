package stories

import (
	"slices"
	"strings"
	"testing"

	"github.com/wirewatch/wirewatch/feeds/stories/lex"
)

func TestSpeakers(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Zamir Kabulov said the talks would resume.", []string{"zamir", "kabulov"}},
		{"Kabulov also said the talks would resume.", []string{"kabulov"}},
		{"The talks will resume, said Foreign Ministry spokeswoman Maria Zakharova.", []string{"maria", "zakharova"}},
		{"According to Andrei Rudenko, the delegations confirmed.", []string{"andrei", "rudenko"}},
		{"Об этом заявил замглавы МИД Андрей Руденко.", []string{"андрей", "руденко"}},
		{"The ministry said on Tuesday that the border was closed.", nil},
		{"Kabul is calm. Lavrov met Muttaqi in Moscow.", nil},
	}
	for _, tt := range tests {
		var s scratch
		s.z.Reset()
		s.toks = s.z.Tokenize(tt.text, nil)
		s.lowerSet(s.toks)
		s.lang(s.toks)
		s.monthsOf(s.toks)
		var got []string
		for i, ok := range s.speakers(s.toks, 0) {
			if ok {
				got = append(got, string(s.z.Word(&s.toks[i])))
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%q: speakers %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestConceptKeys(t *testing.T) {
	var s scratch
	keyOf := func(w string) uint32 {
		s.z.Reset()
		toks := s.z.Tokenize(w, nil)
		k, _ := s.matchKey(&toks[0], false)
		return k
	}
	for _, group := range [][]string{
		{"earthquake", "землетрясения", "Erdbeben", "terremoto", "deprem", "زلزله", "زلزال"},
		{"ceasefire", "перемирие", "Waffenruhe", "ateşkes", "آتشبس"},
		{"embassy", "посольства", "Botschaft", "ambassade", "embajada", "سفارت"},
		{"drone", "беспилотник", "Drohne", "پهپاد"},
		{"Kazakhstan", "Казахстана", "Kasachstan", "Kazakistan", "قزاقستان"},
	} {
		for _, w := range group[1:] {
			if keyOf(w) != keyOf(group[0]) {
				t.Errorf("%q and %q have different keys", w, group[0])
			}
		}
	}
	for _, pair := range [][2]string{{"ceasefire", "earthquake"}, {"Kazakhstan", "Kyrgyzstan"}, {"embassy", "ambassador"}} {
		if keyOf(pair[0]) == keyOf(pair[1]) {
			t.Errorf("%q and %q share a key", pair[0], pair[1])
		}
	}
}

// TestLookAhead: an announcement of an event looks ahead in its title and
// opening, the report of the event does not; only the opening counts.
func TestLookAhead(t *testing.T) {
	tests := []struct {
		title, text string
		want        uint8
	}{
		{"Moscow format talks to be held in Kazan", "The meeting will take place on Friday; the Taliban have been invited, the ministry announced.", 3},
		{"Moscow format talks held in Kazan", "Delegations of ten countries met in Kazan on Friday and adopted a joint statement.", 0},
		{"Встреча в Казани", "Заседание состоится в пятницу, талибы приглашены.", 2},
		{"Встреча в Казани", "Заседание прошло в пятницу, делегации приняли заявление.", 0},
		{"Treffen in Kasan", "Das Treffen wird am Freitag stattfinden, die Taliban sind eingeladen.", 2},
		{"Министры обсудят поставки", "Заседание начнётся в пятницу, стороны подпишут соглашение.", 3},
		{"El consejo votará el viernes", "Los embajadores se reunirán en Bruselas.", 2},
		{"Talks held", strings.Repeat("word ", aheadWords) + "The next round will be held tomorrow.", 0},
	}
	for _, tt := range tests {
		var s scratch
		var fp fingerprint
		p := fpParams{sketch: 64, quotes: 32, bands: 26, rows: 3, lead: 96, body: 128, maxNames: 96, maxAnchors: 32}
		s.fingerprint(tt.title, tt.text, &p, &fp)
		if fp.ahead != tt.want {
			t.Errorf("%q: %d words looking ahead, want %d", tt.title, fp.ahead, tt.want)
		}
	}
}

// TestLanguage: a report's language, by its function words or its script;
// a few English words quoted do not make a Turkish or Hindi report English.
func TestLanguage(t *testing.T) {
	tests := []struct {
		text string
		want uint8
	}{
		{"The talks ended in Moscow on Friday and the delegations said they would meet again.", lex.LangEN},
		{"Переговоры в Москве завершились, и делегации заявили, что встретятся снова.", lex.LangRU},
		{"Переговори в Москві завершилися, і делегації заявили, що зустрінуться знову.", lex.LangUK},
		{"Преговорите в Москва приключиха и делегациите заявиха, че ще се срещнат отново.", lex.LangBG},
		{"Преговори у Москви су завршени, а делегације су рекле да ће се поново састати.", lex.LangSRCyrl},
		{"Rusya ve Afganistan dışişleri bakanları Moskova'da bir araya geldi; görüşme olumlu geçti, dedi (the ministry said).", lex.LangTR},
		{"Il ministro degli Esteri ha incontrato la delegazione afghana a Mosca, per la prima volta nella capitale.", lex.LangIT},
		{"O ministro russo disse que a reunião com os talibãs foi positiva para a região.", lex.LangPT},
		{"रूस ने तालिबान सरकार को मान्यता दी, the ministry said in a statement on Thursday.", lex.LangDeva},
		{"روسیه دولت طالبان را به رسمیت شناخت و سفیر آن را پذیرفت.", lex.LangArab},
		{"রাশিয়া তালিবান সরকারকে স্বীকৃতি দিয়েছে।", lex.LangBeng},
		{"俄罗斯承认塔利班政府。", lex.LangCJK},
	}
	for _, tt := range tests {
		var s scratch
		s.z.Reset()
		s.toks = s.z.Tokenize(tt.text, nil)
		if got := s.lang(s.toks); got != tt.want {
			t.Errorf("%q: language %d, want %d", tt.text, got, tt.want)
		}
	}
}
