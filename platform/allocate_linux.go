package platform

import (
	"errors"
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// Allocate reserves disk blocks for n bytes of the file fd from off, without changing its size
// (fallocate with FALLOC_FL_KEEP_SIZE), so that writing there later through a mapping cannot meet
// a full disk. A full disk is an error wrapping ENOSPC; a file system that cannot allocate ahead
// is an error wrapping errors.ErrUnsupported.
func Allocate(fd uintptr, off, n int64) error {
	err := unix.Fallocate(int(fd), unix.FALLOC_FL_KEEP_SIZE, off, n)
	if err == unix.EOPNOTSUPP || err == unix.ENOSYS {
		return fmt.Errorf("%w: %w", os.NewSyscallError("fallocate", err), errors.ErrUnsupported)
	}
	if err != nil {
		return os.NewSyscallError("fallocate", err)
	}
	return nil
}
