package rules

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// detectLang guesses an item's language (an ISO 639-1 code) from its
// tokens, for lang: when its feed sets no lang. It tells scripts apart, and
// within a script a few languages by their letters and commonest words:
// Cyrillic → ru, uk (і ї є ґ), kk (ә ғ қ ң ө ұ ү һ), ky (ң ө ү without
// Kazakh letters), tg (ғ ӣ қ ҳ ҷ ӯ); Arabic script → fa (پ چ ژ گ ک ی) or
// ar; Latin → en, de, fr, es, tr or uz by function words and letters;
// Han → zh. It returns "" when it cannot tell.
func detectLang(d *Doc) string {
	counts := map[string]int{}
	scripts := map[string]int{}
	for pos := range d.toks {
		tok, n := d.token(int32(pos)), 1
		r, _ := utf8.DecodeRuneInString(tok)
		switch {
		case 0x0400 <= r && r <= 0x052F:
			scripts["cyrl"] += int(n)
			for _, c := range tok {
				switch c {
				case 'і', 'ї', 'є', 'ґ':
					counts["uk"] += int(n)
				case 'ә', 'ұ', 'һ':
					counts["kk"] += int(n)
				case 'ң', 'ө', 'ү': // Kazakh's when it has letters of its own (below), else Kyrgyz
					counts["ky"] += int(n)
				case 'ӣ', 'ҳ', 'ҷ', 'ӯ':
					counts["tg"] += int(n)
				case 'ғ', 'қ':
					counts["kk"] += int(n)
					counts["tg"] += int(n)
				}
			}
		case unicode.Is(unicode.Arabic, r):
			scripts["arab"] += int(n)
			// As written: folding turns Arabic ك ي ى into Persian ک ی.
			if strings.ContainsAny(d.original(int32(pos)), "پچژگکی") {
				counts["fa"] += int(n)
			}
		case unicode.Is(unicode.Han, r):
			scripts["han"] += int(n)
		case r < 0x250 && unicode.IsLetter(r):
			scripts["latn"] += int(n)
			if l, ok := latinWords[tok]; ok {
				counts[l] += int(n)
			}
		}
	}
	script, best := "", 0
	for s, n := range scripts {
		if n > best || n == best && s < script {
			script, best = s, n
		}
	}
	pick := func(fallback string, langs ...string) string {
		l, most := fallback, 0
		for _, c := range langs {
			if counts[c] > most {
				l, most = c, counts[c]
			}
		}
		return l
	}
	switch script {
	case "cyrl":
		if counts["kk"] > 0 { // ң ө ү with Kazakh letters are Kazakh
			counts["kk"] += counts["ky"]
			counts["ky"] = 0
		}
		if counts["uk"] > 0 || counts["kk"] > 0 || counts["tg"] > 0 || counts["ky"] > 0 {
			return pick("ru", "uk", "kk", "tg", "ky")
		}
		return "ru"
	case "arab":
		if counts["fa"] > 0 {
			return "fa"
		}
		return "ar"
	case "han":
		return "zh"
	case "latn":
		return pick("", "en", "de", "fr", "es", "tr", "uz")
	}
	return ""
}

// latinWords are frequent function words of languages in Latin script.
var latinWords = map[string]string{
	"the": "en", "and": "en", "of": "en", "to": "en", "in": "en", "is": "en", "that": "en", "with": "en", "said": "en",
	"der": "de", "die": "de", "und": "de", "das": "de", "nicht": "de", "mit": "de", "ist": "de",
	"le": "fr", "la": "fr", "les": "fr", "et": "fr", "des": "fr", "est": "fr", "une": "fr", "dans": "fr",
	"el": "es", "los": "es", "y": "es", "del": "es", "las": "es", "por": "es", "una": "es",
	"ve": "tr", "bir": "tr", "bu": "tr", "ile": "tr", "icin": "tr", "olarak": "tr",
	"va": "uz", "bilan": "uz", "uchun": "uz", "ham": "uz", "yil": "uz",
}
