package lex

import "unicode/utf8"

// Match keys: transliteration, stemming and the consonant skeleton.

// matchKey hashes the key a word is matched on across texts and
// languages: Cyrillic transliterated to Latin, a common inflectional ending
// stripped, then reduced to a consonant skeleton that absorbs the usual
// differences between transliterations ("Кабулова", "Kabulov's" and
// "Kabulov" share a key, as do "Таджикистан" and "Tajikistan", "Герат" and
// "Herat"). Numbers keep their digits; their keys are odd, words' even.
func (z *Tokenizer) MatchKey(word []byte, number bool) uint32 {
	if number {
		return uint32(Mix64(hashBytes(word)^0x6e756d)) | 1
	}
	k, latin, ascii := appendLatin(z.key[:0], word, -1)
	if ascii {
		britishIze(k)
	}
	if latin && len(k) > 0 {
		k = skeleton(stem(k))
	}
	z.key = k
	return uint32(hashBytes(k)) &^ 1
}

// appendLatin appends word to dst transliterated to Latin letters, as
// MatchKey reads it, until limit bytes are appended (the rune that
// reaches it whole; limit < 0: the whole word). latin says whether every
// letter could be; ascii whether the word was ASCII already.
func appendLatin(dst, word []byte, limit int) (k []byte, latin, ascii bool) {
	k, latin, ascii = dst, true, true
	for i := 0; i < len(word) && (limit < 0 || len(k)-len(dst) < limit); {
		c := word[i]
		if c < utf8.RuneSelf {
			k = append(k, c)
			i++
			continue
		}
		r, n := utf8.DecodeRune(word[i:])
		i += n
		ascii = false
		if 0x430 <= r && int(r-0x430) < len(translit) && (translit[r-0x430] != "" || r == 'ъ' || r == 'ь') {
			k = append(k, translit[r-0x430]...)
			continue
		}
		if r == 'ґ' {
			k = append(k, 'g')
			continue
		}
		if 0x600 <= r && r <= 0x6FF {
			if l, ok := arabicLatin[r]; ok {
				if i < len(word) || r != 'ه' && r != 'ہ' && r != 'ة' {
					k = append(k, l...) // a final he is a vowel
				}
				continue
			}
		}
		if 0x900 <= r && r <= 0x9FF {
			// Devanagari and Bengali: consonants as English writes Indian
			// names (Hunterian), vowel signs as vowels, the virama as
			// nothing; a nukta makes the consonant before it another.
			if r == 0x93C || r == 0x9BC {
				k = nukta(k)
				continue
			}
			if l, ok := indicLatin[r]; ok {
				k = append(k, l...)
				continue
			}
		}
		if 0x3B1 <= r && r <= 0x3C9 {
			// Greek: the digraphs first, then letter by letter.
			if i < len(word) {
				if r2, n2 := utf8.DecodeRune(word[i:]); n2 > 0 {
					if d, ok := greekDigraph(r, r2, len(k) == len(dst)); ok {
						k = append(k, d...)
						i += n2
						continue
					}
				}
			}
			k = append(k, greek[r-0x3B1]...)
			continue
		}
		latin = false
		k = utf8.AppendRune(k, r)
	}
	return k, latin, ascii
}

// britishIze spells English -ize, -ization and -yze in place as British
// English and the lines of the news words do (organisation, criticised,
// analyse): an iz or yz before e, a or i. A transliterated word keeps its
// z (میزان is not "mission").
func britishIze(w []byte) {
	for i := 1; i+1 < len(w); i++ {
		if w[i] == 'z' && (w[i-1] == 'i' || w[i-1] == 'y') && (w[i+1] == 'e' || w[i+1] == 'a' || w[i+1] == 'i') {
			w[i] = 's'
		}
	}
}

// endings are inflectional endings stripped from Latin (or transliterated)
// words longer than minStem, longest first. Mostly Russian case endings
// (й folded to и: -ой is "oi"); a trailing vowel also covers Slavic and
// Romance variants of one name.
var endings = []string{
	"yakh", "yami", "aya", "ogo", "ego", "omu", "emu", "ymi", "imi", "ami", "akh", "ykh", "ikh",
	"om", "em", "ym", "im", "oi", "ei", "ii", "yi", "oy", "ey", "yy", "oe", "ye", "yu", "ya",
	"a", "e", "i", "o", "u", "y",
}

const minStem = 4

// endingsBy holds the endings by their last letter (read only).
var endingsBy = func() (by [256][]string) {
	for _, e := range endings {
		by[e[len(e)-1]] = append(by[e[len(e)-1]], e)
	}
	return by
}()

// stem strips one inflectional ending, and the Russian adjective suffix
// "-sk-" ("Дарвозском" → "darvoz").
func stem(w []byte) []byte {
	if len(w) > minStem {
		for _, e := range endingsBy[w[len(w)-1]] {
			if len(w)-len(e) >= minStem && string(w[len(w)-len(e):]) == e {
				w = w[:len(w)-len(e)]
				break
			}
		}
	}
	if len(w) >= 6 && string(w[len(w)-2:]) == "sk" {
		w = w[:len(w)-2]
	}
	return w
}

// skeleton rewrites a Latin word in place: spelling variants of one sound
// merged (kh, gh, h → g; zh, dzh → j; q → k; w → v …), vowels after the
// first letter dropped, doubled letters collapsed.
func skeleton(w []byte) []byte { return consonants(w, false) }

// consonants is skeleton, keeping the vowels after the first letter when
// vowels is set: the spelling of a word's sounds, for telling a form of a
// word ("pogranichnykh", "pohraniční") from another word of its skeleton
// ("kotoryj", "Qatar").
func consonants(w []byte, vowels bool) []byte {
	out := w[:0]
	put := func(c byte) {
		if len(out) == 0 || out[len(out)-1] != c {
			out = append(out, c)
		}
	}
	for i := 0; i < len(w); {
		c := w[i]
		var next byte
		if i+1 < len(w) {
			next = w[i+1]
		}
		n := 1 // bytes read
		switch c {
		case 's':
			switch {
			case next == 'h' && hasPrefix(w[i:], "shch"):
				c, n = 's', 4
			case next == 'h':
				c, n = 's', 2
			case next == 'c' && hasPrefix(w[i:], "sch"):
				c, n = 's', 3
			}
		case 'd':
			switch {
			case next == 'z' && hasPrefix(w[i:], "dzh"):
				c, n = 'j', 3
			case next == 's' && hasPrefix(w[i:], "dsch"):
				c, n = 'j', 4 // German "Dschabbarow": "Jabbarov"
			case next == 'j':
				c, n = 'j', 2 // Serbian ђ
			}
		case 'c':
			// c, ch, ck, k and q are one: Latin spellings of Slavic names
			// (č, ć folded to c) and Cyrillic spellings of Latin ones
			// ("Макрон") disagree on them.
			c = 'k'
			if next == 'h' || next == 'k' {
				n = 2
			}
		case 'z':
			if next == 'h' {
				c, n = 'z', 2
			}
		case 'k', 'g':
			if next == 'h' {
				c, n = 'g', 2
			}
		case 't':
			switch next {
			case 's':
				c, n = 's', 2
			case 'h':
				c, n = 't', 2
			}
		case 'p':
			if next == 'h' {
				c, n = 'v', 2
			}
		case 'f':
			c = 'v' // the v of "Kabulov", "Kabulow" and "کابلوف"
		case 'q':
			c = 'k'
		case 'w':
			c = 'v'
		case 'h':
			c = 'g'
		case 'x':
			put('k')
			c = 's'
		}
		if i > 0 && n == 1 && isVowel(c) && !vowels {
			i++ // vowels after the first letter are dropped
			continue
		}
		i += n
		put(c)
	}
	return out
}

func isVowel(c byte) bool {
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'
}

func hasPrefix(b []byte, p string) bool {
	return len(b) >= len(p) && string(b[:len(p)]) == p
}

// arabicLatin transliterates the letters of Persian, Arabic, Urdu and
// Pashto to Latin as the skeleton reads them: short vowels are not
// written, and the long ones the skeleton drops. Vav is v, as in the
// Russian names the Afghan press writes ("کابلوف", "لاوروف"); its vowel
// readings are lost.
var arabicLatin = map[rune]string{
	'ا': "a", 'آ': "a", 'أ': "a", 'إ': "a", 'ٱ': "a", 'ب': "b", 'پ': "p", 'ت': "t", 'ث': "s", 'ج': "j",
	'چ': "ch", 'ح': "h", 'خ': "kh", 'د': "d", 'ذ': "z", 'ر': "r", 'ز': "z", 'ژ': "zh", 'س': "s", 'ش': "sh",
	'ص': "s", 'ض': "z", 'ط': "t", 'ظ': "z", 'ع': "", 'غ': "gh", 'ف': "f", 'ق': "q", 'ک': "k", 'ك': "k",
	'گ': "g", 'ل': "l", 'م': "m", 'ن': "n", 'و': "v", 'ه': "h", 'ة': "", 'ی': "y", 'ي': "y", 'ى': "y",
	'ئ': "y", 'ؤ': "v", 'ء': "", 'ـ': "",
	// Urdu.
	'ٹ': "t", 'ڈ': "d", 'ڑ': "r", 'ں': "n", 'ہ': "h", 'ھ': "", 'ے': "y", 'ۓ': "y",
	// Pashto.
	'ټ': "t", 'ډ': "d", 'ړ': "r", 'ږ': "zh", 'ښ': "sh", 'ګ': "g", 'ځ': "dz", 'څ': "ts", 'ڼ': "n", 'ې': "y", 'ۍ': "y",
}

// indicLatin transliterates the letters of Devanagari (Hindi) and Bengali
// to Latin as the skeleton reads them. Bengali writes the v of foreign
// names with ভ (bh), which is v here.
var indicLatin = map[rune]string{
	// Devanagari: signs, vowels, consonants, vowel signs, virama,
	// consonants with a nukta.
	'ँ': "n", 'ं': "n", 'ः': "h",
	'अ': "a", 'आ': "a", 'इ': "i", 'ई': "i", 'उ': "u", 'ऊ': "u", 'ऋ': "ri", 'ऍ': "e", 'ए': "e", 'ऐ': "ai",
	'ऑ': "o", 'ओ': "o", 'औ': "au",
	'क': "k", 'ख': "kh", 'ग': "g", 'घ': "gh", 'ङ': "n", 'च': "ch", 'छ': "ch", 'ज': "j", 'झ': "jh", 'ञ': "n",
	'ट': "t", 'ठ': "th", 'ड': "d", 'ढ': "dh", 'ण': "n", 'त': "t", 'थ': "th", 'द': "d", 'ध': "dh", 'न': "n",
	'प': "p", 'फ': "ph", 'ब': "b", 'भ': "bh", 'म': "m", 'य': "y", 'र': "r", 'ल': "l", 'ळ': "l", 'व': "v",
	'श': "sh", 'ष': "sh", 'स': "s", 'ह': "h",
	'ा': "a", 'ि': "i", 'ी': "i", 'ु': "u", 'ू': "u", 'ृ': "ri", 'ॅ': "e", 'े': "e", 'ै': "ai", 'ॉ': "o",
	'ो': "o", 'ौ': "au", '्': "",
	'\u0958': "q", '\u0959': "kh", '\u095A': "gh", '\u095B': "z", '\u095C': "r", '\u095D': "rh", '\u095E': "f", '\u095F': "y",
	// Bengali.
	'ঁ': "n", 'ং': "n", 'ঃ': "h",
	'অ': "a", 'আ': "a", 'ই': "i", 'ঈ': "i", 'উ': "u", 'ঊ': "u", 'ঋ': "ri", 'এ': "e", 'ঐ': "oi", 'ও': "o",
	'ঔ': "ou",
	'ক': "k", 'খ': "kh", 'গ': "g", 'ঘ': "gh", 'ঙ': "n", 'চ': "ch", 'ছ': "ch", 'জ': "j", 'ঝ': "jh", 'ঞ': "n",
	'ট': "t", 'ঠ': "th", 'ড': "d", 'ঢ': "dh", 'ণ': "n", 'ত': "t", 'থ': "th", 'দ': "d", 'ধ': "dh", 'ন': "n",
	'প': "p", 'ফ': "f", 'ব': "b", 'ভ': "v", 'ম': "m", 'য': "j", 'র': "r", 'ল': "l", 'শ': "sh", 'ষ': "sh",
	'স': "s", 'হ': "h", '\u09DC': "r", '\u09DD': "rh", '\u09DF': "y", 'ৎ': "t",
	'া': "a", 'ি': "i", 'ী': "i", 'ু': "u", 'ূ': "u", 'ৃ': "ri", 'ে': "e", 'ৈ': "oi", 'ো': "o", 'ৌ': "ou",
	'্': "",
}

// nukta rewrites the consonant k ends with as its nukta form does: ज़ is
// z, फ़ f, क़ q, ड़ r.
func nukta(k []byte) []byte {
	n := len(k)
	switch {
	case n >= 2 && string(k[n-2:]) == "ph":
		return append(k[:n-2], 'f')
	case n >= 2 && string(k[n-2:]) == "dh":
		return append(k[:n-2], 'r', 'h')
	case n >= 1 && k[n-1] == 'j':
		k[n-1] = 'z'
	case n >= 1 && k[n-1] == 'k':
		k[n-1] = 'q'
	case n >= 1 && k[n-1] == 'd':
		k[n-1] = 'r'
	case n >= 1 && k[n-1] == 'g':
		return append(k, 'h')
	}
	return k
}

// greek transliterates Greek letters (lower-case, folded: no accents, final
// sigma as sigma, from α, U+03B1) to Latin as the press does.
var greek = [...]string{
	"a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o", "p", "r", "s", "s", "t", "i", "f", "ch", "ps", "o",
}

// greekDigraph returns the Latin for two Greek letters read as one sound.
func greekDigraph(a, b rune, initial bool) (string, bool) {
	switch string([]rune{a, b}) {
	case "ου":
		return "u", true
	case "αι":
		return "e", true
	case "ει", "οι":
		return "i", true
	case "αυ":
		return "av", true
	case "ευ":
		return "ev", true
	case "μπ":
		if initial {
			return "b", true
		}
		return "mp", true
	case "ντ":
		if initial {
			return "d", true
		}
		return "nt", true
	case "γκ", "γγ":
		if initial {
			return "g", true
		}
		return "ng", true
	case "τσ":
		return "ts", true
	case "τζ":
		return "dz", true
	}
	return "", false
}

// translit transliterates Russian and Ukrainian letters (lower-case, from
// а, U+0430) to Latin, close to the BGN/PCGN system the English-language
// press uses. Folding has already made ё е and й и.
var translit = [...]string{
	'а' - 0x430: "a", 'б' - 0x430: "b", 'в' - 0x430: "v", 'г' - 0x430: "g", 'д' - 0x430: "d",
	'е' - 0x430: "e", 'ж' - 0x430: "zh", 'з' - 0x430: "z", 'и' - 0x430: "i", 'й' - 0x430: "y",
	'к' - 0x430: "k", 'л' - 0x430: "l", 'м' - 0x430: "m", 'н' - 0x430: "n", 'о' - 0x430: "o",
	'п' - 0x430: "p", 'р' - 0x430: "r", 'с' - 0x430: "s", 'т' - 0x430: "t", 'у' - 0x430: "u",
	'ф' - 0x430: "f", 'х' - 0x430: "kh", 'ц' - 0x430: "ts", 'ч' - 0x430: "ch", 'ш' - 0x430: "sh",
	'щ' - 0x430: "shch", 'ъ' - 0x430: "", 'ы' - 0x430: "y", 'ь' - 0x430: "", 'э' - 0x430: "e",
	'ю' - 0x430: "yu", 'я' - 0x430: "ya", 'ё' - 0x430: "e", 'є' - 0x430: "ye", 'і' - 0x430: "i",
	'ї' - 0x430: "yi",
	// Serbian and Macedonian.
	'ђ' - 0x430: "dj", 'ј' - 0x430: "j", 'љ' - 0x430: "lj", 'њ' - 0x430: "nj", 'ћ' - 0x430: "c",
	'џ' - 0x430: "dzh", 'ѓ' - 0x430: "gj", 'ќ' - 0x430: "kj", 'ѕ' - 0x430: "dz",
}
