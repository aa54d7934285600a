//go:build unix

package platform

import (
	"math"
	"os"
	"strconv"
	"unsafe"

	"golang.org/x/sys/unix"
)

// CanRetire reports whether this OS can replace a mapped range, in one step, with an inaccessible
// reservation (mmap of PROT_NONE anonymous memory with MAP_FIXED over it). Where it can, Retire
// and Resize never unmap memory that a reader may still be using, and readers need no lock: a
// reader that touches a retired range faults, and the fault says it raced.
const CanRetire = true

// Retire makes the whole range of the mapping inaccessible without giving it back: a touch
// faults instead of reaching the file, the memory, or some later mapping at the same address. The
// descriptor is the caller's. The Mapping must not be used afterwards; its Reservation, taken
// before, releases the range.
func (m *Mapping) Retire() error {
	if m.raw == nil {
		return nil
	}
	err := reserve(unsafe.Pointer(unsafe.SliceData(m.raw)), len(m.raw))
	m.raw, m.mapped = nil, 0
	return err
}

// Release gives the range back to the OS (munmap), whatever is mapped there. Call it once, when
// nothing can touch the range any more.
func (r Reservation) Release() error {
	if r.size == 0 {
		return nil
	}
	if err := unix.MunmapPtr(r.base, r.size); err != nil {
		return os.NewSyscallError("munmap", err)
	}
	return nil
}

// reserve replaces n bytes at p with inaccessible memory that holds no pages.
func reserve(p unsafe.Pointer, n int) error {
	_, err := unix.MmapPtr(-1, 0, p, uintptr(n), unix.PROT_NONE, unix.MAP_PRIVATE|unix.MAP_ANON|unix.MAP_FIXED)
	if err != nil {
		return os.NewSyscallError("mmap(PROT_NONE, MAP_FIXED)", err)
	}
	return nil
}

// remapRaw changes the mapping's length to rawLength bytes of raw. Inside the reservation it works
// in place: growing maps the new pages over the reserved room (the pages before stay as they are,
// under any reader), shrinking replaces the pages past the new end with reserved room. Past the
// reservation it moves: a new, larger reservation, the mapping made again at its start, the
// contents that only the old one held (anonymous and private memory) copied over, and the old range
// retired. The caller keeps writers out while this runs; readers may go on, and see either the old
// bytes or a fault in a retired range.
func (m *Mapping) remapRaw(rawLength int) ([]byte, error) {
	oldLength := m.delta + m.size
	newMapped := 0
	if rawLength > m.delta {
		newMapped = pageUp(rawLength)
	}
	base := unsafe.Pointer(unsafe.SliceData(m.raw))
	aligned := m.offset - int64(m.delta)
	if newMapped > len(m.raw) || forceMove && newMapped > m.mapped {
		return m.move(rawLength)
	}
	if newMapped > m.mapped {
		if err := m.mapAt(base, aligned, m.mapped, newMapped); err != nil {
			return nil, err
		}
	}
	if rawLength > oldLength && m.size > 0 && (m.Anonymous() || m.private()) {
		// The rest of the old last page still holds what a longer mapping wrote there (a private
		// page keeps it even after the file was cut): grown memory must read as zeros. Shared file
		// pages need nothing: the kernel zeroes the part of a page past the end of the file.
		clear(m.raw[oldLength:min(rawLength, m.mapped)])
	}
	if newMapped < m.mapped {
		if err := reserve(unsafe.Add(base, newMapped), m.mapped-newMapped); err != nil {
			return nil, err
		}
	}
	m.mapped = newMapped
	return m.raw, nil
}

// forceMove makes every growing remapRaw move, so that tests cover that path without filling a
// reservation first.
var forceMove = false

// move is remapRaw past the reservation.
func (m *Mapping) move(rawLength int) ([]byte, error) {
	fresh := &Mapping{delta: m.delta, size: rawLength - m.delta, fd: m.fd, offset: m.offset, prot: m.prot, flags: m.flags,
		capacity: growCapacity(len(m.raw), rawLength)}
	aligned := m.offset - int64(m.delta)
	raw, err := fresh.mapRaw(aligned, rawLength, "")
	if err != nil && fresh.capacity > pageUp(rawLength) {
		fresh.capacity = 0 // no room for the headroom: map just what is asked
		raw, err = fresh.mapRaw(aligned, rawLength, "")
	}
	if err != nil {
		return nil, err
	}
	if m.Anonymous() || m.private() {
		copy(raw, m.raw[:m.delta+m.size])
	}
	if err := m.Retire(); err != nil {
		unix.MunmapPtr(unsafe.Pointer(unsafe.SliceData(raw)), uintptr(len(raw)))
		return nil, err
	}
	m.mapped, m.sys = fresh.mapped, fresh.sys
	return raw, nil
}

// growCapacity is how much address space a mapping that outgrew its reservation of old bytes
// reserves for rawLength: twice as much, so that a region that keeps growing moves O(log n) times,
// or a quarter more on 32-bit systems, whose address space is scarce.
func growCapacity(old, rawLength int) int {
	grown := old * 2
	if strconv.IntSize == 32 {
		grown = old + old/4
	}
	if grown < old { // overflow
		grown = math.MaxInt
	}
	return pageUp(max(rawLength, min(grown, math.MaxInt-PageSize)))
}
