package mmap_test

import (
	"bytes"
	"fmt"
	"io"
	"testing"
	"testing/iotest"

	"github.com/mmapio/mmap"
)

// regionSizes are the lengths the standard checkers run over: the edges of a page and a few MiB.
var regionSizes = []int{1, mmap.PageSize - 1, mmap.PageSize, mmap.PageSize + 1, 3<<20 + 17}

func TestIOTestReader(t *testing.T) {
	for _, n := range regionSizes {
		data := randomBytes(n, uint64(n))
		wrappers := []struct {
			name string
			wrap func(io.Reader) io.Reader
		}{
			{"Region", func(r io.Reader) io.Reader { return r }},
			{"OneByteReader", iotest.OneByteReader},
			{"HalfReader", iotest.HalfReader},
		}
		for _, w := range wrappers {
			t.Run(fmt.Sprintf("%s/%d", w.name, n), func(t *testing.T) {
				r, _ := mapFile(t, data, mmap.AccessRead)
				if err := iotest.TestReader(w.wrap(r), data); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}

// TestDataErrReader reads through iotest.DataErrReader, which hands back io.EOF together with the
// last data. (iotest.TestReader cannot drive it: it spins on a zero-length Read.)
func TestDataErrReader(t *testing.T) {
	for _, n := range regionSizes {
		data := randomBytes(n, uint64(n)+2)
		r, _ := mapFile(t, data, mmap.AccessRead)
		dr := iotest.DataErrReader(r)
		var got []byte
		buf := make([]byte, 1000)
		for {
			m, err := dr.Read(buf)
			got = append(got, buf[:m]...)
			if err == io.EOF {
				if m == 0 {
					t.Fatalf("size %d: DataErrReader returned EOF without the last data", n)
				}
				break
			}
			if err != nil {
				t.Fatalf("size %d: Read: %v", n, err)
			}
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("size %d: read %d bytes that differ from the file", n, len(got))
		}
	}
}

// TestIOTestReaderOffset runs the checker over a region that starts at an unaligned offset.
func TestIOTestReaderOffset(t *testing.T) {
	data := randomBytes(3*mmap.PageSize, 7)
	for _, off := range []int{1, mmap.PageSize - 1, mmap.PageSize, mmap.PageSize + 3} {
		t.Run(fmt.Sprint(off), func(t *testing.T) {
			name := writeFile(t, data)
			f := openRW(t, name)
			r, err := mmap.New(f, 0, &mmap.Options{Access: mmap.AccessRead, Offset: int64(off)})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if err := iotest.TestReader(r, data[off:]); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestWriteToReadFromRoundTrip(t *testing.T) {
	for _, n := range regionSizes {
		data := randomBytes(n, uint64(n)+1)
		src, _ := mapFile(t, data, mmap.AccessRead)
		var buf bytes.Buffer
		if got, err := io.Copy(&buf, src); err != nil || got != int64(n) || !bytes.Equal(buf.Bytes(), data) {
			t.Fatalf("io.Copy(buffer, region of %d) = %d, %v; equal %v", n, got, err, bytes.Equal(buf.Bytes(), data))
		}
		dst, _ := mapFile(t, make([]byte, n), mmap.AccessWrite)
		if got, err := io.Copy(dst, iotest.HalfReader(bytes.NewReader(data))); err != nil || got != int64(n) {
			t.Fatalf("io.Copy(region of %d, reader) = %d, %v", n, got, err)
		}
		if !bytes.Equal(dst.Bytes(), data) {
			t.Fatalf("region of %d after ReadFrom differs from the source", n)
		}
	}
}
