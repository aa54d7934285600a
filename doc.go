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
// # Beyond Python
//
// What programs that map files otherwise write by hand with golang.org/x/sys: String (Python's
// repr), FlushAsync (Python 3.15's flush with MS_ASYNC), Prefetch (bring pages in before they are
// touched), Resident (count the pages in memory), Lock and Unlock (keep pages in memory), Protect
// (change the protection of pages) and SetName (name anonymous memory for the OS's tools). Each
// takes its range as Flush does, widened to whole pages, and reports what the OS cannot do with
// an error matching errors.ErrUnsupported. The constants MS_SYNC, MS_ASYNC and MS_INVALIDATE are
// defined on every OS.
//
// Shared maps memory that other processes map too, by name or through the descriptor File hands
// out (for exec.Cmd.ExtraFiles), as Python's documentation shares anonymous memory with a child
// through fork. Options.NoTrackFD is Python 3.13's trackfd=False. Options.Populate, NoReserve
// and Lock do at map time what memmap2 and bbolt offer: read the pages in, reserve no swap, lock
// the pages. Options.Preallocate reserves the file's disk blocks at New and whenever Resize grows
// the region, so that a full disk is an error there rather than a fault at a later write.
//
// Find and RFind follow Python 3.15 where it changed: a start past the end finds nothing (-1),
// not even an empty sub, as bytes.find does; Python 3.14 and earlier found an empty sub at the
// end.
//
// # Faults
//
// If the file behind a mapping shrinks, touching the lost pages raises SIGBUS, which kills a Go
// program. Every method of Region that touches mapped memory recovers from that fault (using
// [runtime/debug.SetPanicOnFault] for the duration of the call) and returns an error matching
// ErrFault; At, Find, RFind, Search and FindAll, which have no error result, report it through Err.
// A fault inside a range that a racing Close or Resize has just retired (see Concurrency) is no
// error: the call runs again on the region as Close or Resize left it. The slice from Bytes has
// no such protection by itself: touch it inside Guard to get the same.
//
// # Concurrency
//
// ReadAt, WriteAt, At, Find, RFind, Search, FindAll, Guard, Bytes, Len, Size, Err, FlushAsync,
// Prefetch, Resident, Lock and Unlock are safe for concurrent use. The cursor methods
// are not safe for concurrent use with each other. Close and Resize (and Protect and SetName,
// which change what the Region keeps) may be called at any time from any goroutine, and no method
// racing them ever reads or writes memory that is not this region's: it behaves as if it ran
// wholly before or wholly after them, and a write runs wholly before or wholly after a Protect.
//
// The methods that only read (ReadAt, Read, ReadByte, ReadRune, ReadLine, At, Find, RFind, Search,
// FindAll, Bytes, Len, Seek, Tell) take no lock and write no shared memory where the OS can retire
// a range (Linux, macOS, the BSDs and the other Unix systems): each call loads the region's state
// once, atomically, and that state keeps its address range reserved until no call holds it. Close
// and Resize never unmap a range a reader may still be using; they replace it, in one step, with
// inaccessible memory (mmap of PROT_NONE with MAP_FIXED), which is given back to the OS by a
// cleanup once the garbage collector finds no call holding it. A reader that touches a retired
// range faults, and runs again on the new state: after Close it returns ErrClosed, after Resize
// it reads the resized region. Resize grows and shrinks in place inside address space reserved
// past the end (twice the length when the region must move, a quarter more on 32-bit systems), so
// that resizing a live region many times leaves a bounded number of reservations.
//
// The methods that write (WriteAt, Write, WriteString, WriteByte, Move, ReadFrom), and those that
// call the OS on the mapping or the descriptor (Flush, Madvise, Size and the methods beyond
// Python) or run the caller's code
// (Guard, WriteTo, ReadFrom), hold the region shared, on one of several counters, so that
// goroutines on different cores do not contend; Close and Resize wait for them, so that a write
// is never cut short: it lands wholly before the Close or Resize, or fails wholly after it.
// Windows and the emulations (js, wasip1, plan9) cannot retire a range in one step, so there the
// readers hold the region shared too (see Platform notes).
//
// Guard's function, and the io.Writer or io.Reader given to WriteTo or ReadFrom, run while the
// region is held shared. They must not call Close or Resize on the same region, which would wait
// for them forever; and like a nested sync.RWMutex.RLock, a call of theirs to a method that holds
// the region can deadlock if another goroutine is waiting in Close or Resize at that moment.
//
// # Lifetime
//
// Close makes the mapping inaccessible at once (unmaps it, on Windows and in the emulations) and
// releases the Region's duplicate of the file descriptor; the address range itself is given back
// after the next garbage collection that finds no call using it. A Region that becomes
// unreachable without Close is released by cleanups (runtime.AddCleanup) after garbage
// collection. Slices from Bytes are valid until Close or Resize; using one afterwards is
// undefined, as with any unmapped memory.
//
// # Platform notes
//
// Every OS difference lives in the subpackage platform; the Region above it is the same
// everywhere.
//
// Linux, macOS, the BSDs and the other Unix systems map with mmap(2) through golang.org/x/sys/unix.
// Flush is msync(2) with MS_SYNC. Resize maps the pages it adds over the address space reserved
// past the end (mmap with MAP_FIXED) and replaces the pages it cuts with reserved, inaccessible
// memory; when the region outgrows its reservation it maps afresh in a larger one, copies what
// only the old mapping held (anonymous or copy-on-write contents) and retires the old range, so
// that the contents and the cursor survive (Python fails there on macOS). Readers take no lock
// (see Concurrency). OpenBSD has no unified buffer
// cache: read(2) on the file sees a write through a Region only after Flush, which always calls
// msync, and an existing Region may not see a later write(2) to the file.
//
// Windows maps with CreateFileMapping and MapViewOfFile. AccessRead, AccessWrite and AccessCopy
// (or PROT_READ, MAP_SHARED and MAP_PRIVATE) become PAGE_READONLY, PAGE_READWRITE and
// PAGE_WRITECOPY with FILE_MAP_READ, FILE_MAP_WRITE and FILE_MAP_COPY; the other MAP_* flags
// are 0, and PROT_WRITE implies PROT_READ. Options.TagName names the mapping object, as
// Python's tagname does: the first Region with a name creates the object, and every later one,
// in this process or another, opens it and shares its memory, whatever file and length it was
// given (an Anonymous Region with a TagName is how processes share memory). AllocationGranularity
// is 64 KiB, yet any Offset works. A length past the end of the file is ErrInvalid: the file is
// never extended (Python extends it). Flush is FlushViewOfFile followed by FlushFileBuffers.
// Resize must unmap before it changes the file's size, then maps again: the Region moves in
// memory, copy-on-write contents are carried over through a copy, and cutting a file that
// another view holds (a second Region, a named mapping, another process) fails with ErrInvalid,
// wrapping ERROR_USER_MAPPED_FILE, with the Region and the file as they were; growing works.
// Anonymous memory with a TagName cannot be resized (errors.ErrUnsupported). Windows 10 and later
// could retire a range in one step (placeholders: UnmapViewOfFile2 with
// MEM_PRESERVE_PLACEHOLDER), but Wine, where this package's Windows tests run, lacks them: so on
// Windows every method that touches the mapping, readers included, holds the region shared, and
// Close and Resize wait for them and unmap at once. Madvise knows
// MADV_WILLNEED (PrefetchVirtualMemory) and MADV_DONTNEED (shared mappings leave the working set
// and keep their contents; private ones are discarded with DiscardVirtualMemory, after which their
// contents are undefined); other advice is errors.ErrUnsupported. An EXCEPTION_IN_PAGE_ERROR (the
// file's volume went away, an I/O error) or an access violation inside the mapping is ErrFault,
// as SIGBUS is on Unix; a mapped file cannot be truncated there.
//
// Beyond Python, per OS. Linux: FlushAsync is msync(MS_ASYNC), which since Linux 2.6.19 only
// checks its arguments (the kernel already tracks the dirty pages and writes them back in its
// own time); Prefetch is MADV_POPULATE_READ (MADV_POPULATE_WRITE for writable anonymous memory),
// which waits for the pages and reports a range the file no longer backs as ErrFault, and falls
// back to MADV_WILLNEED before Linux 5.14; Resident is mincore(2); Lock and Unlock are mlock(2)
// and munlock(2), limited by RLIMIT_MEMLOCK unless the process has CAP_IPC_LOCK; Protect is
// mprotect(2); SetName is prctl(PR_SET_VMA_ANON_NAME), which needs Linux 5.17 built with
// CONFIG_ANON_VMA_NAME (6.2 for the shared anonymous memory Anonymous makes by default) and
// returns errors.ErrUnsupported otherwise. macOS and the BSDs: Prefetch is MADV_WILLNEED, which
// returns at once; Resident is mincore(2), except on OpenBSD (errors.ErrUnsupported, as on
// Solaris and AIX); SetName is errors.ErrUnsupported. Windows: FlushAsync is FlushViewOfFile
// without FlushFileBuffers; Prefetch is PrefetchVirtualMemory (Windows 8 and later), which returns
// at once; Resident is QueryWorkingSetEx and counts the pages in this process's working set, not
// those only in the system's file cache; Lock and Unlock are VirtualLock and VirtualUnlock,
// limited by the process's minimum working set size (SetProcessWorkingSetSize); Protect is
// VirtualProtect, where a writable page of a copy-on-write view is PAGE_WRITECOPY and PROT_EXEC
// needs a region mapped with PROT_EXEC; SetName is errors.ErrUnsupported (TagName names the
// mapping object instead). Emulated regions (below): FlushAsync writes the changed pages back
// without waiting for the disk; every page is resident, so Prefetch does nothing and Resident
// counts all of them; Lock, Unlock, Protect and SetName are errors.ErrUnsupported.
//
// Shared, per OS. Linux: a name is an object in /dev/shm (what shm_open makes), and memory without
// a name is a memfd sealed against shrinking (F_SEAL_SHRINK), so that no process it is handed to
// can make it fault, and Resize can grow it but not shrink it. macOS and the BSDs, whose shm_open
// is a libc function out of reach without cgo: a file mmap-shm-NAME in the temporary directory,
// and for no name a temporary file removed at once; its pages are the page cache's and may be
// written to disk. Windows: a named file-mapping object, as TagName makes, which the first region
// sizes and the last one's Close removes; File is errors.ErrUnsupported. Emulated regions share
// nothing: Shared is errors.ErrUnsupported. NoTrackFD is Unix's only (Windows' Flush needs the
// file's handle, an emulated region writes back through it). Preallocate is fallocate(2) with
// FALLOC_FL_KEEP_SIZE on Linux and F_PREALLOCATE on macOS; Windows allocates a file's clusters
// when it grows anyway; elsewhere, and on file systems that cannot, it does nothing. NoReserve is
// MAP_NORESERVE where the OS has it (Linux, macOS, NetBSD, OpenBSD, Solaris). HugePages, on Linux,
// maps anonymous memory of a whole number of huge pages from the pool the administrator reserved
// (MAP_HUGETLB, vm.nr_hugepages), which cannot be resized; otherwise it is MADV_HUGEPAGE, which
// the kernel honours for private anonymous memory when transparent huge pages are enabled
// ("always" or "madvise"), and for shared memory as shmem_enabled says. It does nothing elsewhere.
// ColdReads takes effect where mincore(2) exists (Linux, macOS, FreeBSD, NetBSD, DragonFly) and
// does nothing elsewhere.
//
// On 32-bit systems lengths are ints: a whole file that does not fit the address space is
// ErrInvalid, and a window of it (Offset and a length) is the way in; offsets past 4 GiB work.
//
// Where there is no memory mapping at all (js/wasm, wasip1, plan9), a Region is emulated: its
// bytes are read into memory by New, and for AccessWrite regions Flush and Close write the pages
// that changed back to the file. Nothing is shared: other Regions of the same file, other
// processes and readers of the file see a write only after Flush or Close, and a Region never sees
// later changes to the file. An AccessWrite region takes twice its length in memory (a copy of the
// file's bytes tells which pages changed); a write through Bytes of a read-only region does not
// fault, and never reaches the file. There are no faults, and no advice (Madvise returns
// errors.ErrUnsupported). As on Windows, every method that touches the bytes holds the region
// shared, and Close and Resize wait for them. js and wasip1 have no dup(2): New opens the file again by its name,
// which fails if it was renamed or removed since. On wasm a Region holds at most 2 GiB.
package mmap
