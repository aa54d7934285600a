package platform

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestPrefetchWillNeedFallback takes the path of kernels before 5.14, which refuse
// MADV_POPULATE_READ with EINVAL: Prefetch asks with MADV_WILLNEED, and the pages arrive in the
// page cache soon after, without any access to them.
func TestPrefetchWillNeedFallback(t *testing.T) {
	old := noPopulate.Load()
	noPopulate.Store(true)
	t.Cleanup(func() { noPopulate.Store(old) })

	const pages = 32
	name := filepath.Join(t.TempDir(), "data")
	if err := os.WriteFile(name, pattern(pages*PageSize), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil { // only clean pages leave the page cache
		t.Fatal(err)
	}
	if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
		t.Skip("posix_fadvise:", err)
	}
	m, err := Map(f.Fd(), 0, pages*PageSize, unix.PROT_READ, unix.MAP_SHARED, "")
	if err != nil {
		t.Fatal(err)
	}
	defer m.Unmap()
	if n, _, err := m.Resident(0, pages*PageSize); err != nil || n != 0 {
		t.Skipf("the file stays in the page cache: %d pages, %v", n, err)
	}
	if err := m.Prefetch(0, pages*PageSize); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, total, err := m.Resident(0, pages*PageSize)
		if err != nil || total != pages {
			t.Fatalf("Resident = %d of %d, %v", n, total, err)
		}
		if n == pages {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d pages resident 10s after MADV_WILLNEED", n, pages)
		}
		time.Sleep(10 * time.Millisecond)
	}

	// A truncated file is no error on this path: the advice is only advice.
	if err := os.Truncate(name, int64(PageSize)); err != nil {
		t.Fatal(err)
	}
	if err := m.Prefetch(0, pages*PageSize); err != nil {
		t.Errorf("MADV_WILLNEED over a truncated file: %v", err)
	}
}

func TestSetNameChecks(t *testing.T) {
	m, err := Map(NoFile, 0, PageSize, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE, "")
	if err != nil {
		t.Fatal(err)
	}
	defer m.Unmap()
	for _, name := range []string{"[x]", "a$", string(make([]byte, maxNameLen+1)), "tab\t", "\x7f"} {
		if err := m.SetName(name); !errors.Is(err, errInvalid) {
			t.Errorf("SetName(%q): %v; want errInvalid", name, err)
		}
	}
	long := make([]byte, maxNameLen)
	for i := range long {
		long[i] = 'n'
	}
	for _, name := range []string{"", "heap", string(long), "a b-c_d.e:f/g(h)"} {
		if err := m.SetName(name); err != nil && !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("SetName(%q): %v", name, err)
		}
	}
}
