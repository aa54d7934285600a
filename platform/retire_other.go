//go:build !unix

package platform

import (
	"errors"
	"fmt"
)

// CanRetire reports whether this OS can replace a mapped range, in one step, with an inaccessible
// reservation. Here it cannot (Windows before placeholders, which Wine lacks; the emulation for
// js, wasip1 and plan9 has no mapping at all), so package mmap keeps readers and Close apart with
// a lock, and Close and Resize unmap at once.
const CanRetire = false

// Retire is unsupported here; see CanRetire.
func (m *Mapping) Retire() error {
	return fmt.Errorf("platform.Retire: %w", errors.ErrUnsupported)
}

// Release is unsupported here; see CanRetire.
func (r Reservation) Release() error {
	return fmt.Errorf("platform.Release: %w", errors.ErrUnsupported)
}
