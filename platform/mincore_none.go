//go:build aix || openbsd || solaris

package platform

import (
	"errors"
	"fmt"
)

// resident: x/sys/unix has no mincore here, and OpenBSD admits system calls only from its libc.
func (m *Mapping) resident(lo, hi int) (int, error) {
	return 0, fmt.Errorf("mincore: not available on this OS: %w", errors.ErrUnsupported)
}
