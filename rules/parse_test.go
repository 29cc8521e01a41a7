package rules

import (
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name  string
		query string
		want  string // canonical form
	}{
		{"word", "kabulov", "kabulov"},
		{"word folded", "Kābulov", "kabulov"},
		{"cyrillic word", "ОДКБ", "одкб"},
		{"or", "kabulov OR \"zamir kabulov\"", `(kabulov OR "zamir kabulov")`},
		{"implicit and", "kabulov taliban", "(kabulov AND taliban)"},
		{"explicit and", "kabulov AND taliban", "(kabulov AND taliban)"},
		{"and binds tighter than or", "a OR b c", "(a OR (b AND c))"},
		{"and binds tighter than or, left", "a b OR c", "((a AND b) OR c)"},
		{"not binds tighter than and", "NOT a b", "(NOT a AND b)"},
		{"not after term", "taliban NOT football", "(taliban AND NOT football)"},
		{"minus word", "taliban -football", "(taliban AND NOT football)"},
		{"minus phrase", `taliban -"world cup"`, `(taliban AND NOT "world cup")`},
		{"minus group", "taliban -(football OR cricket)", "(taliban AND NOT (football OR cricket))"},
		{"double not", "a NOT NOT b", "(a AND NOT NOT b)"},
		{"lower-case keywords are words", "war and peace or not", "(war AND and AND peace AND or AND not)"},
		{"mixed-case keywords are words", "war And peace", "(war AND and AND peace)"},
		{"nested parens", "((a OR (b c)) d)", "((a OR (b AND c)) AND d)"},
		{"redundant parens", "(((kabulov)))", "kabulov"},
		{"flattened or", "a OR (b OR c) OR d", "(a OR b OR c OR d)"},
		{"flattened and", "a (b c) AND d", "(a AND b AND c AND d)"},
		{"csto example", `(csto OR одкб OR "collective security treaty organization") AND -exercise`,
			`((csto OR одкб OR "collective security treaty organization") AND NOT exercise)`},
		{"taliban example", `taliban AND (tajikistan OR "tajik border") NOT football`,
			`(taliban AND (tajikistan OR "tajik border") AND NOT football)`},
		{"prefix", "kabul*", "kabul*"},
		{"prefix in phrase", `"zamir kab*"`, `"zamir kab*"`},
		{"hyphenated word is a phrase", "tajik-afghan", `"tajik afghan"`},
		{"hyphen then prefix", "tajik-afgh*", `"tajik afgh*"`},
		{"possessive dropped", "CSTO's", "csto"},
		{"one-word phrase is a word", `"Kabulov"`, "kabulov"},
		{"phrase punctuation", `"Zamir, Kabulov!"`, `"zamir kabulov"`},
		{"typographic quotes", "“zamir kabulov” OR «Замир Кабулов»", `("zamir kabulov" OR "замир кабулов")`},
		{"adjacent phrase and word", `"a b"c`, `("a b" AND c)`},
		{"minus inside word is a hyphen", "covid-19", `"covid 19"`},
		{"han word is a phrase of characters", "中国", `"中 国"`},
		{"arabic", "طالبان", "طالبان"},
		{"persian digits", "۱۴۰۳", "1403"},
		{"tabs and newlines", "a\tOR\nb", "(a OR b)"},
		{"negative with positive", "-football taliban", "(NOT football AND taliban)"},
		{"not of negative is positive", "-(-football)", "NOT NOT football"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse(tt.query)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.query, err)
			}
			if got, want := q.canonical(), tt.want; got != want {
				t.Errorf("Parse(%q) = %s, want %s", tt.query, got, want)
			}
			if got, want := q.String(), tt.query; got != want {
				t.Errorf("String() = %q, want %q", got, want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name  string
		query string
		col   int
		msg   string
	}{
		{"empty", "", 1, "empty query"},
		{"blank", "   ", 1, "empty query"},
		{"unclosed paren", "(a OR b", 1, "unclosed parenthesis"},
		{"unclosed inner paren", "a (b (c) d", 3, "unclosed parenthesis"},
		{"open paren at end", "a (", 3, "unclosed parenthesis"},
		{"unmatched close", "a OR b)", 7, "unexpected )"},
		{"leading close", ") a", 1, "unexpected )"},
		{"empty parens", "a () b", 3, "empty parentheses"},
		{"unterminated quote", `kabulov "zamir kab`, 9, "unterminated quote"},
		{"unterminated quote after cyrillic", `одкб «замир`, 6, "unterminated quote"},
		{"dangling and", "kabulov AND", 9, "missing term after AND"},
		{"dangling or", "kabulov OR", 9, "missing term after OR"},
		{"and before close", "(a AND) b", 4, "missing term after AND"},
		{"and and", "a AND AND b", 3, "missing term after AND"},
		{"or and", "a OR AND b", 3, "missing term after OR"},
		{"leading and", "AND a", 1, "missing term before AND"},
		{"leading or in group", "b (OR a)", 4, "missing term before OR"},
		{"not alone", "NOT", 1, "missing term after NOT"},
		{"dangling not", "kabulov NOT", 9, "missing term after NOT"},
		{"not before close", "(a NOT) b", 4, "missing term after NOT"},
		{"minus alone", "a -", 3, "missing term after -"},
		{"minus minus", "a --b", 3, "missing term after -"},
		{"minus not", "a -NOT b", 3, "missing term after -"},
		{"space after minus", "kabulov - taliban", 9, "space after -: write -word to exclude a word"},
		{"only negative", "-football", 1, "only negative terms: the query would match almost every item"},
		{"only negative not", "NOT football", 1, "only negative terms: the query would match almost every item"},
		{"all negative", "-football -cricket", 1, "only negative terms: the query would match almost every item"},
		{"negative alternative", "kabulov OR -football", 12, "only negative terms: the query would match almost every item"},
		{"negated conjunction", "NOT (a -b)", 1, "only negative terms: the query would match almost every item"},
		{"empty phrase", `a ""`, 3, "empty phrase"},
		{"punctuation phrase", `a "..."`, 3, "empty phrase"},
		{"punctuation word", "a &", 3, `"&" has no letters or digits`},
		{"leading star", "*kabul", 1, "* must come right after a word, at its end"},
		{"inner star", "ka*bul", 3, "* must come right after a word, at its end"},
		{"double star", "kabul**", 6, "* must come right after a word, at its end"},
		{"star after hyphen", "tajik-*", 7, "* must come right after a word, at its end"},
		{"star alone in phrase", `"zamir *"`, 8, "* must come right after a word, at its end"},
		{"short prefix", "k*", 2, "a prefix needs at least 2 letters before *"},
		{"columns count runes", "ОДКБ AND", 6, "missing term after AND"},
		{"too deep", strings.Repeat("(", 250) + "a" + strings.Repeat(")", 250), 201, "query too deeply nested"},
		{"too deep tree", strings.Repeat("(a OR b ", 120) + "c" + strings.Repeat(")", 120), 1, "query too deeply nested"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse(tt.query)
			if err == nil {
				t.Fatalf("Parse(%q) = %s, want an error", tt.query, q.canonical())
			}
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error %T %v, want *SyntaxError", tt.query, err, err)
			}
			if got, want := se.Col, tt.col; got != want {
				t.Errorf("column = %d, want %d (%v)", got, want, err)
			}
			if got, want := se.Msg, tt.msg; got != want {
				t.Errorf("message = %q, want %q", got, want)
			}
		})
	}
}

func TestSyntaxErrorString(t *testing.T) {
	_, err := Parse("kabulov AND")
	if got, want := err.Error(), "column 9: missing term after AND"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestTerms(t *testing.T) {
	tests := []struct {
		name  string
		query string
		want  []string
	}{
		{"word", "Kabulov", []string{"kabulov"}},
		{"or with phrase", `kabulov OR "Zamir Kabulov"`, []string{"kabulov", "zamir kabulov"}},
		{"negatives left out", "taliban -football NOT cricket", []string{"taliban"}},
		{"double negation is positive", "a -(-b)", []string{"a", "b"}},
		{"negated group", "a -(b OR c)", []string{"a"}},
		{"prefix keeps star", "kabul* OR csto", []string{"kabul*", "csto"}},
		{"duplicates removed", "a (a OR b) a", []string{"a", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse(tt.query)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.query, err)
			}
			if got, want := q.Terms(), tt.want; !slices.Equal(got, want) {
				t.Errorf("Terms() = %q, want %q", got, want)
			}
		})
	}
}
