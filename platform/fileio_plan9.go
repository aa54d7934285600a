package platform

import (
	"os"
	"syscall"
)

// DupFile duplicates the descriptor behind f, so that the mapping outlives the caller's file.
func DupFile(f *os.File) (uintptr, error) { return Dup(f.Fd()) }

// Dup duplicates the descriptor fd.
func Dup(fd uintptr) (uintptr, error) {
	nfd, err := syscall.Dup(int(fd), -1)
	if err != nil {
		return NoFile, os.NewSyscallError("dup", err)
	}
	return uintptr(nfd), nil
}

// fsync does nothing: Plan 9 file servers write through, and there is no fsync to call.
func fsync(fd uintptr) error { return nil }

// truncate sets the size of the file fd.
func truncate(fd uintptr, size int64) error {
	var d syscall.Dir
	d.Null()
	d.Length = size
	buf := make([]byte, syscall.STATFIXLEN)
	n, err := d.Marshal(buf)
	if err == nil {
		err = syscall.Fwstat(int(fd), buf[:n])
	}
	return os.NewSyscallError("wstat", err)
}

// FileSize returns the size of the file fd.
func FileSize(fd uintptr) (int64, error) {
	buf := make([]byte, syscall.STATFIXLEN+256)
	n, err := syscall.Fstat(int(fd), buf)
	if err != nil {
		return 0, os.NewSyscallError("stat", err)
	}
	d, err := syscall.UnmarshalDir(buf[:n])
	if err != nil {
		return 0, os.NewSyscallError("stat", err)
	}
	return d.Length, nil
}
