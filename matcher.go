package mmap

import (
	"regexp"
	"unicode/utf8"

	"github.com/mmapio/mmap/internal/search"
)

// matcher runs one FindAll. It finds matches ahead in batches, each batch under one entry to
// the region's read guard, and hands them out one at a time; a batch doubles from one match up
// to batchMax, so a loop that stops early has had at most about twice the matches it took found
// for it. Each step asks the search package for the next match in the window from a position
// inside it, with the text before it as context, which FindSubmatchIndex on a reslice cannot see.
type matcher struct {
	r          *Region
	start, end int
	s          *search.Searcher
	// The state after the last match handed out: where the search resumes, and that match's
	// end, which an empty match must not touch.
	at, prevEnd int
	// found[next:] were found ahead in view v, each with the state after it.
	found []foundMatch
	next  int
	v     *view
	batch int
	done  bool // nothing more to find: the window's end, Close, a Resize below end, or a fault
	plain bool // a prefilter read ahead into a fault: the regexp searches alone
}

type foundMatch struct {
	loc         []int
	at, prevEnd int
}

const batchMax = 64

func newMatcher(r *Region, re *regexp.Regexp, start, end int) *matcher {
	return &matcher{r: r, start: start, end: end, s: search.For(re).Searcher(), at: start, prevEnd: -1}
}

// match returns the next match, or nil when there is none. A match found ahead is handed out
// only while the view it was found in is the region's: after a Close or Resize the search
// starts again from the last match handed out, and so behaves as if each match were found after
// the previous one was yielded.
func (m *matcher) match() []int {
	for {
		if m.next < len(m.found) {
			if m.r.view.Load() == m.v {
				f := &m.found[m.next]
				m.next++
				m.at, m.prevEnd = f.at, f.prevEnd
				return f.loc
			}
			// Close or Resize came between: search again, even if the batch reached the end.
			m.found, m.next, m.done = m.found[:0], 0, false
		}
		if m.done {
			return nil
		}
		m.fill()
	}
}

// fill finds the next batch of matches, running again on the new view if it met a range that
// Close or Resize was retiring.
func (m *matcher) fill() {
	m.batch = min(2*m.batch+1, batchMax)
	c := call{format: "Region.FindAll() at offset %d", record: true}
	for {
		err := m.fillOnce(&c)
		if !c.retry {
			m.done = m.done || err != nil
			return
		}
		c.retry = false
	}
}

// fillOnce finds up to m.batch matches from the state after the last match handed out. The
// matches found before a fault stay in m.found.
func (m *matcher) fillOnce(c *call) (err error) {
	r := m.r
	v, token, old := r.enterRead()
	defer r.leaveRead(v, token, old, &err, c)
	m.found, m.next, m.v = m.found[:0], 0, v
	if v.closed || len(v.data) < m.end {
		m.done = true
		return nil
	}
	text := v.data[:m.end]
	if !m.plain && r.tryPrefiltered(v, func() { m.step(text, c) }) {
		return nil
	}
	m.plain = true
	m.s.Off()
	m.step(text, c)
	return nil
}

// step finds matches from the state after the last one found (or handed out) until m.batch are
// found or none is left, stepping as Go's FindAll does: from the end of each match, one
// character past an empty one, dropping an empty match that touches the previous one.
func (m *matcher) step(text []byte, c *call) {
	at, prevEnd := m.at, m.prevEnd
	if n := len(m.found); n > 0 {
		at, prevEnd = m.found[n-1].at, m.found[n-1].prevEnd
	}
	for len(m.found) < m.batch {
		if at > m.end {
			m.done = true
			return
		}
		c.a = int64(at)
		loc := m.s.Next(text, m.start, at)
		if loc == nil {
			m.done = true
			return
		}
		accept := true
		if loc[1] == at {
			accept = loc[0] != prevEnd
			if at < m.end {
				_, width := utf8.DecodeRune(text[at:])
				at += width
			} else {
				at = m.end + 1
			}
		} else {
			at = loc[1]
		}
		prevEnd = loc[1]
		if accept {
			m.found = append(m.found, foundMatch{loc, at, prevEnd})
		}
	}
}

// prefiltered returns s.Next(text, start, at), prefilters and all where they do not fault; see
// tryPrefiltered.
func (r *Region) prefiltered(v *view, s *search.Searcher, text []byte, start, at int) (loc []int) {
	if r.tryPrefiltered(v, func() { loc = s.Next(text, start, at) }) {
		return loc
	}
	s.Off()
	return s.Next(text, start, at)
}

// tryPrefiltered runs search, and reports false if it faulted in this region's mapping: the
// search package's prefilters read ahead (to a rare byte, to the end of a run of bytes that a
// match can hold) further than regexp would, and must not turn text the regexp does not need
// into a fault, so the caller then searches again with the regexp alone (Searcher.Off). A
// fault in that second search is real, and goes to the caller's leaveRead, as does a fault in a
// range that Close or Resize is retiring, which the caller runs again on the new view.
func (r *Region) tryPrefiltered(v *view, search func()) (ok bool) {
	defer func() {
		if x := recover(); x != nil {
			if _, inside := faultAddr(x, v); !inside || v.retiring.Load() || r.view.Load() != v {
				panic(x)
			}
			ok = false
		}
	}()
	search()
	return true
}
