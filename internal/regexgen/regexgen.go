// Package regexgen generates regular expressions from a grammar and texts with planted matches,
// for fuzz tests that compare searches with Go's regexp. Every choice it makes is read from a
// byte string, so that a fuzzer's mutations of the bytes walk the grammar.
package regexgen

import (
	"regexp/syntax"
	"strings"
)

// Source hands out the bytes of a fuzz input as choices; past its end every choice is 0.
type Source struct {
	b []byte
	i int
}

// NewSource returns a Source over b.
func NewSource(b []byte) *Source { return &Source{b: b} }

// Intn returns a choice in [0, n).
func (s *Source) Intn(n int) int {
	if s.i >= len(s.b) || n <= 1 {
		s.i++
		return 0
	}
	c := int(s.b[s.i])
	s.i++
	return c % n
}

// pick returns one of list.
func (s *Source) pick(list []string) string { return list[s.Intn(len(list))] }

// Atoms that consume one character or a few, as the grammar's leaves.
var (
	literals = []string{"a", "b", "c", "ab", "abc", "ing", "the", "err", "A", "B", "-", "@", ".com",
		" ", "\n", "é", "K", "k", "s", "\u017f", "0", "42", "x\u00ff", "\ufffd", "é"}
	classes = []string{`[abc]`, `[a-z]`, `[^a\n]`, `[A-Z]`, `\d`, `\w`, `\s`, `\W`, `\D`, `[[:alpha:]]`,
		`[é-ü]`, `[^\x00-\x7f]`, `.`, `[\d-]`, `[kK]`, `\pL`, `[a-c\n]`, `[^b]`}
	anchors = []string{`^`, `$`, `\A`, `\z`, `\b`, `\B`}
	repeats = []string{`*`, `+`, `?`, `{2}`, `{1,3}`, `{2,}`, `{0,2}`, `*?`, `+?`, `??`, `{1,2}?`}
	flags   = []string{"i", "s", "m", "U", "is", "im"}
)

// Pattern returns a random pattern from the grammar: alternations of concatenations of
// literals, classes, anchors and groups (capturing, non-capturing, with flags), repeated.
func Pattern(s *Source) string {
	var b strings.Builder
	if s.Intn(4) == 0 {
		b.WriteString("(?" + s.pick(flags) + ")")
	}
	alt(s, &b, 0)
	return b.String()
}

func alt(s *Source, b *strings.Builder, depth int) {
	n := 1 + s.Intn(3)
	for i := range n {
		if i > 0 {
			b.WriteByte('|')
		}
		concat(s, b, depth)
	}
}

func concat(s *Source, b *strings.Builder, depth int) {
	n := 1 + s.Intn(4)
	for range n {
		piece(s, b, depth)
	}
}

func piece(s *Source, b *strings.Builder, depth int) {
	switch k := s.Intn(10); {
	case k < 4:
		lit := s.pick(literals)
		if s.Intn(3) == 0 {
			lit = "(?:" + syntaxQuote(lit) + ")"
		} else {
			lit = syntaxQuote(lit)
		}
		b.WriteString(lit)
	case k < 7:
		b.WriteString(s.pick(classes))
	case k < 8:
		b.WriteString(s.pick(anchors))
		return // a repeated anchor is legal but says nothing more
	default:
		if depth >= 3 {
			b.WriteString(s.pick(literals[:5]))
			break
		}
		switch s.Intn(4) {
		case 0:
			b.WriteString("(")
		case 1:
			b.WriteString("(?:")
		case 2:
			b.WriteString("(?" + s.pick(flags) + ":")
		default:
			b.WriteString("(?P<g" + string(rune('a'+depth)) + ">")
		}
		alt(s, b, depth+1)
		b.WriteString(")")
	}
	if s.Intn(3) == 0 {
		b.WriteString(s.pick(repeats))
	}
}

// syntaxQuote escapes lit's metacharacters; a literal of several characters is wrapped so that a
// repetition after it applies to all of it.
func syntaxQuote(lit string) string {
	var b strings.Builder
	for _, r := range lit {
		if r < 0x80 && strings.ContainsRune(`\.+*?()|[]{}^$`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// textBytes are what texts are made of: the grammar's letters, separators, a multi-byte
// character, and bytes that are not UTF-8.
var textBytes = []string{"a", "b", "c", "A", "B", "k", "K", "s", "x", "0", "4", "2", " ", " ", "\n", "-",
	"@", ".", "é", "ü", "\u017f", "\u212a", "\xff", "\xc3", "\x80", "ing", "the", "err", ".com", "\ufffd"}

// Text returns a random text of about n bytes in which pieces of the pattern's literals are
// planted, so that matches are common.
func Text(s *Source, pattern string, n int) []byte {
	lits := plantable(pattern)
	var b []byte
	for len(b) < n {
		if len(lits) > 0 && s.Intn(3) == 0 {
			b = append(b, lits[s.Intn(len(lits))]...)
			continue
		}
		b = append(b, s.pick(textBytes)...)
	}
	return b
}

// plantable returns the literal strings of pattern's syntax tree, and their case variants.
func plantable(pattern string) []string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	var out []string
	var walk func(*syntax.Regexp)
	walk = func(re *syntax.Regexp) {
		if re.Op == syntax.OpLiteral {
			lit := string(re.Rune)
			out = append(out, lit, strings.ToUpper(lit))
		}
		for _, sub := range re.Sub {
			walk(sub)
		}
	}
	walk(re)
	return out
}
