package platform

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// Dup duplicates the descriptor fd, close-on-exec, so that the mapping outlives the caller's file.
// AIX has no F_DUPFD_CLOEXEC: hold ForkLock so no child inherits the descriptor in between.
func Dup(fd uintptr) (uintptr, error) {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	nfd, err := unix.Dup(int(fd))
	if err != nil {
		return NoFile, os.NewSyscallError("dup", err)
	}
	unix.CloseOnExec(nfd)
	return uintptr(nfd), nil
}
