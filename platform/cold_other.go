//go:build !(darwin || dragonfly || freebsd || linux || netbsd)

package platform

import (
	"errors"
	"fmt"
)

// ColdReads reports whether AllResident and ReadFile work here: not without mincore(2).
const ColdReads = false

// AllResident reports true: without mincore there is no telling.
func (m *Mapping) AllResident(off, n int) bool { return true }

// ReadFile is not available here; see ColdReads.
func ReadFile(fd uintptr, p []byte, off int64) (int, error) {
	return 0, fmt.Errorf("reading around the mapping: %w", errors.ErrUnsupported)
}
