//go:build unix

package platform

import (
	"os"

	"golang.org/x/sys/unix"
)

// NamedObjects reports whether mapping objects have names that other mappings open to share
// memory, as Windows' do: on Unix, shared memory is a file (SharedMemory).
const NamedObjects = false

// openSharedFile opens the file at path read-write, creating it (mode 0600) if it does not exist,
// and grows it to size bytes if it is shorter.
func openSharedFile(path string, size int64) (uintptr, error) {
	fd, err := unix.Open(path, unix.O_RDWR|unix.O_CREAT|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return NoFile, &os.PathError{Op: "open", Path: path, Err: err}
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return NoFile, &os.PathError{Op: "fstat", Path: path, Err: err}
	}
	if st.Size < size {
		if err := unix.Ftruncate(fd, size); err != nil {
			unix.Close(fd)
			return NoFile, &os.PathError{Op: "ftruncate", Path: path, Err: err}
		}
	}
	return uintptr(fd), nil
}
