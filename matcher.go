package mmap

import (
	"unicode/utf8"

	"github.com/mmapio/mmap/internal/search"
)

// matcher runs one FindAll: each step asks the search package for the next match in the window
// from a position inside it, with the text before it as context, which FindSubmatchIndex on a
// reslice cannot see.
type matcher struct {
	r          *Region
	start, end int
	s          *search.Searcher
}

// next returns the leftmost match that starts at or after at, the width of the character at at
// (0 at end), and false if the region was closed, resized below end, or faulted.
func (m *matcher) next(at int) (loc []int, width int, ok bool) {
	c := call{format: "Region.FindAll() at offset %d", a: int64(at), record: true}
	for {
		loc, width, ok = m.nextOnce(at, &c)
		if !c.retry {
			return loc, width, ok
		}
		c.retry = false
	}
}

func (m *matcher) nextOnce(at int, c *call) (loc []int, width int, ok bool) {
	r := m.r
	var err error
	v, token, old := r.enterRead()
	defer r.leaveRead(v, token, old, &err, c)
	if v.closed || len(v.data) < m.end {
		return nil, 0, false
	}
	text := v.data[:m.end]
	if at < m.end {
		_, width = utf8.DecodeRune(text[at:])
	}
	loc = r.prefiltered(v, m.s, text, m.start, at)
	return loc, width, err == nil
}

// prefiltered returns s.Next(text, start, at), but if that faults in this region's mapping, it
// searches again with the regexp alone: the search package's prefilters read ahead (to a rare
// byte, to the end of a run of bytes that a match can hold) further than regexp would, and must
// not turn text the regexp does not need into a fault. A fault in the second search is real, and
// goes to the caller's leaveRead, as does a fault in a range that Close or Resize is retiring,
// which the caller runs again on the new view.
func (r *Region) prefiltered(v *view, s *search.Searcher, text []byte, start, at int) []int {
	if loc, ok := r.tryNext(v, s, text, start, at); ok {
		return loc
	}
	s.Off()
	return s.Next(text, start, at)
}

func (r *Region) tryNext(v *view, s *search.Searcher, text []byte, start, at int) (loc []int, ok bool) {
	defer func() {
		if x := recover(); x != nil {
			if _, inside := faultAddr(x, v); !inside || v.retiring.Load() || r.view.Load() != v {
				panic(x)
			}
			loc, ok = nil, false
		}
	}()
	return s.Next(text, start, at), true
}
