//go:build !unix

package platform

// Mapping flags and protections where the OS has no mmap (Windows, and the emulated mappings of
// js, wasip1 and plan9): Python's (and Linux's) values. Only MAP_SHARED, MAP_PRIVATE and the PROT_*
// bits change anything; Windows translates them to page protections and view access (see
// protections in platform_windows.go). The other MAP_* flags are 0.
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

// Flags of msync where the OS has none (Windows, and the emulated mappings of js, wasip1 and
// plan9): Python's (and Linux's) values. Sync is the MS_SYNC kind of flush and SyncAsync the
// MS_ASYNC kind.
const (
	MS_ASYNC      = 0x1
	MS_INVALIDATE = 0x2
	MS_SYNC       = 0x4
)
