package mmap

import (
	"runtime"
	"runtime/debug"
	"sync/atomic"
	"unsafe"

	"github.com/mmapio/mmap/platform"
)

// A view is the state a method works on: the region's bytes at one moment, or the closed state.
// Close and Resize never change a view; they publish a new one (Region.view), so that a method
// that loads the view once sees one consistent state to its end.
type view struct {
	data   []byte // the region's bytes; empty (non-nil) for an empty region, nil once closed
	closed bool
	seq    uint64 // tells views apart without holding on to them (Region.runeSeq)
	// res is the address range data lies in: a fault there is this region's. area keeps it
	// reserved while the view is reachable (where platform.CanRetire holds; nil otherwise, and
	// for a region without a mapping).
	res  platform.Reservation
	area *area
	// retiring is set, before Close or Resize makes any part of res inaccessible, on the view they
	// are about to replace: a reader that faults there then waits for the new view and runs again.
	retiring atomic.Bool
}

// An area owns an address range that views share: its cleanup releases the range once no view
// holds it, that is, once no method can still be using it. Close and Resize only retire a range
// (make it inaccessible); the cleanup is what gives it back.
type area struct {
	res platform.Reservation
}

func newArea(res platform.Reservation) *area {
	a := &area{res: res}
	liveAreas.Add(1)
	if areaMade != nil {
		areaMade(res)
	}
	runtime.AddCleanup(a, func(res platform.Reservation) {
		res.Release()
		liveAreas.Add(-1)
	}, res)
	return a
}

// liveAreas counts the areas whose range is not released yet, and areaMade, when set, is told of
// each new area: for the tests.
var (
	liveAreas atomic.Int64
	areaMade  func(platform.Reservation)
)

// enter is how a method that writes, or calls the OS or the caller's code, starts: it takes the
// region's lock shared (Close and Resize wait for it) and arms fault recovery for this goroutine.
// It defers leave with its results:
//
//	v, token, old := r.enter()
//	defer r.leave(v, token, old, &err, &call{...})
//
// The loops that touch the memory live in plain functions the method calls: the Go compiler
// keeps a function with a deferred recover from optimising its own loops.
func (r *Region) enter() (v *view, token int, oldPanicOnFault bool) {
	token = r.lock.rlock()
	return r.view.Load(), token, debug.SetPanicOnFault(true)
}

// leave undoes enter. A fault at an address inside this region's mapping (SIGBUS from a
// truncated file, SIGSEGV) becomes *err, an *Error matching ErrFault; any other panic goes on.
func (r *Region) leave(v *view, token int, oldPanicOnFault bool, err *error, c *call) {
	if x := recover(); x != nil {
		r.leaveFault(x, v, token, oldPanicOnFault, err, c)
		return
	}
	debug.SetPanicOnFault(oldPanicOnFault)
	r.lock.runlock(token) // inlined
}

func (r *Region) leaveFault(x any, v *view, token int, oldPanicOnFault bool, err *error, c *call) {
	debug.SetPanicOnFault(oldPanicOnFault)
	r.lock.runlock(token)
	addr, ok := faultAddr(x, v)
	if !ok {
		panic(x)
	}
	*err = r.faultError(addr, v, c)
}

// enterRead is how a method that only reads starts. Where the OS can retire ranges
// (platform.CanRetire) it takes no lock: it loads the view once, and the view's area keeps the
// range reserved until the method returns, so that a Close or Resize racing it makes the bytes
// inaccessible rather than gone. Elsewhere it takes the lock shared, as enter does. The body that
// reads lives in a function of its own,
//
//	v, token, old := r.enterRead()
//	defer r.leaveRead(v, token, old, &err, c)
//
// which the method calls again for as long as it returns with c.retry set.
func (r *Region) enterRead() (v *view, token int, oldPanicOnFault bool) {
	token = r.readLock()
	return r.view.Load(), token, debug.SetPanicOnFault(true)
}

// leaveRead undoes enterRead. A fault inside the view's range while Close or Resize retires it
// sets c.retry: the method must run again on the new view, which behaves as if it had run after
// them. Any other fault there is *err, an *Error matching ErrFault, as in leave.
func (r *Region) leaveRead(v *view, token int, oldPanicOnFault bool, err *error, c *call) {
	if x := recover(); x != nil {
		r.leaveReadFault(x, v, token, oldPanicOnFault, err, c)
		return
	}
	r.leaveReadFast(v, token, oldPanicOnFault)
}

// leaveReadFast is leaveRead without a fault.
func (r *Region) leaveReadFast(v *view, token int, oldPanicOnFault bool) {
	debug.SetPanicOnFault(oldPanicOnFault)
	r.readUnlock(token)
	runtime.KeepAlive(v) // v's area keeps the range reserved up to here
}

func (r *Region) leaveReadFault(x any, v *view, token int, oldPanicOnFault bool, err *error, c *call) {
	debug.SetPanicOnFault(oldPanicOnFault)
	r.readUnlock(token)
	raced, e := r.sortFault(x, v, c)
	if raced {
		c.retry = true
		return
	}
	*err = e
}

// sortFault sorts a memory fault x recovered while reading v: raced says the call met a range
// that Close or Resize retired and must run again on the new view; otherwise e is the ErrFault
// for c. A fault outside v is not this region's, and panics on.
func (r *Region) sortFault(x any, v *view, c *call) (raced bool, e error) {
	addr, ok := faultAddr(x, v)
	if !ok {
		panic(x)
	}
	if r.raced(v) {
		return true, nil
	}
	return false, r.faultError(addr, v, c)
}

// raced reports whether a fault in v's range was a race with Close or Resize, which are taking
// the range away: then it waits until the new view is out (they hold no lock a reader needs, so
// this is short), and the reader runs again on it.
func (r *Region) raced(v *view) bool {
	if !platform.CanRetire || !v.retiring.Load() && r.view.Load() == v {
		return false
	}
	for r.view.Load() == v {
		runtime.Gosched()
	}
	retiredFaults.Add(1)
	return true
}

// readLock takes the region's lock shared where the OS cannot retire ranges, and returns the
// token for readUnlock; elsewhere it does nothing.
func (r *Region) readLock() int {
	if platform.CanRetire {
		return 0
	}
	return r.lock.rlock()
}

func (r *Region) readUnlock(token int) {
	if !platform.CanRetire {
		r.lock.runlock(token)
	}
}

// retiredFaults counts the faults in retired ranges, which the tests want to see happen.
var retiredFaults atomic.Int64

// faultAddr returns the address of the memory fault x, if x is a fault inside v's range.
func faultAddr(x any, v *view) (uintptr, bool) {
	fault, ok := x.(interface{ Addr() uintptr })
	if !ok || v == nil || !v.res.Contains(fault.Addr()) {
		return 0, false
	}
	return fault.Addr(), true
}

// faultError returns the error for a fault at addr in v.
func (r *Region) faultError(addr uintptr, v *view, c *call) *Error {
	off := int64(addr) - int64(uintptr(unsafe.Pointer(unsafe.SliceData(v.data))))
	e := newError(ErrFault, c.String(), nil, "at region offset %d, region length %d", off, len(v.data))
	if c.record {
		r.fault.CompareAndSwap(nil, e)
	}
	return e
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
