package stories

import (
	"slices"
	"time"

	"github.com/wirewatch/wirewatch/feeds/stories/lex"
)

// Dates in a text: the months its words name, and the dateline of the
// item's own day.

// datelineHead is how many words a text's opening dateline may take
// ("MOSCOW, November 23. /TASS/.", "KABUL, Nov 23 (Pajhwok):").
const datelineHead = 8

// dropDateline removes the text's opening dateline — its first words, up
// to the item's own publication day and the agency or outlet named right
// after it — from toks: every report an agency or outlet files that day
// opens so, and it says nothing of which event it reports.
//
// s.months holds the months of toks (monthsOf); it leaves there the months
// of the tokens it returns.
func (s *scratch) dropDateline(toks []lex.Token, nTitle int) []lex.Token {
	days := s.datelineDays(toks, s.months)
	end := -1
	for i, day := range days {
		if day && i >= nTitle && i < nTitle+datelineHead && i > end {
			end = i
		}
	}
	if end < 0 {
		return toks
	}
	end++
	// The agency or outlet right after the day ("/TASS/", "(Pajhwok)").
	for k := 0; k < 2 && end < len(toks) && end < nTitle+datelineHead+2 && toks[end].Flag&lex.TokCap != 0; k++ {
		end++
	}
	toks = append(toks[:nTitle], toks[end:]...)
	s.monthsOf(toks)
	return toks
}

// datelineDays marks the tokens that write the item's own publication day
// (a month name and the day next to it, the day within one of the
// publication date): datelines and "on Monday, 23 November" say when the
// report was written, which every report of the day shares. Nil when the
// date is not known or no token writes it; else valid until the next call.
// months are the tokens' months (monthsOf).
func (s *scratch) datelineDays(toks []lex.Token, months []uint8) []bool {
	if s.pub.IsZero() {
		return nil
	}
	var out []bool
	for i := range toks {
		m := int(months[i])
		if m == 0 {
			continue
		}
		for _, j := range []int{i - 1, i + 1, i - 2, i + 2} {
			d, ok := s.twoDigits(toks, j)
			if !ok {
				continue
			}
			day := time.Date(s.pub.Year(), time.Month(m), d, 0, 0, 0, 0, time.UTC)
			if diff := day.Sub(s.pub.UTC().Truncate(24 * time.Hour)); diff < -36*time.Hour || diff > 36*time.Hour {
				continue
			}
			if out == nil {
				out = slices.Grow(s.days[:0], len(toks))[:len(toks)]
				clear(out)
				s.days = out
			}
			out[i], out[j] = true, true
		}
	}
	return out
}

// leadDate returns the first date written among the first n of toks, as
// its day of the year (1–365, in a year without 29 February), or 0 when
// none is: the day of the event a report tells (its dateline's, or "on 7
// October"), which every report of that event writes alike, whatever its
// language. months are the tokens' months (monthsOf).
func (s *scratch) leadDate(toks []lex.Token, months []uint8, n int) uint16 {
	for i := range toks[:min(n, len(toks))] {
		m, d := int(months[i]), 0
		if m != 0 {
			d, _ = s.monthDay(toks, i)
		} else if toks[i].Flag&lex.TokNum != 0 {
			m, d = s.numericDate(toks, i)
		}
		if d != 0 {
			return uint16(time.Date(2001, time.Month(m), d, 0, 0, 0, 0, time.UTC).YearDay())
		}
	}
	return 0
}

// numericDate returns the month and day of a date written in numbers that
// starts at toks[i], else 0, 0: "27.05.2024" and "2024.05.27" (one token,
// their dots dropped as a number's), "2024-05-27" and "11/14/2023" (three
// tokens: a day and a month beside a year; when either could be the month
// the date is not read). An eight-digit number that reads as a date is
// taken for one whatever its separators were ("12,022,024"): news seldom
// writes such numbers in its opening.
func (s *scratch) numericDate(toks []lex.Token, i int) (month, day int) {
	w := s.z.Word(&toks[i])
	if len(w) == 8 && digits(w) {
		if y := atoi(w[:4]); 1990 <= y && y < 2100 {
			return validDate(atoi(w[4:6]), atoi(w[6:]))
		}
		if y := atoi(w[4:]); 1990 <= y && y < 2100 {
			return validDate(atoi(w[2:4]), atoi(w[:2]))
		}
		return 0, 0
	}
	if i+2 >= len(toks) || toks[i+1].Flag&toks[i+2].Flag&lex.TokNum == 0 {
		return 0, 0
	}
	a, b, c := w, s.z.Word(&toks[i+1]), s.z.Word(&toks[i+2])
	if !digits(a) || !digits(b) || !digits(c) {
		return 0, 0
	}
	switch {
	case len(a) == 4 && len(b) == 2 && len(c) == 2 && 1990 <= atoi(a) && atoi(a) < 2100:
		return validDate(atoi(b), atoi(c)) // ISO 8601
	case len(a) <= 2 && len(b) <= 2 && len(c) == 4 && 1990 <= atoi(c) && atoi(c) < 2100:
		x, y := atoi(a), atoi(b)
		if x > 12 {
			return validDate(y, x) // 27/05/2024
		}
		if y > 12 {
			return validDate(x, y) // 11/14/2023
		}
	}
	return 0, 0
}

// validDate returns m and d when they are a month and a day of it, else 0, 0.
func validDate(m, d int) (int, int) {
	if m < 1 || m > 12 || d < 1 || d > time.Date(2001, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return 0, 0
	}
	return m, d
}

// digits reports whether w is ASCII digits only.
func digits(w []byte) bool {
	for _, c := range w {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(w) > 0
}

// atoi reads ASCII digits.
func atoi(w []byte) int {
	n := 0
	for _, c := range w {
		n = 10*n + int(c-'0')
	}
	return n
}

// monthDay returns the day of the date whose month toks[i] names, and its
// token's index: the nearest number from 1 to 31 of one or two digits
// ("7 October", "October 7", "7 de octubre"; "10月7日", where the number
// before 月 is the month's), else 0 and -1.
func (s *scratch) monthDay(toks []lex.Token, i int) (day, j int) {
	near, k := [...]int{i - 1, i + 1, i - 2, i + 2}, 4
	if string(s.z.Word(&toks[i])) == "月" {
		near[0], k = i+1, 1
	}
	for _, j := range near[:k] {
		if d, _ := s.twoDigits(toks, j); 1 <= d && d <= 31 {
			return d, j
		}
	}
	return 0, -1
}

// dateDays returns the month of each token that is the day of a date (a
// month name's day, as leadDate finds it), else 0; valid until the next
// call. months are the tokens' months (monthsOf).
func (s *scratch) dateDays(toks []lex.Token, months []uint8) []uint8 {
	out := slices.Grow(s.dayOf[:0], len(toks))[:len(toks)]
	clear(out)
	s.dayOf = out
	for i, m := range months {
		if m == 0 {
			continue
		}
		if _, j := s.monthDay(toks, i); j >= 0 {
			out[j] = m
		}
	}
	return out
}

// dateKey is the key of day d of month m: a number's (odd), but not any
// number's — "11 October" and "11 people" do not meet, "11 October" and
// "11 октября" do.
func dateKey(m, d int) uint32 {
	return uint32(lex.Mix64(uint64(m*32+d)^0x64617465)) | 1
}

// twoDigits returns the value of toks[j] when it is a number of one or two
// digits (a day or a month; an ordinal day, "7th", "1er"), and whether it is.
func (s *scratch) twoDigits(toks []lex.Token, j int) (int, bool) {
	if j < 0 || j >= len(toks) || toks[j].Flag&lex.TokNum == 0 {
		return 0, false
	}
	w := lex.DayDigits(s.z.Word(&toks[j]))
	if len(w) > 2 {
		return 0, false
	}
	return atoi(w), true
}

// datesApart reports whether two dates (leadDate) are more than a day
// apart, the year's end wrapping around.
func datesApart(a, b uint16) bool {
	d := int(a) - int(b)
	if d < 0 {
		d = -d
	}
	return min(d, 365-d) > 1
}

// month returns the month toks[i] names when a day or a year stands next
// to it ("12 February", "February 12", "фебруара 2024"), else 0: "may" and
// "mars" alone are not months.
func (s *scratch) month(toks []lex.Token, i int) int {
	t := &toks[i]
	if t.Flag&lex.TokNum != 0 {
		return 0
	}
	near := func(j int) bool {
		return j >= 0 && j < len(toks) && toks[j].Flag&lex.TokNum != 0 && lex.IsDayOrYear(s.z.Word(&toks[j]))
	}
	// "12 de febrero", "1er de mai": one short word may stand between.
	de := func(j int) bool { return j >= 0 && j < len(toks) && toks[j].End-toks[j].Start <= 3 }
	if !near(i-1) && !near(i+1) && !(de(i-1) && near(i-2)) && !(de(i+1) && near(i+2)) {
		return 0
	}
	if w := s.z.Word(t); string(w) == "月" && i > 0 && toks[i-1].Flag&lex.TokNum != 0 {
		// Chinese and Japanese "11月": the number is the month's.
		if n, _ := s.twoDigits(toks, i-1); 1 <= n && n <= 12 {
			return n
		}
		return 0
	}
	return lex.MonthOf(s.z.Word(t))
}

// monthsOf sets s.months to the month each token names (month), and
// returns it: month is asked only within two tokens of a number that may
// be a day or a year, since elsewhere it is 0.
func (s *scratch) monthsOf(toks []lex.Token) []uint8 {
	ms := slices.Grow(s.months[:0], len(toks))[:len(toks)]
	clear(ms)
	s.months = ms
	next := 0 // the first token not asked yet
	for j := range toks {
		if toks[j].Flag&lex.TokNum == 0 || !lex.IsDayOrYear(s.z.Word(&toks[j])) {
			continue
		}
		for i := max(j-2, next); i <= j+2 && i < len(toks); i++ {
			ms[i] = uint8(s.month(toks, i))
		}
		next = max(next, j+3)
	}
	return ms
}

// monthKey is the key of a month, a number's (odd).
func monthKey(m int) uint32 {
	return uint32(lex.Mix64(uint64(m)^0x6d6f6e7468)) | 1
}
