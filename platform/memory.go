package platform

import (
	"errors"
	"fmt"
	"runtime"
)

// The methods below go beyond Python's mmap: flushing without waiting, bringing pages in,
// counting resident pages, locking pages in memory, changing their protection and naming
// anonymous memory. Each takes a range of Data, widens it to whole pages as Sync does, and calls
// the per-OS piece (memory_*.go); a piece the OS lacks returns an error wrapping
// errors.ErrUnsupported.

// SyncAsync starts writing the dirty pages of Data()[off:off+n] back to the file and returns
// without waiting for the write (msync with MS_ASYNC; FlushViewOfFile alone on Windows).
func (m *Mapping) SyncAsync(off, n int) error {
	lo, hi := m.pageRange(off, n)
	if lo == hi {
		return nil
	}
	return m.syncAsync(lo, hi)
}

// Prefetch brings the pages of Data()[off:off+n] into memory ahead of use. Where the OS can
// populate the page tables (Linux 5.14+), it returns once they are in, and a range the file no
// longer backs is an error (EFAULT) instead of a later fault; elsewhere it only asks the OS to
// read them (MADV_WILLNEED, PrefetchVirtualMemory) and returns at once.
func (m *Mapping) Prefetch(off, n int) error {
	lo, hi := m.pageRange(off, n)
	if lo == hi {
		return nil
	}
	return m.prefetch(lo, hi)
}

// Resident returns how many of the pages that hold Data()[off:off+n] are in memory, and how many
// pages that range covers.
func (m *Mapping) Resident(off, n int) (resident, pages int, err error) {
	lo, hi := m.pageRange(off, n)
	pages = (hi - lo + PageSize - 1) / PageSize
	if lo == hi {
		return 0, 0, nil
	}
	resident, err = m.resident(lo, hi)
	return resident, pages, err
}

// Lock keeps the pages of Data()[off:off+n] in memory (mlock, VirtualLock) until Unlock or Unmap.
func (m *Mapping) Lock(off, n int) error {
	lo, hi := m.pageRange(off, n)
	if lo == hi {
		return nil
	}
	return m.lock(lo, hi)
}

// Unlock undoes Lock for the pages of Data()[off:off+n]. Pages that were not locked are no error.
func (m *Mapping) Unlock(off, n int) error {
	lo, hi := m.pageRange(off, n)
	if lo == hi {
		return nil
	}
	return m.unlock(lo, hi)
}

// Protect sets the protection (PROT_* bits, PROT_READ among them) of the pages of
// Data()[off:off+n], and returns the range of Data those pages hold: [lo, hi), which contains
// [off, off+n) and may be larger. It does not check prot against the mapping: the OS refuses what
// the mapping does not allow (write access to a read-only file, say).
func (m *Mapping) Protect(prot, off, n int) (lo, hi int, err error) {
	if prot&^(PROT_READ|PROT_WRITE|PROT_EXEC) != 0 || prot&PROT_READ == 0 {
		return off, off, fmt.Errorf("protect(%#x): PROT_READ and at most PROT_WRITE and PROT_EXEC: %w", prot, errInvalid)
	}
	rlo, rhi := m.pageRange(off, n)
	if rlo == rhi {
		return off, off, nil
	}
	if err := m.protect(prot, rlo, rhi); err != nil {
		return off, off, err
	}
	return max(0, rlo-m.delta), min(m.size, rhi-m.delta), nil
}

// ResetProtection gives every page of the mapping the protection it was made with, undoing
// Protect.
func (m *Mapping) ResetProtection() error {
	lo, hi := m.pageRange(0, m.size)
	if lo == hi {
		return nil
	}
	return m.protect(m.prot, lo, hi)
}

// SetName names anonymous memory for the OS's tools (PR_SET_VMA_ANON_NAME on Linux 5.17+, shown
// in /proc/PID/maps); an empty name removes the name. It is an error wrapping
// errors.ErrUnsupported for a file mapping and where the OS cannot name memory. The name must be
// at most 79 bytes (Linux's limit) of printable ASCII without any of `\`, "`", "$", "[" or "]".
func (m *Mapping) SetName(name string) error {
	if !m.Anonymous() {
		return fmt.Errorf("naming a file mapping: only anonymous memory takes a name: %w", errors.ErrUnsupported)
	}
	if err := CheckName(name); err != nil {
		return err
	}
	return m.setName(name)
}

// NamesMemory reports whether this OS can name anonymous memory at all: only Linux can (SetName
// may still find that the kernel cannot).
const NamesMemory = runtime.GOOS == "linux" || runtime.GOOS == "android"

// maxNameLen is the longest name SetName takes: Linux's limit (ANON_VMA_NAME_MAX_LEN is 80
// bytes with the terminating NUL).
const maxNameLen = 79

// CheckName applies Linux's rules for names everywhere, so that a name that works on one OS works
// on all of them.
func CheckName(name string) error {
	if len(name) > maxNameLen {
		return fmt.Errorf("name of %d bytes: at most %d: %w", len(name), maxNameLen, errInvalid)
	}
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c < ' ' || c > '~':
			return fmt.Errorf("name %q: byte %#x at %d is not printable ASCII: %w", name, c, i, errInvalid)
		case c == '\\' || c == '`' || c == '$' || c == '[' || c == ']':
			return fmt.Errorf("name %q: %q at %d is not allowed: %w", name, c, i, errInvalid)
		}
	}
	return nil
}

// classError is an OS error with a sentence on what it means, which matches a class of this
// package as well as the OS's error without repeating the class's text: errInvalid for a resource
// limit that would be exceeded (locked memory, say), errors.ErrUnsupported for a feature the
// kernel lacks.
type classError struct {
	msg   string // what the OS's error means here, with the numbers
	err   error  // the OS's error
	class error
}

func (e *classError) Error() string   { return e.msg + ": " + e.err.Error() }
func (e *classError) Unwrap() []error { return []error{e.err, e.class} }
