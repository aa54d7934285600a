//go:build unix

package platform

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

type sysState struct{}

// MapsWithoutFile reports whether a mapping stays fully usable (read, written, flushed) once the
// descriptor it was made from is closed: on Unix, msync needs only the memory.
const MapsWithoutFile = true

func pageSize() int              { return unix.Getpagesize() }
func allocationGranularity() int { return unix.Getpagesize() }

func (m *Mapping) private() bool { return m.flags&unix.MAP_PRIVATE != 0 }

func (m *Mapping) mapRaw(alignedOffset int64, rawLength int, _ string) ([]byte, error) {
	mapped := pageUp(rawLength)
	reserve := max(mapped, m.capacity)
	// MmapPtr rather than Mmap: x/sys's Mmap records every mapping in a global table behind a
	// mutex; we keep the exact slice ourselves.
	p, err := unix.MmapPtr(-1, 0, nil, uintptr(reserve), unix.PROT_NONE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		return nil, os.NewSyscallError("mmap", err)
	}
	if err := m.mapAt(p, alignedOffset, 0, mapped); err != nil {
		unix.MunmapPtr(p, uintptr(reserve))
		return nil, err
	}
	m.mapped = mapped
	return unsafe.Slice((*byte)(p), reserve), nil
}

// mapAt maps bytes [from, to) of the mapping, whose first page is at base and maps the file at
// alignedOffset, over what is at those addresses now (MAP_FIXED).
func (m *Mapping) mapAt(base unsafe.Pointer, alignedOffset int64, from, to int) error {
	fd, off := int(m.fd), alignedOffset+int64(from)
	flags := m.flags | unix.MAP_FIXED
	if m.fd == NoFile {
		fd, off = -1, 0
		flags |= unix.MAP_ANON
	}
	_, err := unix.MmapPtr(fd, off, unsafe.Add(base, from), uintptr(to-from), m.prot, flags)
	if err != nil {
		return os.NewSyscallError("mmap", err)
	}
	return nil
}

// pageUp rounds n up to a whole number of pages.
func pageUp(n int) int { return (n + PageSize - 1) / PageSize * PageSize }

func (m *Mapping) unmapRaw() error {
	if err := unix.MunmapPtr(unsafe.Pointer(unsafe.SliceData(m.raw)), uintptr(len(m.raw))); err != nil {
		return os.NewSyscallError("munmap", err)
	}
	return nil
}

func (m *Mapping) sync(lo, hi int) error {
	if err := unix.Msync(m.raw[lo:hi], unix.MS_SYNC); err != nil {
		return os.NewSyscallError("msync", err)
	}
	return nil
}

func (m *Mapping) advise(advice, lo, hi int) error {
	if err := unix.Madvise(m.raw[lo:hi], advice); err != nil {
		return os.NewSyscallError("madvise", err)
	}
	return nil
}

// CloseFile closes a descriptor returned by Dup.
func CloseFile(fd uintptr) error {
	if err := unix.Close(int(fd)); err != nil {
		return os.NewSyscallError("close", err)
	}
	return nil
}

// Truncate sets the size of the file fd.
func Truncate(fd uintptr, size int64) error {
	if err := unix.Ftruncate(int(fd), size); err != nil {
		return os.NewSyscallError("ftruncate", err)
	}
	return nil
}

// FileSize returns the size of the file fd.
func FileSize(fd uintptr) (int64, error) {
	var st unix.Stat_t
	if err := unix.Fstat(int(fd), &st); err != nil {
		return 0, os.NewSyscallError("fstat", err)
	}
	return st.Size, nil
}

// resizeFile changes a file mapping's length and the file's size together; see Resize.
func (m *Mapping) resizeFile(newLength int, newSize, oldSize int64) error {
	return m.resizeTruncateRemap(newLength, newSize, oldSize)
}
