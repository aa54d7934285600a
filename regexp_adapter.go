package mmap

import (
	"iter"
	"regexp"

	"github.com/mmapio/mmap/internal/search"
)

// Search returns the leftmost match of re in the region as submatch index pairs with absolute
// offsets, as [regexp.Regexp.FindSubmatchIndex] does over Bytes(), or nil: Python's
// Pattern.search(mm, pos, endpos). Search(re) searches the whole region, Search(re, pos) from pos,
// Search(re, pos, endpos) up to endpos. As in Python's re, pos defaults to 0 (not the cursor), a
// negative bound counts as 0, one past the end as Len(), and endpos < pos finds nothing.
//
// The text searched is Bytes()[pos:endpos], without a copy. Go's regexp has no look-behind
// context, so unlike Python's re, ^ and \A match at pos and \b treats pos as the start of the
// text: Python's ^ matches only at the region's real start (or after '\n' with MULTILINE), and its
// \b looks at the byte before pos. Other differences are regexp's own: $ without (?m) matches only
// at endpos (Python's also before a final '\n'), \b and \w are ASCII-only (Python's str patterns
// are Unicode-aware; its bytes patterns, like these, are ASCII too), and leftmost-first
// alternation is the same in both.
//
// Search does not move the cursor and is safe for concurrent use. It returns nil after Close, for
// more than two bounds, and on a fault, which Err then reports.
func (r *Region) Search(re *regexp.Regexp, bounds ...int) []int {
	c := call{format: "Region.Search(pos=%d, endpos=%d)", record: true}
	for {
		loc := r.search(re, bounds, &c)
		if !c.retry {
			return loc
		}
		c.retry = false
	}
}

func (r *Region) search(re *regexp.Regexp, bounds []int, c *call) (loc []int) {
	var err error // a fault lands here; Err reports it
	v, token, old := r.enterRead()
	defer r.leaveRead(v, token, old, &err, c)
	if v.closed || len(bounds) > 2 {
		return nil
	}
	pos, end := reWindow(v, bounds)
	c.a, c.b = int64(pos), int64(end)
	if end < pos {
		return nil
	}
	return r.prefiltered(v, search.For(re).Searcher(), v.data[:end], pos, pos)
}

// FindAll yields every match of re in the region, as submatch index pairs with absolute offsets:
// Python's Pattern.finditer(mm, pos, endpos), with Search's bounds. Over the whole region it
// yields exactly what re.FindAllSubmatchIndex(r.Bytes(), -1) returns, and over a window exactly
// what that returns for Bytes()[pos:endpos], shifted by pos; but lazily, without copying the
// mapping: it finds matches a few at a time (one, then batches that double up to 64), so a loop
// that stops early has had at most about twice the matches it took searched for. Each yielded
// slice belongs to the caller. A match allocates that slice and regexp's own per-search state,
// if regexp searched; slices of two ints come from chunks of up to 64, so one that the caller
// keeps holds at most 1 KiB in memory.
//
// Empty matches follow Go's rules, not Python's: an empty match right after a match is dropped
// (Go yields "a" and nothing else for `a*` over "a"; Python 3.7+ yields "a" and then "" at the
// end), and after an empty match the search resumes one UTF-8 character later. ^, \A, \b and \B
// at pos see nothing before pos, as Search's do; at every later position they see the text before
// it, exactly as one regexp pass over the window does.
//
// A regexp from CompilePOSIX, or one whose Longest was called, is the exception to laziness: its
// source cannot be recompiled with the context the later searches need, so the first step finds
// every match in the window at once (still without copying the mapping).
//
// The pattern is analysed once (and cached for Search): where every match starts with bytes from
// a few rare sets (a literal, an alternation of literals, (?i), \d{3}-) or holds a literal
// (\w+ing\b), FindAll scans for those bytes at memory speed and runs the regexp only where they
// occur, with the same results. The search runs ahead of the loop body (the batch, and where the
// scan saw those bytes): bytes written from the loop body after the last match yielded may go
// unseen.
//
// Between matches FindAll does not hold the region: the loop body may call any method, Close
// included, and a Close, or a Resize below endpos, ends the iteration. A fault ends it too, and
// Err reports it; a fault met only by the scan's reading ahead is not one: the regexp then
// searches alone. It does not move the cursor. More than two bounds find nothing.
func (r *Region) FindAll(re *regexp.Regexp, bounds ...int) iter.Seq[[]int] {
	return func(yield func([]int) bool) {
		v := r.view.Load()
		pos, end := reWindow(v, bounds)
		if v.closed || len(bounds) > 2 || end < pos {
			return
		}
		m := newMatcher(r, re, pos, end)
		for loc := m.match(); loc != nil; loc = m.match() {
			if !yield(loc) {
				return
			}
		}
	}
}

// reWindow resolves Search's optional pos and endpos as Python's re does.
func reWindow(v *view, bounds []int) (pos, end int) {
	n := len(v.data)
	pos, end = 0, n
	if len(bounds) > 0 {
		pos = max(0, min(bounds[0], n))
	}
	if len(bounds) > 1 {
		end = max(0, min(bounds[1], n))
	}
	return pos, end
}
