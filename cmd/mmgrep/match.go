package main

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// notWord matches one character that is not a word constituent for -w: GNU grep's words are made
// of letters, digits and '_' in any script. '\n' is left out so that no match crosses a line.
const notWord = `[^\pL\pN_\n]`

// matcher finds selected lines. A line is what lies between two '\n' (or NUL in binary files); no
// match ever spans lines, as in grep.
type matcher struct {
	// lit, when non-nil, is the whole pattern as a literal: a line matches iff it contains lit.
	lit []byte
	// prefix, when non-nil, is a literal every match starts with: only lines holding it are tried.
	prefix []byte
	// bufRe is lineRe with (?m): it searches many lines at once for a candidate.
	bufRe *regexp.Regexp
	// lineRe reports whether one line (without its '\n') matches: it implements -w and -x.
	lineRe *regexp.Regexp
	// partRe finds the parts that -o and --color print, leftmost-longest as POSIX has it; with -w,
	// group 1 is the part, and partNext searches from inside a line, where the character before
	// the search is the previous part's last character.
	partRe, partNext *regexp.Regexp
	word, lineX      bool
}

// compile builds the matcher for o's patterns.
func compile(o *options) (*matcher, error) {
	alts := make([]string, len(o.patterns))
	allLiteral := true
	for i, p := range o.patterns {
		if o.fixed {
			p = regexp.QuoteMeta(p)
		}
		if _, err := regexp.Compile(p); err != nil {
			return nil, fmt.Errorf("%s", strings.TrimPrefix(err.Error(), "error parsing regexp: "))
		}
		if regexp.QuoteMeta(p) != p {
			allLiteral = false
		}
		alts[i] = p
	}
	flags := ""
	if o.ignoreCase {
		flags = "i"
	}
	core := "(?" + flags + ":" + strings.Join(alts, "|") + ")"
	if flags == "" {
		core = "(?:" + strings.Join(alts, "|") + ")"
	}
	m := &matcher{word: o.word && !o.lineX, lineX: o.lineX}
	sel := core
	switch {
	case m.lineX:
		sel = "^" + core + "$"
	case m.word:
		sel = "(?:^|" + notWord + ")(" + core + ")(?:" + notWord + "|$)"
	}
	var err error
	if m.lineRe, err = regexp.Compile(sel); err != nil {
		return nil, err
	}
	if m.bufRe, err = regexp.Compile("(?m)" + sel); err != nil {
		return nil, err
	}
	switch {
	case m.word:
		m.partRe = regexp.MustCompile(sel)
		m.partNext = regexp.MustCompile(notWord + "(" + core + ")(?:" + notWord + "|$)")
		m.partNext.Longest()
	default:
		m.partRe = regexp.MustCompile(sel)
	}
	m.partRe.Longest()

	if !o.ignoreCase {
		plain := regexp.MustCompile(core)
		prefix, complete := plain.LiteralPrefix()
		switch {
		case len(alts) == 1 && allLiteral && complete && prefix != "" && !m.word && !m.lineX:
			m.lit = []byte(prefix)
		case prefix != "":
			m.prefix = []byte(prefix)
		}
	}
	return m, nil
}

// finder finds one literal in one text: bytes.IndexByte (a vector loop) looks for the literal's
// byte that is rarest in this text, and only its hits are compared. Which byte is rare depends
// on the data ('o' is rare in a web server's log, common in prose), so the choice comes from a
// sample of the text rather than from a fixed table; ripgrep uses a fixed table but compares two
// bytes per vector step, which Go's standard library cannot express.
type finder struct {
	lit  []byte
	rare int // index in lit of the byte IndexByte looks for
}

// sampleSize is how many bytes of the text, taken from its start, middle and end, choose the
// rare byte; at most a sixteenth of the text, so that small files do not pay for it.
const sampleSize = 12 << 10

func newFinder(lit, text []byte) *finder {
	f := &finder{lit: lit}
	if len(lit) < 2 {
		return f
	}
	var count [256]int
	third := min(sampleSize, len(text)/16) / 3
	for _, at := range []int{0, len(text)/2 - third/2, len(text) - third} {
		at = max(0, at)
		for _, c := range text[at:min(len(text), at+third)] {
			count[c]++
		}
	}
	for i, c := range lit {
		if count[c] < count[lit[f.rare]] {
			f.rare = i
		}
	}
	return f
}

// index returns the index of the first instance of the literal in text at or after from, or -1.
func (f *finder) index(text []byte, from int) int {
	n := len(f.lit)
	if n == 0 {
		return from
	}
	last := len(text) - n // the last possible start
	c := f.lit[f.rare]
	for i := from; i <= last; {
		j := bytes.IndexByte(text[i+f.rare:last+f.rare+1], c)
		if j < 0 {
			return -1
		}
		start := i + j
		if bytes.Equal(text[start:start+n], f.lit) {
			return start
		}
		i = start + 1
	}
	return -1
}

// next returns the bounds [ls, le) of the first matching line that starts at or after pos, a
// line start, or -1, -1. le is the index of the line's '\n' (or the end of b).
func (m *matcher) next(b []byte, find *finder, pos int) (ls, le int) {
	switch {
	case pos >= len(b):
		return -1, -1
	case m.lit != nil:
		i := find.index(b, pos)
		if i < 0 {
			return -1, -1
		}
		return lineBounds(b, i)
	case m.prefix != nil:
		for p := pos; p < len(b); {
			i := find.index(b, p)
			if i < 0 {
				return -1, -1
			}
			ls, le := lineBounds(b, i)
			if m.lineRe.Match(b[ls:le]) {
				return ls, le
			}
			p = le + 1
		}
		return -1, -1
	}
	for p := pos; p < len(b); {
		loc := m.bufRe.FindIndex(b[p:])
		if loc == nil {
			return -1, -1
		}
		i := p + loc[0]
		if i == len(b) && b[i-1] == '\n' {
			return -1, -1 // an empty match after the last line
		}
		ls, le := lineBounds(b, i)
		// A match inside the line is one in the line alone: (?m) makes ^ and $ line anchors, and
		// \b sees a '\n' before the line as it sees the start of a text. One that runs over
		// the '\n' says nothing; the line alone decides.
		if p+loc[1] <= le || m.lineRe.Match(b[ls:le]) {
			return ls, le
		}
		p = le + 1
	}
	return -1, -1
}

// matchLine reports whether one line matches.
func (m *matcher) matchLine(line []byte) bool {
	if m.lit != nil {
		return bytes.Contains(line, m.lit)
	}
	if m.prefix != nil && !bytes.Contains(line, m.prefix) {
		return false
	}
	return m.lineRe.Match(line)
}

// parts calls fn with the bounds of each non-empty part of line that -o prints and --color
// highlights, as GNU grep finds them: the leftmost-longest match from where the previous one
// ended, an empty match skipped.
func (m *matcher) parts(line []byte, fn func(s, e int)) {
	switch {
	case m.lineX:
		if len(line) > 0 && m.lineRe.Match(line) {
			fn(0, len(line))
		}
		return
	case !m.word:
		for _, loc := range m.partRe.FindAllIndex(line, -1) {
			if loc[1] > loc[0] {
				fn(loc[0], loc[1])
			}
		}
		return
	}
	for cur := 0; cur <= len(line); {
		var loc []int
		base := 0
		if cur == 0 {
			loc = m.partRe.FindSubmatchIndex(line)
		} else {
			// The character before cur is consumed as the word's left edge.
			base = cur - 1
			loc = m.partNext.FindSubmatchIndex(line[base:])
		}
		if loc == nil {
			return
		}
		s, e := base+loc[2], base+loc[3]
		if e == s {
			cur = s + 1
			continue
		}
		fn(s, e)
		cur = e
	}
}

// lineBounds returns the bounds of the line holding b[i]: its start, and the index of its '\n'
// (or len(b)).
func lineBounds(b []byte, i int) (ls, le int) {
	ls = bytes.LastIndexByte(b[:i], '\n') + 1
	le = bytes.IndexByte(b[i:], '\n')
	if le < 0 {
		return ls, len(b)
	}
	return ls, i + le
}
