//go:build !unix && !windows

package platform

import (
	"errors"
	"fmt"
)

type sysState struct{}

func pageSize() int              { return 4096 }
func allocationGranularity() int { return 4096 }

func (m *Mapping) private() bool { return m.flags&MAP_PRIVATE != 0 }

func unsupported(op string) error {
	return fmt.Errorf("%s: no memory mapping on this OS: %w", op, errors.ErrUnsupported)
}

func (m *Mapping) mapRaw(int64, int, string) ([]byte, error) { return nil, unsupported("mmap") }
func (m *Mapping) unmapRaw() error                           { return unsupported("munmap") }
func (m *Mapping) sync(lo, hi int) error                     { return unsupported("msync") }
func (m *Mapping) advise(advice, lo, hi int) error           { return unsupported("madvise") }
func (m *Mapping) remapRaw(int) ([]byte, error)              { return nil, unsupported("mremap") }

// Dup duplicates the descriptor fd.
func Dup(fd uintptr) (uintptr, error) { return NoFile, unsupported("dup") }

// CloseFile closes a descriptor returned by Dup.
func CloseFile(fd uintptr) error { return unsupported("close") }

// Truncate sets the size of the file fd.
func Truncate(fd uintptr, size int64) error { return unsupported("ftruncate") }

// FileSize returns the size of the file fd.
func FileSize(fd uintptr) (int64, error) { return 0, unsupported("fstat") }

// Mapping flags and protections; Python's values where the OS has none.
const (
	MAP_SHARED     = 1
	MAP_PRIVATE    = 2
	MAP_ANON       = 0
	MAP_ANONYMOUS  = 0
	MAP_POPULATE   = 0
	MAP_DENYWRITE  = 0
	MAP_EXECUTABLE = 0
	PROT_READ      = 1
	PROT_WRITE     = 2
	PROT_EXEC      = 4
)

// Advice for Advise: none exists here.
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
