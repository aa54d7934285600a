package mmap

import (
	"io"
	"runtime"
	"runtime/debug"
	"unsafe"

	"github.com/mmapio/mmap/internal/prefetch"
	"github.com/mmapio/mmap/platform"
)

// ReadAt implements the [io.ReaderAt] interface: it copies from offset off without moving the
// cursor. A read that reaches the end returns the bytes there and [io.EOF]; a negative off is
// ErrInvalid. ReadAt is safe for concurrent use.
func (r *Region) ReadAt(p []byte, off int64) (n int, err error) {
	// No defer here: the guard lives in guardedCopy, whose deferred closure captures two
	// variables. A deferred closure that captures this method's arguments and results, to run it
	// again after a race, costs more per call than the lock it replaced.
	if r.coldReads {
		return r.readAtCold(p, off)
	}
	token := r.readLock()
	v := r.view.Load()
	if v.closed || off < 0 || off >= int64(len(v.data)) {
		r.readUnlock(token)
		return 0, r.readAtError(v, p, off)
	}
	src := v.data[off:]
	prefetch.Range(uintptr(unsafe.Pointer(unsafe.SliceData(src))), min(len(p), len(src)))
	n, fault := guardedCopy(p, src)
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
		return newError(ErrInvalid, readAtCall(p, off).String(), nil, "negative offset")
	}
	return io.EOF
}

func readAtCall(p []byte, off int64) call {
	return call{format: "Region.ReadAt(len=%d, off=%d)", a: int64(len(p)), b: off}
}

// readAtFault handles a fault in ReadAt: an error, or ReadAt again on the view that replaced v.
func (r *Region) readAtFault(x any, v *view, p []byte, off int64) (int, error) {
	c := readAtCall(p, off)
	if raced, err := r.sortFault(x, v, &c); !raced {
		return 0, err
	}
	return r.ReadAt(p, off)
}
