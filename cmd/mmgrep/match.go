package main

import (
	"bytes"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"

	"github.com/mmapio/mmap/internal/search"
)

// notWord matches one character that is not a word constituent for -w: GNU grep's words are made
// of letters, digits and '_' in any script. '\n' is left out so that no match crosses a line.
const notWord = `[^\pL\pN_\n]`

// matcher finds selected lines. A line is what lies between two '\n' (or NUL in binary files); no
// match ever spans lines, as in grep.
type matcher struct {
	// lit, when non-nil, is the whole pattern as a literal: a line matches iff it contains lit.
	lit []byte
	// bufRe is lineRe with (?m): it searches many lines at once for a candidate, with plan.
	bufRe *regexp.Regexp
	plan  *search.Plan
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
	if m.bufRe, err = bufferPattern(sel); err != nil {
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
	m.plan = search.Compile(m.bufRe)

	if !o.ignoreCase {
		plain := regexp.MustCompile(core)
		prefix, complete := plain.LiteralPrefix()
		if len(alts) == 1 && allLiteral && complete && prefix != "" && !m.word && !m.lineX {
			m.lit = []byte(prefix)
		}
	}
	return m, nil
}

// bufferPattern returns sel for a search over many lines at once that finds, within a line, what
// sel finds in the line alone: ^ and $ become line anchors, and so do \A and \z, which (?m) does
// not change. Its captures go: they do not move a match, and the search finds a match without
// them faster.
func bufferPattern(sel string) (*regexp.Regexp, error) {
	tree, err := syntax.Parse(sel, syntax.Perl)
	if err != nil {
		return nil, err
	}
	return regexp.Compile(lineAnchors(tree).String())
}

func lineAnchors(re *syntax.Regexp) *syntax.Regexp {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	switch re.Op {
	case syntax.OpBeginText:
		re.Op = syntax.OpBeginLine
	case syntax.OpEndText:
		re.Op = syntax.OpEndLine
	}
	re.Flags &^= syntax.WasDollar
	for i, sub := range re.Sub {
		re.Sub[i] = lineAnchors(sub)
	}
	return re
}

// next returns the bounds [ls, le) of the first matching line that starts at or after pos, a
// line start, or -1, -1. le is the index of the line's '\n' (or the end of b). find is a search
// with bufRe's plan over b.
func (m *matcher) next(b []byte, find *search.Searcher, pos int) (ls, le int) {
	for p := pos; p < len(b); {
		// As bufRe.FindIndex(b[p:]) would: the search package scans for the pattern's literals
		// or rare bytes, and gives the same match.
		loc := find.Next(b, p, p)
		if loc == nil {
			return -1, -1
		}
		i := loc[0]
		if i == len(b) && b[i-1] == '\n' {
			return -1, -1 // an empty match after the last line
		}
		ls, le := lineBounds(b, i)
		// A match inside the line is one in the line alone: (?m) makes ^ and $ line anchors, and
		// \b sees a '\n' before the line as it sees the start of a text. One that runs over
		// the '\n' says nothing; the line alone decides.
		if loc[1] <= le || m.lineRe.Match(b[ls:le]) {
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
