package stories

import (
	"slices"

	"github.com/wirewatch/wirewatch/feeds/stories/lex"
)

// Speakers are looked for in the first speakerHead words of the text, up
// to speakerReach words after a word of attribution.
const (
	speakerHead  = 100
	speakerReach = 8
)

// speakers marks the tokens of toks that name a speaker (keySpeaker): the
// last two words of the run of names right before a word of attribution
// ("Zamir Kabulov said", "Kabulov also said"), else of the run right after
// it ("said Sergei Lavrov", "according to Maria Zakharova"), within its
// sentence. s.months must hold the months of toks (monthsOf).
func (s *scratch) speakers(toks []lex.Token, nTitle int) []bool {
	spk := slices.Grow(s.spk[:0], len(toks))[:len(toks)]
	clear(spk)
	s.spk = spk
	end := min(len(toks), nTitle+speakerHead)
	for i := nTitle; i < end; i++ {
		if toks[i].Flag&lex.TokSay == 0 {
			continue
		}
		// Before: the run ending at i-1, or at i-2 past one small word.
		if lo, hi := s.nameRunBefore(toks, i, nTitle); hi > lo {
			s.markSpeakers(toks, lo, hi)
			continue
		}
		if lo, hi := s.nameRunAfter(toks, i); hi > lo {
			s.markSpeakers(toks, lo, hi)
		}
	}
	return spk
}

// isName reports whether toks[j] may be part of a name.
func (s *scratch) isName(toks []lex.Token, j int) bool {
	t := &toks[j]
	if t.Flag&lex.TokCap == 0 || t.Flag&(lex.TokStop|lex.TokNum|lex.TokSay) != 0 || s.months[j] > 0 {
		return false
	}
	return t.Flag&lex.TokStart == 0 || !s.seenLower(t.H)
}

// nameRunBefore returns the run of names [lo, hi) ending right before
// toks[i] or one word before it, not reaching before the sentence or the
// text.
func (s *scratch) nameRunBefore(toks []lex.Token, i, first int) (lo, hi int) {
	if toks[i].Flag&lex.TokStart != 0 {
		return 0, 0
	}
	hi = i
	if hi-1 >= first && !s.isName(toks, hi-1) && toks[hi-1].Flag&lex.TokStart == 0 {
		hi-- // "Kabulov also said", "Kabulov has said"
	}
	lo = hi
	for lo-1 >= first && s.isName(toks, lo-1) {
		lo--
		if toks[lo].Flag&lex.TokStart != 0 {
			break
		}
	}
	return lo, hi
}

// nameRunAfter returns the run of names [lo, hi) after toks[i], within
// its sentence and the next speakerReach words: past a small word right
// after it ("according to") and past the lower-case words of a title
// ("said Foreign Ministry spokeswoman Maria Zakharova", "заявил замглавы
// МИД Андрей Руденко"), the last run before a function word or the end.
func (s *scratch) nameRunAfter(toks []lex.Token, i int) (lo, hi int) {
	end := min(len(toks), i+1+speakerReach)
	for j := i + 1; j < end && toks[j].Flag&lex.TokStart == 0; j++ {
		switch {
		case s.isName(toks, j):
			if hi != j {
				lo = j
			}
			hi = j + 1
		case toks[j].Flag&(lex.TokStop|lex.TokNum|lex.TokSay) != 0 && (hi > lo || j > i+1):
			return lo, hi
		}
	}
	return lo, hi
}

// markSpeakers marks the last two words of the run [lo, hi): a name after
// its titles ("Deputy Foreign Minister Andrei Rudenko").
func (s *scratch) markSpeakers(toks []lex.Token, lo, hi int) {
	for j := max(lo, hi-2); j < hi; j++ {
		s.spk[j] = true
	}
}
