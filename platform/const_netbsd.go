package platform

import "golang.org/x/sys/unix"

// Mapping flags and protections; a MAP_* flag netbsd lacks is 0.
const (
	MAP_SHARED     = unix.MAP_SHARED
	MAP_PRIVATE    = unix.MAP_PRIVATE
	MAP_ANON       = unix.MAP_ANON
	MAP_ANONYMOUS  = 0
	MAP_POPULATE   = 0
	MAP_DENYWRITE  = 0
	MAP_EXECUTABLE = 0
	PROT_READ      = unix.PROT_READ
	PROT_WRITE     = unix.PROT_WRITE
	PROT_EXEC      = unix.PROT_EXEC
)

// Advice for Advise; one that netbsd lacks is negative.
const (
	MADV_NORMAL        = unix.MADV_NORMAL
	MADV_RANDOM        = unix.MADV_RANDOM
	MADV_SEQUENTIAL    = unix.MADV_SEQUENTIAL
	MADV_WILLNEED      = unix.MADV_WILLNEED
	MADV_DONTNEED      = unix.MADV_DONTNEED
	MADV_REMOVE        = -1
	MADV_DONTFORK      = -2
	MADV_DOFORK        = -3
	MADV_HWPOISON      = -4
	MADV_MERGEABLE     = -5
	MADV_UNMERGEABLE   = -6
	MADV_SOFT_OFFLINE  = -7
	MADV_HUGEPAGE      = -8
	MADV_NOHUGEPAGE    = -9
	MADV_DONTDUMP      = -10
	MADV_DODUMP        = -11
	MADV_FREE          = unix.MADV_FREE
	MADV_NOSYNC        = -12
	MADV_AUTOSYNC      = -13
	MADV_NOCORE        = -14
	MADV_CORE          = -15
	MADV_PROTECT       = -16
	MADV_FREE_REUSABLE = -17
	MADV_FREE_REUSE    = -18
)

// Flags of msync, as netbsd defines them. Sync uses MS_SYNC and SyncAsync MS_ASYNC.
const (
	MS_ASYNC      = unix.MS_ASYNC
	MS_SYNC       = unix.MS_SYNC
	MS_INVALIDATE = unix.MS_INVALIDATE
)
