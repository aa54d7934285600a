package mmap_test

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/mmapio/mmap"
)

// TestResizeOnReadOnlyFS mounts a tmpfs, puts a file in it, remounts it read-only and makes Resize
// of a writable (private) region over the file fail, growing and shrinking. It needs root (or
// CAP_SYS_ADMIN) and skips without.
func TestResizeOnReadOnlyFS(t *testing.T) {
	dir := tempDir(t)
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=1m"); err != nil {
		t.Skip("cannot mount a tmpfs:", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			syscall.Unmount(dir, syscall.MNT_DETACH)
		}
	})
	data := randomBytes(3*mmap.PageSize+100, 11)
	name := filepath.Join(dir, "data")
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("", dir, "", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
		t.Skip("cannot remount the tmpfs read-only:", err)
	}
	// A read-write mapping cannot even be made.
	if r, err := mmap.OpenFile(name, mmap.AccessWrite); err == nil || !errors.Is(err, mmap.ErrInvalid) {
		if r != nil {
			r.Close()
		}
		t.Fatalf("OpenFile(AccessWrite) on a read-only file system: %v; want ErrInvalid", err)
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	resizeOverReadOnly(t, f, name, data)
}

// TestFullFileSystemFaults grows a file on a tiny tmpfs through Resize (the file is sparse, so
// that succeeds) and writes past the space left: the OS raises SIGBUS for the page it cannot
// allocate, which must come back as ErrFault, with the region still usable. Needs root; skips
// without.
func TestFullFileSystemFaults(t *testing.T) {
	dir := tempDir(t)
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=64k"); err != nil {
		t.Skip("cannot mount a tmpfs:", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			syscall.Unmount(dir, syscall.MNT_DETACH)
		}
	})
	name := filepath.Join(dir, "data")
	if err := os.WriteFile(name, make([]byte, mmap.PageSize), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := mmap.OpenFile(name, mmap.AccessWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	const size = 1 << 20
	if err := r.Resize(size); err != nil {
		t.Fatalf("Resize(%d) on a 64 KiB tmpfs = %v; want success (a sparse file)", size, err)
	}
	page := make([]byte, mmap.PageSize)
	var faultAt int
	for off := 0; off < size; off += len(page) {
		if _, err := r.WriteAt(page, int64(off)); err != nil {
			if !errors.Is(err, mmap.ErrFault) {
				t.Fatalf("WriteAt(%d, %d) on a full file system = %v; want ErrFault", len(page), off, err)
			}
			faultAt = off
			break
		}
	}
	if faultAt == 0 {
		t.Fatalf("wrote %d bytes to a 64 KiB file system without a fault", size)
	}
	t.Logf("the file system filled up at offset %d", faultAt)
	// The pages written are there, and can be read back and flushed.
	if n, err := r.ReadAt(page, 0); n != len(page) || err != nil {
		t.Errorf("ReadAt(%d, 0) after the fault = %d, %v", len(page), n, err)
	}
	if err := r.Flush(0, faultAt); err != nil {
		t.Errorf("Flush(0, %d) after the fault = %v", faultAt, err)
	}
	if err := r.Resize(mmap.PageSize); err != nil {
		t.Errorf("Resize(%d) after the fault = %v", mmap.PageSize, err)
	}
}
