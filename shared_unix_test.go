//go:build unix

package mmap_test

import (
	"bytes"
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/mmapio/mmap"
)

// TestSharedWithChild shares memory with a child process, through File and ExtraFiles for memory
// without a name and by name otherwise: the child sees what the parent wrote, and the parent sees
// what the child wrote, with no Flush.
func TestSharedWithChild(t *testing.T) {
	for _, named := range []bool{false, true} {
		name, mode := "", "shared-fd"
		if named {
			name, mode = sharedName(t), "shared-name"
		}
		t.Run(mode, func(t *testing.T) {
			r, err := mmap.Shared(name, mmap.PageSize, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			copy(r.Bytes(), "from the parent")
			cmd := child(t, mode, "MMAP_TEST_FILE="+name, "MMAP_TEST_DATA=from the child!")
			if !named {
				f, err := r.File()
				if err != nil {
					t.Fatalf("File(): %v", err)
				}
				defer f.Close()
				cmd.ExtraFiles = []*os.File{f}
			}
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("child: %v", err)
			}
			if got := strings.TrimSpace(string(out)); got != "from the parent" {
				t.Errorf("the child saw %q; want %q", got, "from the parent")
			}
			if got := string(r.Bytes()[:15]); got != "from the child!" {
				t.Errorf("after the child wrote: %q; want %q", got, "from the child!")
			}
		})
	}
}

// TestFileOfFileBackedRegion: File of a file-backed region is the file itself.
func TestFileOfFileBackedRegion(t *testing.T) {
	r, _ := mapFile(t, []byte("the file's bytes"), mmap.AccessWrite)
	f, err := r.File()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got := make([]byte, 16)
	if _, err := f.ReadAt(got, 0); err != nil || string(got) != "the file's bytes" {
		t.Errorf("File().ReadAt = %q, %v; want the file's bytes", got, err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	// The region's own descriptor is untouched.
	if size, err := r.Size(); err != nil || size != 16 {
		t.Errorf("Size() after closing File's result = %d, %v; want 16, nil", size, err)
	}
}

// TestSharedCannotShrink: on Linux, memory without a name is a memfd sealed against shrinking, so
// neither the child's copy of the descriptor nor Resize can take pages from under the mapping.
func TestSharedCannotShrink(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("sealed memfds are Linux's")
	}
	r, err := mmap.Shared("", 2*mmap.PageSize, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f, err := r.File()
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Truncate(0); err == nil {
		t.Fatal("Truncate(0) of the memfd succeeded; want EPERM from F_SEAL_SHRINK")
	}
	if err := r.Resize(mmap.PageSize); !errors.Is(err, mmap.ErrReadOnly) {
		t.Errorf("Resize(%d) of sealed memory = %v; want ErrReadOnly", mmap.PageSize, err)
	}
	// Every page is still there: no fault.
	if n, err := r.ReadAt(make([]byte, 2*mmap.PageSize), 0); n != 2*mmap.PageSize || err != nil {
		t.Errorf("ReadAt of all of it = %d, %v", n, err)
	}
}

// TestSharedNameIsInDevShm: on Linux a name is an object in /dev/shm, as shm_open makes.
func TestSharedNameIsInDevShm(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/dev/shm is Linux's")
	}
	if _, err := os.Stat("/dev/shm"); err != nil {
		t.Skipf("no /dev/shm: %v", err)
	}
	name := sharedName(t)
	r, err := mmap.Shared(name, 100, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	copy(r.Bytes(), "seen from outside")
	got, err := os.ReadFile("/dev/shm/" + name)
	if err != nil || !bytes.HasPrefix(got, []byte("seen from outside")) {
		t.Errorf("/dev/shm/%s holds %q, %v", name, got, err)
	}
}
