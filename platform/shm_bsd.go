//go:build unix && !linux

package platform

import (
	"os"
	"path/filepath"
)

// SharedMemory returns a descriptor of shared memory at least size bytes long: for a name, a file
// called mmap-shm-NAME in the temporary directory, created if it does not exist (and grown to
// size, never shrunk); for name "", a new temporary file that is removed at once, so that it lives
// only as long as its descriptors and mappings. These systems' shm_open is a libc function, out of
// reach without cgo; the file is in the page cache like shared memory, but its pages may be written
// to disk. The caller owns the descriptor.
func SharedMemory(name string, size int64) (uintptr, error) {
	if name != "" {
		return openSharedFile(sharedMemoryPath(name), size)
	}
	f, err := os.CreateTemp("", "mmap-shm-")
	if err != nil {
		return NoFile, err
	}
	defer f.Close()
	if err := os.Remove(f.Name()); err != nil {
		return NoFile, err
	}
	if err := f.Truncate(size); err != nil {
		return NoFile, err
	}
	return DupFile(f)
}

// RemoveSharedMemory removes the name of the shared memory object name; memory mapped from it
// stays valid until unmapped.
func RemoveSharedMemory(name string) error {
	return os.Remove(sharedMemoryPath(name))
}

func sharedMemoryPath(name string) string {
	return filepath.Join(os.TempDir(), "mmap-shm-"+name)
}
