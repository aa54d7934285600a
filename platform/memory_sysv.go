//go:build aix || solaris

package platform

import (
	"errors"
	"fmt"
)

// prefetch asks for the pages with MADV_WILLNEED, and returns at once.
func (m *Mapping) prefetch(lo, hi int) error { return m.prefetchWillNeed(lo, hi) }

func (m *Mapping) setName(string) error {
	return fmt.Errorf("naming anonymous memory: only Linux can: %w", errors.ErrUnsupported)
}

// memlockLimit: x/sys/unix does not define RLIMIT_MEMLOCK here.
func memlockLimit() (soft uint64, infinite, ok bool) { return 0, false, false }
