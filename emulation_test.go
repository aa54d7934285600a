//go:build !unix && !windows

package mmap_test

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/mmapio/mmap"
)

// These tests pin down what an emulated mapping (no mmap on this OS) shares and what it does not.

func readFileT(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestEmulationWriteBack(t *testing.T) {
	name := writeFile(t, []byte("hello world"))
	f := openRW(t, name)
	r, err := mmap.New(f, 0, &mmap.Options{Access: mmap.AccessWrite})
	if err != nil {
		t.Fatal(err)
	}
	f.Close() // the region has a descriptor of its own
	r.WriteAt([]byte("HELLO"), 0)
	if got := readFileT(t, name); got != "hello world" {
		t.Errorf("before Flush the file holds %q; an emulated mapping writes back only at Flush or Close", got)
	}
	if err := r.Flush(); err != nil {
		t.Fatalf("Flush: %v", err)
	}
	if got := readFileT(t, name); got != "HELLO world" {
		t.Errorf("after Flush the file holds %q; want %q", got, "HELLO world")
	}
	r.WriteAt([]byte("WORLD"), 6)
	if err := r.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if got := readFileT(t, name); got != "HELLO WORLD" {
		t.Errorf("after Close the file holds %q; want %q", got, "HELLO WORLD")
	}
}

// Only the pages that changed are written back: a change made to the file's other pages in the
// meantime survives a Flush.
func TestEmulationWritesOnlyDirtyPages(t *testing.T) {
	page := mmap.PageSize
	name := writeFile(t, bytes.Repeat([]byte("a"), 3*page))
	r, err := mmap.OpenFile(name, mmap.AccessWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	r.WriteAt([]byte("mine"), 10)
	f := openRW(t, name)
	if _, err := f.WriteAt([]byte("theirs"), int64(2*page)); err != nil {
		t.Fatal(err)
	}
	if err := r.Flush(); err != nil {
		t.Fatal(err)
	}
	got := readFileT(t, name)
	if got[10:14] != "mine" || got[2*page:2*page+6] != "theirs" {
		t.Errorf("after Flush the file holds %q at 10 and %q at %d; want mine and theirs", got[10:14], got[2*page:2*page+6], 2*page)
	}
}

func TestEmulationNotShared(t *testing.T) {
	name := writeFile(t, []byte("0123456789"))
	r1, err := mmap.OpenFile(name, mmap.AccessWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer r1.Close()
	r2, err := mmap.OpenFile(name, mmap.AccessWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	r1.WriteAt([]byte("x"), 0)
	if r2.At(0) != '0' {
		t.Errorf("a second emulated region saw the first's write: it has no shared memory")
	}
}

func TestEmulationAccess(t *testing.T) {
	name := writeFile(t, []byte("read only"))
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if r, err := mmap.New(f, 0, &mmap.Options{Access: mmap.AccessWrite}); !errors.Is(err, mmap.ErrInvalid) {
		if r != nil {
			r.Close()
		}
		t.Errorf("New(read-only file, AccessWrite) = %v; want ErrInvalid", err)
	}

	r, err := mmap.OpenFile(name, mmap.AccessCopy)
	if err != nil {
		t.Fatal(err)
	}
	r.WriteAt([]byte("READ"), 0)
	r.Flush()
	r.Close()
	if got := readFileT(t, name); got != "read only" {
		t.Errorf("AccessCopy changed the file to %q", got)
	}
	if err := func() error {
		r, err := mmap.Open(name)
		if err != nil {
			return err
		}
		defer r.Close()
		return r.Madvise(mmap.MADV_WILLNEED)
	}(); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("Madvise on an emulated mapping = %v; want ErrUnsupported", err)
	}
}

func TestEmulationResize(t *testing.T) {
	name := writeFile(t, []byte("0123456789"))
	r, err := mmap.OpenFile(name, mmap.AccessWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	r.WriteAt([]byte("ab"), 8) // dirty, not yet written back
	if err := r.Resize(20000); err != nil {
		t.Fatalf("Resize(20000): %v", err)
	}
	if fi, _ := os.Stat(name); fi.Size() != 20000 {
		t.Errorf("after Resize(20000) the file has %d bytes", fi.Size())
	}
	if got := string(r.Bytes()[:10]); got != "01234567ab" || r.Bytes()[19999] != 0 {
		t.Errorf("after Resize(20000) the region starts %q", got)
	}
	r.WriteAt([]byte("end"), 19997)
	if err := r.Resize(9); err != nil {
		t.Fatalf("Resize(9): %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if got := readFileT(t, name); got != "01234567a" {
		t.Errorf("after Resize(9) and Close the file holds %q; want %q", got, "01234567a")
	}

	a, err := mmap.Anonymous(10, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	a.WriteAt([]byte("anon"), 6)
	if err := a.Resize(100); err != nil || string(a.Bytes()[6:10]) != "anon" {
		t.Errorf("Resize(100) of anonymous memory: %v, %q", err, a.Bytes()[6:10])
	}
}
