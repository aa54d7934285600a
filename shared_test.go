package mmap_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/mmapio/mmap"
)

// needSharedMemory skips a test of Shared where mappings are emulated and nothing is shared.
func needSharedMemory(t *testing.T) {
	t.Helper()
	switch runtime.GOOS {
	case "js", "wasip1", "plan9":
		t.Skipf("%s emulates mappings: nothing is shared", runtime.GOOS)
	}
}

// sharedName returns a name for shared memory that no other test run uses, and removes it at the
// end of the test.
func sharedName(t *testing.T) string {
	t.Helper()
	name := fmt.Sprintf("mmap-test-%d-%s", os.Getpid(), strings.ReplaceAll(t.Name(), "/", "-"))
	t.Cleanup(func() { mmap.RemoveShared(name) })
	return name
}

// TestSharedByName maps the same named memory twice: each region sees the other's writes, a later
// region may be longer (it grows the memory) or ask for all of it, and the memory outlives the
// regions until RemoveShared.
func TestSharedByName(t *testing.T) {
	needSharedMemory(t)
	name := sharedName(t)
	a, err := mmap.Shared(name, 2*mmap.PageSize, nil)
	if err != nil {
		t.Fatalf("Shared(%q, %d): %v", name, 2*mmap.PageSize, err)
	}
	defer a.Close()
	if a.Len() != 2*mmap.PageSize || a.Bytes()[0] != 0 {
		t.Fatalf("Shared(%q, %d): Len() = %d, first byte %d; want %d zeros", name, 2*mmap.PageSize, a.Len(), a.Bytes()[0], 2*mmap.PageSize)
	}
	b, err := mmap.Shared(name, 2*mmap.PageSize, nil)
	if err != nil {
		t.Fatalf("Shared(%q) again: %v", name, err)
	}
	defer b.Close()
	if _, err := a.WriteAt([]byte("from a"), 100); err != nil {
		t.Fatal(err)
	}
	if got := string(b.Bytes()[100:106]); got != "from a" {
		t.Errorf("the second region holds %q where the first wrote %q", got, "from a")
	}
	if _, err := b.WriteAt([]byte("from b"), int64(mmap.PageSize)+7); err != nil {
		t.Fatal(err)
	}
	if got := string(a.Bytes()[mmap.PageSize+7 : mmap.PageSize+13]); got != "from b" {
		t.Errorf("the first region holds %q where the second wrote %q", got, "from b")
	}
	if runtime.GOOS == "windows" {
		return // the object goes away with its last handle; its size is the first region's
	}

	// A region closed and mapped again by name finds the bytes; a length of 0 maps all of it.
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	b.Close()
	c, err := mmap.Shared(name, 0, nil)
	if err != nil {
		t.Fatalf("Shared(%q, 0): %v", name, err)
	}
	defer c.Close()
	if c.Len() != 2*mmap.PageSize || string(c.Bytes()[100:106]) != "from a" {
		t.Errorf("Shared(%q, 0) after both closed: Len() = %d, bytes %q; want %d, %q", name, c.Len(), c.Bytes()[100:106], 2*mmap.PageSize, "from a")
	}
	if err := mmap.RemoveShared(name); err != nil {
		t.Fatalf("RemoveShared(%q): %v", name, err)
	}
	if got := string(c.Bytes()[100:106]); got != "from a" {
		t.Errorf("after RemoveShared a live region holds %q; want %q", got, "from a")
	}
	if err := mmap.RemoveShared(name); !errors.Is(err, fs.ErrNotExist) || !errors.Is(err, mmap.ErrInvalid) {
		t.Errorf("RemoveShared(%q) twice = %v; want ErrInvalid and fs.ErrNotExist", name, err)
	}
	d, err := mmap.Shared(name, mmap.PageSize, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if d.Bytes()[100] != 0 {
		t.Errorf("Shared(%q) after RemoveShared found the old memory; want new zeros", name)
	}
}

// TestSharedWithoutName makes memory without a name: it is zeros, it grows, and File hands it out.
func TestSharedWithoutName(t *testing.T) {
	needSharedMemory(t)
	r, err := mmap.Shared("", mmap.PageSize, nil)
	if err != nil {
		t.Fatalf(`Shared("", %d): %v`, mmap.PageSize, err)
	}
	defer r.Close()
	if r.Len() != mmap.PageSize || r.Bytes()[mmap.PageSize-1] != 0 {
		t.Fatalf("Len() = %d; want %d zeros", r.Len(), mmap.PageSize)
	}
	if _, err := r.WriteAt([]byte("kept"), 10); err != nil {
		t.Fatal(err)
	}
	if err := r.Resize(3 * mmap.PageSize); err != nil {
		t.Fatalf("Resize(%d): %v", 3*mmap.PageSize, err)
	}
	if string(r.Bytes()[10:14]) != "kept" || r.Bytes()[3*mmap.PageSize-1] != 0 {
		t.Errorf("after growing: %q at 10 and %d at the end; want %q and 0", r.Bytes()[10:14], r.Bytes()[3*mmap.PageSize-1], "kept")
	}
}

func TestSharedBadInput(t *testing.T) {
	needSharedMemory(t)
	for _, tc := range []struct {
		name   string
		length int
		opts   *mmap.Options
		want   error
		says   string
	}{
		{"x", -1, nil, mmap.ErrInvalid, "negative length"},
		{"a/b", 10, nil, mmap.ErrInvalid, "'/'"},
		{`a\b`, 10, nil, mmap.ErrInvalid, "'/'"},
		{"..", 10, nil, mmap.ErrInvalid, ".."},
		{"nul\x00", 10, nil, mmap.ErrInvalid, "NUL"},
		{strings.Repeat("n", 201), 10, nil, mmap.ErrInvalid, "201 bytes"},
		{"x", 10, &mmap.Options{Offset: 4096}, mmap.ErrInvalid, "offset 4096"},
		{"x", 10, &mmap.Options{TagName: "y"}, mmap.ErrInvalid, "TagName"},
		{"x", 10, &mmap.Options{Access: mmap.AccessWrite, Flags: mmap.MAP_SHARED}, mmap.ErrInvalid, ""},
	} {
		r, err := mmap.Shared(tc.name, tc.length, tc.opts)
		if err == nil {
			r.Close()
		}
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), "Shared(") || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("Shared(%q, %d, %+v) = %v; want %v naming Shared and saying %q", tc.name, tc.length, tc.opts, err, tc.want, tc.says)
		}
	}
	if err := mmap.RemoveShared(""); !errors.Is(err, mmap.ErrInvalid) {
		t.Errorf(`RemoveShared("") = %v; want ErrInvalid`, err)
	}
	if err := mmap.RemoveShared("a/b"); !errors.Is(err, mmap.ErrInvalid) || !strings.Contains(err.Error(), "RemoveShared") {
		t.Errorf(`RemoveShared("a/b") = %v; want ErrInvalid naming RemoveShared`, err)
	}
}

// TestFileBadInput: File of memory without a file, and after Close.
func TestFileBadInput(t *testing.T) {
	r, err := mmap.Anonymous(mmap.PageSize, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f, err := r.File(); !errors.Is(err, errors.ErrUnsupported) || !strings.Contains(err.Error(), "Region.File()") {
		t.Errorf("File() of anonymous memory = %v, %v; want ErrUnsupported naming Region.File()", f, err)
	}
	r.Close()
	if f, err := r.File(); !errors.Is(err, mmap.ErrClosed) {
		t.Errorf("File() after Close = %v, %v; want ErrClosed", f, err)
	}
}
