package search

import (
	"bytes"
	"regexp/syntax"
	"unicode/utf8"
)

// alternation is a pattern that is a list of ASCII literals in the order regexp prefers them:
// water|world|work, POST|PUT|DELETE, colou?r, 50[0-9] (a short class is a literal a member). At a
// position, the first literal of the list that the text holds there is the match regexp finds
// (leftmost-first is backtracking order, and the pattern ends with the literal): a few byte
// comparisons instead of a regexp call.
type alternation struct {
	lits [][]byte
}

// Limits of the expansion: beyond them a pattern is left to regexp.
const (
	maxAlts      = 64
	maxAltsClass = 16 // members of a class expanded into literals
)

// compileAlternation returns re as an alternation, or nil if it is not one. re has no captures.
func compileAlternation(re *syntax.Regexp) *alternation {
	lits, ok := expand(re)
	if !ok || len(lits) == 0 {
		return nil
	}
	for _, l := range lits {
		if len(l) == 0 {
			return nil // an empty match: not for a prefilter's candidates
		}
	}
	return &alternation{lits: lits}
}

// expand returns the literals re matches, in the order regexp prefers them.
func expand(re *syntax.Regexp) ([][]byte, bool) {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return [][]byte{{}}, true
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil, false
		}
		lit := make([]byte, 0, len(re.Rune))
		for _, r := range re.Rune {
			if r >= utf8.RuneSelf {
				return nil, false
			}
			lit = append(lit, byte(r))
		}
		return [][]byte{lit}, true
	case syntax.OpCharClass:
		var lits [][]byte
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if hi >= utf8.RuneSelf || len(lits)+int(hi-lo)+1 > maxAltsClass {
				return nil, false
			}
			for r := lo; r <= hi; r++ {
				lits = append(lits, []byte{byte(r)})
			}
		}
		return lits, true
	case syntax.OpQuest:
		l, ok := expand(re.Sub[0])
		if !ok || len(l)+1 > maxAlts {
			return nil, false
		}
		// Greedy: the sub-pattern before nothing; lazy: nothing first.
		if re.Flags&syntax.NonGreedy != 0 {
			return append([][]byte{{}}, l...), true
		}
		return append(l, []byte{}), true
	case syntax.OpAlternate:
		var lits [][]byte
		for _, sub := range re.Sub {
			l, ok := expand(sub)
			if !ok || len(lits)+len(l) > maxAlts {
				return nil, false
			}
			lits = append(lits, l...)
		}
		return lits, true
	case syntax.OpConcat:
		lits := [][]byte{{}}
		for _, sub := range re.Sub {
			l, ok := expand(sub)
			if !ok || len(lits)*len(l) > maxAlts {
				return nil, false
			}
			// The first part's preference comes first: backtracking tries every ending of its
			// first choice before its second.
			next := make([][]byte, 0, len(lits)*len(l))
			for _, a := range lits {
				for _, b := range l {
					next = append(next, append(append([]byte(nil), a...), b...))
				}
			}
			lits = next
		}
		return lits, true
	}
	return nil, false
}

// match returns the end of the match at q, or noMatch, and the literals it compared.
func (a *alternation) match(text []byte, q int) (end, steps int) {
	for i, l := range a.lits {
		if bytes.HasPrefix(text[q:], l) {
			return q + len(l), i + 1
		}
	}
	return noMatch, len(a.lits)
}
