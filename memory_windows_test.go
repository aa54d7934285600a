package mmap_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"golang.org/x/sys/windows"

	"github.com/mmapio/mmap"
)

// underWine reports whether the tests run under Wine, which exports wine_get_version from its
// ntdll. Some Windows calls are stubs there; the tests that need them skip and say which.
func underWine() bool {
	return windows.NewLazySystemDLL("ntdll.dll").NewProc("wine_get_version").Find() == nil
}

// TestWindowsResident: QueryWorkingSetEx sees the pages this process touched, and the pages Lock
// keeps in the working set.
func TestWindowsResident(t *testing.T) {
	page := mmap.PageSize
	const pages = 64
	r, err := mmap.Anonymous(pages*page, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	before, err := r.Resident()
	if err != nil {
		t.Fatalf("Resident: %v", err)
	}
	if before != 0 {
		t.Logf("Resident() of fresh memory = %d", before) // Windows may map zero pages ahead
	}
	b := r.Bytes()
	for p := 0; p < 16; p++ {
		b[p*page] = 1
	}
	if n, err := r.Resident(0, 16*page); err != nil || n != 16 {
		t.Errorf("Resident of 16 touched pages = %d, %v; want 16", n, err)
	}
	if err := r.Lock(32*page, 8*page); err != nil {
		t.Fatalf("Lock: %v", err)
	}
	if n, err := r.Resident(32*page, 8*page); err != nil || n != 8 {
		t.Errorf("Resident of 8 locked pages = %d, %v; want 8", n, err)
	}
	if err := r.Unlock(32*page, 8*page); err != nil {
		t.Errorf("Unlock: %v", err)
	}
}

// TestWindowsLockLimit locks more than the default minimum working set size: Windows refuses with
// ERROR_WORKING_SET_QUOTA, which Lock reports as ErrInvalid naming the limit.
func TestWindowsLockLimit(t *testing.T) {
	r, err := mmap.Anonymous(256<<20, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	err = r.Lock()
	if err == nil {
		r.Unlock()
		if underWine() {
			t.Skip("Wine does not enforce the working-set quota on VirtualLock")
		}
		t.Fatalf("Lock of 256 MiB: no error; want the working-set quota")
	}
	if !errors.Is(err, mmap.ErrInvalid) || !errors.Is(err, windows.ERROR_WORKING_SET_QUOTA) && !errors.Is(err, windows.ERROR_NO_SYSTEM_RESOURCES) {
		t.Fatalf("Lock of 256 MiB: %v; want ErrInvalid wrapping ERROR_WORKING_SET_QUOTA", err)
	}
	if !strings.Contains(err.Error(), "working set") || !strings.Contains(err.Error(), "Region.Lock()") {
		t.Errorf("error %q does not name the call and the limit", err)
	}
}

// TestWindowsPrefetch: PrefetchVirtualMemory over a file region and anonymous memory changes
// nothing in them.
func TestWindowsPrefetch(t *testing.T) {
	data := randomBytes(300<<10, 9)
	r, _ := mapFile(t, data, mmap.AccessRead)
	if err := r.Prefetch(); err != nil {
		t.Fatalf("Prefetch(): %v", err)
	}
	if err := r.Prefetch(100, 200<<10); err != nil {
		t.Fatalf("Prefetch(100, 200 KiB): %v", err)
	}
	if !bytes.Equal(r.Bytes(), data) {
		t.Errorf("Prefetch changed the region")
	}
}

// TestWindowsSetName: Windows has no names for memory ranges (Options.TagName names the mapping
// object instead).
func TestWindowsSetName(t *testing.T) {
	r, err := mmap.Anonymous(4096, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.SetName("heap"); !errors.Is(err, errors.ErrUnsupported) || !strings.Contains(err.Error(), "TagName") {
		t.Errorf("SetName: %v; want errors.ErrUnsupported pointing to TagName", err)
	}
}

// TestWindowsProtectExec: PROT_EXEC needs a view mapped for execution.
func TestWindowsProtectExec(t *testing.T) {
	r, err := mmap.Anonymous(4096, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.Protect(mmap.PROT_READ | mmap.PROT_EXEC); !errors.Is(err, mmap.ErrInvalid) {
		t.Errorf("Protect(PROT_READ|PROT_EXEC) of a view without FILE_MAP_EXECUTE: %v; want ErrInvalid", err)
	}
	x, err := mmap.Anonymous(4096, &mmap.Options{Prot: mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC})
	if err != nil {
		t.Skip("an executable view:", err)
	}
	defer x.Close()
	if err := x.Protect(mmap.PROT_READ | mmap.PROT_EXEC); err != nil {
		t.Errorf("Protect(PROT_READ|PROT_EXEC) of an executable view: %v", err)
	}
	if _, err := x.WriteAt([]byte{1}, 0); !errors.Is(err, mmap.ErrReadOnly) {
		t.Errorf("WriteAt after Protect(PROT_READ|PROT_EXEC): %v; want ErrReadOnly", err)
	}
	if err := x.Protect(mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC); err != nil {
		t.Errorf("Protect(PROT_READ|PROT_WRITE|PROT_EXEC): %v", err)
	}
	if _, err := x.WriteAt([]byte{1}, 0); err != nil {
		t.Errorf("WriteAt after making the view writable again: %v", err)
	}
}
