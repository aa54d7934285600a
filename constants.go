package mmap

import "github.com/mmapio/mmap/platform"

// Flags for Options.Flags, with the OS's own values. Every name exists on every OS; one the OS
// lacks is 0. MAP_POPULATE, MAP_DENYWRITE and MAP_EXECUTABLE are Linux's; on Windows only
// MAP_SHARED and MAP_PRIVATE mean anything.
const (
	MAP_SHARED     = platform.MAP_SHARED     // changes reach the file and other mappings of it
	MAP_PRIVATE    = platform.MAP_PRIVATE    // copy-on-write: changes stay in this region
	MAP_ANON       = platform.MAP_ANON       // no file; Anonymous adds it
	MAP_ANONYMOUS  = platform.MAP_ANONYMOUS  // the same as MAP_ANON where the OS has it
	MAP_POPULATE   = platform.MAP_POPULATE   // Linux: read the whole file in (prefault) while mapping
	MAP_DENYWRITE  = platform.MAP_DENYWRITE  // Linux: ignored by current kernels
	MAP_EXECUTABLE = platform.MAP_EXECUTABLE // Linux: ignored by current kernels
	MAP_NORESERVE  = platform.MAP_NORESERVE  // reserve no swap for the mapping (Options.NoReserve)
	MAP_HUGETLB    = platform.MAP_HUGETLB    // Linux: anonymous memory from the huge page pool (Options.HugePages)
)

// Protections for Options.Prot, with the OS's own values.
const (
	PROT_READ  = platform.PROT_READ
	PROT_WRITE = platform.PROT_WRITE
	PROT_EXEC  = platform.PROT_EXEC
)

// Advice for Madvise: Python's list of MADV_* names, with the OS's own values. Every name exists
// on every OS; an advice the OS lacks has a negative value here and Madvise returns an error
// matching errors.ErrUnsupported for it.
const (
	MADV_NORMAL        = platform.MADV_NORMAL
	MADV_RANDOM        = platform.MADV_RANDOM
	MADV_SEQUENTIAL    = platform.MADV_SEQUENTIAL
	MADV_WILLNEED      = platform.MADV_WILLNEED
	MADV_DONTNEED      = platform.MADV_DONTNEED
	MADV_REMOVE        = platform.MADV_REMOVE
	MADV_DONTFORK      = platform.MADV_DONTFORK
	MADV_DOFORK        = platform.MADV_DOFORK
	MADV_HWPOISON      = platform.MADV_HWPOISON
	MADV_MERGEABLE     = platform.MADV_MERGEABLE
	MADV_UNMERGEABLE   = platform.MADV_UNMERGEABLE
	MADV_SOFT_OFFLINE  = platform.MADV_SOFT_OFFLINE
	MADV_HUGEPAGE      = platform.MADV_HUGEPAGE
	MADV_NOHUGEPAGE    = platform.MADV_NOHUGEPAGE
	MADV_DONTDUMP      = platform.MADV_DONTDUMP
	MADV_DODUMP        = platform.MADV_DODUMP
	MADV_FREE          = platform.MADV_FREE
	MADV_NOSYNC        = platform.MADV_NOSYNC
	MADV_AUTOSYNC      = platform.MADV_AUTOSYNC
	MADV_NOCORE        = platform.MADV_NOCORE
	MADV_CORE          = platform.MADV_CORE
	MADV_PROTECT       = platform.MADV_PROTECT
	MADV_FREE_REUSABLE = platform.MADV_FREE_REUSABLE
	MADV_FREE_REUSE    = platform.MADV_FREE_REUSE
)

// Flags of msync(2), as Python 3.15 defines them for its flush(), with the OS's own values where
// the OS has msync, and Linux's elsewhere (Windows, js, wasip1, plan9). Flush is the MS_SYNC
// kind of flush, FlushAsync the MS_ASYNC kind; MS_INVALIDATE is defined for callers that pass
// these to msync themselves. On some systems (FreeBSD, DragonFly) MS_SYNC is 0.
const (
	MS_ASYNC      = platform.MS_ASYNC      // start writing the dirty pages back, do not wait
	MS_SYNC       = platform.MS_SYNC       // write the dirty pages back and wait
	MS_INVALIDATE = platform.MS_INVALIDATE // drop cached copies so that later reads see the file
)
