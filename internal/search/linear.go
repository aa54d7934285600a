package search

import (
	"bytes"
	"encoding/binary"
	"math"
	"regexp/syntax"
	"unicode"
	"unicode/utf8"
)

// linear is a pattern that is a concatenation of ASCII byte sets, each repeated (x, x+, x{2,5},
// x*?), and assertions (\b, \B, ^, $), with captures around runs of them: `the \w+`,
// `\d{3}-\d{4}`, `(?m)^(\w+):`. Such a pattern matches byte by byte, and a small backtracking
// matcher finds at a position the match regexp would prefer (leftmost-first is backtracking
// order) in a tenth of the time of a regexp call, whose set-up dominates the short
// verifications of a prefilter.
type linear struct {
	items []item
	// groups[2(g-1)] and groups[2(g-1)+1] are the items at whose start capture g begins and
	// ends (len(items): the match's end), or -1 for a capture of another branch. Every item
	// takes part in every match, so a capture spans the bytes its items took on the path that
	// matched.
	groups []int
	// branches, if not nil, makes the pattern an alternation of sequences, tried in order at
	// each start; it then has no items, and ncap captures.
	branches []*linear
	ncap     int
	// wideFirst: a wide item can take a match's first byte, so a match may start at a byte from
	// 0x80 up, which only a character boundary allows.
	wideFirst bool
	// skipRun is the index of an unbounded item that every item before it leads up to at a
	// fixed distance with bytes of its own set, or -1: see match.
	skipRun int
	// nonEmpty: every match takes a byte at least, as find needs.
	nonEmpty bool
	// startIn, if not nil, holds the first byte of every match: the first item that takes
	// bytes, after the assertions that lead, takes one at least. startPrev, if not 0, is what
	// the byte before every match must be to those assertions (\b before a word character
	// wants prevOther, or the window's start): prevWord or prevOther.
	startIn   *[256]bool
	startPrev byte
}

type item struct {
	set byteSet
	in  [256]bool // set, as a table: one load a byte
	// stop is the one byte that set lacks, or -1: the run ends at the next stop, which
	// IndexByte finds many bytes at a time ([^"]*, .*).
	stop     int
	min, max int  // max < 0: unbounded
	lazy     bool // fewest first
	// possessive: giving back bytes this item took cannot help the rest match (the next item
	// needs a byte this item's set lacks, \z follows, or (?m)$ and the set lacks '\n'; or a
	// greedy item is the last): only the longest run is worth trying.
	possessive bool
	// lit, if not nil, is a run of single bytes (min = max = 1) compared at once; set holds its
	// first byte. A lit of up to 8 bytes is also litWord under litMask, little-endian, for one
	// comparison of a word where 8 bytes are left.
	lit              []byte
	litWord, litMask uint64
	// wide: the item's set holds every character from U+0080 up, and set every byte from 0x80
	// up. One of at most one character at least, unbounded, takes the same run whether it
	// counts bytes or characters, and gives back bytes only to character boundaries. Any other
	// is possessive or of a fixed count, so that it never gives characters back, and chars says
	// that it counts characters, decoding them as regexp does.
	wide, chars bool
	// asciiAll: the set holds every ASCII byte but stop, so that a word of ASCII bytes without
	// stop is eight characters of it.
	asciiAll bool
	// alts, if not nil, makes the item an alternation of strings of single-character sets
	// (GET|POST), tried in order, as regexp prefers them; set holds their first bytes, and min
	// and max are the shortest and longest.
	alts [][]byteSet
	// assert is the assertion of a zero-width item (\b, \B, ^, $, \A, \z, with or without
	// (?m)), OpNoMatch otherwise.
	assert syntax.Op
}

// compileLinear returns re as a linear pattern, or nil if it is not one.
func compileLinear(re *syntax.Regexp) *linear {
	if l := compileSequence(re); l != nil {
		return l
	}
	if re.Op != syntax.OpAlternate {
		return nil
	}
	// An alternation of sequences: each is tried in turn at a start, as regexp prefers them.
	l := &linear{branches: make([]*linear, len(re.Sub)), skipRun: -1, nonEmpty: true, startIn: new([256]bool)}
	for i, sub := range re.Sub {
		b := compileSequence(sub)
		if b == nil {
			return nil
		}
		l.branches[i] = b
		l.wideFirst = l.wideFirst || b.wideFirst
		l.nonEmpty = l.nonEmpty && b.nonEmpty
		if b.startIn == nil {
			l.startIn = nil
		} else if l.startIn != nil {
			for c := range l.startIn {
				l.startIn[c] = l.startIn[c] || b.startIn[c]
			}
		}
		if i == 0 || b.startPrev == l.startPrev {
			l.startPrev = b.startPrev
		} else {
			l.startPrev = 0
		}
		l.ncap = max(l.ncap, len(b.groups)/2)
	}
	return l
}

// compileSequence returns re as a linear sequence of items, or nil if it is not one. Its
// captures need not be all of the pattern's: those of other branches are left at -1.
func compileSequence(re *syntax.Regexp) *linear {
	l := &linear{}
	if !l.add(re) || len(l.items) == 0 {
		return nil
	}
	l.joinLiterals()
	for i := range l.items {
		it := &l.items[i]
		it.stop = -1
		for b := range 256 {
			it.in[b] = it.set.has(byte(b))
		}
		if it.assert == syntax.OpNoMatch && it.set.count() == 255 {
			for b := range 256 {
				if !it.in[b] {
					it.stop = b
				}
			}
		}
		if len(it.lit) <= 8 {
			for j, b := range it.lit {
				it.litWord |= uint64(b) << (8 * j)
				it.litMask |= 0xff << (8 * j)
			}
		}
		if it.alts != nil {
			continue // not a run
		}
		if i == len(l.items)-1 {
			// Nothing follows that could want bytes back.
			it.possessive = it.assert == syntax.OpNoMatch && !it.lazy && it.min != it.max
			break
		}
		// Giving back bytes cannot help an item that the next needs a byte from outside of,
		// nor one that \z follows, or (?m)$ when it cannot take a '\n': a shorter run ends
		// before a byte it could take, where these fail.
		next := &l.items[i+1]
		it.possessive = it.assert == syntax.OpNoMatch && (next.assert == syntax.OpNoMatch &&
			next.min > 0 && !it.set.intersects(&next.set) || next.assert == syntax.OpEndText ||
			next.assert == syntax.OpEndLine && !it.set.has('\n'))
	}
	optional := true // every item so far may match nothing
	for i := range l.items {
		it := &l.items[i]
		if it.wide && !it.possessive && it.min != it.max && (it.min > 1 || it.max >= 0) {
			return nil // it would give back characters it counted
		}
		it.chars = it.wide && (it.min > 1 || it.max >= 0)
		it.asciiAll = true
		for b := range utf8.RuneSelf {
			it.asciiAll = it.asciiAll && (it.in[b] || b == it.stop)
		}
		l.wideFirst = l.wideFirst || it.wide && optional
		optional = optional && (it.assert != syntax.OpNoMatch || it.min == 0)
	}
	l.nonEmpty = !optional
	lead := 0
	for lead < len(l.items) && l.items[lead].assert != syntax.OpNoMatch {
		lead++
	}
	if lead < len(l.items) && l.items[lead].min > 0 {
		first := &l.items[lead]
		l.startIn = &first.in
		var word byteSet
		for b := range 256 {
			if isWordByte(byte(b)) {
				word.add(byte(b))
			}
		}
		wordFirst, otherFirst := first.set.subsetOf(&word), !first.set.intersects(&word)
		for _, it := range l.items[:lead] {
			switch {
			case it.assert == syntax.OpWordBoundary && wordFirst, it.assert == syntax.OpNoWordBoundary && otherFirst:
				l.startPrev = prevOther
			case it.assert == syntax.OpWordBoundary && otherFirst, it.assert == syntax.OpNoWordBoundary && wordFirst:
				l.startPrev = prevWord
			}
		}
	}
	l.skipRun = -1
	for i := range l.items {
		it := &l.items[i]
		if it.max < 0 && it.assert == syntax.OpNoMatch {
			l.skipRun = i
			break
		}
		if it.assert != syntax.OpNoMatch || it.min != it.max || it.alts != nil {
			break
		}
	}
	for i := range max(l.skipRun, 0) {
		set := l.items[i].set
		for _, b := range l.items[i].lit {
			set.add(b)
		}
		if !set.subsetOf(&l.items[l.skipRun].set) {
			l.skipRun = -1
			break
		}
	}
	return l
}

// joinLiterals turns each run of two or more items that match one given byte each into one item
// that compares them at once: "the " in `the \w+` is one comparison, not four steps. A run
// does not cross a capture's edge, where the matcher must know the position.
func (l *linear) joinLiterals() {
	single := func(it *item) bool {
		return it.assert == syntax.OpNoMatch && it.alts == nil && it.min == 1 && it.max == 1 && it.set.count() == 1
	}
	edge := make([]bool, len(l.items)+1)
	for _, i := range l.groups {
		if i >= 0 {
			edge[i] = true
		}
	}
	renumber := make([]int, len(l.items)+1) // an item's index → its joined item's
	var out []item
	for i := 0; i < len(l.items); {
		renumber[i] = len(out)
		j := i + 1
		for single(&l.items[i]) && j < len(l.items) && single(&l.items[j]) && !edge[j] {
			renumber[j] = len(out)
			j++
		}
		if j-i < 2 {
			out = append(out, l.items[i])
			i++
			continue
		}
		lit := make([]byte, 0, j-i)
		for _, it := range l.items[i:j] {
			lit = append(lit, it.set.list()[0])
		}
		out = append(out, item{set: l.items[i].set, min: 1, max: 1, assert: syntax.OpNoMatch, lit: lit})
		i = j
	}
	renumber[len(l.items)] = len(out)
	for g, i := range l.groups {
		if i >= 0 {
			l.groups[g] = renumber[i]
		}
	}
	l.items = out
}

func (l *linear) add(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return true
	case syntax.OpCapture:
		for len(l.groups) < 2*re.Cap {
			l.groups = append(l.groups, -1)
		}
		first := len(l.items)
		if !l.add(re.Sub[0]) {
			return false
		}
		l.groups[2*(re.Cap-1)], l.groups[2*(re.Cap-1)+1] = first, len(l.items)
		return true
	case syntax.OpConcat:
		for _, sub := range re.Sub {
			if !l.add(sub) {
				return false
			}
		}
		return true
	case syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpBeginLine, syntax.OpEndLine,
		syntax.OpBeginText, syntax.OpEndText:
		l.items = append(l.items, item{assert: re.Op})
		return true
	case syntax.OpAlternate:
		return l.addAlts(re)
	case syntax.OpLiteral, syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		sets, ok := asciiSets(re)
		if !ok {
			// One character of a class that holds every one from U+0080 up: [^b], .
			set, wide := wideSet(re)
			if !wide {
				return false
			}
			l.items = append(l.items, item{set: set, min: 1, max: 1, assert: syntax.OpNoMatch, wide: true})
			return true
		}
		for _, set := range sets {
			l.items = append(l.items, item{set: set, min: 1, max: 1, assert: syntax.OpNoMatch})
		}
		return true
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		if re.Op == syntax.OpQuest && re.Sub[0].Op != syntax.OpCharClass &&
			(re.Sub[0].Op != syntax.OpLiteral || len(re.Sub[0].Rune) > 1) {
			return l.addAlts(re) // (?:ab)?: "ab" or ""
		}
		sets, ok := asciiSets(re.Sub[0])
		wide := false
		if !ok {
			var set byteSet
			if set, wide = wideSet(re.Sub[0]); !wide {
				return false
			}
			sets, ok = []byteSet{set}, true
		}
		if len(sets) != 1 {
			return false
		}
		it := item{set: sets[0], lazy: re.Flags&syntax.NonGreedy != 0, assert: syntax.OpNoMatch, wide: wide}
		switch re.Op {
		case syntax.OpStar:
			it.min, it.max = 0, -1
		case syntax.OpPlus:
			it.min, it.max = 1, -1
		case syntax.OpQuest:
			it.min, it.max = 0, 1
		default:
			it.min, it.max = re.Min, re.Max
		}
		l.items = append(l.items, it)
		return true
	}
	return false
}

// maxAltStrings is the most strings an alternation item may hold.
const maxAltStrings = 32

// addAlts adds re, an alternation or an optional part, as an item that tries each string it
// can match in regexp's order of preference, if it has at most maxAltStrings of them.
func (l *linear) addAlts(re *syntax.Regexp) bool {
	alts, ok := altStrings(re, maxAltStrings)
	if !ok {
		return false
	}
	it := item{assert: syntax.OpNoMatch, alts: alts, min: math.MaxInt}
	for _, alt := range alts {
		if len(alt) > 0 {
			it.set.union(&alt[0])
		}
		it.min, it.max = min(it.min, len(alt)), max(it.max, len(alt))
	}
	l.items = append(l.items, it)
	return true
}

// altStrings returns the strings of ASCII sets that re matches, in the order that regexp's
// backtracking tries them (a greedy x? tries x first, a lazy one nothing first; in a
// concatenation the first part's choice is made first, and every ending of it is tried before
// the second), or false if re matches anything else or more than limit strings.
func altStrings(re *syntax.Regexp, limit int) ([][]byteSet, bool) {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return [][]byteSet{nil}, true
	case syntax.OpLiteral, syntax.OpCharClass:
		sets, ok := asciiSets(re)
		return [][]byteSet{sets}, ok
	case syntax.OpAlternate:
		var out [][]byteSet
		for _, sub := range re.Sub {
			alts, ok := altStrings(sub, limit)
			if !ok || len(out)+len(alts) > limit {
				return nil, false
			}
			out = append(out, alts...)
		}
		return out, true
	case syntax.OpQuest:
		alts, ok := altStrings(re.Sub[0], limit)
		if !ok || len(alts)+1 > limit {
			return nil, false
		}
		if re.Flags&syntax.NonGreedy != 0 {
			return append([][]byteSet{nil}, alts...), true
		}
		return append(alts, nil), true
	case syntax.OpConcat:
		out := [][]byteSet{nil}
		for _, sub := range re.Sub {
			alts, ok := altStrings(sub, limit)
			if !ok || len(out)*len(alts) > limit {
				return nil, false
			}
			var next [][]byteSet
			for _, head := range out {
				for _, tail := range alts {
					next = append(next, append(append([]byteSet(nil), head...), tail...))
				}
			}
			out = next
		}
		return out, true
	}
	return nil, false
}

// wideSet returns the bytes of a class that matches every character from U+0080 up (and so an
// invalid byte, which regexp reads as U+FFFD): [^"], \S, ., (?s:.). Over such a class, a run of
// characters is a run of bytes that ends at an ASCII byte it lacks, or at the end of the text,
// since an ASCII byte is always a character of its own.
func wideSet(re *syntax.Regexp) (set byteSet, ok bool) {
	switch re.Op {
	case syntax.OpAnyChar:
		set.addRange(0, 255)
		return set, true
	case syntax.OpAnyCharNotNL:
		set.addRange(0, 255)
		set[0] &^= 1 << '\n'
		return set, true
	case syntax.OpCharClass:
		covered := rune(utf8.RuneSelf) // the non-ASCII characters covered so far: [0x80, covered)
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if lo < utf8.RuneSelf {
				set.addRange(int(lo), int(min(hi, utf8.RuneSelf-1)))
			}
			if hi >= utf8.RuneSelf && max(lo, utf8.RuneSelf) <= covered {
				covered = max(covered, hi+1)
			}
		}
		if covered <= unicode.MaxRune {
			return set, false
		}
		set.addRange(utf8.RuneSelf, 255)
		return set, true
	}
	return set, false
}

// asciiSets returns the byte set of each character of a literal or class that matches only
// ASCII characters.
func asciiSets(re *syntax.Regexp) ([]byteSet, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		sets := make([]byteSet, len(re.Rune))
		for i, r := range re.Rune {
			if r >= utf8.RuneSelf {
				return nil, false
			}
			sets[i].add(byte(r))
			if re.Flags&syntax.FoldCase != 0 {
				for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
					if f >= utf8.RuneSelf {
						return nil, false // k's Kelvin sign, s's long s
					}
					sets[i].add(byte(f))
				}
			}
		}
		return sets, true
	case syntax.OpCharClass:
		var set byteSet
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i+1] >= utf8.RuneSelf {
				return nil, false
			}
			set.addRange(int(re.Rune[i]), int(re.Rune[i+1]))
		}
		return []byteSet{set}, true
	}
	return nil, false
}

// Results of linear.match besides a match's end.
const (
	noMatch  = -1
	tooLong  = -2 // the budget ran out: ask regexp
	budgetOf = 4  // steps per byte of the window, plus a constant
)

// match returns the end of the match that starts at q in the window text[start:], preferred as
// regexp prefers it, noMatch, or tooLong if finding out takes more steps than the budget.
// It also returns the steps it took, and, with noMatch, the first start after q that can match:
// past the run that the item at skipRun took from q, if it got that far. A later start inside
// that run has its run end at the same byte, so the rest of the pattern is tried after it at
// places that it was tried at from q, and fails as it did; and a later start whose fixed-width
// items would reach the byte that ended the run fails on that byte, which none of their sets
// holds.
// With captures and a not nil, it records in a where its items started, for loc.
func (l *linear) match(text []byte, start, q int, a *locs) (end, steps, next int) {
	return l.matchWithin(text, start, q, budgetOf*(len(text)-q)+64, a)
}

// matchWithin is match with a budget of steps given.
func (l *linear) matchWithin(text []byte, start, q, limit int, a *locs) (end, steps, next int) {
	if l.branches != nil {
		// The first branch that matches at q is regexp's; a start before the least of the
		// branches' next starts fails in all of them.
		next = math.MaxInt
		for k, b := range l.branches {
			end, n, bnext := b.matchWithin(text, start, q, limit-steps, a)
			steps += n
			if end != noMatch {
				if end >= 0 && a != nil {
					a.branch, a.branchAt, a.branchEnd = k, q+1, end
				}
				return end, steps, q + 1
			}
			next = min(next, bnext)
		}
		return noMatch, steps, next
	}
	at := attempt{budget: limit, runEnd: -1}
	if len(l.groups) > 0 && a != nil {
		if len(a.pos) < len(l.items)+1 {
			a.pos = make([]int, len(l.items)+1)
		}
		at.pos = a.pos
	}
	end = l.at(text, start, 0, q, &at)
	return end, limit - at.budget, max(q+1, at.runEnd)
}

// attempt is the state of one match: the steps left, and where the item at skipRun ended its
// run (-1 until it has). If pos is not nil, pos[i] is where item i started on the path that
// matched, and pos[len(items)] where the match ended.
type attempt struct {
	budget, runEnd int
	pos            []int
}

func (l *linear) at(text []byte, start, i, pos int, a *attempt) int {
	for ; i < len(l.items); i++ {
		if a.budget--; a.budget < 0 {
			return tooLong
		}
		if a.pos != nil {
			a.pos[i] = pos
		}
		it := &l.items[i]
		if it.assert != syntax.OpNoMatch {
			if !holds(it.assert, text, start, pos) {
				return noMatch
			}
			continue
		}
		if it.alts != nil {
			// A choice: the first alternative after which the rest matches.
			for _, alt := range it.alts {
				if a.budget -= len(alt); len(text)-pos < len(alt) {
					continue
				}
				fits := true
				for j := range alt {
					fits = fits && alt[j].has(text[pos+j])
				}
				if !fits {
					continue
				}
				if end := l.at(text, start, i+1, pos+len(alt), a); end != noMatch {
					return end
				}
			}
			return noMatch
		}
		if it.lit != nil {
			if it.litMask != 0 && len(text)-pos >= 8 {
				if binary.LittleEndian.Uint64(text[pos:])&it.litMask != it.litWord {
					return noMatch
				}
			} else if len(text)-pos < len(it.lit) || string(text[pos:pos+len(it.lit)]) != string(it.lit) {
				return noMatch
			}
			pos += len(it.lit)
			continue
		}
		rest := text[pos:]
		if it.chars {
			// n characters in w bytes: an ASCII byte of the set, or any other character.
			n, w := 0, 0
			for w < len(rest) && (it.max < 0 || n < it.max) {
				if it.asciiAll && len(rest)-w >= 8 && (it.max < 0 || it.max-n >= 8) {
					if x := binary.LittleEndian.Uint64(rest[w:]); x&highBits == 0 && (it.stop < 0 || !hasByte(x, byte(it.stop))) {
						n, w = n+8, w+8
						continue
					}
				}
				if b := rest[w]; b < utf8.RuneSelf {
					if !it.in[b] {
						break
					}
					w++
				} else {
					_, size := utf8.DecodeRune(rest[w:])
					w += size
				}
				n++
			}
			a.budget -= w
			if n < it.min {
				return noMatch
			}
			pos += w
			if i == l.skipRun {
				a.runEnd = pos
			}
			continue
		}
		if it.max >= 0 && it.max < len(rest) {
			rest = rest[:it.max]
		}
		n := 0
		if it.stop >= 0 {
			if n = bytes.IndexByte(rest, byte(it.stop)); n < 0 {
				n = len(rest)
			}
		} else {
			for n < len(rest) && it.in[rest[n]] {
				n++
			}
		}
		a.budget -= n
		if n < it.min {
			return noMatch
		}
		if it.min == it.max || it.possessive {
			pos += n
			if i == l.skipRun {
				a.runEnd = pos
			}
			continue
		}
		// A choice: the rest of the pattern decides, in the order regexp would prefer. Where the
		// next item needs a byte, only the places where it finds one are worth trying.
		if i == l.skipRun {
			a.runEnd = pos + n
		}
		var need *[256]bool
		if next := &l.items[min(i+1, len(l.items)-1)]; i+1 < len(l.items) && next.assert == syntax.OpNoMatch && next.min > 0 {
			need = &next.in
		}
		for k := range n - it.min + 1 {
			take := n - k
			if it.lazy {
				take = it.min + k
			}
			if need != nil && (pos+take == len(text) || !need[text[pos+take]]) {
				continue
			}
			if it.wide && pos+take < len(text) && !boundary(text, start, pos+take) {
				continue // inside a character
			}
			if end := l.at(text, start, i+1, pos+take, a); end != noMatch {
				return end
			}
		}
		return noMatch
	}
	if a.pos != nil {
		a.pos[len(l.items)] = pos
	}
	return pos
}

// loc returns the submatch index pairs of the match from q to end that match last found with
// a: the pair alone without captures, and otherwise with each capture's span, from where the
// path that matched had its items start (found again without a).
func (l *linear) loc(text []byte, start, q, end int, a *locs) []int {
	if l.branches != nil {
		k := -1
		if a != nil && a.branchAt == q+1 && a.branchEnd == end {
			k = a.branch
		} else {
			a = nil // its positions may be another branch's
			for i, b := range l.branches {
				if e, _, _ := b.matchWithin(text, start, q, math.MaxInt, nil); e != noMatch {
					k = i
					break
				}
			}
		}
		loc := a.take(q, end, 2+2*l.ncap)
		for i := 2; i < len(loc); i++ {
			loc[i] = -1
		}
		l.branches[k].fillGroups(loc, text, start, q, end, a)
		return loc
	}
	if len(l.groups) == 0 {
		return a.take(q, end, 2)
	}
	loc := a.take(q, end, 2+len(l.groups))
	l.fillGroups(loc, text, start, q, end, a)
	return loc
}

// fillGroups sets the spans of l's captures in loc, the match from q to end.
func (l *linear) fillGroups(loc []int, text []byte, start, q, end int, a *locs) {
	if len(l.groups) == 0 {
		return
	}
	var pos []int
	if a != nil {
		pos = a.pos
	}
	if len(pos) <= len(l.items) || pos[0] != q || pos[len(l.items)] != end {
		pos = make([]int, len(l.items)+1)
		at := attempt{budget: math.MaxInt, runEnd: -1, pos: pos}
		l.at(text, start, 0, q, &at)
	}
	for g, i := range l.groups {
		if i >= 0 {
			loc[2+g] = pos[i]
		}
	}
}

const (
	lowBits  = 0x0101010101010101
	highBits = 0x8080808080808080
)

// hasByte reports whether one of the eight bytes of x is c.
func hasByte(x uint64, c byte) bool {
	v := x ^ lowBits*uint64(c)
	return (v-lowBits)&^v&highBits != 0
}

// holds reports whether the assertion op holds at pos in the window text[start:].
func holds(op syntax.Op, text []byte, start, pos int) bool {
	switch op {
	case syntax.OpBeginLine:
		return pos == start || text[pos-1] == '\n'
	case syntax.OpEndLine:
		return pos == len(text) || text[pos] == '\n'
	case syntax.OpBeginText:
		return pos == start
	case syntax.OpEndText:
		return pos == len(text)
	}
	before := pos > start && isWordByte(text[pos-1])
	after := pos < len(text) && isWordByte(text[pos])
	return (before != after) == (op == syntax.OpWordBoundary)
}

// isWordByte reports whether b is an ASCII word character; a byte from 0x80 up belongs to a
// character that \b does not count as a word character either.
func isWordByte(b byte) bool {
	return b == '_' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}

// findBudget is the most steps find spends on one start, and linearStepsPerByte how many it
// may spend on each start of its range, all told: a pattern that backtracks that much
// (\w*\w*\w*x over a long word, \B[ab]*c where every start reads to the end) is regexp's to
// search, whose NFA is linear in the text.
const (
	findBudget         = 1 << 16
	linearStepsPerByte = 16
)

// find returns the leftmost match that starts in [from, last] in the window text[start:], as
// regexp would find it, or nil; ok is false if a budget ran out. Only for patterns whose every
// match is non-empty: then every match starts at an ASCII byte, or, with wideFirst, at a
// character boundary.
// It also returns the steps it took.
func (l *linear) find(text []byte, start, from, last int, a *locs) (loc []int, ok bool, steps int) {
	limit := linearStepsPerByte*(min(last, len(text))-from+1) + findBudget
	for s := from; s <= min(last, len(text)-1); s++ {
		if steps++; steps > limit {
			return nil, false, steps
		}
		if l.startIn != nil && !l.startIn[text[s]] {
			continue
		}
		if l.startPrev != 0 && (s > start && isWordByte(text[s-1])) != (l.startPrev == prevWord) {
			continue
		}
		if text[s] >= utf8.RuneSelf && (!l.wideFirst || !boundary(text, start, s)) {
			continue
		}
		end, n, next := l.matchWithin(text, start, s, min(budgetOf*(len(text)-s)+64, findBudget), a)
		steps += n
		switch end {
		case tooLong:
			return nil, false, steps
		case noMatch:
			s = next - 1
		default:
			return l.loc(text, start, s, end, a), true, steps
		}
	}
	return nil, true, steps
}
