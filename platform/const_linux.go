package platform

import "golang.org/x/sys/unix"

// Mapping flags and protections; a MAP_* flag linux lacks is 0.
const (
	MAP_SHARED     = unix.MAP_SHARED
	MAP_PRIVATE    = unix.MAP_PRIVATE
	MAP_ANON       = unix.MAP_ANON
	MAP_ANONYMOUS  = unix.MAP_ANONYMOUS
	MAP_POPULATE   = unix.MAP_POPULATE
	MAP_DENYWRITE  = unix.MAP_DENYWRITE
	MAP_EXECUTABLE = unix.MAP_EXECUTABLE
	PROT_READ      = unix.PROT_READ
	PROT_WRITE     = unix.PROT_WRITE
	PROT_EXEC      = unix.PROT_EXEC
)

// Advice for Advise; one that linux lacks is negative.
const (
	MADV_NORMAL        = unix.MADV_NORMAL
	MADV_RANDOM        = unix.MADV_RANDOM
	MADV_SEQUENTIAL    = unix.MADV_SEQUENTIAL
	MADV_WILLNEED      = unix.MADV_WILLNEED
	MADV_DONTNEED      = unix.MADV_DONTNEED
	MADV_REMOVE        = unix.MADV_REMOVE
	MADV_DONTFORK      = unix.MADV_DONTFORK
	MADV_DOFORK        = unix.MADV_DOFORK
	MADV_HWPOISON      = unix.MADV_HWPOISON
	MADV_MERGEABLE     = unix.MADV_MERGEABLE
	MADV_UNMERGEABLE   = unix.MADV_UNMERGEABLE
	MADV_SOFT_OFFLINE  = 101 // <linux/mman.h>; x/sys/unix does not define it
	MADV_HUGEPAGE      = unix.MADV_HUGEPAGE
	MADV_NOHUGEPAGE    = unix.MADV_NOHUGEPAGE
	MADV_DONTDUMP      = unix.MADV_DONTDUMP
	MADV_DODUMP        = unix.MADV_DODUMP
	MADV_FREE          = unix.MADV_FREE
	MADV_NOSYNC        = -1
	MADV_AUTOSYNC      = -2
	MADV_NOCORE        = -3
	MADV_CORE          = -4
	MADV_PROTECT       = -5
	MADV_FREE_REUSABLE = -6
	MADV_FREE_REUSE    = -7
)

// Flags of msync, as linux defines them. Sync uses MS_SYNC and SyncAsync MS_ASYNC.
const (
	MS_ASYNC      = unix.MS_ASYNC
	MS_SYNC       = unix.MS_SYNC
	MS_INVALIDATE = unix.MS_INVALIDATE
)
