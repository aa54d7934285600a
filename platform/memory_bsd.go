//go:build darwin || dragonfly || freebsd || netbsd || openbsd

package platform

import (
	"errors"
	"fmt"

	"golang.org/x/sys/unix"
)

// prefetch asks for the pages with MADV_WILLNEED: these systems cannot populate page tables on
// demand, so it returns at once and a range the file no longer backs faults later.
func (m *Mapping) prefetch(lo, hi int) error { return m.prefetchWillNeed(lo, hi) }

func (m *Mapping) setName(string) error {
	return fmt.Errorf("naming anonymous memory: only Linux can: %w", errors.ErrUnsupported)
}

// memlockLimit returns the soft RLIMIT_MEMLOCK, whether it is unlimited, and whether it could be read.
func memlockLimit() (soft uint64, infinite, ok bool) {
	var lim unix.Rlimit
	if unix.Getrlimit(unix.RLIMIT_MEMLOCK, &lim) != nil {
		return 0, false, false
	}
	return uint64(lim.Cur), uint64(lim.Cur) == unix.RLIM_INFINITY, true
}
