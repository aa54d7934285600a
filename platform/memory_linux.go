package platform

import (
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"unsafe"

	"golang.org/x/sys/unix"
)

// noPopulate is set once the kernel has refused MADV_POPULATE_* with EINVAL (before Linux 5.14),
// so that later calls go straight to MADV_WILLNEED.
var noPopulate atomic.Bool

// prefetch populates the page tables: MADV_POPULATE_READ reads the pages in and maps them, and
// reports a range the file does not back (it was truncated) as EFAULT instead of raising SIGBUS
// later. Writable anonymous memory takes MADV_POPULATE_WRITE instead, because reading a page
// that was never written maps the shared zero page, which the first write must replace anyway;
// file pages never do (that would mark them all dirty, and private ones would all be copied).
func (m *Mapping) prefetch(lo, hi int) error {
	if noPopulate.Load() {
		return m.prefetchWillNeed(lo, hi)
	}
	advice, name := unix.MADV_POPULATE_READ, "madvise(MADV_POPULATE_READ)"
	if m.Anonymous() && m.prot&PROT_WRITE != 0 {
		advice, name = unix.MADV_POPULATE_WRITE, "madvise(MADV_POPULATE_WRITE)"
	}
	err := unix.Madvise(m.raw[lo:hi], advice)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, unix.EINVAL):
		noPopulate.Store(true)
		return m.prefetchWillNeed(lo, hi)
	case errors.Is(err, unix.EFAULT):
		// Part of the range is past the end of the file.
		return fmt.Errorf("%d bytes at mapping offset %d: %w", hi-lo, lo, os.NewSyscallError(name, err))
	}
	return os.NewSyscallError(name, err)
}

// setName names the whole mapping: Linux 5.17+ with CONFIG_ANON_VMA_NAME; shared anonymous
// memory (shmem) since Linux 6.2, shown as [anon_shmem:name] rather than [anon:name].
func (m *Mapping) setName(name string) error {
	var p *byte
	if name != "" {
		var err error
		if p, err = unix.BytePtrFromString(name); err != nil {
			return fmt.Errorf("name %q: %w", name, errInvalid)
		}
	}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(m.raw)))
	err := unix.Prctl(unix.PR_SET_VMA, unix.PR_SET_VMA_ANON_NAME, base, uintptr(len(m.raw)), uintptr(unsafe.Pointer(p)))
	switch {
	case err == nil:
		return nil
	case errors.Is(err, unix.EINVAL), errors.Is(err, unix.EBADF):
		// EINVAL: a kernel before 5.17 or without CONFIG_ANON_VMA_NAME (the name itself was
		// checked); EBADF: shared anonymous memory before Linux 6.2.
		return &classError{
			msg:   "naming anonymous memory needs Linux 5.17 built with CONFIG_ANON_VMA_NAME (6.2 for shared memory)",
			err:   os.NewSyscallError("prctl(PR_SET_VMA_ANON_NAME)", err),
			class: errors.ErrUnsupported,
		}
	}
	return os.NewSyscallError("prctl(PR_SET_VMA_ANON_NAME)", err)
}

// memlockLimit returns the soft RLIMIT_MEMLOCK, whether it is unlimited, and whether it could be read.
func memlockLimit() (soft uint64, infinite, ok bool) {
	var lim unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_MEMLOCK, &lim) != nil {
		return 0, false, false
	}
	return lim.Cur, lim.Cur == unix.RLIM_INFINITY, true
}
