//go:build unix

package platform

import (
	"math"
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// CanFault reports whether touching a mapping's bytes can raise a memory fault: SIGBUS past the
// end of a truncated file, SIGSEGV in a retired range.
const CanFault = true

type sysState struct{}

// MapsWithoutFile reports whether a mapping stays fully usable (read, written, flushed) once the
// descriptor it was made from is closed: on Unix, msync needs only the memory.
const MapsWithoutFile = true

func pageSize() int              { return unix.Getpagesize() }
func allocationGranularity() int { return unix.Getpagesize() }

func (m *Mapping) private() bool { return m.flags&unix.MAP_PRIVATE != 0 }

func (m *Mapping) mapRaw(alignedOffset int64, rawLength int, _ string) ([]byte, error) {
	mapped := pageUp(rawLength)
	m.mapped = mapped
	if m.capacity <= mapped {
		// Just the mapping, where the kernel likes it: it puts a large file mapping at an address
		// from which it can map the page cache's large folios with huge pages (one TLB entry
		// for 2 MiB), which random reads feel.
		return m.mapFresh(alignedOffset, mapped)
	}
	// A reservation with room to grow: inaccessible memory, with the mapping made over its start.
	p, reserve, err := reserveAligned(m.capacity, alignedOffset)
	if err != nil {
		return nil, err
	}
	if err := m.mapAt(p, alignedOffset, 0, mapped); err != nil {
		unix.MunmapPtr(p, uintptr(reserve))
		return nil, err
	}
	return unsafe.Slice((*byte)(p), reserve), nil
}

func (m *Mapping) mapFresh(alignedOffset int64, length int) ([]byte, error) {
	fd, flags := int(m.fd), m.flags
	if m.fd == NoFile {
		fd, flags, alignedOffset = -1, flags|unix.MAP_ANON, 0
	}
	// MmapPtr rather than Mmap: x/sys's Mmap records every mapping in a global table behind a
	// mutex; we keep the exact slice ourselves.
	p, err := unix.MmapPtr(fd, alignedOffset, nil, uintptr(length), m.prot, flags)
	if err != nil {
		return nil, os.NewSyscallError("mmap", err)
	}
	return unsafe.Slice((*byte)(p), length), nil
}

// hugeAlign is the size of a huge page on the systems that map files with them (2 MiB on x86-64
// and arm64 with 4 KiB pages): a reservation at least that large starts where the file offset it
// maps, modulo hugeAlign, says, as the kernel would place the mapping itself.
const hugeAlign = 2 << 20

// reserveAligned reserves n bytes (at least) of inaccessible memory, placed so that a mapping of
// the file at alignedOffset made at its start can use huge pages. It returns the start and the
// length reserved.
func reserveAligned(n int, alignedOffset int64) (unsafe.Pointer, int, error) {
	slack := 0
	if n >= hugeAlign && n <= math.MaxInt-hugeAlign {
		slack = hugeAlign
	}
	p, err := unix.MmapPtr(-1, 0, nil, uintptr(n+slack), unix.PROT_NONE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		return nil, 0, os.NewSyscallError("mmap", err)
	}
	if slack == 0 {
		return p, n, nil
	}
	// Skip to the first address congruent to the offset, and give back the slack on both sides.
	want := uintptr(alignedOffset) % hugeAlign
	skip := (want - uintptr(p)%hugeAlign + hugeAlign) % hugeAlign
	if skip > 0 {
		unix.MunmapPtr(p, skip)
	}
	if tail := uintptr(slack) - skip; tail > 0 {
		unix.MunmapPtr(unsafe.Add(p, uintptr(n)+skip), tail)
	}
	return unsafe.Add(p, skip), n, nil
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

// truncate sets the size of the file fd.
func truncate(fd uintptr, size int64) error {
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
