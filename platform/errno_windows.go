package platform

import (
	"errors"
	"syscall"

	"golang.org/x/sys/windows"
)

// classifyErrno is Classify for what Windows returned.
func classifyErrno(err error) Class {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return Other
	}
	switch errno {
	case windows.ERROR_ACCESS_DENIED, windows.ERROR_WRITE_PROTECT:
		return Permission
	case windows.ERROR_INVALID_PARAMETER, windows.ERROR_INVALID_HANDLE, windows.ERROR_INVALID_FUNCTION,
		windows.ERROR_NOT_ENOUGH_MEMORY, windows.ERROR_OUTOFMEMORY, windows.ERROR_COMMITMENT_LIMIT,
		windows.ERROR_FILE_INVALID, windows.ERROR_MAPPED_ALIGNMENT, windows.ERROR_DISK_FULL,
		windows.ERROR_USER_MAPPED_FILE, windows.ERROR_INVALID_NAME, windows.ERROR_FILENAME_EXCED_RANGE:
		return Invalid
	case windows.ERROR_NOT_SUPPORTED, windows.ERROR_CALL_NOT_IMPLEMENTED:
		return Unsupported
	}
	return Other
}

// IsFault reports whether err says a system call met memory it could not reach: ReadFile into or
// WriteFile from a view whose pages cannot be reached fails with ERROR_NOACCESS (or, for some
// writes, ERROR_INVALID_USER_BUFFER) instead of raising an exception.
func IsFault(err error) bool {
	return errors.Is(err, windows.ERROR_NOACCESS) || errors.Is(err, windows.ERROR_INVALID_USER_BUFFER)
}
