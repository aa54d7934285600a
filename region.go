package mmap

import (
	"os"
	"runtime"
	"runtime/debug"
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
	return "Access(" + itoa(int64(a)) + ")"
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
// ReadAt, WriteAt, At, Find, RFind, Search, FindAll, Bytes, Len, Size and Err are safe for
// concurrent use. The methods that use the cursor (Read, Write, Seek and the rest) are not safe
// for concurrent use with each other. Close and Resize may race any method, which then behaves as
// if it ran wholly before or wholly after them: they wait for the methods that write or run the
// caller's code, and retire what they take away from the methods that only read, which take no
// lock on Unix (see the package documentation's Concurrency section).
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
	fixed    bool // Resize is refused with ErrReadOnly (AccessRead, AccessCopy)
	noFlush  bool // Flush checks its bounds and does nothing: the file cannot change (AccessRead, AccessCopy)

	fault   atomic.Pointer[Error] // the first fault met by a method that has no error result
	cleanup runtime.Cleanup
}

// noCut is Region.cut when no Resize has shortened the region since the cursor last moved.
const noCut = maxInt64

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
		return "New(" + name + ", length=" + itoa(int64(asked)) + ", offset=" + itoa(offset) + ")"
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
			if size-o.Offset > int64(maxInt) {
				return nil, newError(ErrInvalid, opName(), nil, "file size %d does not fit this platform's address space", size)
			}
			length = int(size - o.Offset)
		} else if int64(length) > size-o.Offset {
			return nil, newError(ErrInvalid, opName(), nil, "length past the end of the file, whose size is %d", size)
		}
	case length == 0:
		return nil, newError(ErrInvalid, opName(), nil, "length 0 needs a regular file, whose size says how much to map")
	}

	fd, err := platform.DupFile(f)
	if err != nil {
		return nil, newError(ErrInvalid, opName(), err, "")
	}
	return newRegion(opName, fd, length, o)
}

// Anonymous maps length bytes of zeroed memory backed by no file, like Python's mmap.mmap(-1,
// length, ...). Regions of the same process never share it; with MAP_SHARED (the default) it is
// shared with child processes that inherit it where the OS has fork. opts.Offset must be 0.
// Anonymous(0, nil) is a valid empty Region.
func Anonymous(length int, opts *Options) (*Region, error) {
	opName := func() string { return "Anonymous(length=" + itoa(int64(length)) + ")" }
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
		r.readOnly, r.fixed, r.noFlush = true, true, true
	case AccessWrite:
		r.prot, r.flags = PROT_READ|PROT_WRITE, MAP_SHARED
	case AccessCopy:
		r.prot, r.flags = PROT_READ|PROT_WRITE, MAP_PRIVATE
		r.fixed, r.noFlush = true, true
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
			r.readOnly, r.fixed, r.noFlush = true, true, true
		}
	}
	return r, nil
}

type resolved struct {
	Options
	prot, flags              int
	readOnly, fixed, noFlush bool
}

// newRegion maps and wraps; on failure it closes fd.
func newRegion(opName func() string, fd uintptr, length int, o resolved) (*Region, error) {
	s := &regionState{fd: fd, offset: o.Offset, prot: o.prot, flags: o.flags, name: o.TagName}
	r := &Region{state: s, prevRune: -1, readOnly: o.readOnly, fixed: o.fixed, noFlush: o.noFlush}
	r.cut.Store(noCut)
	var m *platform.Mapping
	if length > 0 {
		var err error
		if m, err = platform.Map(fd, o.Offset, length, o.prot, o.flags, o.TagName); err != nil {
			s.release(false)
			return nil, osError(opName(), err, true)
		}
		s.m = m
	}
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
		return osError("Region.Close()", err, false)
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
	addr, ok := faultAddr(x, v)
	if !ok {
		panic(x)
	}
	if r.raced(v) {
		return r.At(i)
	}
	r.faultError(addr, v, &call{format: "Region.At(%d)", a: int64(i), record: true})
	return 0
}

type outOfRangePanic struct{ i, n int }

func (p outOfRangePanic) Error() string {
	return "mmap: Region.At: index out of range [" + itoa(int64(p.i)) + "] with length " + itoa(int64(p.n))
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
// is Len().
func (r *Region) Size() (int64, error) {
	t := r.lock.rlock()
	defer r.lock.runlock(t)
	v := r.view.Load()
	if v.closed {
		return 0, newError(ErrClosed, "Region.Size()", nil, "")
	}
	if r.state.fd == platform.NoFile {
		return int64(len(v.data)), nil
	}
	size, err := platform.FileSize(r.state.fd)
	if err != nil {
		return 0, osError("Region.Size()", err, false)
	}
	return size, nil
}

// Resize changes the region's length to newSize bytes: Python's resize(). A file-backed region
// sets its file's size to Offset+newSize, growing the file with zeros or truncating it; anonymous
// memory grows with zeros. The contents up to the shorter length are kept, and the cursor is
// clamped to the new length. Resize(0) leaves an empty region (and a file of Offset bytes).
//
// AccessRead and AccessCopy regions (and read-only AccessDefault ones) return ErrReadOnly. If
// Resize fails, the region and the file are as they were. Slices from Bytes are stale after it:
// on Unix the part of them that Resize cut, or all of them if the region moved, is inaccessible.
// Resize waits for the calls in flight that write or run the caller's code; readers racing it see
// the region as it was before or as it is after.
func (r *Region) Resize(newSize int) error {
	c := call{format: "Region.Resize(%d)", a: int64(newSize)}
	r.lock.lock()
	defer r.lock.unlock()
	v := r.view.Load()
	switch {
	case v.closed:
		return newError(ErrClosed, c.String(), nil, "")
	case r.fixed:
		return newError(ErrReadOnly, c.String(), nil, "only AccessWrite and writable AccessDefault regions can be resized")
	case newSize < 0:
		return newError(ErrInvalid, c.String(), nil, "negative size")
	}
	s := r.state
	oldSize := len(v.data)
	if newSize == oldSize && s.fd == platform.NoFile {
		return nil
	}
	if s.fd != platform.NoFile && int64(newSize) > maxInt64-s.offset {
		return newError(ErrInvalid, c.String(), nil, "offset %d + size overflows a file size", s.offset)
	}

	// Truncating and remapping are one platform call: their order, and how to undo either, differ
	// between the OSes. It returns the mapping in place, which on failure is the old one (or an
	// equal one: Windows must unmap to truncate). Where the OS can retire ranges, it never unmaps
	// what a reader may be using; readers that fault in what it retires wait for the new view.
	v.retiring.Store(true)
	m, err := platform.Resize(s.m, s.fd, s.offset, newSize, s.prot, s.flags, s.name)
	s.m = m
	nv := newView(m, v)
	r.clampCursor(len(nv.data))
	r.view.Store(nv)
	r.aheadGen.Add(1)    // after the view: see readByte
	runtime.KeepAlive(v) // its area must not give the old range back before Resize is done with it
	if err != nil {
		return osError(c.String(), err, false)
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
	case r.noFlush || r.state.m == nil || r.state.m.Anonymous() || size == 0:
		return nil
	}
	if err := r.state.m.Sync(offset, size); err != nil {
		return osError(c.String(), err, false)
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
		return osError(c.String(), err, false)
	}
	return nil
}

const (
	maxInt   = int(^uint(0) >> 1)
	maxInt64 = int64(^uint64(0) >> 1)
)

// itoa formats without fmt, for messages built on paths that should not allocate much.
func itoa(v int64) string {
	var buf [20]byte
	i := len(buf)
	neg := v < 0
	u := uint64(v)
	if neg {
		u = -u
	}
	for {
		i--
		buf[i] = byte('0' + u%10)
		u /= 10
		if u == 0 {
			break
		}
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}
