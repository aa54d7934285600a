package platform

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

// MapsWithoutFile reports whether a mapping stays fully usable once the file it was made from is
// closed: on Windows, Flush needs the file's handle for FlushFileBuffers.
const MapsWithoutFile = false

// CanFault reports whether touching a mapping's bytes can raise a memory fault: an
// EXCEPTION_IN_PAGE_ERROR when the file's volume goes away or the disk fails.
const CanFault = true

// sysState is what a Windows mapping needs beyond its view: the file-mapping object behind the
// view, and the name that object was created or opened with.
type sysState struct {
	mapping windows.Handle
	name    string
}

// x/sys/windows does not wrap these; they are loaded from kernel32 on first use.
var (
	kernel32                  = windows.NewLazySystemDLL("kernel32.dll")
	procGetSystemInfo         = kernel32.NewProc("GetSystemInfo")
	procPrefetchVirtualMemory = kernel32.NewProc("PrefetchVirtualMemory") // Windows 8 and later
	procDiscardVirtualMemory  = kernel32.NewProc("DiscardVirtualMemory")  // Windows 8.1 and later
)

// systemInfo is SYSTEM_INFO.
type systemInfo struct {
	processorArchitecture     uint16
	reserved                  uint16
	pageSize                  uint32
	minimumApplicationAddress uintptr
	maximumApplicationAddress uintptr
	activeProcessorMask       uintptr
	numberOfProcessors        uint32
	processorType             uint32
	allocationGranularity     uint32
	processorLevel            uint16
	processorRevision         uint16
}

var sysInfo = func() systemInfo {
	var si systemInfo
	procGetSystemInfo.Call(uintptr(unsafe.Pointer(&si))) // cannot fail: it has no result
	return si
}()

func pageSize() int { return int(sysInfo.pageSize) }

// allocationGranularity is the alignment MapViewOfFile requires of a file offset: 64 KiB on every
// Windows so far, not the page size.
func allocationGranularity() int { return int(sysInfo.allocationGranularity) }

func (m *Mapping) private() bool { return m.flags&MAP_PRIVATE != 0 }

// protections turns PROT_* and MAP_* into the page protection of the mapping object and the access
// of the view, as Python's Windows mmap does: read-only is PAGE_READONLY with FILE_MAP_READ,
// shared and writable is PAGE_READWRITE with FILE_MAP_WRITE, private and writable is
// PAGE_WRITECOPY with FILE_MAP_COPY. Windows has no write-only pages: PROT_WRITE implies reading.
func (m *Mapping) protections() (pageProt, viewAccess uint32) {
	write := m.prot&PROT_WRITE != 0
	exec := m.prot&PROT_EXEC != 0
	switch {
	case !write && !exec:
		pageProt, viewAccess = windows.PAGE_READONLY, windows.FILE_MAP_READ
	case !write:
		pageProt, viewAccess = windows.PAGE_EXECUTE_READ, windows.FILE_MAP_READ|windows.FILE_MAP_EXECUTE
	case m.private() && m.Anonymous():
		// Paging-file memory: the object is read-write (a named one may be shared by others),
		// this view is copy-on-write.
		pageProt, viewAccess = windows.PAGE_READWRITE, windows.FILE_MAP_COPY
		if exec {
			pageProt, viewAccess = windows.PAGE_EXECUTE_READWRITE, windows.FILE_MAP_COPY|windows.FILE_MAP_EXECUTE
		}
	case m.private():
		pageProt, viewAccess = windows.PAGE_WRITECOPY, windows.FILE_MAP_COPY
		if exec {
			pageProt, viewAccess = windows.PAGE_EXECUTE_WRITECOPY, windows.FILE_MAP_COPY|windows.FILE_MAP_EXECUTE
		}
	case exec:
		pageProt, viewAccess = windows.PAGE_EXECUTE_READWRITE, windows.FILE_MAP_WRITE|windows.FILE_MAP_EXECUTE
	default:
		pageProt, viewAccess = windows.PAGE_READWRITE, windows.FILE_MAP_WRITE
	}
	return pageProt, viewAccess
}

// mapRaw creates (or, for a name already in use, opens) a file-mapping object and maps a view of
// it. The object's maximum size is the end of the view, never more: CreateFileMapping would grow
// a file that is shorter, and this package does not grow files behind the caller's back (Python
// does on Windows).
func (m *Mapping) mapRaw(alignedOffset int64, rawLength int, name string) ([]byte, error) {
	var namep *uint16
	if name != "" {
		var err error
		if namep, err = windows.UTF16PtrFromString(name); err != nil {
			return nil, fmt.Errorf("mapping name %q: %w", name, errInvalid)
		}
	}
	pageProt, viewAccess := m.protections()
	end := uint64(alignedOffset) + uint64(rawLength)
	// NoFile is INVALID_HANDLE_VALUE: memory backed by the paging file.
	h, err := windows.CreateFileMapping(windows.Handle(m.fd), nil, pageProt, uint32(end>>32), uint32(end), namep)
	if h == 0 {
		return nil, os.NewSyscallError("CreateFileMapping", err)
	}
	// With ERROR_ALREADY_EXISTS, h is a valid handle to the object another mapping of the same
	// name created: that is how a name is shared, and no failure.
	addr, err := windows.MapViewOfFile(h, viewAccess, uint32(uint64(alignedOffset)>>32), uint32(alignedOffset), uintptr(rawLength))
	if addr == 0 {
		windows.CloseHandle(h)
		return nil, os.NewSyscallError("MapViewOfFile", err)
	}
	m.sys = sysState{mapping: h, name: name}
	return unsafe.Slice((*byte)(*(*unsafe.Pointer)(unsafe.Pointer(&addr))), rawLength), nil
}

func (m *Mapping) base() uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(m.raw))) }

// unmapRaw unmaps the view and closes the mapping object; the object itself lives on while other
// views or handles (a second Region or process with the same name) hold it.
func (m *Mapping) unmapRaw() error {
	err := windows.UnmapViewOfFile(m.base())
	if err != nil {
		err = os.NewSyscallError("UnmapViewOfFile", err)
	}
	if cerr := windows.CloseHandle(m.sys.mapping); cerr != nil && err == nil {
		err = os.NewSyscallError("CloseHandle", cerr)
	}
	return err
}

// sync writes the view's dirty pages to the file (FlushViewOfFile only starts that), then waits
// for the file's data to reach the disk (FlushFileBuffers), as msync with MS_SYNC does.
func (m *Mapping) sync(lo, hi int) error {
	if err := windows.FlushViewOfFile(m.base()+uintptr(lo), uintptr(hi-lo)); err != nil {
		return os.NewSyscallError("FlushViewOfFile", err)
	}
	if m.Anonymous() {
		return nil
	}
	if err := windows.FlushFileBuffers(windows.Handle(m.fd)); err != nil {
		return os.NewSyscallError("FlushFileBuffers", err)
	}
	return nil
}

// memoryRangeEntry is WIN32_MEMORY_RANGE_ENTRY.
type memoryRangeEntry struct {
	address uintptr
	size    uintptr
}

// advise implements the two advices Windows has a counterpart for. MADV_WILLNEED is
// PrefetchVirtualMemory. MADV_DONTNEED keeps the contents, as on Unix, for shared mappings: their
// pages leave the working set (VirtualUnlock on unlocked pages does that) and the OS writes them
// back in its own time; for private memory it is DiscardVirtualMemory, after which the contents
// are undefined (Unix gives the file's bytes or zeros).
func (m *Mapping) advise(advice, lo, hi int) error {
	addr, n := m.base()+uintptr(lo), uintptr(hi-lo)
	switch advice {
	case MADV_WILLNEED:
		if procPrefetchVirtualMemory.Find() != nil {
			return fmt.Errorf("madvise(MADV_WILLNEED): PrefetchVirtualMemory needs Windows 8: %w", errors.ErrUnsupported)
		}
		entry := memoryRangeEntry{addr, n}
		r, _, err := procPrefetchVirtualMemory.Call(uintptr(windows.CurrentProcess()), 1, uintptr(unsafe.Pointer(&entry)), 0)
		if r == 0 {
			return os.NewSyscallError("PrefetchVirtualMemory", err)
		}
		return nil
	case MADV_DONTNEED:
		if !m.private() {
			err := windows.VirtualUnlock(addr, n)
			if err != nil && !errors.Is(err, windows.ERROR_NOT_LOCKED) {
				return os.NewSyscallError("VirtualUnlock", err)
			}
			return nil
		}
		if procDiscardVirtualMemory.Find() != nil {
			return fmt.Errorf("madvise(MADV_DONTNEED): DiscardVirtualMemory needs Windows 8.1: %w", errors.ErrUnsupported)
		}
		// DiscardVirtualMemory returns an error code, not a BOOL.
		if r, _, _ := procDiscardVirtualMemory.Call(addr, n); r != 0 {
			return os.NewSyscallError("DiscardVirtualMemory", windows.Errno(r))
		}
		return nil
	}
	return fmt.Errorf("madvise(%d): Windows has no such advice: %w", advice, errors.ErrUnsupported)
}

// remapRaw changes the length of anonymous memory: a paging-file object has a fixed size, so a new
// one is made and the contents copied. A named object is shared with others by its name, which
// cannot move to a new object.
func (m *Mapping) remapRaw(rawLength int) ([]byte, error) {
	if m.sys.name != "" {
		return nil, fmt.Errorf("resize of the named mapping %q: its other users would keep the old memory: %w", m.sys.name, errors.ErrUnsupported)
	}
	return m.remapCopy(rawLength)
}

// resizeFile changes a file mapping's length and the file's size together. Windows refuses to
// change the size of a file while any view of it exists (ERROR_USER_MAPPED_FILE), so the view and
// the mapping object go first, then the file's size changes, then both are made again. When the
// size cannot change because another view holds the file (a second Region, a named mapping,
// another process), the old mapping is made again and the file is as it was.
func (m *Mapping) resizeFile(newLength int, newSize, oldSize int64) error {
	// Copy-on-write pages exist only in this view: carry them over by hand.
	var private []byte
	if m.private() {
		private = bytes.Clone(m.Data())
	}
	oldLength := m.size
	aligned := m.offset - int64(m.delta)
	if err := m.unmapRaw(); err != nil {
		return err
	}
	m.raw = nil
	remake := func(length int) error {
		raw, err := m.mapRaw(aligned, m.delta+length, m.sys.name)
		if err != nil {
			return err
		}
		m.raw, m.size = raw, length
		copy(m.Data(), private)
		return nil
	}
	if err := truncate(m.fd, newSize); err != nil {
		return errors.Join(err, remake(oldLength))
	}
	if err := remake(newLength); err != nil {
		return errors.Join(err, truncate(m.fd, oldSize), remake(oldLength))
	}
	return nil
}

// Dup duplicates the handle fd with the same access, so that the mapping outlives the caller's file.
func Dup(fd uintptr) (uintptr, error) {
	p := windows.CurrentProcess()
	var h windows.Handle
	if err := windows.DuplicateHandle(p, windows.Handle(fd), p, &h, 0, false, windows.DUPLICATE_SAME_ACCESS); err != nil {
		return NoFile, os.NewSyscallError("DuplicateHandle", err)
	}
	return uintptr(h), nil
}

// CloseFile closes a handle returned by Dup.
func CloseFile(fd uintptr) error {
	if err := windows.CloseHandle(windows.Handle(fd)); err != nil {
		return os.NewSyscallError("CloseHandle", err)
	}
	return nil
}

// truncate sets the size of the file fd (SetEndOfFile's effect, without moving the file pointer
// the handle shares with the caller's file). It fails while any view of the file exists.
func truncate(fd uintptr, size int64) error {
	if err := windows.Ftruncate(windows.Handle(fd), size); err != nil {
		if errors.Is(err, windows.ERROR_USER_MAPPED_FILE) {
			return fmt.Errorf("set the file's size to %d: another view of the file is open (a second Region, a named mapping or another process), and Windows cannot change the size of a mapped file: %w",
				size, os.NewSyscallError("SetEndOfFile", err))
		}
		return os.NewSyscallError("SetEndOfFile", err)
	}
	return nil
}

// FileSize returns the size of the file fd.
func FileSize(fd uintptr) (int64, error) {
	var info windows.ByHandleFileInformation
	if err := windows.GetFileInformationByHandle(windows.Handle(fd), &info); err != nil {
		return 0, os.NewSyscallError("GetFileInformationByHandle", err)
	}
	return int64(info.FileSizeHigh)<<32 | int64(info.FileSizeLow), nil
}

// Allocate has nothing to do on Windows: extending a file that is not sparse (SetEndOfFile, as
// Resize does) allocates its clusters, and a full disk fails that call.
func Allocate(fd uintptr, off, n int64) error { return nil }

// remapCopy is Windows' remap: map afresh, carry over what the new mapping cannot see by
// itself (anonymous or private memory), then unmap the old one. The old mapping stays intact until
// the new one exists, so a failure changes nothing.
func (m *Mapping) remapCopy(rawLength int) ([]byte, error) {
	fresh := &Mapping{delta: m.delta, size: rawLength - m.delta, fd: m.fd, offset: m.offset, prot: m.prot, flags: m.flags}
	raw, err := fresh.mapRaw(m.offset-int64(m.delta), rawLength, "")
	if err != nil {
		return nil, err
	}
	fresh.raw = raw
	if m.Anonymous() || m.private() {
		copy(raw, m.raw)
	}
	if err := m.unmapRaw(); err != nil {
		fresh.unmapRaw()
		return nil, err
	}
	m.sys = fresh.sys
	return raw, nil
}
