// Package mmap maps files into memory, as Python's mmap module does, and presents a mapping as
// a [Region] that implements the standard io interfaces and hands out its bytes for regexp and
// bytes to search in place.
//
// A Region mirrors Python's mmap object: New, Anonymous, Open and OpenFile construct one (Python's
// constructor, with the same access modes, flags, protections and offset); Len, Bytes and At are
// len(), slicing and indexing; Read, ReadByte, ReadLine, Write, WriteByte, Seek and Tell share a
// cursor; Find and RFind search from it; Move, Resize, Flush, Madvise, Size and Close do what
// Python's methods of the same names do. Where Python and Go's io conventions disagree, Go's win:
// Read at the end returns io.EOF, ReadAt reports a short read with io.EOF, and errors are values
// that match the sentinels ErrClosed, ErrReadOnly, ErrOutOfRange, ErrInvalid and ErrFault.
//
// Two deliberate differences from Python: any Offset works (the mapping is aligned internally),
// and an empty file, or Anonymous(0, nil), gives a valid empty Region instead of an error.
//
// # Faults
//
// If the file behind a mapping shrinks, touching the lost pages raises SIGBUS, which kills a Go
// program. Every method of Region that touches mapped memory recovers from that fault (using
// [runtime/debug.SetPanicOnFault] for the duration of the call) and returns an error matching
// ErrFault; At, Find, RFind, Search and FindAll, which have no error result, report it through Err.
// The slice from Bytes has no such protection by itself: touch it inside Guard to get the same.
//
// # Concurrency
//
// ReadAt, WriteAt, At, Find, RFind, Search, FindAll, Guard, Bytes, Len, Size and Err are safe for
// concurrent use. The cursor methods are not safe for concurrent use with each other. Close and
// Resize may be called at any time from any goroutine: they wait for the calls in flight to
// finish, and the calls after them see the new state, so no method ever touches unmapped memory.
// Readers do not wait for each other: each call holds the region shared, on one of several
// counters, so that goroutines on different cores do not contend.
//
// Guard's function, and the io.Writer or io.Reader given to WriteTo or ReadFrom, run while the
// region is held shared. They must not call Close or Resize on the same region, which would wait
// for them forever; and like a nested sync.RWMutex.RLock, a call of theirs to another method of the
// same region can deadlock if another goroutine is waiting in Close or Resize at that moment.
//
// # Lifetime
//
// Close unmaps at once and releases the Region's duplicate of the file descriptor. A Region that
// becomes unreachable without Close is released by a cleanup (runtime.AddCleanup) after garbage
// collection. Slices from Bytes are valid until Close or Resize; using one afterwards is
// undefined, as with any unmapped memory.
//
// # Platform notes
//
// On Linux and the other Unix systems the mapping is made with mmap(2) through golang.org/x/sys/unix.
// Resize uses mremap(2) on Linux and NetBSD; elsewhere it maps afresh and unmaps the old mapping,
// keeping the contents and the cursor (Python fails there). Flush is msync(2) with MS_SYNC.
package mmap
