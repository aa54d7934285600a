package platform

import "golang.org/x/sys/unix"

// Mapping flags and protections; a MAP_* flag freebsd lacks is 0.
const (
	MAP_SHARED     = unix.MAP_SHARED
	MAP_PRIVATE    = unix.MAP_PRIVATE
	MAP_ANON       = unix.MAP_ANON
	MAP_ANONYMOUS  = unix.MAP_ANONYMOUS
	MAP_POPULATE   = 0
	MAP_DENYWRITE  = 0
	MAP_EXECUTABLE = 0
	PROT_READ      = unix.PROT_READ
	PROT_WRITE     = unix.PROT_WRITE
	PROT_EXEC      = unix.PROT_EXEC
)

// Advice for Advise; one that freebsd lacks is negative.
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
	MADV_NOSYNC        = unix.MADV_NOSYNC
	MADV_AUTOSYNC      = unix.MADV_AUTOSYNC
	MADV_NOCORE        = unix.MADV_NOCORE
	MADV_CORE          = unix.MADV_CORE
	MADV_PROTECT       = unix.MADV_PROTECT
	MADV_FREE_REUSABLE = -12
	MADV_FREE_REUSE    = -13
)

// Flags of msync, as freebsd defines them. Sync uses MS_SYNC and SyncAsync MS_ASYNC.
const (
	MS_ASYNC      = unix.MS_ASYNC
	MS_SYNC       = unix.MS_SYNC
	MS_INVALIDATE = unix.MS_INVALIDATE
)
