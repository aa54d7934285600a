//go:build unix && !aix

package platform

import (
	"os"

	"golang.org/x/sys/unix"
)

// Dup duplicates the descriptor fd, close-on-exec, so that the mapping outlives the caller's file.
func Dup(fd uintptr) (uintptr, error) {
	nfd, err := unix.FcntlInt(fd, unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return NoFile, os.NewSyscallError("fcntl(F_DUPFD_CLOEXEC)", err)
	}
	return uintptr(nfd), nil
}
