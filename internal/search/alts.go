package search

import (
	"bytes"
	"regexp/syntax"
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

// expand returns the literals re matches, in the order regexp prefers them: the strings of
// sets that altStrings finds, each set's members spelled out.
func expand(re *syntax.Regexp) ([][]byte, bool) {
	strs, ok := altStrings(re, maxAlts)
	if !ok {
		return nil, false
	}
	var lits [][]byte
	for _, str := range strs {
		spelled := [][]byte{{}}
		for _, set := range str {
			members := set.list()
			if len(members) > maxAltsClass || len(lits)+len(spelled)*len(members) > maxAlts {
				return nil, false
			}
			// Only one member fits at a place: their order does not matter.
			next := make([][]byte, 0, len(spelled)*len(members))
			for _, l := range spelled {
				for _, b := range members {
					next = append(next, append(append([]byte(nil), l...), b))
				}
			}
			spelled = next
		}
		lits = append(lits, spelled...)
	}
	return lits, true
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
