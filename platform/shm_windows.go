package platform

import (
	"errors"
	"fmt"
)

// NamedObjects reports whether mapping objects have names that other mappings, in this process or
// another, open to share memory: Windows' file-mapping objects (Options.TagName).
const NamedObjects = true

// SharedMemory is not needed on Windows, where a named file-mapping object shares memory (see
// NamedObjects), and not available: Windows has no descriptors to hand to a child process.
func SharedMemory(name string, size int64) (uintptr, error) {
	return NoFile, fmt.Errorf("shared memory by descriptor: %w", errors.ErrUnsupported)
}

// RemoveSharedMemory does nothing on Windows: a named file-mapping object goes away with the last
// handle to it.
func RemoveSharedMemory(name string) error { return nil }
