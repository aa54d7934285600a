// Package platform is the operating-system layer under package mmap: it maps, unmaps, flushes,
// advises and resizes memory mappings, and handles the descriptors behind them.
//
// Every function and method here has one signature on every GOOS; the per-OS files implement the
// lowercase pieces behind them. Offsets need no alignment: Map rounds the file offset down to
// AllocationGranularity, maps the extra bytes, and hands out the view that starts exactly at the
// requested offset (as Rust's memmap2 does). Sync and Advise widen their ranges to whole pages.
//
// Lengths of zero are the caller's business: POSIX mmap fails for length 0 and Windows cannot map
// an empty file, so package mmap represents empty regions without any mapping at all.
//
// Where CanRetire holds (the Unix systems), no function here unmaps a range that a reader may
// still be using, unless asked to (Unmap, Reservation.Release): Retire, and Resize when it shrinks
// or moves a mapping, replace the range with inaccessible reserved memory, so that a reader that
// touches it faults instead of reading whatever is mapped there next. The caller releases a
// retired range (Reservation.Release) once no reader can hold it.
package platform

//go:generate go run mkconst.go

import (
	"errors"
	"fmt"
	"math"
	"unsafe"
)

// NoFile is the descriptor passed to Map for an anonymous mapping (Python's fileno -1). It equals
// Windows' INVALID_HANDLE_VALUE, which CreateFileMapping takes for paging-file-backed memory.
const NoFile = ^uintptr(0)

// PageSize is the size of a virtual-memory page, the unit of Sync and Advise.
var PageSize = pageSize()

// AllocationGranularity is the alignment a mapping's file offset must have: the page size on
// Unix, 64 KiB on Windows.
var AllocationGranularity = allocationGranularity()

// Mapping is one live memory mapping. Its methods are not safe for concurrent use with each other;
// package mmap serialises them.
type Mapping struct {
	raw   []byte // exactly what the OS returned; Unmap and remap need this slice, not a reslice
	delta int    // bytes of raw before the requested offset
	size  int    // the requested length; Data is raw[delta : delta+size]

	fd     uintptr // NoFile for anonymous memory; owned by the caller
	offset int64   // the requested file offset
	prot   int
	flags  int
	sys    sysState // per-OS extras (the mapping object's handle on Windows)

	// Where CanRetire holds, raw is the whole address range reserved for the mapping, and only its
	// first mapped bytes (whole pages) are mapped; the rest is inaccessible, room to grow in place.
	mapped   int
	capacity int // for mapRaw: how much to reserve, if more than the mapping needs
}

// Map maps length bytes of the file fd starting at offset; fd NoFile maps anonymous memory. The
// offset needs no alignment. name is the Windows mapping object's name (empty for none) and is
// ignored elsewhere. length must be positive.
func Map(fd uintptr, offset int64, length int, prot, flags int, name string) (*Mapping, error) {
	if length <= 0 || offset < 0 {
		return nil, fmt.Errorf("platform.Map(offset=%d, length=%d): %w", offset, length, errInvalid)
	}
	gran := int64(AllocationGranularity)
	delta := int(offset % gran)
	if length > math.MaxInt-delta {
		return nil, fmt.Errorf("platform.Map(offset=%d, length=%d): length overflows the address space: %w", offset, length, errInvalid)
	}
	m := &Mapping{delta: delta, size: length, fd: fd, offset: offset, prot: prot, flags: flags}
	raw, err := m.mapRaw(offset-int64(delta), delta+length, name)
	if err != nil {
		return nil, err
	}
	m.raw = raw
	return m, nil
}

// Data returns the mapped bytes, starting exactly at the requested offset. The slice is valid until
// Unmap or Resize.
func (m *Mapping) Data() []byte {
	return m.raw[m.delta : m.delta+m.size : m.delta+m.size]
}

// A Reservation is the address range a Mapping occupies: its pages, the alignment bytes before
// Data and, where CanRetire holds, the room reserved past the end for Resize to grow into. It is a
// value that stays valid after the Mapping moves (Resize) or is retired, so that the range can be
// released later.
type Reservation struct {
	base unsafe.Pointer // outside the Go heap: the garbage collector ignores it
	size uintptr
}

// Reservation returns the address range the mapping occupies now.
func (m *Mapping) Reservation() Reservation {
	return Reservation{unsafe.Pointer(unsafe.SliceData(m.raw)), uintptr(len(m.raw))}
}

// Range returns the start and the size of the range.
func (r Reservation) Range() (base, size uintptr) { return uintptr(r.base), r.size }

// Contains reports whether addr lies inside the range.
func (r Reservation) Contains(addr uintptr) bool {
	base := uintptr(r.base)
	return addr >= base && addr-base < r.size
}

// Anonymous reports whether the mapping has no file behind it.
func (m *Mapping) Anonymous() bool { return m.fd == NoFile }

// Unmap releases the mapping. The Mapping must not be used afterwards.
func (m *Mapping) Unmap() error {
	if m.raw == nil {
		return nil
	}
	err := m.unmapRaw()
	m.raw = nil
	return err
}

// Sync writes the dirty pages of Data()[off:off+n] back to the file and waits for the write to
// finish. The range is widened to whole pages.
func (m *Mapping) Sync(off, n int) error {
	lo, hi := m.pageRange(off, n)
	if lo == hi {
		return nil
	}
	return m.sync(lo, hi)
}

// Advise passes advice for Data()[off:off+n] to the OS. The range is widened to whole pages. An
// advice the OS lacks (a negative value in this package's constants) is an error wrapping
// errors.ErrUnsupported.
func (m *Mapping) Advise(advice, off, n int) error {
	if advice < 0 {
		return fmt.Errorf("madvise(%d): this OS has no such advice: %w", advice, errors.ErrUnsupported)
	}
	lo, hi := m.pageRange(off, n)
	if lo == hi {
		return nil
	}
	return m.advise(advice, lo, hi)
}

// pageRange converts a range of Data into a page-aligned range of raw.
func (m *Mapping) pageRange(off, n int) (lo, hi int) {
	page := PageSize
	lo = (m.delta + off) / page * page
	hi = m.delta + off + n
	if r := hi % page; r != 0 {
		hi += page - r
	}
	if hi > len(m.raw) {
		hi = len(m.raw)
	}
	return lo, hi
}

// remap changes the mapping's length to newLength (> 0, or >= 0 where CanRetire holds), keeping
// its contents up to the shorter of the two lengths; the file's size is the caller's business
// (Resize does both). On failure the mapping is unchanged. Data may move: any slice from before is
// stale. Where CanRetire holds, a range that the mapping leaves (its tail when it shrinks, all of
// it when it moves) is never unmapped: it becomes inaccessible, and stays reserved until its
// Reservation is released.
func (m *Mapping) remap(newLength int) error {
	if newLength < 0 || newLength == 0 && !CanRetire || newLength > math.MaxInt-m.delta {
		return fmt.Errorf("platform.remap(%d): %w", newLength, errInvalid)
	}
	raw, err := m.remapRaw(m.delta + newLength)
	if err != nil {
		return err
	}
	m.raw = raw
	m.size = newLength
	return nil
}

// Resize changes the length of the mapping m of the file fd (NoFile: anonymous memory) to
// newLength and, for a file, sets the file's size to offset+newLength: grown files get zeros. m is
// nil for a region of length 0 (no mapping); Resize maps afresh then. For a newLength of 0 it
// unmaps and returns nil, except where CanRetire holds: there it keeps m, with an empty Data and
// its range reserved. The contents up to the shorter length are kept. prot, flags and name are
// those the mapping was made with.
//
// Where CanRetire holds, Resize never unmaps a range that a reader may still be using: it grows and
// shrinks in place inside the reservation when it can, and when the mapping must move it retires
// the old range (see Retire), which the caller releases through the old Reservation.
//
// Resize always returns the mapping in place when it returns, even with an error: on failure that
// is the old mapping (or, where the OS had to let it go first, an equal one at the same length)
// and the file has its old size. Data moves either way: any slice from before is stale.
//
// The order of the steps is the OS's business, which is why truncating and remapping are one call:
// Unix grows the file before the mapping and shrinks it after; Windows cannot change the size of a
// file while any view of it exists, so it unmaps first.
func Resize(m *Mapping, fd uintptr, offset int64, newLength, prot, flags int, name string) (*Mapping, error) {
	if newLength < 0 || offset < 0 || fd != NoFile && int64(newLength) > math.MaxInt64-offset {
		return m, fmt.Errorf("platform.Resize(offset=%d, length=%d): %w", offset, newLength, errInvalid)
	}
	if fd == NoFile {
		switch {
		case newLength == 0 && !CanRetire:
			if m != nil {
				if err := m.Unmap(); err != nil {
					return m, err
				}
			}
			return nil, nil
		case m == nil:
			return Map(fd, offset, newLength, prot, flags, name)
		}
		return m, m.remap(newLength)
	}

	oldSize, err := FileSize(fd)
	if err != nil {
		return m, err
	}
	newSize := offset + int64(newLength)
	switch {
	case m == nil:
		if err := truncate(fd, newSize); err != nil || newLength == 0 {
			return nil, err
		}
		nm, err := Map(fd, offset, newLength, prot, flags, name)
		if err != nil {
			return nil, errors.Join(err, truncate(fd, oldSize))
		}
		return nm, nil
	case newLength == 0 && !CanRetire:
		// Unmap first: the pages past the new end of the file would fault, and Windows refuses
		// to truncate a mapped file.
		// Check first that the file's size can change (see resizeTruncateRemap): private changes
		// do not survive the unmapping.
		if err := truncate(fd, oldSize); err != nil {
			return m, err
		}
		oldLength := m.size
		if err := m.Unmap(); err != nil {
			return m, err
		}
		if err := truncate(fd, newSize); err != nil {
			nm, merr := Map(fd, offset, oldLength, prot, flags, name)
			return nm, errors.Join(err, merr)
		}
		return nil, nil
	}
	err = m.resizeFile(newLength, newSize, oldSize)
	if m.raw == nil { // the OS had to let the mapping go and could not make it again
		return nil, err
	}
	return m, err
}

var errInvalid = errors.New("invalid argument")

// Class is what Classify makes of an error.
type Class int

// The classes of Classify.
const (
	Other Class = iota
	Invalid
	Permission
	Unsupported
)

// Classify sorts an error from this package by its cause: a bad argument or a resource limit
// (Invalid), a write the file, descriptor or mount does not allow (Permission), something the OS
// cannot do (Unsupported), or anything else, such as an I/O error (Other).
func Classify(err error) Class {
	switch {
	case errors.Is(err, errors.ErrUnsupported):
		return Unsupported
	case errors.Is(err, errInvalid):
		return Invalid
	}
	return classifyErrno(err)
}
