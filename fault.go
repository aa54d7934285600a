package mmap

import (
	"fmt"
	"runtime/debug"
	"strings"
	"unsafe"
)

// call names a method and its arguments for an error message. It is built for every call but
// formatted only when an error is returned, so it holds numbers, not strings.
type call struct {
	format  string // e.g. "Region.ReadAt(len=%d, off=%d)", with one %d per argument
	a, b, c int64
	record  bool // a fault here is kept for Err: the method has no error result
}

func (c call) String() string {
	switch strings.Count(c.format, "%d") {
	case 0:
		return c.format
	case 1:
		return fmt.Sprintf(c.format, c.a)
	case 2:
		return fmt.Sprintf(c.format, c.a, c.b)
	}
	return fmt.Sprintf(c.format, c.a, c.b, c.c)
}

// enter takes the region's lock shared and arms fault recovery for this goroutine. Every method
// that touches mapped memory starts with it and defers leave with its results:
//
//	token, old := r.enter()
//	defer r.leave(token, old, &err, &call{...})
//
// The loops that touch the memory live in plain functions the method calls: the Go compiler
// keeps a function with a deferred recover from optimising its own loops.
func (r *Region) enter() (token int, oldPanicOnFault bool) {
	token = r.lock.rlock()
	return token, debug.SetPanicOnFault(true)
}

// leave undoes enter. A fault at an address inside this region's mapping (SIGBUS from a
// truncated file, SIGSEGV) becomes *err, an *Error matching ErrFault; any other panic goes on.
func (r *Region) leave(token int, oldPanicOnFault bool, err *error, c *call) {
	if v := recover(); v != nil {
		r.leaveFault(v, token, oldPanicOnFault, err, c)
		return
	}
	debug.SetPanicOnFault(oldPanicOnFault)
	r.lock.runlock(token) // inlined
}

func (r *Region) leaveFault(v any, token int, oldPanicOnFault bool, err *error, c *call) {
	e := r.faultError(v, c)
	debug.SetPanicOnFault(oldPanicOnFault)
	r.lock.runlock(token)
	if e == nil {
		panic(v)
	}
	*err = e
}

// faultError returns the error for a recovered panic v if v is a memory fault inside this region's
// mapping, and nil otherwise. The caller holds the lock.
func (r *Region) faultError(v any, c *call) *Error {
	fault, ok := v.(interface{ Addr() uintptr })
	if !ok || r.state.m == nil || !r.state.m.Contains(fault.Addr()) {
		return nil
	}
	off := int64(fault.Addr()) - int64(uintptr(unsafe.Pointer(unsafe.SliceData(r.data))))
	e := newError(ErrFault, c.String(), nil, "at region offset %d, region length %d", off, len(r.data))
	if c.record {
		r.fault.CompareAndSwap(nil, e)
	}
	return e
}
