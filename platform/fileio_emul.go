//go:build js || wasip1 || plan9

package platform

import (
	"os"
	"syscall"
)

// The file I/O the emulated mappings are made of, alike on every system that has no mmap.

// checkWritable reports an error if fd was not opened for writing: a write of no bytes fails
// then, and does nothing otherwise.
func checkWritable(fd uintptr) error {
	if _, err := syscall.Pwrite(int(fd), []byte{}, 0); err != nil {
		return os.NewSyscallError("write", err)
	}
	return nil
}

func pread(fd uintptr, b []byte, off int64) (int, error) {
	n, err := syscall.Pread(int(fd), b, off)
	if err != nil {
		return n, os.NewSyscallError("pread", err)
	}
	return n, nil
}

func pwrite(fd uintptr, b []byte, off int64) (int, error) {
	n, err := syscall.Pwrite(int(fd), b, off)
	if err != nil {
		return n, os.NewSyscallError("pwrite", err)
	}
	return n, nil
}

func closeFD(fd uintptr) error { return syscall.Close(int(fd)) }
