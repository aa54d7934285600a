package mmap

import (
	"errors"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync/atomic"

	"github.com/mmapio/mmap/platform"
)

// Access says how a Region may be used and whether writes reach the file, as Python's access
// argument does.
type Access int

const (
	// AccessDefault lets Options.Flags and Options.Prot decide (MAP_SHARED and
	// PROT_READ|PROT_WRITE when they are 0). Without PROT_WRITE the region is read-only.
	AccessDefault Access = iota
	// AccessRead maps read-only: every write returns ErrReadOnly.
	AccessRead
	// AccessWrite maps read-write and shared: writes reach the file (write-through).
	AccessWrite
	// AccessCopy maps copy-on-write: writes change the region, never the file.
	AccessCopy
)

func (a Access) String() string {
	switch a {
	case AccessDefault:
		return "AccessDefault"
	case AccessRead:
		return "AccessRead"
	case AccessWrite:
		return "AccessWrite"
	case AccessCopy:
		return "AccessCopy"
	}
	return "Access(" + strconv.Itoa(int(a)) + ")"
}

// Options are the optional arguments of New and Anonymous. The zero value (or a nil *Options) maps
// read-write and shared from offset 0, like Python's defaults.
type Options struct {
	// Access is Python's access argument. It cannot be combined with non-zero Flags or Prot.
	Access Access
	// Flags are MAP_* flags for AccessDefault; 0 means MAP_SHARED. MAP_ANON is added for Anonymous.
	Flags int
	// Prot are PROT_* bits for AccessDefault; 0 means PROT_READ|PROT_WRITE.
	Prot int
	// Offset is where the region starts in the file. Any value >= 0 works: the mapping is made from
	// the offset rounded down to AllocationGranularity and the region starts exactly at Offset.
	// Anonymous regions take only 0.
	Offset int64
	// TagName names the Windows file-mapping object, so that regions (and processes) using the same
	// name share memory. It is ignored on other systems.
	TagName string
	// NoTrackFD is Python 3.13's trackfd=False: New keeps no duplicate of the file's descriptor, so
	// that the region holds no descriptor at all and is not tied to the file. Size, Resize and File
	// then return an error matching errors.ErrUnsupported; reads, writes and Flush work as before.
	// The zero value keeps a duplicate, as Python does by default. Unix only, as in Python: on
	// Windows (where Flush needs the file's handle) and where mappings are emulated, New returns
	// errors.ErrUnsupported. Anonymous ignores it.
	NoTrackFD bool

	// Populate reads every page in while mapping (Prefetch of the whole region, which on Linux
	// 5.14 and later also reports a range the file cannot back as an error now rather than as a
	// fault later), so that the first touch of each page costs no page fault. It covers what New or
	// Anonymous maps: pages that Resize adds are faulted in when touched.
	Populate bool
	// NoReserve maps without reserving swap space for the region's private or anonymous pages
	// (MAP_NORESERVE on Linux, NetBSD, OpenBSD, Solaris and macOS; ignored elsewhere): for a large
	// sparse region, a write may then fail for lack of memory, as a fault (ErrFault), instead of
	// the mapping failing up front.
	NoReserve bool
	// Lock keeps the mapped pages in memory from the start, as Region.Lock does (mlock,
	// VirtualLock): New and Anonymous fail, naming the OS's limit (RLIMIT_MEMLOCK), if it cannot.
	// Pages that Resize adds are not locked; call Lock again for them.
	Lock bool
	// Preallocate reserves the file's disk blocks for what the region maps, at New and whenever
	// Resize grows it (fallocate on Linux, F_PREALLOCATE on macOS; Windows allocates when a file
	// grows anyway), so that a full disk is an error from New or Resize, matching the OS's ENOSPC
	// (and ErrInvalid), instead of ErrFault from a later write into a hole. Without it a grown
	// file is sparse, as Python's resize makes it. Where the OS or the file system cannot allocate
	// ahead, it does nothing. Only writable file-backed regions take it.
	Preallocate bool
	// HugePages asks for huge pages: fewer TLB misses for random access to large regions. For
	// anonymous memory whose length is a whole number of huge pages, Anonymous first takes them
	// from the pool the administrator reserved (MAP_HUGETLB on Linux, vm.nr_hugepages); such a
	// region cannot be resized (errors.ErrUnsupported). Otherwise, or when the pool has too few
	// free, it asks for transparent huge pages (MADV_HUGEPAGE), for the whole region and for what
	// Resize adds, which the kernel grants for private anonymous memory when
	// /sys/kernel/mm/transparent_hugepage/enabled allows (for shared memory and files,
	// shmem_enabled and the file system decide). Where the OS has neither, it does nothing.
	HugePages bool
	// ColdReads makes ReadAt and Read of a shared file-backed region look before they touch:
	// pages in memory are copied from the mapping, and a range with a page that is not is read
	// with pread instead. A page fault holds the goroutine's processor until the disk answers,
	// so that goroutines doing cold reads of a file larger than memory stall every other
	// goroutine; a system call lets the scheduler run them. The look (mincore) is a system call
	// too, which every ReadAt and Read then pays, warm or cold. Other methods, and the slice from
	// Bytes, touch the mapping as usual. It takes effect where mincore exists (Linux, macOS,
	// FreeBSD, NetBSD, DragonFly) and for AccessRead, AccessWrite and MAP_SHARED regions that keep
	// their descriptor; elsewhere it does nothing.
	ColdReads bool
}

// PageSize is the size of a memory page: the unit in which Flush and Madvise work.
var PageSize = platform.PageSize

// AllocationGranularity is the alignment the OS requires of a mapping's file offset: the page
// size on Unix, 64 KiB on Windows. Options.Offset need not respect it.
var AllocationGranularity = platform.AllocationGranularity

// A Region is a memory-mapped file, or anonymous memory, of fixed length (until Resize). It
// implements [io.Reader], [io.Writer], [io.Seeker], [io.ReaderAt], [io.WriterAt], [io.ByteScanner],
// [io.ByteWriter], [io.RuneScanner], [io.StringWriter], [io.WriterTo], [io.ReaderFrom] and
// [io.Closer] over the mapped bytes, with a cursor shared by the methods that have no offset
// argument, as Python's mmap object does. Bytes returns the mapping itself, for regexp, bytes and
// anything else that takes a []byte.
//
// ReadAt, WriteAt, At, Find, RFind, Search, FindAll, Bytes, Len, Size, Err, FlushAsync,
// Prefetch, Resident, Lock and Unlock are safe for concurrent use. The methods that
// use the cursor (Read, Write, Seek and the rest) are not safe for concurrent use with each other.
// Close and Resize may race any method, which then behaves as if it ran wholly before or wholly
// after them: they wait for the methods that write or run the caller's code, and retire what they
// take away from the methods that only read, which take no lock on Unix (see the package
// documentation's Concurrency section).
//
// A Region that becomes unreachable without Close is released by a cleanup after garbage
// collection; call Close to release it at a known time.
type Region struct {
	// lock is held shared by the methods that write, or run the OS's or the caller's code, and
	// exclusively by Close and Resize; where platform.CanRetire is false, by the readers too.
	lock  regionLock
	view  atomic.Pointer[view] // the bytes, or the closed state; Close and Resize publish a new one
	state *regionState         // what the cleanup releases; shared with it, never pointing back here

	// The cursor. Close and Resize never write these: a reader may be running. Instead Resize
	// records in cut the shortest length it set, and the cursor methods clamp pos to it.
	pos      int
	cut      atomic.Int64 // the shortest length set by Resize since the cursor last moved; noCut if none
	prevRune int          // the size of the rune ReadRune last returned, or -1: UnreadRune needs it
	runeSeq  uint64       // the seq of the view that ReadRune ran on: a Resize since forbids UnreadRune
	lineSlab slab         // where ReadLine's copies come from

	// The read-ahead of ReadByte and ReadRune: ahead[aheadPos:aheadEnd] are the bytes at the
	// cursor, copied when aheadGen was aheadSeen. Every other cursor method drops them (setCursor); Close and Resize
	// bump aheadGen after they publish their view, and the methods that write without moving the
	// cursor (WriteAt, Move, Guard) bump it once aheadOn is set.
	ahead              [aheadSize]byte
	aheadPos, aheadEnd int
	aheadSeen          uint64
	aheadSeq           uint64 // the seq of the view the read-ahead came from
	aheadGen           atomic.Uint64
	aheadOn            atomic.Bool

	readOnly bool // writes are refused with ErrReadOnly
	// fixed: the file never changes through the region (AccessRead, AccessCopy), so Resize is
	// refused with ErrReadOnly and Flush only checks its bounds.
	fixed bool
	mem   memoryState // what Protect and SetName keep (memory.go)
	// untracked says that the region maps a file but keeps no descriptor of it (NoTrackFD).
	untracked bool
	// preallocate says that Resize reserves the disk blocks of what it adds (Preallocate).
	preallocate bool
	// hugePages says that Resize asks for huge pages for what it maps (HugePages).
	hugePages bool
	// hugeTLB says that the memory comes from the system's pool of huge pages (MAP_HUGETLB):
	// it can be resized by whole huge pages only, which Resize does not try.
	hugeTLB bool
	// coldReads says that ReadAt and Read read pages that are not in memory with pread (ColdReads).
	coldReads bool

	fault   atomic.Pointer[Error] // the first fault met by a method that has no error result
	cleanup runtime.Cleanup
}

// noCut is Region.cut when no Resize has shortened the region since the cursor last moved.
const noCut = math.MaxInt64

// cursor returns the cursor for a method running on v, clamped to v's length and to what Resize
// cut since the cursor last moved; cut is what the method passes to setCursor.
func (r *Region) cursor(v *view) (pos int, cut int64) {
	pos = r.pos
	if cut = r.cut.Load(); cut != noCut {
		pos = min(pos, int(cut))
	}
	return min(pos, len(v.data)), cut
}

// setCursor moves the cursor. cut is what cursor returned: the cut it took into account is
// forgotten, unless a Resize has cut again since (then the next method clamps to that).
func (r *Region) setCursor(pos int, cut int64) {
	r.pos = pos
	r.aheadEnd = 0
	if cut != noCut {
		r.cut.CompareAndSwap(cut, noCut)
	}
}

// clampCursor records that Resize set the length to n: the cursor methods clamp to it.
func (r *Region) clampCursor(n int) {
	for {
		c := r.cut.Load()
		if int64(n) >= c || r.cut.CompareAndSwap(c, int64(n)) {
			return
		}
	}
}

// regionState is the part of a Region that outlives it until released: the mapping and the
// duplicated descriptor. It is released exactly once, by Close or by the cleanup.
type regionState struct {
	m      *platform.Mapping // nil while the region is empty
	fd     uintptr           // our own duplicate of the file's descriptor; NoFile for anonymous memory
	offset int64
	prot   int
	flags  int
	name   string
}

// release releases the mapping and the descriptor. Close passes closing: where the OS can
// retire ranges it retires the mapping (its area's cleanup gives the range back once no reader
// holds it). The Region's cleanup does not: with the Region gone, the area's cleanup unmaps.
func (s *regionState) release(closing bool) error {
	var err error
	switch {
	case s.m == nil:
	case !platform.CanRetire:
		err = s.m.Unmap()
	case closing:
		err = s.m.Retire()
	}
	s.m = nil
	if s.fd != platform.NoFile {
		if cerr := platform.CloseFile(s.fd); err == nil {
			err = cerr
		}
		s.fd = platform.NoFile
	}
	return err
}

// New maps length bytes of f starting at opts.Offset, like Python's mmap.mmap(f.fileno(), length,
// ...). A length of 0 maps from the offset to the end of the file. opts may be nil.
//
// The Region keeps its own duplicate of f's descriptor, so the caller may close f right after New;
// Size, Resize and Flush still work, and Close releases the duplicate, never f.
//
// An empty file, or a length of 0 with the offset at the end of the file, gives a valid empty
// Region (Len() == 0) without any mapping; Resize can grow a writable one. A length or an offset
// past the end of a regular file is ErrInvalid, as are a directory and a descriptor whose mode
// does not allow the access asked for (a read-only file with AccessWrite, say).
func New(f *os.File, length int, opts *Options) (*Region, error) {
	asked := length // length becomes the file's size when 0; messages name what was asked
	opName := func() string {
		name, offset := "nil *os.File", int64(0)
		if f != nil {
			name = f.Name()
		}
		if opts != nil {
			offset = opts.Offset
		}
		return "New(" + name + ", length=" + strconv.Itoa(asked) + ", offset=" + strconv.FormatInt(offset, 10) + ")"
	}
	o, err := resolve(opName, opts, length)
	if err != nil {
		return nil, err
	}
	if f == nil {
		return nil, newError(ErrInvalid, opName(), nil, "nil *os.File")
	}
	fi, err := f.Stat()
	if err != nil {
		return nil, newError(ErrInvalid, opName(), err, "")
	}
	switch {
	case fi.IsDir():
		return nil, newError(ErrInvalid, opName(), nil, "is a directory")
	case fi.Mode().IsRegular():
		size := fi.Size()
		if o.Offset > size {
			return nil, newError(ErrInvalid, opName(), nil, "offset past the end of the file, whose size is %d", size)
		}
		if length == 0 {
			if size-o.Offset > int64(math.MaxInt) {
				return nil, newError(ErrInvalid, opName(), nil, "file size %d does not fit this platform's address space", size)
			}
			length = int(size - o.Offset)
		} else if int64(length) > size-o.Offset {
			return nil, newError(ErrInvalid, opName(), nil, "length past the end of the file, whose size is %d", size)
		}
	case length == 0:
		return nil, newError(ErrInvalid, opName(), nil, "length 0 needs a regular file, whose size says how much to map")
	}

	if o.NoTrackFD && !platform.MapsWithoutFile {
		return nil, newError(errors.ErrUnsupported, opName(), nil, "NoTrackFD: a mapping here needs its file")
	}
	fd, err := platform.DupFile(f)
	if err != nil {
		return nil, newError(ErrInvalid, opName(), err, "")
	}
	// Preallocate and ColdReads concern what reaches the file: shared mappings only.
	shared := o.flags&MAP_PRIVATE == 0
	preallocate := o.Preallocate && shared && !o.readOnly
	if preallocate && length > 0 {
		if err := allocate(fd, o.Offset, int64(length)); err != nil {
			platform.CloseFile(fd)
			return nil, mapError(opName(), err)
		}
	}
	r, err := newRegion(opName, fd, length, o)
	if err != nil {
		return nil, err
	}
	if o.NoTrackFD {
		// The mapping holds the file's pages; the descriptor was needed only to make it.
		platform.CloseFile(r.state.fd)
		r.state.fd = platform.NoFile
		r.untracked = true
	}
	r.preallocate = preallocate
	r.coldReads = o.ColdReads && platform.ColdReads && shared && !o.NoTrackFD && r.state.m != nil
	return r, nil
}

// allocate reserves the disk blocks of n bytes of the file fd from off, where the OS and the file
// system can.
func allocate(fd uintptr, off, n int64) error {
	if err := platform.Allocate(fd, off, n); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return err
	}
	return nil
}

// Anonymous maps length bytes of zeroed memory backed by no file, like Python's mmap.mmap(-1,
// length, ...). Regions of the same process never share it; with MAP_SHARED (the default) it is
// shared with child processes that inherit it where the OS has fork. opts.Offset must be 0.
// Anonymous(0, nil) is a valid empty Region.
func Anonymous(length int, opts *Options) (*Region, error) {
	opName := func() string { return "Anonymous(length=" + strconv.Itoa(length) + ")" }
	o, err := resolve(opName, opts, length)
	if err != nil {
		return nil, err
	}
	if o.Offset != 0 {
		return nil, newError(ErrInvalid, opName(), nil, "offset %d: anonymous memory has no file to offset into", o.Offset)
	}
	return newRegion(opName, platform.NoFile, length, o)
}

// Open maps the whole of the named file read-only (AccessRead). The file is closed before Open
// returns; the mapping keeps what it needs.
func Open(name string) (*Region, error) {
	return OpenFile(name, AccessRead)
}

// OpenFile maps the whole of the named file with the given access: AccessRead opens it read-only,
// the others read-write. An empty file gives an empty Region.
func OpenFile(name string, access Access) (*Region, error) {
	op := "OpenFile(" + name + ", " + access.String() + ")"
	if access < AccessDefault || access > AccessCopy {
		return nil, newError(ErrInvalid, op, nil, "unknown access")
	}
	mode := os.O_RDWR
	if access == AccessRead {
		mode = os.O_RDONLY
	}
	f, err := os.OpenFile(name, mode, 0)
	if err != nil {
		return nil, newError(ErrInvalid, op, err, "")
	}
	defer f.Close()
	return New(f, 0, &Options{Access: access})
}

// resolve checks opts and turns Access into the prot and flags Python would use.
func resolve(opName func() string, opts *Options, length int) (resolved, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	r := resolved{Options: o}
	switch {
	case length < 0:
		return r, newError(ErrInvalid, opName(), nil, "negative length %d", length)
	case o.Offset < 0:
		return r, newError(ErrInvalid, opName(), nil, "negative offset %d", o.Offset)
	case o.Access < AccessDefault || o.Access > AccessCopy:
		return r, newError(ErrInvalid, opName(), nil, "unknown access %d", int(o.Access))
	case o.Access != AccessDefault && (o.Flags != 0 || o.Prot != 0):
		return r, newError(ErrInvalid, opName(), nil, "Flags (%#x) or Prot (%#x) with %v: use one or the other", o.Flags, o.Prot, o.Access)
	}
	switch o.Access {
	case AccessRead:
		r.prot, r.flags = PROT_READ, MAP_SHARED
		r.readOnly, r.fixed = true, true
	case AccessWrite:
		r.prot, r.flags = PROT_READ|PROT_WRITE, MAP_SHARED
	case AccessCopy:
		r.prot, r.flags = PROT_READ|PROT_WRITE, MAP_PRIVATE
		r.fixed = true
	default:
		r.prot, r.flags = o.Prot, o.Flags
		if r.prot == 0 {
			r.prot = PROT_READ | PROT_WRITE
		}
		if r.flags == 0 {
			r.flags = MAP_SHARED
		}
		// Python treats a default-access map without PROT_WRITE as ACCESS_READ.
		if r.prot&PROT_WRITE == 0 {
			r.readOnly, r.fixed = true, true
		}
	}
	if o.NoReserve {
		r.flags |= MAP_NORESERVE
	}
	return r, nil
}

type resolved struct {
	Options
	prot, flags     int
	readOnly, fixed bool
}

// newRegion maps and wraps; on failure it closes fd.
func newRegion(opName func() string, fd uintptr, length int, o resolved) (*Region, error) {
	s := &regionState{fd: fd, offset: o.Offset, prot: o.prot, flags: o.flags, name: o.TagName}
	r := &Region{state: s, prevRune: -1, readOnly: o.readOnly, fixed: o.fixed, mem: memoryState{access: o.Access}}
	r.cut.Store(noCut)
	var m *platform.Mapping
	if length > 0 {
		var err error
		if m, r.hugeTLB = mapHugeTLB(fd, length, o); m == nil {
			if m, err = platform.Map(fd, o.Offset, length, o.prot, o.flags, o.TagName); err != nil {
				s.release(false)
				return nil, mapError(opName(), err)
			}
		}
		s.m = m
		if err := mapTimeOptions(m, length, o.Options, r.hugeTLB); err != nil {
			s.release(false)
			return nil, mapError(opName(), err)
		}
	}
	r.hugePages = o.HugePages
	r.view.Store(newView(m, nil))
	r.cleanup = runtime.AddCleanup(r, func(s *regionState) { s.release(false) }, s)
	return r, nil
}

// newView returns the view of the mapping m (nil: an empty region). prev is the view it replaces,
// whose area it shares if m has not moved.
func newView(m *platform.Mapping, prev *view) *view {
	v := &view{data: []byte{}, seq: viewSeq.Add(1)}
	if m == nil {
		return v
	}
	v.data, v.res = m.Data(), m.Reservation()
	if platform.CanRetire {
		if prev != nil && prev.area != nil && prev.res == v.res {
			v.area = prev.area
		} else {
			v.area = newArea(v.res)
		}
	}
	return v
}

// closedView is what every method of a closed Region sees.
var closedView = &view{closed: true}

// mapTimeOptions does what Options.Populate, Lock and HugePages ask of a new mapping; hugeTLB
// says that it already has huge pages from the pool.
func mapTimeOptions(m *platform.Mapping, length int, o Options, hugeTLB bool) error {
	if o.Lock {
		if err := m.Lock(0, length); err != nil {
			return err
		}
	}
	if o.HugePages && !hugeTLB {
		adviseHugePages(m, length)
	}
	if o.Populate {
		return m.Prefetch(0, length)
	}
	return nil
}

// mapHugeTLB maps anonymous memory from the system's pool of huge pages (MAP_HUGETLB), where
// Options.HugePages asks for them, the length is a whole number of them and the pool has enough
// free; otherwise, or if the OS refuses, it returns nil, and the caller maps as usual.
func mapHugeTLB(fd uintptr, length int, o resolved) (*platform.Mapping, bool) {
	size := platform.HugePageSize()
	if !o.HugePages || fd != platform.NoFile || MAP_HUGETLB == 0 || size == 0 || length%size != 0 {
		return nil, false
	}
	m, err := platform.Map(fd, 0, length, o.prot, o.flags|MAP_HUGETLB, "")
	if err != nil {
		return nil, false // none reserved, or too few free: transparent huge pages instead
	}
	return m, true
}

// adviseHugePages asks for transparent huge pages for the first length bytes of m, where the OS
// has the advice. It is advice: a kernel that refuses it (EINVAL where THP is not built in) leaves
// the region as it would be without.
func adviseHugePages(m *platform.Mapping, length int) {
	if MADV_HUGEPAGE >= 0 && m != nil && length > 0 {
		_ = m.Advise(MADV_HUGEPAGE, 0, length)
	}
}

// viewSeq numbers the views.
var viewSeq atomic.Uint64

// Close unmaps the region and closes its duplicate of the file's descriptor. Changes made through
// an AccessWrite region are already in the page cache and reach the disk in the OS's own time; call
// Flush first to wait for that. Close waits for the calls in flight that write or run the
// caller's code; a read racing it returns what the region held, or ErrClosed. Calls after it
// return ErrClosed (Len and Tell return 0, Bytes nil, Find -1). Closing a closed Region does
// nothing and returns nil. Slices from Bytes must not be used after Close: on Unix their memory
// is inaccessible at once, and its address range goes back to the OS after a garbage collection.
func (r *Region) Close() error {
	r.lock.lock()
	defer r.lock.unlock()
	v := r.view.Load()
	if v.closed {
		return nil
	}
	// Readers that fault in the range from now on wait for the closed view, then see it.
	v.retiring.Store(true)
	r.view.Store(closedView)
	r.aheadGen.Add(1)
	r.cleanup.Stop()
	err := r.state.release(true)
	runtime.KeepAlive(v) // its area must not give the range back before it is retired
	if err != nil {
		return osError("Region.Close()", err)
	}
	return nil
}

// Closed reports whether Close has been called.
func (r *Region) Closed() bool {
	return r.view.Load().closed
}

// Len returns the length of the region in bytes: Python's len(). It is 0 after Close.
func (r *Region) Len() int {
	return len(r.view.Load().data)
}

// Bytes returns the mapped memory itself, without a copy: reads see the file (and other
// processes' writes to a shared mapping), writes change it unless the region is read-only, where
// a write through the slice is a fault the process does not survive. The slice is valid until
// Close or Resize; it is nil after Close and empty (not nil) for an empty region. To survive a
// file truncated under the slice, touch it inside Guard.
//
// The slice does not keep the Region alive: a Region that becomes unreachable is unmapped by its
// cleanup, and touching the slice afterwards kills the process. Keep the Region reachable (use it
// later, or call [runtime.KeepAlive]) for as long as the slice is used.
func (r *Region) Bytes() []byte {
	return r.view.Load().data
}

// At returns the byte at index i, as x/exp/mmap's ReaderAt.At does. It panics if i is out of
// range, as indexing a slice does. If the memory cannot be read (the file shrank under the
// mapping), At returns 0 and Err reports the fault.
func (r *Region) At(i int) byte {
	token := r.readLock() // no defer: see ReadAt
	v := r.view.Load()
	if uint(i) >= uint(len(v.data)) {
		r.readUnlock(token)
		panic(outOfRangePanic{i, len(v.data)})
	}
	c, fault := guardedLoad(v.data, i)
	r.readUnlock(token)
	runtime.KeepAlive(v) // v's area keeps the range reserved up to here
	if fault != nil {
		return r.atFault(fault, v, i)
	}
	return c
}

// guardedLoad is b[i] that returns a memory fault, as recovered, instead of crashing.
// Where the bytes are ordinary memory (the emulations), it is b[i] itself.
func guardedLoad(b []byte, i int) (c byte, fault any) {
	if !platform.CanFault {
		return b[i], nil
	}
	old := debug.SetPanicOnFault(true)
	done := false
	defer func() {
		if !done {
			fault = recover()
		}
		debug.SetPanicOnFault(old)
	}()
	c = b[i]
	done = true
	return c, nil
}

// atFault handles a fault in At: 0 with the fault kept for Err, or At again on the view that
// replaced v.
func (r *Region) atFault(x any, v *view, i int) byte {
	if raced, _ := r.sortFault(x, v, &call{format: "Region.At(%d)", a: int64(i), record: true}); raced {
		return r.At(i)
	}
	return 0 // the fault is recorded for Err
}

type outOfRangePanic struct{ i, n int }

func (p outOfRangePanic) Error() string {
	return "mmap: Region.At: index out of range [" + strconv.Itoa(p.i) + "] with length " + strconv.Itoa(p.n)
}

// Err returns the first fault (an *Error matching ErrFault) that At, Find, RFind, Search or
// FindAll met, none of which has an error result of its own; nil if there was none.
func (r *Region) Err() error {
	if e := r.fault.Load(); e != nil {
		return e
	}
	return nil
}

// Size returns the size of the file behind the region, which differs from Len when the region
// maps only part of it, or when the file changed since: Python's size(). For anonymous memory it
// is Len(). A region made with NoTrackFD returns an error matching errors.ErrUnsupported.
func (r *Region) Size() (int64, error) {
	t := r.lock.rlock()
	defer r.lock.runlock(t)
	v := r.view.Load()
	switch {
	case v.closed:
		return 0, newError(ErrClosed, "Region.Size()", nil, "")
	case r.untracked:
		return 0, newError(errors.ErrUnsupported, "Region.Size()", nil, "the region keeps no descriptor of its file (NoTrackFD)")
	}
	if r.state.fd == platform.NoFile {
		return int64(len(v.data)), nil
	}
	size, err := platform.FileSize(r.state.fd)
	if err != nil {
		return 0, osError("Region.Size()", err)
	}
	return size, nil
}

// Resize changes the region's length to newSize bytes: Python's resize(). A file-backed region
// sets its file's size to Offset+newSize, growing the file with zeros or truncating it; anonymous
// memory grows with zeros. The contents up to the shorter length are kept, and the cursor is
// clamped to the new length. Resize(0) leaves an empty region (and a file of Offset bytes).
//
// AccessRead and AccessCopy regions (and read-only AccessDefault ones) return ErrReadOnly, and
// regions made with NoTrackFD an error matching errors.ErrUnsupported. If
// Resize fails, the region and the file are as they were, except that Resize, failing or not,
// gives the whole region back the protection it was made with (undoing Protect); a name from
// SetName stays. Slices from Bytes are stale after it: on Unix the part of them that Resize cut,
// or all of them if the region moved, is inaccessible. Resize waits for the calls in flight that
// write or run the caller's code; readers racing it see the region as it was before or as it is
// after.
func (r *Region) Resize(newSize int) error {
	c := call{format: "Region.Resize(%d)", a: int64(newSize)}
	r.lock.lock()
	defer r.lock.unlock()
	v := r.view.Load()
	switch {
	case v.closed:
		return newError(ErrClosed, c.String(), nil, "")
	case r.untracked:
		return newError(errors.ErrUnsupported, c.String(), nil, "the region keeps no descriptor of its file (NoTrackFD)")
	case r.hugeTLB:
		return newError(errors.ErrUnsupported, c.String(), nil, "the region's memory comes from the pool of huge pages (MAP_HUGETLB)")
	case r.fixed:
		return newError(ErrReadOnly, c.String(), nil, "only AccessWrite and writable AccessDefault regions can be resized")
	case newSize < 0:
		return newError(ErrInvalid, c.String(), nil, "negative size")
	}
	s := r.state
	oldSize := len(v.data)
	if s.fd != platform.NoFile && int64(newSize) > math.MaxInt64-s.offset {
		return newError(ErrInvalid, c.String(), nil, "offset %d + size overflows a file size", s.offset)
	}
	if err := r.resetProtection(); err != nil {
		return osError(c.String(), err)
	}
	if newSize == oldSize && s.fd == platform.NoFile {
		return nil
	}

	// Truncating and remapping are one platform call: their order, and how to undo either, differ
	// between the OSes. It returns the mapping in place, which on failure is the old one (or an
	// equal one: Windows must unmap to truncate). Where the OS can retire ranges, it never unmaps
	// what a reader may be using; readers that fault in what it retires wait for the new view.
	if r.preallocate && newSize > oldSize {
		if err := allocate(s.fd, s.offset+int64(oldSize), int64(newSize-oldSize)); err != nil {
			return osError(c.String(), err)
		}
	}
	v.retiring.Store(true)
	m, err := platform.Resize(s.m, s.fd, s.offset, newSize, s.prot, s.flags, s.name)
	s.m = m
	nv := newView(m, v)
	r.clampCursor(len(nv.data))
	r.view.Store(nv)
	r.aheadGen.Add(1)    // after the view: see readByte
	runtime.KeepAlive(v) // its area must not give the old range back before Resize is done with it
	if err != nil {
		return osError(c.String(), err)
	}
	// The name is a label for the OS's tools, and naming worked before: a failure here (out of
	// memory) is not worth failing a Resize that is done.
	_ = r.renameAfterResize()
	if r.hugePages {
		adviseHugePages(m, newSize)
	}
	return nil
}

// Move copies count bytes from offset src to offset dst within the region, like Python's move();
// the ranges may overlap. Both ranges must lie inside the region (ErrOutOfRange), and the region
// must be writable (ErrReadOnly). Python
// checks the offsets even when count is 0, and so does Move.
func (r *Region) Move(dst, src, count int) (err error) {
	c := call{format: "Region.Move(dst=%d, src=%d, count=%d)", a: int64(dst), b: int64(src), c: int64(count)}
	v, token, old := r.enter()
	defer r.leave(v, token, old, &err, &c)
	n := len(v.data)
	switch {
	case v.closed:
		return newError(ErrClosed, c.String(), nil, "")
	case r.readOnly:
		return newError(ErrReadOnly, c.String(), nil, "")
	case r.mem.readOnly != nil && count > 0 && dst >= 0:
		if sp, ok := r.mem.protects(dst, count); ok {
			return r.readOnlyError(c, sp)
		}
	}
	switch {
	case count < 0 || dst < 0 || src < 0 || dst > n-count || src > n-count:
		return newError(ErrOutOfRange, c.String(), nil, "region length %d", n)
	}
	copy(v.data[dst:dst+count], v.data[src:src+count])
	r.invalidateAhead()
	return nil
}

// Flush writes changes made through the region back to the file and waits until they are there
// (msync with MS_SYNC; FlushViewOfFile and FlushFileBuffers on Windows): Python's flush().
// Flush() covers the whole region, Flush(offset) the bytes from offset to the end, and
// Flush(offset, size) size bytes from offset; the range is widened to whole pages. Bounds outside
// the region are ErrOutOfRange. For AccessRead and AccessCopy regions, whose changes never reach
// the file, and for anonymous memory, Flush checks the bounds and does nothing.
func (r *Region) Flush(bounds ...int) (err error) {
	c := call{format: "Region.Flush()"}
	v, token, old := r.enter()
	defer r.leave(v, token, old, &err, &c)
	n := len(v.data)
	offset, size := 0, n
	switch len(bounds) {
	case 0:
	case 1:
		offset, size = bounds[0], n-bounds[0]
		c.format = "Region.Flush(offset=%d)"
	case 2:
		offset, size = bounds[0], bounds[1]
		c.format = "Region.Flush(offset=%d, size=%d)"
	default:
		c.format = "Region.Flush(%d bounds)"
		c.a = int64(len(bounds))
		if v.closed { // closed comes first, whatever else is wrong
			return newError(ErrClosed, c.String(), nil, "")
		}
		return newError(ErrInvalid, c.String(), nil, "takes at most offset and size")
	}
	c.a, c.b = int64(offset), int64(size)
	switch {
	case v.closed:
		return newError(ErrClosed, c.String(), nil, "")
	case offset < 0 || size < 0 || offset > n || size > n-offset:
		return newError(ErrOutOfRange, c.String(), nil, "region length %d", n)
	case r.fixed || r.state.m == nil || r.state.m.Anonymous() || size == 0:
		return nil
	}
	if err := r.state.m.Sync(offset, size); err != nil {
		return osError(c.String(), err)
	}
	return nil
}

// Madvise gives the OS advice (one of the MADV_* constants) about how the region will be used:
// Python's madvise(). Madvise(a) covers the whole region, Madvise(a, start) the bytes from start to
// the end, Madvise(a, start, length) length bytes from start, cut at the end of the region as
// Python does; the range is widened to whole pages. A start outside the region is ErrOutOfRange, a
// negative length ErrInvalid, and an advice this OS lacks an error matching
// errors.ErrUnsupported.
func (r *Region) Madvise(advice int, bounds ...int) (err error) {
	c := call{format: "Region.Madvise(%d)", a: int64(advice)}
	v, token, old := r.enter()
	defer r.leave(v, token, old, &err, &c)
	n := len(v.data)
	start, length := 0, n
	switch len(bounds) {
	case 0:
		if v.closed {
			break
		}
		if n == 0 { // nothing to advise; Python cannot have an empty map
			return nil
		}
	case 1:
		start, length = bounds[0], n-bounds[0]
		c.format = "Region.Madvise(%d, start=%d)"
	case 2:
		start, length = bounds[0], bounds[1]
		c.format = "Region.Madvise(%d, start=%d, length=%d)"
	default:
		c.format = "Region.Madvise(%d, %d bounds)"
		c.b = int64(len(bounds))
		if v.closed {
			return newError(ErrClosed, c.String(), nil, "")
		}
		return newError(ErrInvalid, c.String(), nil, "takes at most start and length")
	}
	c.b, c.c = int64(start), int64(length)
	switch {
	case v.closed:
		return newError(ErrClosed, c.String(), nil, "")
	case start < 0 || start >= n:
		return newError(ErrOutOfRange, c.String(), nil, "start outside the region, length %d", n)
	case length < 0:
		return newError(ErrInvalid, c.String(), nil, "negative length")
	}
	length = min(length, n-start)
	if err := r.state.m.Advise(advice, start, length); err != nil {
		return osError(c.String(), err)
	}
	return nil
}
