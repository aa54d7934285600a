//go:build darwin || dragonfly || freebsd || linux || netbsd

package platform

import (
	"io"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// ColdReads reports whether AllResident and ReadFile work here: mincore(2) tells which pages are
// in memory, and pread(2) reads the others.
const ColdReads = true

// AllResident reports whether every page that holds Data()[off:off+n] is in memory, by mincore.
// It is meant for a few pages at a time (a read's worth): its vector lives on the stack. If
// mincore fails, it reports false.
func (m *Mapping) AllResident(off, n int) bool {
	lo, hi := m.pageRange(off, n)
	var vec [32]byte
	page := PageSize
	for lo < hi {
		k := min(hi-lo, len(vec)*page)
		addr := unsafe.Pointer(unsafe.SliceData(m.raw[lo:]))
		if _, _, errno := unix.Syscall(unix.SYS_MINCORE, uintptr(addr), uintptr(k), uintptr(unsafe.Pointer(&vec[0]))); errno != 0 {
			return false
		}
		for _, v := range vec[:(k+page-1)/page] {
			if v&1 == 0 {
				return false
			}
		}
		lo += k
	}
	return true
}

// ReadFile reads len(p) bytes of the file fd at off with pread(2), which, unlike a page fault in
// a mapping, lets the Go scheduler run other goroutines on the processor while the disk works. It
// returns fewer bytes than asked, with io.EOF, only at the end of the file.
func ReadFile(fd uintptr, p []byte, off int64) (int, error) {
	n := 0
	for n < len(p) {
		k, err := unix.Pread(int(fd), p[n:], off+int64(n))
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return n, os.NewSyscallError("pread", err)
		}
		if k == 0 {
			return n, io.EOF
		}
		n += k
	}
	return n, nil
}
