//go:build js || wasip1

package platform

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"syscall"
)

// DupFile gives the mapping a descriptor of its own for f's file, so that it keeps working after
// the caller closes f. js and wasip1 have no dup: the file is opened again by f's name, for
// writing only if f's descriptor allows writing. A file renamed or removed since f was opened
// cannot be opened again: that is an error here.
func DupFile(f *os.File) (uintptr, error) {
	// A mapping reads its file, whatever the access: a write-only descriptor cannot be mapped,
	// as mmap(2) says with EACCES.
	var probe [1]byte
	if _, err := syscall.Pread(int(f.Fd()), probe[:], 0); err != nil {
		return NoFile, &os.PathError{Op: "read", Path: f.Name(), Err: err}
	}
	mode := syscall.O_RDONLY
	if checkWritable(f.Fd()) == nil {
		mode = syscall.O_RDWR
	}
	fd, err := syscall.Open(f.Name(), mode|syscall.O_CLOEXEC, 0)
	if err != nil {
		return NoFile, &os.PathError{Op: "reopen", Path: f.Name(), Err: err}
	}
	return uintptr(fd), nil
}

// Dup fails: js and wasip1 have no dup(2). DupFile opens the file again instead.
func Dup(fd uintptr) (uintptr, error) {
	return NoFile, fmt.Errorf("dup: no such call on %s: %w", runtime.GOOS, errors.ErrUnsupported)
}

func fsync(fd uintptr) error { return os.NewSyscallError("fsync", syscall.Fsync(int(fd))) }

// maxJSFileSize is the largest size Node.js takes: a file size travels as a JavaScript number, and
// Node throws for one past 2^53-1, which syscall/js turns into a panic.
const maxJSFileSize = 1<<53 - 1

// truncate sets the size of the file fd.
func truncate(fd uintptr, size int64) error {
	if size < 0 || size > maxJSFileSize {
		return os.NewSyscallError("ftruncate", syscall.EFBIG)
	}
	return os.NewSyscallError("ftruncate", syscall.Ftruncate(int(fd), size))
}

// FileSize returns the size of the file fd.
func FileSize(fd uintptr) (int64, error) {
	var st syscall.Stat_t
	if err := syscall.Fstat(int(fd), &st); err != nil {
		return 0, os.NewSyscallError("fstat", err)
	}
	return int64(st.Size), nil
}
