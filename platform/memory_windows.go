package platform

import (
	"errors"
	"fmt"
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

// syncAsync starts writing the view's dirty pages to the file: FlushViewOfFile without the
// FlushFileBuffers that makes Sync wait.
func (m *Mapping) syncAsync(lo, hi int) error {
	if err := windows.FlushViewOfFile(m.base()+uintptr(lo), uintptr(hi-lo)); err != nil {
		return os.NewSyscallError("FlushViewOfFile", err)
	}
	return nil
}

// prefetch is PrefetchVirtualMemory (Windows 8 and later): it asks for the pages and returns
// before they are in.
func (m *Mapping) prefetch(lo, hi int) error {
	return m.advise(MADV_WILLNEED, lo, hi)
}

// workingSetExInformation is PSAPI_WORKING_SET_EX_INFORMATION. x/sys/windows declares its
// attributes as a uint64, which is wrong for 32-bit Windows, where the union is a ULONG_PTR.
type workingSetExInformation struct {
	virtualAddress uintptr
	attributes     uintptr // bit 0: the page is valid, that is, in the process's working set
}

// resident asks QueryWorkingSetEx about every page, in chunks.
func (m *Mapping) resident(lo, hi int) (int, error) {
	const chunkPages = 1024
	var info [chunkPages]workingSetExInformation
	page := PageSize
	count := 0
	for lo < hi {
		n := min((hi-lo+page-1)/page, chunkPages)
		for i := range info[:n] {
			info[i] = workingSetExInformation{virtualAddress: m.base() + uintptr(lo+i*page)}
		}
		if err := windows.QueryWorkingSetEx(windows.CurrentProcess(), uintptr(unsafe.Pointer(&info[0])), uint32(n*int(unsafe.Sizeof(info[0])))); err != nil {
			return count, os.NewSyscallError("QueryWorkingSetEx", err)
		}
		for _, e := range info[:n] {
			count += int(e.attributes & 1)
		}
		lo += n * page
	}
	return count, nil
}

func (m *Mapping) lock(lo, hi int) error {
	err := windows.VirtualLock(m.base()+uintptr(lo), uintptr(hi-lo))
	switch {
	case err == nil:
		return nil
	case errors.Is(err, windows.ERROR_WORKING_SET_QUOTA), errors.Is(err, windows.ERROR_NO_SYSTEM_RESOURCES):
		return &classError{class: errInvalid,
			msg: fmt.Sprintf("locking %d bytes exceeds the process's minimum working set size (the limit on locked memory; raise it with SetProcessWorkingSetSize)", hi-lo),
			err: os.NewSyscallError("VirtualLock", err),
		}
	}
	return os.NewSyscallError("VirtualLock", err)
}

// unlock calls VirtualUnlock, which fails with ERROR_NOT_LOCKED for pages that were not locked:
// that is no error here, as munlock of unlocked pages is none.
func (m *Mapping) unlock(lo, hi int) error {
	err := windows.VirtualUnlock(m.base()+uintptr(lo), uintptr(hi-lo))
	if err != nil && !errors.Is(err, windows.ERROR_NOT_LOCKED) {
		return os.NewSyscallError("VirtualUnlock", err)
	}
	return nil
}

// protect is VirtualProtect with the page protection PROT_* gives for this view: a writable page
// of a copy-on-write view is PAGE_WRITECOPY, as the view was made.
func (m *Mapping) protect(prot, lo, hi int) error {
	write, exec := prot&PROT_WRITE != 0, prot&PROT_EXEC != 0
	if exec && m.prot&PROT_EXEC == 0 {
		// VirtualProtect would fail with ERROR_INVALID_PARAMETER: say why.
		return fmt.Errorf("PROT_EXEC: the view was mapped without FILE_MAP_EXECUTE (map with PROT_EXEC in Options.Prot): %w", errInvalid)
	}
	var p uint32
	switch {
	case !write && !exec:
		p = windows.PAGE_READONLY
	case !write:
		p = windows.PAGE_EXECUTE_READ
	case m.private() && exec:
		p = windows.PAGE_EXECUTE_WRITECOPY
	case m.private():
		p = windows.PAGE_WRITECOPY
	case exec:
		p = windows.PAGE_EXECUTE_READWRITE
	default:
		p = windows.PAGE_READWRITE
	}
	var old uint32
	if err := windows.VirtualProtect(m.base()+uintptr(lo), uintptr(hi-lo), p, &old); err != nil {
		return os.NewSyscallError("VirtualProtect", err)
	}
	return nil
}

func (m *Mapping) setName(string) error {
	return fmt.Errorf("naming anonymous memory: only Linux can (on Windows, Options.TagName names the mapping object): %w", errors.ErrUnsupported)
}
