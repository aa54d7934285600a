//go:build !plan9 && !windows

package platform

import (
	"errors"
	"syscall"
)

// classifyErrno is Classify for what the OS returned.
func classifyErrno(err error) Class {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return Other
	}
	switch errno {
	case syscall.EACCES, syscall.EPERM, syscall.EROFS:
		return Permission
	case syscall.EINVAL, syscall.ENOMEM, syscall.ENODEV, syscall.EBADF, syscall.EOVERFLOW,
		syscall.EFBIG, syscall.ENOSPC, syscall.EISDIR, syscall.ENXIO, syscall.EMFILE, syscall.ENFILE:
		return Invalid
	case syscall.ENOSYS:
		return Unsupported
	}
	return Other
}

// IsFault reports whether err says a system call met memory it could not reach, which is how a
// write(2) from a mapping over a truncated file fails, instead of with a signal.
func IsFault(err error) bool { return errors.Is(err, syscall.EFAULT) }
