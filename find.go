package mmap

import "github.com/mmapio/mmap/internal/search"

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

func (r *Region) find(sub []byte, bounds []int, last bool) int {
	c := call{format: "Region.Find(len=%d, start=%d, end=%d)", a: int64(len(sub)), record: true}
	if last {
		c.format = "Region.RFind(len=%d, start=%d, end=%d)"
	}
	for {
		i := r.findOnce(sub, bounds, last, &c)
		if !c.retry {
			return i
		}
		c.retry = false
	}
}

func (r *Region) findOnce(sub []byte, bounds []int, last bool, c *call) (i int) {
	var err error // a fault lands here; Err reports it
	v, token, old := r.enterRead()
	defer r.leaveRead(v, token, old, &err, c)
	if v.closed || len(bounds) > 2 {
		return -1
	}
	start, end := r.window(v, bounds)
	c.b, c.c = int64(start), int64(end)
	i = -1 // what a fault returns
	if end < start {
		return -1
	}
	if last {
		i = search.LastIndex(v.data[start:end], sub)
	} else {
		i = search.Index(v.data[start:end], sub)
	}
	if i >= 0 {
		i += start
	}
	return i
}

// window resolves Find's optional start and end as Python 3.15 does: a start past the end stays
// there, so that the window is empty and finds nothing, not even an empty sub (as bytes.find).
func (r *Region) window(v *view, bounds []int) (start, end int) {
	n := len(v.data)
	end = n
	if len(bounds) > 0 {
		start = bounds[0]
		if start <= n {
			start = clampBound(start, n)
		}
	} else {
		start, _ = r.cursor(v)
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
