package mmap

import (
	"iter"
	"regexp"
	"regexp/syntax"
	"unicode/utf8"
)

// Search returns the leftmost match of re in the region as submatch index pairs with absolute
// offsets, as [regexp.Regexp.FindSubmatchIndex] does over Bytes(), or nil: Python's
// Pattern.search(mm, pos, endpos). Search(re) searches the whole region, Search(re, pos) from pos,
// Search(re, pos, endpos) up to endpos. As in Python's re, pos defaults to 0 (not the cursor), a
// negative bound counts as 0, one past the end as Len(), and endpos < pos finds nothing.
//
// The text searched is Bytes()[pos:endpos], without a copy. Go's regexp has no look-behind
// context, so unlike Python's re, ^ and \A match at pos and \b treats pos as the start of the text:
// Python's ^ matches only at the region's real start (or after '\n' with MULTILINE). Search does
// not move the cursor, is safe for concurrent use,
// and returns nil after Close and on a fault, which Err then reports.
func (r *Region) Search(re *regexp.Regexp, bounds ...int) []int {
	var loc []int
	var err error // a fault lands here; Err reports it
	c := call{format: "Region.Search(pos=%d, endpos=%d)", record: true}
	token, old := r.enter()
	if r.closed || len(bounds) > 2 {
		r.leave(token, old, &err, &c)
		return nil
	}
	pos, end := r.reWindow(bounds)
	c.a, c.b = int64(pos), int64(end)
	defer r.leave(token, old, &err, &c)
	if end < pos {
		return nil
	}
	loc = re.FindSubmatchIndex(r.data[pos:end])
	shift(loc, pos)
	return loc
}

// FindAll yields every match of re in the region, as submatch index pairs with absolute offsets:
// Python's Pattern.finditer(mm, pos, endpos), with Search's bounds. Over the whole region it
// yields exactly what re.FindAllSubmatchIndex(r.Bytes(), -1) returns, empty matches included by
// Go's rules (an empty match right after a match is dropped), but lazily: one match at a time,
// without copying the mapping, and stopping the loop stops the search. Each yielded slice belongs
// to the caller.
//
// Between matches FindAll does not hold the region: the loop body may call any method, Close
// included, and a Close or Resize ends the iteration. A fault ends it too, and Err reports it. It
// does not move the cursor.
func (r *Region) FindAll(re *regexp.Regexp, bounds ...int) iter.Seq[[]int] {
	return func(yield func([]int) bool) {
		s := matcher{r: r, re: re}
		token := r.lock.rlock()
		closed := r.closed || len(bounds) > 2
		pos, end := r.reWindow(bounds)
		r.lock.runlock(token)
		if closed || end < pos {
			return
		}
		s.start, s.end = pos, end
		for prevEnd, at := -1, pos; at <= end; {
			loc, width, ok := s.next(at)
			if !ok || loc == nil {
				return
			}
			accept := true
			if loc[1] == at {
				// An empty match: step over one character, and drop it if it touches the previous
				// match, as regexp's allMatches does.
				accept = loc[0] != prevEnd
				if width > 0 {
					at += width
				} else {
					at = end + 1
				}
			} else {
				at = loc[1]
			}
			prevEnd = loc[1]
			if accept && !yield(loc) {
				return
			}
		}
	}
}

// matcher runs one FindAll: each step searches from a position inside [start, end] with the text
// before it as context, which FindSubmatchIndex on a reslice cannot see.
type matcher struct {
	r          *Region
	re         *regexp.Regexp
	start, end int
	withCtx    *regexp.Regexp // (?s:.)(re): re preceded by one character of context
	ctxChecked bool
}

// next returns the leftmost match that starts at or after at, the width of the character at at
// (0 at end), and false if the region was closed, resized below end, or faulted.
func (s *matcher) next(at int) (loc []int, width int, ok bool) {
	r := s.r
	var err error
	c := call{format: "Region.FindAll() at offset %d", a: int64(at), record: true}
	token, old := r.enter()
	defer r.leave(token, old, &err, &c)
	if r.closed || len(r.data) < s.end {
		return nil, 0, false
	}
	text := r.data[:s.end]
	if at < s.end {
		_, width = utf8.DecodeRune(text[at:])
	}
	if at == s.start || !s.needsContext() {
		loc = s.re.FindSubmatchIndex(text[at:])
		shift(loc, at)
		return loc, width, err == nil
	}
	// Search from the character before at, through a pattern that consumes that character as
	// group 1's context: ^, \b and the like at at then see what precedes it, as they would in one
	// pass over the text.
	_, back := utf8.DecodeLastRune(text[s.start:at])
	ctx := s.withCtx.FindSubmatchIndex(text[at-back:])
	if ctx == nil {
		return nil, width, err == nil
	}
	loc = ctx[2:]
	shift(loc, at-back)
	return loc, width, err == nil
}

// needsContext reports whether re has an assertion that looks at the character before a position
// (^, \A, \b, \B), and builds the context pattern the first time it does.
func (s *matcher) needsContext() bool {
	if !s.ctxChecked {
		s.ctxChecked = true
		if tree, err := syntax.Parse(s.re.String(), syntax.Perl); err == nil && looksBack(tree) {
			s.withCtx, _ = regexp.Compile(`(?s:.)(` + s.re.String() + `)`)
		}
	}
	return s.withCtx != nil
}

func looksBack(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpBeginLine, syntax.OpBeginText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	}
	for _, sub := range re.Sub {
		if looksBack(sub) {
			return true
		}
	}
	return false
}

// reWindow resolves Search's optional pos and endpos as Python's re does.
func (r *Region) reWindow(bounds []int) (pos, end int) {
	n := len(r.data)
	pos, end = 0, n
	if len(bounds) > 0 {
		pos = max(0, min(bounds[0], n))
	}
	if len(bounds) > 1 {
		end = max(0, min(bounds[1], n))
	}
	return pos, end
}

func shift(loc []int, by int) {
	for i, v := range loc {
		if v >= 0 {
			loc[i] = v + by
		}
	}
}

// Guard runs fn over Bytes() and returns what fn returns, except that a fault in the mapped memory
// while fn runs (the file shrank under it) makes Guard return an error matching ErrFault instead of
// killing the process. Close and Resize wait until fn returns, so fn must not call them; fn must not
// keep the slice either. After Close, Guard returns ErrClosed without calling fn.
func (r *Region) Guard(fn func(b []byte) error) (err error) {
	token, old := r.enter()
	defer r.leave(token, old, &err, &call{format: "Region.Guard()"})
	if r.closed {
		return newError(ErrClosed, "Region.Guard()", nil, "")
	}
	return fn(r.data)
}
