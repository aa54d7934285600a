package mmap

import (
	"iter"
	"reflect"
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
	loc = re.FindSubmatchIndex(v.data[pos:end])
	shift(loc, pos)
	return loc
}

// FindAll yields every match of re in the region, as submatch index pairs with absolute offsets:
// Python's Pattern.finditer(mm, pos, endpos), with Search's bounds. Over the whole region it
// yields exactly what re.FindAllSubmatchIndex(r.Bytes(), -1) returns, and over a window exactly
// what that returns for Bytes()[pos:endpos], shifted by pos; but lazily: one match at a time,
// without copying the mapping, and stopping the loop stops the search. Each yielded slice belongs
// to the caller; each match allocates only that slice and regexp's own per-search state.
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
// Between matches FindAll does not hold the region: the loop body may call any method, Close
// included, and a Close, or a Resize below endpos, ends the iteration. A fault ends it too, and
// Err reports it. It does not move the cursor. More than two bounds find nothing.
func (r *Region) FindAll(re *regexp.Regexp, bounds ...int) iter.Seq[[]int] {
	return func(yield func([]int) bool) {
		v := r.view.Load()
		pos, end := reWindow(v, bounds)
		if v.closed || len(bounds) > 2 || end < pos {
			return
		}
		s := matcher{r: r, re: re, start: pos, end: end}
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

// How a matcher searches from a position after the window's start.
const (
	modeUnknown = iota
	modePlain   // re has no assertion that looks back: searching text[at:] gives the same matches
	modeContext // withCtx, re preceded by one character of context, gives them
	modeEager   // neither works: all matches are found in one pass, the first time next is called
)

// matcher runs one FindAll: each step searches from a position inside [start, end] with the text
// before it as context, which FindSubmatchIndex on a reslice cannot see. Go's regexp has no
// exported way to start a search at an offset with context (its FindAll uses an internal one), so
// the context comes from a second pattern that consumes the character before the position.
type matcher struct {
	r           *Region
	re          *regexp.Regexp
	start, end  int
	mode        int
	withCtx     *regexp.Regexp // (?s:.)(re), for modeContext
	anchoredCtx *regexp.Regexp // \A(?s:.)(re), for modeContext
	eager       [][]int        // modeEager: the matches not yet returned, relative to start
	pre         *prefilter     // modePlain, when re has a literal prefix worth scanning for
}

// prefilter finds a regexp's matches by scanning for its literal prefix with index (the rare-byte
// scan of Find) and trying the regexp, anchored, only where the prefix occurs. regexp scans for a
// prefix with bytes.Index, which crawls when the prefix's first byte is common ("status=5…" in a
// log runs at a tenth of memory speed). Only for patterns without look-behind assertions, whose
// matches do not depend on the text before them.
type prefilter struct {
	prefix   []byte
	rare     int            // which byte of prefix to scan for; -1 until the first search picks it
	anchored *regexp.Regexp // \A(?:re)
	misses   int            // candidates where the regexp did not match
	scanned  int            // bytes ruled out so far, to weigh misses against
	off      bool           // too many misses: the prefix is no filter here, use the regexp alone
}

// minPrefix is the shortest prefix worth a prefilter: for shorter ones the candidates are too many
// for a regexp call at each.
const minPrefix = 3

func newPrefilter(re *regexp.Regexp, tree *syntax.Regexp) *prefilter {
	prefix, _ := re.LiteralPrefix()
	if len(prefix) < minPrefix {
		return nil
	}
	anchored, err := regexp.Compile(`\A(?:` + tree.String() + `)`)
	if err != nil || anchored.NumSubexp() != re.NumSubexp() {
		return nil
	}
	return &prefilter{prefix: []byte(prefix), rare: -1, anchored: anchored}
}

// find returns the leftmost match of re starting at or after at in text, with absolute offsets, or
// nil. Every match begins with the prefix, so the leftmost match starts at the first occurrence of
// the prefix where the anchored regexp matches: the same match, by leftmost-first rules, as
// re.FindSubmatchIndex(text[at:]) returns.
func (p *prefilter) find(re *regexp.Regexp, text []byte, at int) []int {
	if p.rare < 0 {
		// By byteRank alone: sampling the text ahead could touch pages past a truncation that
		// the search itself would not reach before its next match.
		p.rare = rarest(p.prefix, nil)
	}
	for !p.off {
		i := indexRare(text[at:], p.prefix, p.rare)
		if i < 0 {
			return nil
		}
		q := at + i
		if loc := p.anchored.FindSubmatchIndex(text[q:]); loc != nil {
			shift(loc, q)
			return loc
		}
		// No match starts before q+1: every match begins with the prefix.
		scanned := q + 1 - at
		at = q + 1
		// A regexp call costs about as much as scanning a few hundred bytes: past that rate of
		// misses, regexp's own search is the better filter.
		if p.misses++; p.misses > 64 && p.misses*256 > p.scanned+scanned {
			p.off = true
		}
		p.scanned += scanned
	}
	loc := re.FindSubmatchIndex(text[at:])
	shift(loc, at)
	return loc
}

// next returns the leftmost match that starts at or after at, the width of the character at at
// (0 at end), and false if the region was closed, resized below end, or faulted.
func (s *matcher) next(at int) (loc []int, width int, ok bool) {
	c := call{format: "Region.FindAll() at offset %d", a: int64(at), record: true}
	for {
		loc, width, ok = s.nextOnce(at, &c)
		if !c.retry {
			return loc, width, ok
		}
		c.retry = false
	}
}

func (s *matcher) nextOnce(at int, c *call) (loc []int, width int, ok bool) {
	r := s.r
	var err error
	v, token, old := r.enterRead()
	defer r.leaveRead(v, token, old, &err, c)
	if v.closed || len(v.data) < s.end {
		return nil, 0, false
	}
	text := v.data[:s.end]
	if at < s.end {
		_, width = utf8.DecodeRune(text[at:])
	}
	if s.mode == modeUnknown {
		s.mode = s.pickMode()
	}
	switch {
	case s.mode == modeEager:
		if s.eager == nil {
			s.eager = s.re.FindAllSubmatchIndex(text[s.start:], -1)
			if s.eager == nil {
				s.eager = [][]int{}
			}
		}
		// The caller asks from the end of the previous match (or one character past an empty
		// one), where Go's FindAll resumed too: the next match at or after at is the next one.
		for len(s.eager) > 0 {
			loc, s.eager = s.eager[0], s.eager[1:]
			shift(loc, s.start)
			if loc[0] >= at {
				return loc, width, err == nil
			}
		}
		return nil, width, err == nil
	case s.mode == modePlain && s.pre != nil:
		return s.pre.find(s.re, text, at), width, err == nil
	case at == s.start || s.mode == modePlain:
		loc = s.re.FindSubmatchIndex(text[at:])
		shift(loc, at)
		return loc, width, err == nil
	}
	// Context matters only to a match that starts at at itself: from there on the search steps
	// over the real text. So: a pattern that consumes the character before at, anchored, says
	// whether a match starts at at (and which); if none does, the plain search is right unless it
	// found one at at, which the missing context made up. Only then does the unanchored context
	// pattern (which loses regexp's literal-prefix scan) search on. DecodeLastRune and the
	// patterns' forward decoding agree on the width of the character before at, because at is a
	// character boundary of the forward decoding from start.
	_, back := utf8.DecodeLastRune(text[s.start:at])
	if ctx := s.anchoredCtx.FindSubmatchIndex(text[at-back:]); ctx != nil {
		loc = ctx[2:]
		shift(loc, at-back)
		return loc, width, err == nil
	}
	loc = s.re.FindSubmatchIndex(text[at:])
	if loc == nil || loc[0] > 0 {
		shift(loc, at)
		return loc, width, err == nil
	}
	ctx := s.withCtx.FindSubmatchIndex(text[at-back:])
	if ctx == nil {
		return nil, width, err == nil
	}
	loc = ctx[2:]
	shift(loc, at-back)
	return loc, width, err == nil
}

// pickMode decides how to search past the window's start, and builds the context pattern if it
// is needed.
func (s *matcher) pickMode() int {
	if longest(s.re) {
		// CompilePOSIX and Longest: their source cannot be recompiled with the same semantics
		// (CompilePOSIX parses ^ as a line start and has no (?s) syntax), so find all at once.
		return modeEager
	}
	// regexp.Compile parses with syntax.Perl, so this is the tree re was compiled from.
	tree, err := syntax.Parse(s.re.String(), syntax.Perl)
	if err != nil {
		return modeEager
	}
	if !looksBack(tree) {
		s.pre = newPrefilter(s.re, tree)
		return modePlain
	}
	// Wrap the parsed tree rather than the source text: a trailing \Q without \E in the source
	// would swallow a closing parenthesis.
	s.withCtx, err = regexp.Compile(`(?s:.)(` + tree.String() + `)`)
	if err != nil || s.withCtx.NumSubexp() != s.re.NumSubexp()+1 {
		return modeEager
	}
	s.anchoredCtx, err = regexp.Compile(`\A(?s:.)(` + tree.String() + `)`)
	if err != nil {
		return modeEager
	}
	return modeContext
}

// longest reports whether re uses leftmost-longest matching (CompilePOSIX, or Longest called). The
// regexp package keeps that in an unexported field and offers no accessor; reading it through
// reflect is read-only and, should the field ever go away, errs on the safe side.
func longest(re *regexp.Regexp) bool {
	f := reflect.ValueOf(re).Elem().FieldByName("longest")
	return !f.IsValid() || f.Kind() != reflect.Bool || f.Bool()
}

// looksBack reports whether re has an assertion that looks at the character before a position.
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

func shift(loc []int, by int) {
	for i, v := range loc {
		if v >= 0 {
			loc[i] = v + by
		}
	}
}

// Guard runs fn over Bytes() and returns what fn returns, except that a fault in the mapped memory
// while fn runs (the file shrank under it) makes Guard return an error matching ErrFault instead of
// killing the process: bytes.Index, regexp and any other code that takes a []byte can then run
// over a file that another process may truncate. After Close, Guard returns ErrClosed without
// calling fn; an empty region gives fn an empty slice.
//
// The protection covers the goroutine that runs fn, not goroutines fn starts. Close and Resize
// wait until fn returns, so fn must not call them; nor should it call the region's other methods
// while another goroutine may call Close or Resize (the nested call would wait for them, and they
// for fn). fn must not keep the slice. Guard is safe for concurrent use.
func (r *Region) Guard(fn func(b []byte) error) (err error) {
	v, token, old := r.enter()
	defer r.leave(v, token, old, &err, &call{format: "Region.Guard()"})
	if v.closed {
		return newError(ErrClosed, "Region.Guard()", nil, "")
	}
	defer r.invalidateAhead() // fn may have written through the slice, even if it failed
	return fn(v.data)
}
