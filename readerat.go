package mmap

import (
	"io"
	"runtime"
	"runtime/debug"

	"github.com/mmapio/mmap/platform"
)

// ReadAt implements the [io.ReaderAt] interface: it copies from offset off without moving the
// cursor. A read that reaches the end returns the bytes there and [io.EOF]; a negative off is
// ErrInvalid. ReadAt is safe for concurrent use.
func (r *Region) ReadAt(p []byte, off int64) (n int, err error) {
	// No defer here: the guard lives in guardedCopy, whose deferred closure captures two
	// variables. A deferred closure that captures this method's arguments and results, to run it
	// again after a race, costs more per call than the lock it replaced.
	token := r.readLock()
	v := r.view.Load()
	if v.closed || off < 0 || off >= int64(len(v.data)) {
		r.readUnlock(token)
		return 0, r.readAtError(v, p, off)
	}
	n, fault := guardedCopy(p, v.data[off:])
	r.readUnlock(token)
	runtime.KeepAlive(v) // v's area keeps the range reserved up to here
	if fault != nil {
		return r.readAtFault(fault, v, p, off)
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// guardedCopy is copy(dst, src) that returns a memory fault, as recovered, instead of crashing.
// Where the bytes are ordinary memory (the emulations), it is copy itself.
func guardedCopy(dst, src []byte) (n int, fault any) {
	if !platform.CanFault {
		return copy(dst, src), nil
	}
	old := debug.SetPanicOnFault(true)
	done := false
	defer func() {
		if !done {
			fault = recover()
		}
		debug.SetPanicOnFault(old)
	}()
	n = copy(dst, src)
	done = true
	return n, nil
}

// readAtError is the error of a ReadAt that copies nothing.
func (r *Region) readAtError(v *view, p []byte, off int64) error {
	switch {
	case v.closed:
		return newError(ErrClosed, readAtCall(p, off).String(), nil, "")
	case off < 0:
		return &Error{Op: readAtCall(p, off).String(), Kind: ErrInvalid, Detail: "negative offset", Err: ErrOutOfRange}
	}
	return io.EOF
}

func readAtCall(p []byte, off int64) call {
	return call{format: "Region.ReadAt(len=%d, off=%d)", a: int64(len(p)), b: off}
}

// readAtFault handles a fault in ReadAt: an error, or ReadAt again on the view that replaced v.
func (r *Region) readAtFault(x any, v *view, p []byte, off int64) (int, error) {
	addr, ok := faultAddr(x, v)
	if !ok {
		panic(x)
	}
	c := readAtCall(p, off)
	if r.raced(v) {
		return r.ReadAt(p, off)
	}
	return 0, r.faultError(addr, v, &c)
}

// Find returns the lowest index in the region where sub is found within [start, end), or -1:
// Python's find(). Find(sub) searches from the cursor to the end, Find(sub, start) from start, and
// Find(sub, start, end) up to end. A negative bound counts from the end; bounds are clamped to
// [0, Len()]; the result is an absolute index. An empty sub is found at start, unless end < start.
// Find does not move the cursor and is safe for concurrent use. It returns -1 after Close and on a
// fault, which Err then reports.
func (r *Region) Find(sub []byte, bounds ...int) (i int) {
	return r.find(sub, bounds, false)
}

// RFind is Find from the end: the highest index where sub is found within [start, end), or -1.
// An empty sub is found at end. Python's rfind().
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
		i = lastIndex(v.data[start:end], sub)
	} else {
		i = index(v.data[start:end], sub)
	}
	if i >= 0 {
		i += start
	}
	return i
}

// window resolves Find's optional start and end as Python does.
func (r *Region) window(v *view, bounds []int) (start, end int) {
	n := len(v.data)
	end = n
	if len(bounds) > 0 {
		start = clampBound(bounds[0], n)
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
