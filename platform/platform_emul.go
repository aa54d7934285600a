//go:build !unix && !windows

package platform

// Where the OS has no memory mapping (js/wasm, wasip1, plan9), a Mapping is emulated: its bytes
// live in ordinary memory, read from the file when the mapping is made. For a shared writable
// mapping of a file, Sync and Unmap write the pages that changed back to the file (a copy of the
// bytes as read tells which changed). Nothing is shared: another mapping of the same file, or
// another process, sees a write only after Sync or Unmap, and this mapping never sees theirs.
// Private and read-only mappings never write back; anonymous ones are plain memory.

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"runtime"
)

// CanFault reports whether touching a mapping's bytes can raise a memory fault: here they are
// ordinary memory, which cannot.
const CanFault = false

type sysState struct {
	// clean is the file's bytes as this mapping last read or wrote them, for a shared writable
	// file mapping: a page of raw that differs from it is dirty. nil for the other kinds.
	clean []byte
}

func pageSize() int              { return os.Getpagesize() }
func allocationGranularity() int { return os.Getpagesize() }

func (m *Mapping) private() bool { return m.flags&MAP_PRIVATE != 0 }

// writesBack reports whether changes go to the file: a shared, writable file mapping.
func (m *Mapping) writesBack() bool {
	return !m.Anonymous() && !m.private() && m.prot&PROT_WRITE != 0
}

// MapsWithoutFile reports whether a mapping stays fully usable once the file it was made from is
// closed: an emulated mapping writes back through it.
const MapsWithoutFile = false

// maxEmulated is the most memory one emulated mapping may take: wasm has a 32-bit address space
// even though its int has 64 bits, and an allocation beyond it is a fatal error, not a panic.
var maxEmulated = func() uint64 {
	if runtime.GOARCH == "wasm" {
		return 1 << 31
	}
	return uint64(math.MaxInt)
}()

func (m *Mapping) mapRaw(alignedOffset int64, rawLength int, _ string) ([]byte, error) {
	if uint64(rawLength) > maxEmulated {
		return nil, fmt.Errorf("emulated mapping of %d bytes: more than this platform's address space can hold (%d): %w", rawLength, maxEmulated, errInvalid)
	}
	if m.writesBack() {
		if err := checkWritable(m.fd); err != nil {
			return nil, err
		}
	}
	raw := make([]byte, rawLength)
	if m.Anonymous() {
		return raw, nil
	}
	if err := readFull(m.fd, raw, alignedOffset); err != nil {
		return nil, err
	}
	if m.writesBack() {
		m.sys.clean = append([]byte(nil), raw...)
	}
	return raw, nil
}

// readFull fills b from the file fd at off; bytes past the end of the file stay zero, as pages
// past the end of a mapped file read as zeros.
func readFull(fd uintptr, b []byte, off int64) error {
	for len(b) > 0 {
		n, err := pread(fd, b, off)
		if err == io.EOF || err == nil && n == 0 {
			return nil
		}
		if err != nil {
			return err
		}
		b, off = b[n:], off+int64(n)
	}
	return nil
}

// writeBack writes the dirty pages of raw[lo:hi] to the file.
func (m *Mapping) writeBack(lo, hi int) error {
	if !m.writesBack() {
		return nil
	}
	aligned := m.offset - int64(m.delta)
	page := PageSize
	for p := lo / page * page; p < hi; p += page {
		end := min(p+page, len(m.raw))
		if string(m.raw[p:end]) == string(m.sys.clean[p:end]) {
			continue
		}
		if _, err := pwriteFull(m.fd, m.raw[p:end], aligned+int64(p)); err != nil {
			return err
		}
		copy(m.sys.clean[p:end], m.raw[p:end])
	}
	return nil
}

func pwriteFull(fd uintptr, b []byte, off int64) (int, error) {
	total := 0
	for len(b) > 0 {
		n, err := pwrite(fd, b, off)
		total += n
		if err != nil {
			return total, err
		}
		if n == 0 {
			return total, io.ErrShortWrite
		}
		b, off = b[n:], off+int64(n)
	}
	return total, nil
}

// unmapRaw writes the dirty pages back, as munmap leaves them to the OS to write.
func (m *Mapping) unmapRaw() error {
	err := m.writeBack(0, len(m.raw))
	m.sys.clean = nil
	return err
}

func (m *Mapping) sync(lo, hi int) error {
	if err := m.writeBack(lo, hi); err != nil {
		return err
	}
	if !m.writesBack() {
		return nil
	}
	return fsync(m.fd)
}

// advise is never reached: no advice exists here, so every MADV_* constant is negative.
func (m *Mapping) advise(advice, lo, hi int) error {
	return fmt.Errorf("madvise(%d): no memory mapping on this OS: %w", advice, errors.ErrUnsupported)
}

// remapRaw carries every byte over, dirty ones included (they are nowhere else), and reads what
// the longer mapping adds from the file.
func (m *Mapping) remapRaw(rawLength int) ([]byte, error) {
	if uint64(rawLength) > maxEmulated {
		return nil, fmt.Errorf("emulated mapping of %d bytes: more than this platform's address space can hold (%d): %w", rawLength, maxEmulated, errInvalid)
	}
	raw := make([]byte, rawLength)
	n := copy(raw, m.raw)
	if !m.Anonymous() && n < rawLength {
		if err := readFull(m.fd, raw[n:], m.offset-int64(m.delta)+int64(n)); err != nil {
			return nil, err
		}
	}
	if m.writesBack() {
		clean := make([]byte, rawLength)
		copy(clean, m.sys.clean)
		copy(clean[n:], raw[n:])
		m.sys.clean = clean
	}
	return raw, nil
}

// resizeFile changes a file mapping's length and the file's size together; see Resize.
func (m *Mapping) resizeFile(newLength int, newSize, oldSize int64) error {
	return m.resizeTruncateRemap(newLength, newSize, oldSize)
}

// CloseFile closes a descriptor returned by Dup or DupFile.
func CloseFile(fd uintptr) error {
	if err := closeFD(fd); err != nil {
		return os.NewSyscallError("close", err)
	}
	return nil
}
