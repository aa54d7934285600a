//go:build !plan9 && !windows

package platform

import (
	"errors"
	"syscall"
)

// Classify sorts an error from this package by its cause: a bad argument or a resource limit
// (Invalid), a write the file, descriptor or mount does not allow (Permission), something the OS
// cannot do (Unsupported), or anything else, such as an I/O error (Other).
func Classify(err error) Class {
	var errno syscall.Errno
	switch {
	case errors.Is(err, errors.ErrUnsupported):
		return Unsupported
	case errors.Is(err, errInvalid):
		return Invalid
	case !errors.As(err, &errno):
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
