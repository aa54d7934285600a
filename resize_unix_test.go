//go:build unix

package mmap_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/mmapio/mmap"
)

// TestResizeFailureChangesNothing makes Resize fail, growing and shrinking, and checks that the
// region's bytes, length and cursor and the file are as they were.
func TestResizeFailureChangesNothing(t *testing.T) {
	data := randomBytes(3*mmap.PageSize+100, 5)
	t.Run("too large", func(t *testing.T) {
		if strconv.IntSize < 64 {
			t.Skip("a 32-bit int cannot ask for more file than a file system takes")
		}
		r, name := mapFile(t, data, mmap.AccessWrite)
		for _, n := range []int{hugeSize(), maxInt} {
			resizeMustFail(t, r, name, n, data)
		}
	})
	t.Run("read-only descriptor", func(t *testing.T) {
		// A writable MAP_PRIVATE region over a read-only descriptor: Resize cannot change the
		// file's size.
		name := writeFile(t, data)
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		resizeOverReadOnly(t, f, name, data)
	})
}

// resizeOverReadOnly maps f, whose size cannot change, writable and private, changes its tail,
// and checks that growing and shrinking Resizes fail and change nothing.
func resizeOverReadOnly(t *testing.T, f *os.File, name string, data []byte) {
	t.Helper()
	r, err := mmap.New(f, 0, &mmap.Options{Flags: mmap.MAP_PRIVATE, Prot: mmap.PROT_READ | mmap.PROT_WRITE})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	// Private changes in the last pages: a shrink that fails must not lose them.
	if _, err := r.WriteAt([]byte("private tail"), int64(len(data)-20)); err != nil {
		t.Fatal(err)
	}
	want := bytes.Clone(data)
	copy(want[len(data)-20:], "private tail")
	for _, n := range []int{len(data) + 1, 4 * mmap.PageSize, 10, 0, mmap.PageSize} {
		resizeMustFail(t, r, name, n, want)
		if got, err := os.ReadFile(name); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("after a failed Resize(%d) the file changed", n)
		}
	}
}

// resizeMustFail checks that r.Resize(n) fails and leaves the region holding want, with its
// length and cursor, and the file as it was.
func resizeMustFail(t *testing.T, r *mmap.Region, name string, n int, want []byte) {
	t.Helper()
	if _, err := r.Seek(7, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	file, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	err = r.Resize(n)
	if err == nil {
		t.Fatalf("Resize(%d) succeeded; want an error", n)
	}
	t.Log(err)
	if !strings.Contains(err.Error(), "Resize("+strconv.Itoa(n)+")") {
		t.Errorf("Resize(%d) error %q does not name the call", n, err)
	}
	if r.Len() != len(want) || r.Tell() != 7 {
		t.Errorf("after a failed Resize(%d): Len() = %d, Tell() = %d; want %d, 7", n, r.Len(), r.Tell(), len(want))
	}
	if !bytes.Equal(r.Bytes(), want) {
		i := 0
		for i < min(len(want), r.Len()) && r.Bytes()[i] == want[i] {
			i++
		}
		t.Errorf("after a failed Resize(%d) the region's bytes differ from offset %d", n, i)
	}
	if got, err := os.ReadFile(name); err != nil || !bytes.Equal(got, file) {
		t.Errorf("after a failed Resize(%d) the file changed (%d bytes; was %d)", n, len(got), len(file))
	}
	if err := r.Err(); err != nil {
		t.Errorf("Err() = %v", err)
	}
}

// TestResizeRegrowsZeros writes each kind of resizable region, shrinks it to the middle of a
// page, grows it again and checks that the regrown part reads as zeros (Python's anonymous maps
// show the old bytes there; Resize promises zeros) and the rest as it was.
func TestResizeRegrowsZeros(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 3*mmap.PageSize/10)
	kinds := []struct {
		name string
		make func(t *testing.T) *mmap.Region
	}{
		{"AccessWrite", func(t *testing.T) *mmap.Region { r, _ := mapFile(t, data, mmap.AccessWrite); return r }},
		{"file MAP_PRIVATE", func(t *testing.T) *mmap.Region {
			f := openRW(t, writeFile(t, data))
			r, err := mmap.New(f, 0, &mmap.Options{Flags: mmap.MAP_PRIVATE})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { r.Close() })
			return r
		}},
		{"file MAP_PRIVATE, offset 5", func(t *testing.T) *mmap.Region {
			f := openRW(t, writeFile(t, append([]byte("-----"), data...)))
			r, err := mmap.New(f, 0, &mmap.Options{Flags: mmap.MAP_PRIVATE, Offset: 5})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { r.Close() })
			return r
		}},
		{"Anonymous", func(t *testing.T) *mmap.Region { return anonWith(t, data, 0) }},
		{"Anonymous MAP_PRIVATE", func(t *testing.T) *mmap.Region { return anonWith(t, data, mmap.MAP_PRIVATE) }},
	}
	for _, k := range kinds {
		for _, cut := range []int{1, mmap.PageSize / 2, mmap.PageSize + 3, 2*mmap.PageSize - 1} {
			t.Run(fmt.Sprintf("%s/%d", k.name, cut), func(t *testing.T) {
				r := k.make(t)
				// Written through the region, so that private pages are the region's own copies.
				if _, err := r.WriteAt(data, 0); err != nil {
					t.Fatal(err)
				}
				if err := r.Resize(cut); err != nil {
					t.Fatalf("Resize(%d) = %v", cut, err)
				}
				if err := r.Resize(len(data)); err != nil {
					t.Fatalf("Resize(%d) = %v", len(data), err)
				}
				want := append(bytes.Clone(data[:cut]), make([]byte, len(data)-cut)...)
				if got := r.Bytes(); !bytes.Equal(got, want) {
					i := 0
					for got[i] == want[i] {
						i++
					}
					t.Fatalf("after Resize(%d), Resize(%d): byte %d is %q; want %q", cut, len(data), i, got[i], want[i])
				}
			})
		}
	}
}

func anonWith(t *testing.T, data []byte, flags int) *mmap.Region {
	r, err := mmap.Anonymous(len(data), &mmap.Options{Flags: flags})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	copy(r.Bytes(), data)
	return r
}
