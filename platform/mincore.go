//go:build darwin || dragonfly || freebsd || linux || netbsd

package platform

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// resident counts the pages mincore(2) reports in memory (bit 0 of each byte of its vector, on
// every system here). x/sys/unix has no wrapper for it. The vector is filled in chunks, so that a
// huge range takes no huge buffer.
func (m *Mapping) resident(lo, hi int) (int, error) {
	const chunkPages = 4096
	var vec [chunkPages]byte
	page := PageSize
	count := 0
	for lo < hi {
		n := min(hi-lo, chunkPages*page)
		addr := unsafe.Pointer(unsafe.SliceData(m.raw[lo:]))
		if _, _, errno := unix.Syscall(unix.SYS_MINCORE, uintptr(addr), uintptr(n), uintptr(unsafe.Pointer(&vec[0]))); errno != 0 {
			return count, os.NewSyscallError("mincore", errno)
		}
		for _, v := range vec[:(n+page-1)/page] {
			count += int(v & 1)
		}
		lo += n
	}
	return count, nil
}
