package mmap

import (
	"errors"
	"sort"
	"strconv"
	"strings"

	"github.com/mmapio/mmap/platform"
)

// The methods in this file go beyond Python's mmap object: what programs that map files (databases,
// indexes, time-series stores) otherwise write by hand with golang.org/x/sys. Each takes its range
// as Flush does: none for the whole region, an offset for the bytes from there to the end, or an
// offset and a size; the range is widened to whole pages. Each returns, in this order, ErrClosed
// after Close, ErrReadOnly where it would make a read-only region writable, ErrOutOfRange for a
// range outside the region, and an error matching errors.ErrUnsupported where the OS cannot do it.

// memoryState is what the methods of this file keep in a Region. The lock guards it as it guards
// the rest of the Region.
type memoryState struct {
	access Access // as asked for, for String

	// readOnly holds the ranges of the region that Protect made read-only while the region itself
	// is writable: sorted, disjoint, not adjacent. nil when there are none, which is all that the
	// write methods check on their fast path.
	readOnly []span

	name string // the name SetName gave, given again after Resize; "" for none
}

// span is the range [lo, hi) of a region.
type span struct{ lo, hi int }

// protects reports whether any of the n bytes at off lies in a range made read-only, and returns
// that range. n may reach past the end of the region; a check of it comes later.
func (s *memoryState) protects(off, n int) (span, bool) {
	if n <= 0 {
		return span{}, false
	}
	// The first range that ends after off (a binary search, as sort.Search without its closure);
	// the bytes meet it if it starts before off+n (written so that off+n cannot overflow).
	lo, hi := 0, len(s.readOnly)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if s.readOnly[mid].hi > off {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if lo < len(s.readOnly) && s.readOnly[lo].lo-off < n {
		return s.readOnly[lo], true
	}
	return span{}, false
}

// writableEnd returns how far from off, up to end, the bytes are writable: off itself when off is
// in a read-only range.
func (s *memoryState) writableEnd(off, end int) int {
	if sp, ok := s.protects(off, end-off); ok {
		return max(off, sp.lo)
	}
	return end
}

// setProtected marks [lo, hi) read-only (or writable again), merging it with the ranges already
// marked.
func (s *memoryState) setProtected(lo, hi int, readOnly bool) {
	if lo >= hi {
		return
	}
	var out []span
	for _, sp := range s.readOnly {
		// Keep the parts of each range outside [lo, hi).
		if sp.lo < lo {
			out = append(out, span{sp.lo, min(sp.hi, lo)})
		}
		if sp.hi > hi {
			out = append(out, span{max(sp.lo, hi), sp.hi})
		}
	}
	if readOnly {
		out = append(out, span{lo, hi})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].lo < out[j].lo })
	merged := out[:0]
	for _, sp := range out {
		if n := len(merged); n > 0 && merged[n-1].hi >= sp.lo {
			merged[n-1].hi = max(merged[n-1].hi, sp.hi)
			continue
		}
		merged = append(merged, sp)
	}
	s.readOnly = nil
	if len(merged) > 0 {
		s.readOnly = merged
	}
}

// readOnlyError is the error of a write that meets a range Protect made read-only.
func (r *Region) readOnlyError(c call, sp span) error {
	return newError(ErrReadOnly, c.String(), nil, "bytes %d to %d were made read-only by Protect", sp.lo, sp.hi)
}

// String describes the region as Python's repr of an mmap does, without its bytes:
// "<mmap.Region closed=false, access=AccessWrite, length=4096, pos=0, offset=0>". After Close,
// length and pos are 0. String is safe for concurrent use, except with the methods that move the
// cursor, which it reads.
func (r *Region) String() string {
	v := r.view.Load()
	pos, _ := r.cursor(v)
	if v.closed {
		pos = 0
	}
	return "<mmap.Region closed=" + strconv.FormatBool(v.closed) +
		", access=" + r.mem.access.String() +
		", length=" + strconv.Itoa(len(v.data)) +
		", pos=" + strconv.Itoa(pos) +
		", offset=" + strconv.FormatInt(r.state.offset, 10) + ">"
}

// rangeArgs resolves the optional offset and size of the methods in this file as Flush does, and
// names them in c: lead is the part of the call before them ("Region.Prefetch(", or
// "Region.Protect(prot=%d, " with leadArgs holding prot). It returns the error for too many
// bounds, after ErrClosed. The caller holds the lock.
func (r *Region) rangeArgs(v *view, c *call, lead string, bounds []int, leadArgs ...int64) (offset, size int, err error) {
	n := len(v.data)
	offset, size = 0, n
	put := func(format string, nums ...int64) {
		var args [3]int64
		copy(args[copy(args[:], leadArgs):], nums)
		c.format = lead + format
		c.a, c.b, c.c = args[0], args[1], args[2]
	}
	switch len(bounds) {
	case 0:
		lead = strings.TrimSuffix(lead, ", ")
		put(")")
	case 1:
		offset, size = bounds[0], n-bounds[0]
		put("offset=%d)", int64(offset))
	case 2:
		offset, size = bounds[0], bounds[1]
		put("offset=%d, size=%d)", int64(offset), int64(size))
	default:
		put("%d bounds)", int64(len(bounds)))
		if v.closed {
			return 0, 0, newError(ErrClosed, c.String(), nil, "")
		}
		return 0, 0, newError(ErrInvalid, c.String(), nil, "takes at most offset and size")
	}
	if v.closed {
		return 0, 0, newError(ErrClosed, c.String(), nil, "")
	}
	return offset, size, nil
}

// checkRange is rangeArgs' bounds check, the last of the argument checks.
func (r *Region) checkRange(v *view, c *call, offset, size int) error {
	n := len(v.data)
	if offset < 0 || size < 0 || offset > n || size > n-offset {
		return newError(ErrOutOfRange, c.String(), nil, "region length %d", n)
	}
	return nil
}

// FlushAsync starts writing changes made through the region back to the file, and returns without
// waiting for them to get there (msync with MS_ASYNC; FlushViewOfFile alone on Windows): the
// MS_ASYNC flush of Python 3.15. Its bounds are Flush's. As Flush, for AccessRead and AccessCopy
// regions, and for anonymous memory, it checks the bounds and does nothing. On Linux the pages are
// already on their way (the kernel writes dirty pages back in its own time); call Flush to know
// that they are on the disk.
func (r *Region) FlushAsync(bounds ...int) error {
	return r.onRange("Region.FlushAsync(", bounds, func(m *platform.Mapping, offset, size int) error {
		if r.fixed || m.Anonymous() {
			return nil
		}
		return m.SyncAsync(offset, size)
	})
}

// onRange runs op over the range bounds name, as the range methods of this file do: it holds the
// region, checks the bounds as Flush does, and calls op only for a non-empty range of a region that
// has a mapping; an error from op is wrapped as an OS error of the call. lead is the call's name up
// to its bounds ("Region.Prefetch(").
func (r *Region) onRange(lead string, bounds []int, op func(m *platform.Mapping, offset, size int) error) (err error) {
	c := call{}
	v, token, old := r.enter()
	defer r.leave(v, token, old, &err, &c)
	offset, size, err := r.rangeArgs(v, &c, lead, bounds)
	if err != nil {
		return err
	}
	if err := r.checkRange(v, &c, offset, size); err != nil {
		return err
	}
	if r.state.m == nil || size == 0 {
		return nil
	}
	if err := op(r.state.m, offset, size); err != nil {
		return osError(c.String(), err)
	}
	return nil
}

// Prefetch brings the region's pages into memory before they are touched, so that the page
// faults (and the disk reads behind them) happen in this call rather than on the critical path of
// the reads that follow. Its bounds are Flush's.
//
// On Linux 5.14 and later it populates the page tables (MADV_POPULATE_READ, or
// MADV_POPULATE_WRITE for writable anonymous memory) and returns once the pages are in; a range
// that the file no longer backs (it was truncated) is then an error matching ErrFault here,
// instead of a fault on a later access. Older kernels, the other Unix systems and Windows only ask
// for the pages (MADV_WILLNEED, PrefetchVirtualMemory) and return at once. On emulated regions
// (js, wasip1, plan9) every byte is in memory already and Prefetch does nothing.
func (r *Region) Prefetch(bounds ...int) error {
	return r.onRange("Region.Prefetch(", bounds, (*platform.Mapping).Prefetch)
}

// Resident returns how many of the pages that hold the range are in memory, so that a caller can
// choose between touching the mapping and reading the file (a page fault blocks the goroutine's
// thread; a read(2) lets the scheduler run others). Its bounds are Flush's; the pages counted are
// those that hold any byte of the range, at most ceil(size/PageSize)+1 of them. An empty region or
// range has none.
//
// Unix systems answer with mincore(2), which for a file mapping reports the file's pages in the
// page cache (Linux reports only pages mapped by this process unless the process may write the
// file). Windows answers with QueryWorkingSetEx: pages in this process's working set, so a page
// in the system's file cache that this process has not touched yet does not count. OpenBSD,
// Solaris and AIX (no mincore in golang.org/x/sys) return an error matching
// errors.ErrUnsupported. Emulated regions (js, wasip1, plan9) are ordinary memory: every page
// counts.
func (r *Region) Resident(bounds ...int) (pages int, err error) {
	err = r.onRange("Region.Resident(", bounds, func(m *platform.Mapping, offset, size int) error {
		var err error
		pages, _, err = m.Resident(offset, size)
		return err
	})
	if err != nil {
		return 0, err
	}
	return pages, nil
}

// Lock keeps the pages of the range in memory, read in if they were not, until Unlock, Resize or
// Close (mlock; VirtualLock on Windows). Its bounds are Flush's. The OS limits how much memory a
// process may lock: past that limit Lock returns an error matching ErrInvalid that names it
// (RLIMIT_MEMLOCK on Unix, "ulimit -l", unless the process has CAP_IPC_LOCK on Linux; the minimum
// working set size on Windows) and wraps the OS's error (ENOMEM or EPERM;
// ERROR_WORKING_SET_QUOTA). Locks do not nest: one Unlock undoes any number of Locks of a page.
// Emulated regions (js, wasip1, plan9) return an error matching errors.ErrUnsupported.
func (r *Region) Lock(bounds ...int) error {
	return r.onRange("Region.Lock(", bounds, (*platform.Mapping).Lock)
}

// Unlock lets the OS page out the range again after Lock (munlock; VirtualUnlock on Windows). Its
// bounds are Flush's; pages that were not locked are no error.
func (r *Region) Unlock(bounds ...int) error {
	return r.onRange("Region.Unlock(", bounds, (*platform.Mapping).Unlock)
}

// Protect changes the protection of the range (mprotect; VirtualProtect on Windows), as Rust's
// memmap2 does with make_read_only and make_mut. prot is PROT_READ, alone or with PROT_WRITE
// and PROT_EXEC; anything else is ErrInvalid. Its bounds are Flush's, and the range is widened to
// whole pages: the new protection holds for every byte of those pages.
//
// After Protect(PROT_READ, ...), a write through the Region's methods (Write, WriteAt, WriteByte,
// WriteString, Move) that reaches those pages returns ErrReadOnly and changes nothing. ReadFrom
// fills up to them, and returns ErrReadOnly there if the source holds more (one byte more has then
// been consumed from it, as at the end of the region). A write inside Guard's function faults,
// and Guard returns ErrFault; a write through Bytes outside Guard kills the process, as with any
// read-only memory. Protect with PROT_WRITE makes the pages writable again. A region that is read-only itself
// (AccessRead, or AccessDefault without PROT_WRITE) cannot be made writable: ErrReadOnly.
// Resize gives the whole region back the protection it was made with.
//
// Protect waits for calls in flight, as Resize does, so that a write runs wholly before or wholly
// after it. PROT_EXEC on a file from a file system mounted noexec is refused by the OS (an error
// matching ErrReadOnly); on Windows it needs a region mapped with PROT_EXEC (Options.Prot), and
// is ErrInvalid otherwise. Emulated regions (js, wasip1, plan9) return an error matching
// errors.ErrUnsupported.
func (r *Region) Protect(prot int, bounds ...int) error {
	var c call
	r.lock.lock()
	defer r.lock.unlock()
	v := r.view.Load()
	offset, size, err := r.rangeArgs(v, &c, "Region.Protect(prot=%d, ", bounds, int64(prot))
	switch {
	case err != nil:
		return err
	case r.readOnly && prot&PROT_WRITE != 0:
		return newError(ErrReadOnly, c.String(), nil, "a read-only region cannot be made writable")
	}
	if err := r.checkRange(v, &c, offset, size); err != nil {
		return err
	}
	if prot&^(PROT_READ|PROT_WRITE|PROT_EXEC) != 0 || prot&PROT_READ == 0 {
		return newError(ErrInvalid, c.String(), nil, "prot %#x: PROT_READ (%#x), with PROT_WRITE (%#x) or PROT_EXEC (%#x) or both", prot, PROT_READ, PROT_WRITE, PROT_EXEC)
	}
	if r.state.m == nil || size == 0 {
		return nil
	}
	lo, hi, err := r.state.m.Protect(prot, offset, size)
	if err != nil {
		return osError(c.String(), err)
	}
	if !r.readOnly {
		r.mem.setProtected(lo, hi, prot&PROT_WRITE == 0)
	}
	return nil
}

// resetProtection gives the whole mapping back the protection it was made with, before Resize
// remaps it: mremap cannot move a mapping that Protect split into parts, and copying memory that
// is not readable would fault. The caller holds the lock exclusively.
func (r *Region) resetProtection() error {
	if r.mem.readOnly == nil || r.state.m == nil {
		return nil
	}
	if err := r.state.m.ResetProtection(); err != nil {
		return err
	}
	r.mem.readOnly = nil
	return nil
}

// renameAfterResize gives the name SetName set to the mapping Resize made, which may be a new
// one. The caller holds the lock exclusively.
func (r *Region) renameAfterResize() error {
	if r.mem.name == "" || r.state.m == nil {
		return nil
	}
	return r.state.m.SetName(r.mem.name)
}

// SetName names the region's anonymous memory for the OS's tools: on Linux 5.17 and later
// (PR_SET_VMA_ANON_NAME), /proc/PID/maps and smaps show it as [anon:name], or [anon_shmem:name]
// for shared anonymous memory (Linux 6.2 and later; the default of Anonymous). An empty name
// removes the name. Resize keeps the name. A name is at most 79 bytes of printable ASCII
// without `\`, "`", "$", "[" or "]" (Linux's rules, applied everywhere): anything else is
// ErrInvalid.
//
// A file-backed region, an older kernel or one built without CONFIG_ANON_VMA_NAME, and every
// other OS return an error matching errors.ErrUnsupported. An empty anonymous region has no memory
// to name: on Linux, SetName checks the name and keeps it for a later Resize.
func (r *Region) SetName(name string) error {
	op := "Region.SetName(" + strconv.Quote(name) + ")"
	r.lock.lock()
	defer r.lock.unlock()
	switch {
	case r.view.Load().closed:
		return newError(ErrClosed, op, nil, "")
	case r.state.fd != platform.NoFile || r.untracked:
		return newError(errors.ErrUnsupported, op, nil, "only anonymous memory takes a name; this region maps a file")
	}
	if err := platform.CheckName(name); err != nil {
		return osError(op, err)
	}
	switch {
	case r.state.m != nil:
		if err := r.state.m.SetName(name); err != nil {
			return osError(op, err)
		}
	case !platform.NamesMemory:
		return newError(errors.ErrUnsupported, op, nil, "only Linux can name anonymous memory")
	}
	r.mem.name = name
	return nil
}
