package stories

import (
	"slices"
	"testing"
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
