//go:build linux || netbsd

package platform

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

const canMremap = true

func (m *Mapping) mremap(rawLength int) ([]byte, error) {
	switch {
	case m.Anonymous() && !m.private():
		// A shared anonymous mapping is backed by a shmem object of the original size: mremap
		// would grow the mapping but not the object, leaving the new tail unbacked (SIGBUS).
		return m.remapCopy(rawLength)
	case !m.Anonymous() && m.private():
		// The copy-on-write pages keep whatever they held past the mapping's end in its last
		// page, while the file there has since been truncated or grown: a fresh mapping shows the
		// file as it is now.
		return m.remapCopy(rawLength)
	}
	oldLength := len(m.raw)
	p, err := unix.MremapPtr(unsafe.Pointer(unsafe.SliceData(m.raw)), uintptr(oldLength), nil, uintptr(rawLength), mremapMayMove)
	if err != nil {
		return nil, os.NewSyscallError("mremap", err)
	}
	raw := unsafe.Slice((*byte)(p), rawLength)
	if m.Anonymous() && rawLength > oldLength {
		// The rest of the old last page still holds what an earlier, longer mapping wrote there:
		// grown memory must read as zeros.
		clear(raw[oldLength:min(rawLength, (oldLength+PageSize-1)/PageSize*PageSize)])
	}
	return raw, nil
}
