//go:build !linux && !darwin && !windows

package platform

import (
	"errors"
	"fmt"
)

// Allocate reserves disk blocks ahead of writes where the OS can (Linux's fallocate, macOS's
// F_PREALLOCATE); here it is an error wrapping errors.ErrUnsupported.
func Allocate(fd uintptr, off, n int64) error {
	return fmt.Errorf("allocating file blocks ahead: %w", errors.ErrUnsupported)
}
