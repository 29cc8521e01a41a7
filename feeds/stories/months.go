package stories

import "bytes"

// monthStems are the folded stems of month names in English, German,
// Spanish, French, Russian, Serbian (Latin and Cyrillic) and Greek, by
// month, so that "12 February", "12. Februar", "12 de febrero", "12 février",
// "12 февраля", "12. фебруара" and "12 Φεβρουαρίου" share their keys: the
// day's number and the month's. A stem matches a word that starts with it
// and is at most four letters longer; an abbreviation (three letters, or
// "sept") must match whole.
var monthStems = [12][]string{
	{"january", "januar", "enero", "janvier", "январ", "јануар", "ιανουαρ", "jan"},
	{"february", "februar", "febrero", "fevrier", "феврал", "фебруар", "φεβρουαρ", "feb"},
	{"march", "marz", "marzo", "mars", "март", "μαρτ", "mar"},
	{"april", "abril", "avril", "апрел", "април", "απριλ", "apr"},
	{"may", "mai", "mayo", "мая", "май", "мај", "μαι", "μαιου"},
	{"june", "juni", "junio", "juin", "июн", "јун", "ιουν", "jun"},
	{"july", "juli", "julio", "juillet", "июл", "јул", "ιουλ", "jul"},
	{"august", "agosto", "aout", "август", "аугуст", "αυγουστ", "aug"},
	{"september", "septiembre", "septembre", "сентябр", "септемб", "σεπτεμβρ", "sep", "sept"},
	{"october", "oktober", "octubre", "octobre", "октябр", "октоб", "οκτωβρ", "oct", "okt"},
	{"november", "noviembre", "novembre", "ноябр", "новемб", "νοεμβρ", "nov"},
	{"december", "dezember", "diciembre", "decembre", "декабр", "децемб", "δεκεμβρ", "dec", "dez"},
}

// monthOf returns the month (1–12) a folded word names, or 0.
func monthOf(w []byte) int {
	if len(w) < 3 || len(w) > 24 || !monthFirst[w[0]] {
		return 0
	}
	for m, stems := range monthStems {
		for _, st := range stems {
			short, slack := len(st) <= 4 && st[0] < 0x80, 4
			if st[0] >= 0x80 {
				slack = 8 // four letters of two bytes
			}
			if short && string(w) == st || !short && len(w) <= len(st)+slack && bytes.HasPrefix(w, []byte(st)) {
				return m + 1
			}
		}
	}
	return 0
}

// isDayOrYear reports whether a folded number token can be a day of the
// month or a year next to a month name.
func isDayOrYear(w []byte) bool {
	return len(w) <= 2 || len(w) == 4
}

// monthFirst holds the first bytes of the month stems (read only).
var monthFirst = func() (m [256]bool) {
	for _, stems := range monthStems {
		for _, st := range stems {
			m[st[0]] = true
		}
	}
	return m
}()
