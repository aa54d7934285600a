package mmap_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/mmapio/mmap"
)

// mountTmpfs mounts a tmpfs of the given size (as mount's size= option) on a new temporary
// directory, unmounted at cleanup. It needs root (or CAP_SYS_ADMIN): without, it skips the test.
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := tempDir(t)
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		t.Skip("cannot mount a tmpfs:", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			syscall.Unmount(dir, syscall.MNT_DETACH)
		}
	})
	return dir
}

// TestResizeOnReadOnlyFS mounts a tmpfs, puts a file in it, remounts it read-only and makes Resize
// of a writable (private) region over the file fail, growing and shrinking. It needs root (or
// CAP_SYS_ADMIN) and skips without.
func TestResizeOnReadOnlyFS(t *testing.T) {
	dir := mountTmpfs(t, "1m")
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
	dir := mountTmpfs(t, "64k")
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

// TestPreallocate: with Options.Preallocate, a full file system is an error from New or Resize
// (matching ENOSPC and ErrInvalid) that changes nothing, instead of a fault at a later write;
// what they did allocate takes every write. Needs root (a 64 KiB tmpfs); skips without.
func TestPreallocate(t *testing.T) {
	dir := mountTmpfs(t, "64k")
	name := filepath.Join(dir, "data")
	if err := os.WriteFile(name, make([]byte, mmap.PageSize), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := mmap.New(f, 0, &mmap.Options{Access: mmap.AccessWrite, Preallocate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()

	const tooBig = 1 << 20
	err = r.Resize(tooBig)
	if !errors.Is(err, syscall.ENOSPC) || !errors.Is(err, mmap.ErrInvalid) || !strings.Contains(err.Error(), "Resize") {
		t.Fatalf("Resize(%d) on a 64 KiB tmpfs with Preallocate = %v; want ENOSPC and ErrInvalid naming Resize", tooBig, err)
	}
	if fi, err := os.Stat(name); err != nil || fi.Size() != int64(mmap.PageSize) || r.Len() != mmap.PageSize {
		t.Fatalf("after the failed Resize: file size %v, %v, Len() %d; want both %d", fi.Size(), err, r.Len(), mmap.PageSize)
	}

	const fits = 32 << 10
	if err := r.Resize(fits); err != nil {
		t.Fatalf("Resize(%d) with Preallocate: %v", fits, err)
	}
	page := make([]byte, mmap.PageSize)
	for off := 0; off < fits; off += len(page) {
		if _, err := r.WriteAt(page, int64(off)); err != nil {
			t.Fatalf("WriteAt(%d, %d) into preallocated blocks = %v", len(page), off, err)
		}
	}

	// New reserves the holes of a sparse file as well: a file larger than what is left fails.
	sparse := filepath.Join(dir, "sparse")
	if err := os.WriteFile(sparse, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(sparse, tooBig); err != nil {
		t.Fatal(err)
	}
	g, err := os.OpenFile(sparse, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if s, err := mmap.New(g, 0, &mmap.Options{Access: mmap.AccessWrite, Preallocate: true}); !errors.Is(err, syscall.ENOSPC) {
		if s != nil {
			s.Close()
		}
		t.Errorf("New of a %d-byte sparse file with Preallocate = %v; want ENOSPC", tooBig, err)
	}
	s, err := mmap.New(g, 0, &mmap.Options{Access: mmap.AccessWrite})
	if err != nil {
		t.Fatalf("New of the sparse file without Preallocate = %v; want success", err)
	}
	s.Close()
}
