package mmap_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"github.com/mmapio/mmap"
)

// A file offset past 4 GiB works with a small length on every platform, 32-bit ones included; a
// whole file that the address space cannot hold is ErrInvalid there.
func TestOffsetPast4GiB(t *testing.T) {
	const size = 5 << 30
	const off = 4<<30 + 100
	name := filepath.Join(tempDir(t), "sparse")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(size); err != nil {
		t.Skipf("this file system cannot hold a sparse 5 GiB file: %v", err)
	}
	if _, err := f.WriteAt([]byte("beyond 4 GiB"), off); err != nil {
		t.Fatal(err)
	}

	r, err := mmap.New(f, 12, &mmap.Options{Offset: off})
	if err != nil {
		t.Fatalf("New(length=12, Offset=%d): %v", int64(off), err)
	}
	if got := string(r.Bytes()); got != "beyond 4 GiB" {
		t.Errorf("at Offset %d the region holds %q", int64(off), got)
	}
	if _, err := r.WriteAt([]byte("BEYOND"), 0); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 12)
	if _, err := f.ReadAt(got, off); err != nil || string(got) != "BEYOND 4 GiB" {
		t.Errorf("the file holds %q, %v at %d after a write through the region", got, err, int64(off))
	}

	whole, err := mmap.New(f, 0, nil)
	// wasm has 64-bit ints but a 32-bit address space, where an emulated mapping lives.
	if strconv.IntSize == 32 || runtime.GOARCH == "wasm" {
		if !errors.Is(err, mmap.ErrInvalid) {
			t.Errorf("New(whole 5 GiB file) on %s = %v; want ErrInvalid", runtime.GOARCH, err)
		}
		if whole != nil {
			whole.Close()
		}
		return
	}
	if err != nil {
		t.Fatalf("New(whole 5 GiB file): %v", err)
	}
	defer whole.Close()
	// int64 for the 32-bit builds, which never get here.
	if n, at := int64(whole.Len()), int64(off); n != size || string(whole.Bytes()[at:at+12]) != "BEYOND 4 GiB" {
		t.Errorf("the whole 5 GiB mapping has Len %d and %q at %d", n, whole.Bytes()[at:at+12], at)
	}
}

// Writes through a region and reads through the file agree after Flush on every OS: on OpenBSD,
// which has no unified buffer cache, read(2) sees a write through a mapping only once msync has
// run, and Flush always runs it.
func TestFlushThenReadFile(t *testing.T) {
	data := randomBytes(3*mmap.PageSize, 7)
	r, name := mapFile(t, data, mmap.AccessWrite)
	copy(data[mmap.PageSize+5:], "through the mapping")
	if _, err := r.WriteAt([]byte("through the mapping"), int64(mmap.PageSize+5)); err != nil {
		t.Fatal(err)
	}
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(data) {
		t.Errorf("after Flush the file differs from what was written through the region")
	}
}
