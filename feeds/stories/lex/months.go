package lex

import (
	"bytes"
	"strings"
)

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
	{"march", "marz", "marzo", "mars", "март", "μαρτ", "mar", "marta"},
	{"april", "abril", "avril", "апрел", "април", "απριλ", "apr"},
	{"may", "mai", "mayo", "мая", "май", "мај", "μαι", "μαιου", "maja"},
	{"june", "juni", "junio", "juin", "июн", "јун", "ιουν", "jun", "juna"},
	{"july", "juli", "julio", "juillet", "июл", "јул", "ιουλ", "jul", "jula"},
	{"august", "agosto", "aout", "август", "аугуст", "αυγουστ", "aug", "avgust"},
	{"september", "septiembre", "septembre", "сентябр", "септемб", "septemb", "σεπτεμβρ", "sep", "sept"},
	{"october", "oktober", "octubre", "octobre", "октябр", "октоб", "oktob", "οκτωβρ", "oct", "okt"},
	{"november", "noviembre", "novembre", "ноябр", "новемб", "novemb", "νοεμβρ", "nov"},
	{"december", "dezember", "diciembre", "decembre", "декабр", "децемб", "decemb", "δεκεμβρ", "dec", "dez"},
}

// moreMonths are month names of Italian, Portuguese, Turkish, Polish,
// Czech, Ukrainian, Bulgarian, Persian, Arabic, Urdu and Hindi, as
// written (folded into monthsBy when the package loads). Names that are
// also common words or names, or that a longer month name starts with,
// are left out ("Marco", Czech "červen", Persian "مه").
var moreMonths = [12]string{
	"gennaio janeiro ocak stycz leden ledna січн януари ژانویه يناير جنوری जनवरी",
	"febbraio fevereiro şubat lutego luty únor února лютого лютий февруари فوریه فبراير فروری फ़रवरी फरवरी",
	"marzec marca březen března березн مارس مارچ मार्च",
	"aprile nisan kwietn duben dubna квітн آوریل أبريل ابريل اپریل अप्रैल",
	"maggio maio mayıs květen května травн",
	"giugno junho haziran czerwc червн юни ژوئن يونيو",
	"luglio julho temmuz lipca lipiec липн юли ژوئیه جولای يوليو جولائی जुलाई",
	"agosto ağustos sierpn srpen srpna серпн اوت آگوست أغسطس اگست अगस्त",
	"settembre setembro eylül wrześ září вересн سپتامبر سبتمبر ستمبر सितंबर",
	"ottobre outubro ekim październik października říjen října жовтн октомври اکتبر أكتوبر اکتوبر अक्टूबर",
	"novembre novembro kasım listopad листопад ноември نوامبر نوفمبر نومبر नवंबर",
	"dicembre dezembro aralık grudn grudz prosinec prosince грудн декември دسامبر ديسمبر دسمبر दिसंबर",
}

// MonthOf returns the month (1–12) a folded word names, or 0.
func MonthOf(w []byte) int {
	if len(w) < 3 || len(w) > 24 {
		return 0
	}
	for _, e := range monthsBy[uint16(w[0])<<8|uint16(w[1])] {
		st := e.stem
		short, slack := len(st) <= 4 && st[0] < 0x80, 4
		if st[0] >= 0x80 {
			slack = 8 // four letters of two bytes
		}
		if short && string(w) == st || !short && len(w) <= len(st)+slack && bytes.HasPrefix(w, []byte(st)) {
			return e.month
		}
	}
	return 0
}

// monthStem is a month stem and its month (1–12).
type monthStem struct {
	stem  string
	month int
}

// monthsBy holds the stems of monthStems and the folded names of
// moreMonths by their first two bytes, in month order (read only).
var monthsBy = func() map[uint16][]monthStem {
	var z Tokenizer
	m := make(map[uint16][]monthStem)
	add := func(st string, month int) {
		k := uint16(st[0])<<8 | uint16(st[1])
		m[k] = append(m[k], monthStem{st, month})
	}
	for i, stems := range monthStems {
		for _, st := range stems {
			add(st, i+1)
		}
		for _, w := range strings.Fields(moreMonths[i]) {
			if toks := z.Tokenize(w, nil); len(toks) == 1 {
				add(string(z.Word(&toks[0])), i+1)
			}
		}
	}
	return m
}()

// IsDayOrYear reports whether a folded number Token can be a day of the
// month or a year next to a month name.
func IsDayOrYear(w []byte) bool {
	w = DayDigits(w)
	return len(w) <= 2 || len(w) == 4
}

// DayDigits returns the digits of an ordinal day — "7th", "21st", "2nd",
// "3rd", French "1er" — or w as it is.
func DayDigits(w []byte) []byte {
	n := len(w) - 2
	if n < 1 || n > 2 {
		return w
	}
	switch string(w[n:]) {
	case "st", "nd", "rd", "th", "er":
	default:
		return w
	}
	for _, c := range w[:n] {
		if c < '0' || c > '9' {
			return w
		}
	}
	return w[:n]
}

// magnitudes are the folded words (or their stems, ending in "*") that
// multiply the number before them: thousand, million, billion in the
// languages of the month names, Turkish, and the Chinese 万 (10⁴) and 亿
// (10⁸).
var magnitudes = []string{
	"thousand*", "million*", "billion*", "trillion*", "mln", "mn", "bn", "bln", "tn",
	"tausend", "mio", "mrd", "milliard*", "mil", "millon*", "millardo*", "mille",
	"тыс*", "млн", "млрд", "миллион*", "миллиард*", "хиљад*", "милион*", "милијард*",
	"hiljad*", "milion*", "milijard*", "χιλιαδ*", "χιλ", "εκατ*", "δισ*",
	"bin", "milyon*", "milyar*", "万", "亿", "千",
}

// isMagnitude reports whether a folded word multiplies the number before it.
func isMagnitude(w []byte) bool {
	for _, m := range magnitudes {
		if stem, ok := strings.CutSuffix(m, "*"); ok {
			if bytes.HasPrefix(w, []byte(stem)) {
				return true
			}
		} else if string(w) == m {
			return true
		}
	}
	return false
}

// RoundNumber reports whether number Token i is written with a magnitude
// ("2.2 million", "2,2 млн", "220万") or ends in thousands of zeros
// ("2,200,000", "137 000"): its key is then its digits without the
// trailing zeros, so that the forms meet ("137,000", "137 тыс.", "13.7万"
// all hold 137). Separators are dropped already ("2.2" is 22); the
// magnitude is lost, which costs little: a number's neighbours in the text
// rarely differ by a power of ten alone.
func RoundNumber(toks []Token, i int, z *Tokenizer) bool {
	w := z.Word(&toks[i])
	for _, c := range w {
		if c < '0' || c > '9' {
			return false
		}
	}
	if len(w) >= 5 && bytes.HasSuffix(w, []byte("000")) {
		return true
	}
	return i+1 < len(toks) && isMagnitude(z.Word(&toks[i+1]))
}
