//go:build linux || netbsd

package platform

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

const canMremap = true

func (m *Mapping) mremap(rawLength int) ([]byte, error) {
	if m.Anonymous() && !m.private() {
		// A shared anonymous mapping is backed by a shmem object of the original size: mremap
		// would grow the mapping but not the object, leaving the new tail unbacked (SIGBUS).
		return m.remapCopy(rawLength)
	}
	p, err := unix.MremapPtr(unsafe.Pointer(unsafe.SliceData(m.raw)), uintptr(len(m.raw)), nil, uintptr(rawLength), mremapMayMove)
	if err != nil {
		return nil, os.NewSyscallError("mremap", err)
	}
	return unsafe.Slice((*byte)(p), rawLength), nil
}
