//go:build unix

package platform

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// resizePaths runs f once as Resize runs (in place inside the reservation where there is room, by
// moving to a larger one where there is not), and once with every growth moving.
func resizePaths(t *testing.T, f func(t *testing.T)) {
	t.Run("inPlace", f)
	t.Run("move", func(t *testing.T) {
		old := forceMove
		forceMove = true
		t.Cleanup(func() { forceMove = old })
		f(t)
	})
}

func pattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i>>8)
	}
	return b
}

func TestResizeKeepsContents(t *testing.T) {
	page := PageSize
	kinds := []struct {
		name  string
		file  bool
		flags int
	}{
		{"AnonShared", false, unix.MAP_SHARED},
		{"AnonPrivate", false, unix.MAP_PRIVATE},
		{"FileShared", true, unix.MAP_SHARED},
		{"FilePrivate", true, unix.MAP_PRIVATE},
	}
	resizePaths(t, func(t *testing.T) {
		for _, k := range kinds {
			t.Run(k.name, func(t *testing.T) {
				fd, offset := NoFile, int64(0)
				var f *os.File
				if k.file {
					offset = int64(page + 123) // unaligned: the mapping starts 123 bytes into a page
					name := filepath.Join(t.TempDir(), "data")
					if err := os.WriteFile(name, pattern(int(offset)+3*page), 0o644); err != nil {
						t.Fatal(err)
					}
					var err error
					if f, err = os.OpenFile(name, os.O_RDWR, 0); err != nil {
						t.Fatal(err)
					}
					defer f.Close()
					fd = f.Fd()
				}
				prot := unix.PROT_READ | unix.PROT_WRITE
				m, err := Map(fd, offset, 3*page, prot, k.flags, "")
				if err != nil {
					t.Fatalf("Map: %v", err)
				}
				// Bytes up to the end of every page, so that a shrink leaves stale ones past the
				// end of its last page for the next grow to expose.
				for i := range m.Data() {
					m.Data()[i] = byte(i) | 1
				}
				want := append([]byte(nil), m.Data()...)
				copy(m.Data()[page-2:], "written")
				copy(want[page-2:], "written")
				for _, n := range []int{10 * page, page + 5, 4 * page} {
					if m, err = Resize(m, fd, offset, n, prot, k.flags, ""); err != nil {
						t.Fatalf("Resize(%d): %v", n, err)
					}
					want = append(want[:min(n, len(want))], make([]byte, max(0, n-len(want)))...)
					if !bytes.Equal(m.Data(), want) {
						t.Fatalf("after Resize(%d) the contents differ", n)
					}
					if k.file {
						fi, _ := f.Stat()
						if fi.Size() != offset+int64(n) {
							t.Fatalf("after Resize(%d) the file has %d bytes; want %d", n, fi.Size(), offset+int64(n))
						}
					}
					// The new tail is usable, and a shared file mapping still writes through.
					m.Data()[n-1] = 'z'
					want[n-1] = 'z'
				}
				if k.file && k.flags == unix.MAP_SHARED {
					got := make([]byte, len(want))
					if _, err := f.ReadAt(got, offset); err != nil {
						t.Fatal(err)
					}
					if !bytes.Equal(got, want) {
						t.Errorf("the file differs from the shared mapping after the resizes")
					}
				}
				// Resize(0) keeps the mapping, empty, with its range reserved.
				if m, err = Resize(m, fd, offset, 0, prot, k.flags, ""); err != nil || m == nil || len(m.Data()) != 0 {
					t.Fatalf("Resize(0) = %v, %v; want an empty mapping, nil", m, err)
				}
				if err := m.Unmap(); err != nil {
					t.Fatal(err)
				}
			})
		}
	})
}

// A resize that the OS refuses leaves the mapping and the file as they were.
func TestResizeFailureChangesNothing(t *testing.T) {
	if math.MaxInt == 1<<31-1 {
		t.Skip("a 32-bit process on a 64-bit kernel can map 2 GiB: no length an int holds is sure to fail")
	}
	resizePaths(t, func(t *testing.T) {
		name := filepath.Join(t.TempDir(), "data")
		if err := os.WriteFile(name, pattern(8192), 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := os.OpenFile(name, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		prot := unix.PROT_READ | unix.PROT_WRITE
		m, err := Map(f.Fd(), 0, 8192, prot, unix.MAP_SHARED, "")
		if err != nil {
			t.Fatal(err)
		}
		defer m.Unmap()
		// More than any address space holds: the file may grow (sparse) but the mapping cannot.
		m2, err := Resize(m, f.Fd(), 0, math.MaxInt-PageSize, prot, unix.MAP_SHARED, "")
		if err == nil {
			t.Fatalf("Resize(math.MaxInt-PageSize) succeeded")
		}
		if m2 != m || !bytes.Equal(m.Data(), pattern(8192)) {
			t.Errorf("after the failed Resize the mapping changed")
		}
		if fi, _ := f.Stat(); fi.Size() != 8192 {
			t.Errorf("after the failed Resize the file has %d bytes; want 8192", fi.Size())
		}
	})
}
