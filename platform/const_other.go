//go:build !unix && !windows

package platform

// Mapping flags and protections for the emulated mappings: Python's (and Linux's) values; only
// MAP_SHARED, MAP_PRIVATE and PROT_WRITE change anything.
const (
	MAP_SHARED     = 0x1
	MAP_PRIVATE    = 0x2
	MAP_ANON       = 0
	MAP_ANONYMOUS  = 0
	MAP_POPULATE   = 0
	MAP_DENYWRITE  = 0
	MAP_EXECUTABLE = 0
	PROT_READ      = 0x1
	PROT_WRITE     = 0x2
	PROT_EXEC      = 0x4
)

// Advice for Advise: an emulated mapping takes none, so every one is negative (unsupported).
const (
	MADV_NORMAL = -(iota + 1)
	MADV_RANDOM
	MADV_SEQUENTIAL
	MADV_WILLNEED
	MADV_DONTNEED
	MADV_REMOVE
	MADV_DONTFORK
	MADV_DOFORK
	MADV_HWPOISON
	MADV_MERGEABLE
	MADV_UNMERGEABLE
	MADV_SOFT_OFFLINE
	MADV_HUGEPAGE
	MADV_NOHUGEPAGE
	MADV_DONTDUMP
	MADV_DODUMP
	MADV_FREE
	MADV_NOSYNC
	MADV_AUTOSYNC
	MADV_NOCORE
	MADV_CORE
	MADV_PROTECT
	MADV_FREE_REUSABLE
	MADV_FREE_REUSE
)
