package mmap

import (
	"io"

	"github.com/mmapio/mmap/internal/search"
)

// ReadAt implements the [io.ReaderAt] interface: it copies from offset off without moving the
// cursor. A read that reaches the end returns the bytes there and [io.EOF]; a negative off is
// ErrInvalid. ReadAt is safe for concurrent use.
func (r *Region) ReadAt(p []byte, off int64) (n int, err error) {
	c := call{format: "Region.ReadAt(len=%d, off=%d)", a: int64(len(p)), b: off}
	token, old := r.enter()
	defer r.leave(token, old, &err, &c)
	switch {
	case r.closed:
		return 0, newError(ErrClosed, c.String(), nil, "")
	case off < 0:
		return 0, &Error{Op: c.String(), Kind: ErrInvalid, Detail: "negative offset", Err: ErrOutOfRange}
	case off >= int64(len(r.data)):
		return 0, io.EOF
	}
	n = copy(p, r.data[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// Find returns the lowest index in the region where sub is found within [start, end), or -1:
// Python's find(). Find(sub) searches from the cursor to the end, Find(sub, start) from start, and
// Find(sub, start, end) up to end. A negative bound counts from the end; bounds are clamped to
// [0, Len()], except that a start past Len() finds nothing (Python 3.15, and bytes.find); the
// result is an absolute index. An empty sub is found at start, unless end < start.
// Find does not move the cursor and is safe for concurrent use. It returns -1 after Close and on a
// fault, which Err then reports.
func (r *Region) Find(sub []byte, bounds ...int) (i int) {
	return r.find(sub, bounds, false)
}

// RFind is Find from the end: the highest index where sub is found within [start, end), or -1.
// An empty sub is found at end, unless end < start or start > Len(). Python's rfind().
func (r *Region) RFind(sub []byte, bounds ...int) int {
	return r.find(sub, bounds, true)
}

func (r *Region) find(sub []byte, bounds []int, last bool) (i int) {
	c := call{format: "Region.Find(len=%d, start=%d, end=%d)", a: int64(len(sub)), record: true}
	if last {
		c.format = "Region.RFind(len=%d, start=%d, end=%d)"
	}
	var err error // a fault lands here; Err reports it
	token, old := r.enter()
	if r.closed || len(bounds) > 2 {
		r.leave(token, old, &err, &c)
		return -1
	}
	start, end := r.window(bounds)
	c.b, c.c = int64(start), int64(end)
	defer r.leave(token, old, &err, &c)
	i = -1 // what a fault returns
	if end < start {
		return -1
	}
	if last {
		i = search.LastIndex(r.data[start:end], sub)
	} else {
		i = search.Index(r.data[start:end], sub)
	}
	if i >= 0 {
		i += start
	}
	return i
}

// window resolves Find's optional start and end as Python 3.15 does: a start past the end stays
// there, so that the window is empty and finds nothing, not even an empty sub (as bytes.find).
func (r *Region) window(bounds []int) (start, end int) {
	n := len(r.data)
	start, end = r.pos, n
	if len(bounds) > 0 {
		start = bounds[0]
		if start <= n {
			start = clampBound(start, n)
		}
	}
	if len(bounds) > 1 {
		end = clampBound(bounds[1], n)
	}
	return start, end
}

func clampBound(b, n int) int {
	if b < 0 {
		b += n
	}
	return max(0, min(b, n))
}
