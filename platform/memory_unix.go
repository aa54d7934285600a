//go:build unix

package platform

import (
	"errors"
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

func (m *Mapping) syncAsync(lo, hi int) error {
	if err := unix.Msync(m.raw[lo:hi], unix.MS_ASYNC); err != nil {
		return os.NewSyscallError("msync", err)
	}
	return nil
}

// prefetchWillNeed asks the OS to start reading the pages in, and returns at once.
func (m *Mapping) prefetchWillNeed(lo, hi int) error {
	if err := unix.Madvise(m.raw[lo:hi], unix.MADV_WILLNEED); err != nil {
		return os.NewSyscallError("madvise(MADV_WILLNEED)", err)
	}
	return nil
}

func (m *Mapping) lock(lo, hi int) error {
	err := unix.Mlock(m.raw[lo:hi])
	if err == nil {
		return nil
	}
	serr := os.NewSyscallError("mlock", err)
	// ENOMEM: more than the soft RLIMIT_MEMLOCK would be locked; EPERM: that limit is 0 (and the
	// process lacks the privilege to ignore it, CAP_IPC_LOCK on Linux).
	if errors.Is(err, unix.ENOMEM) || errors.Is(err, unix.EPERM) {
		return &classError{class: errInvalid,
			msg: fmt.Sprintf("locking %d bytes exceeds the limit on locked memory (RLIMIT_MEMLOCK, %s; raise it with ulimit -l or setrlimit)",
				hi-lo, describeMemlockLimit()),
			err: serr,
		}
	}
	return serr
}

func (m *Mapping) unlock(lo, hi int) error {
	if err := unix.Munlock(m.raw[lo:hi]); err != nil {
		return os.NewSyscallError("munlock", err)
	}
	return nil
}

func (m *Mapping) protect(prot, lo, hi int) error {
	if err := unix.Mprotect(m.raw[lo:hi], prot); err != nil {
		return os.NewSyscallError("mprotect", err)
	}
	return nil
}

// describeMemlockLimit says what RLIMIT_MEMLOCK is for this process, where the OS has it.
func describeMemlockLimit() string {
	soft, infinite, ok := memlockLimit()
	switch {
	case !ok:
		return "whose value this OS does not report"
	case infinite:
		return "unlimited"
	}
	return "soft limit " + strconv.FormatUint(soft, 10) + " bytes"
}
