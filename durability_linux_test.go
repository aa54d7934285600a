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
	dir := t.TempDir()
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
