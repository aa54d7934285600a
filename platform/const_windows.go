package platform

// Advice for Advise. Windows has counterparts for MADV_WILLNEED (PrefetchVirtualMemory) and
// MADV_DONTNEED (see advise), which take POSIX's values; the rest are negative: unsupported.
const (
	MADV_WILLNEED      = 3
	MADV_DONTNEED      = 4
	MADV_NORMAL        = -1
	MADV_RANDOM        = -2
	MADV_SEQUENTIAL    = -3
	MADV_REMOVE        = -4
	MADV_DONTFORK      = -5
	MADV_DOFORK        = -6
	MADV_HWPOISON      = -7
	MADV_MERGEABLE     = -8
	MADV_UNMERGEABLE   = -9
	MADV_SOFT_OFFLINE  = -10
	MADV_HUGEPAGE      = -11
	MADV_NOHUGEPAGE    = -12
	MADV_DONTDUMP      = -13
	MADV_DODUMP        = -14
	MADV_FREE          = -15
	MADV_NOSYNC        = -16
	MADV_AUTOSYNC      = -17
	MADV_NOCORE        = -18
	MADV_CORE          = -19
	MADV_PROTECT       = -20
	MADV_FREE_REUSABLE = -21
	MADV_FREE_REUSE    = -22
)
