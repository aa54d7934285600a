//go:build !unix && !windows

package platform

import (
	"errors"
	"fmt"
)

// NamedObjects reports whether mapping objects have names that other mappings open to share
// memory: an emulated mapping shares nothing.
const NamedObjects = false

// SharedMemory is not available where mappings are emulated: nothing is shared.
func SharedMemory(name string, size int64) (uintptr, error) {
	return NoFile, fmt.Errorf("shared memory: %w", errors.ErrUnsupported)
}

// RemoveSharedMemory is not available where mappings are emulated.
func RemoveSharedMemory(name string) error {
	return fmt.Errorf("shared memory: %w", errors.ErrUnsupported)
}
