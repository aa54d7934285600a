package mmap_test

import (
	"errors"
	"io"
	"testing"
	"unicode/utf8"

	"github.com/mmapio/mmap"
)

// TestReadByteSeesWrites checks that ReadByte's read-ahead never hides a write made through the
// Region itself: each case reads a byte, writes the next one by some method, and reads again.
func TestReadByteSeesWrites(t *testing.T) {
	for _, tc := range []struct {
		name  string
		write func(r *mmap.Region, off int) error
	}{
		{"WriteAt", func(r *mmap.Region, off int) error {
			_, err := r.WriteAt([]byte{'X'}, int64(off))
			return err
		}},
		{"Move", func(r *mmap.Region, off int) error {
			if _, err := r.WriteAt([]byte{'X'}, int64(off+100)); err != nil {
				return err
			}
			return r.Move(off, off+100, 1)
		}},
		{"Guard", func(r *mmap.Region, off int) error {
			return r.Guard(func(b []byte) error { b[off] = 'X'; return nil })
		}},
		{"Bytes, then Seek", func(r *mmap.Region, off int) error {
			r.Bytes()[off] = 'X'
			_, err := r.Seek(int64(off), io.SeekStart) // any other cursor method drops the read-ahead
			return err
		}},
		{"Bytes, then UnreadByte and ReadByte", func(r *mmap.Region, off int) error {
			r.Bytes()[off] = 'X'
			if err := r.UnreadByte(); err != nil {
				return err
			}
			_, err := r.ReadByte()
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := raceContent(3 * mmap.PageSize)
			r, _ := mapFile(t, data, mmap.AccessWrite)
			for _, start := range []int{0, 10, mmap.PageSize - 1, 2*mmap.PageSize - 3} {
				if _, err := r.Seek(int64(start), io.SeekStart); err != nil {
					t.Fatal(err)
				}
				if c, err := r.ReadByte(); err != nil || c != r.Bytes()[start] {
					t.Fatalf("ReadByte() at %d = %q, %v; want %q", start, c, err, r.Bytes()[start])
				}
				if err := tc.write(r, start+1); err != nil {
					t.Fatalf("%s at %d: %v", tc.name, start+1, err)
				}
				if c, err := r.ReadByte(); err != nil || c != 'X' {
					t.Errorf("%s at %d, then ReadByte() = %q, %v; want 'X'", tc.name, start+1, c, err)
				}
				if got := r.Tell(); got != int64(start+2) {
					t.Errorf("Tell() = %d after two ReadBytes from %d; want %d", got, start, start+2)
				}
			}
		})
	}
}

// TestReadByteResizeClose checks ReadByte's read-ahead against Resize and Close: a shrink below
// the cursor ends the reading, a regrown tail reads as zeros, and Close makes it ErrClosed.
func TestReadByteResizeClose(t *testing.T) {
	data := raceContent(mmap.PageSize)
	r, _ := mapFile(t, data, mmap.AccessWrite)
	if _, err := r.Seek(100, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	if c, err := r.ReadByte(); err != nil || c != data[100] {
		t.Fatalf("ReadByte() = %q, %v; want %q", c, err, data[100])
	}
	if err := r.Resize(50); err != nil {
		t.Fatal(err)
	}
	if c, err := r.ReadByte(); err != io.EOF {
		t.Fatalf("after Resize(50) below the cursor: ReadByte() = %q, %v; want EOF", c, err)
	}
	if err := r.Resize(200); err != nil {
		t.Fatal(err)
	}
	if pos := r.Tell(); pos != 50 {
		t.Fatalf("after Resize(50), Resize(200): Tell() = %d; want 50, where the shrink clamped it", pos)
	}
	if c, err := r.ReadByte(); err != nil || c != 0 {
		t.Fatalf("after Resize(200): ReadByte() at 50 = %q, %v; want 0 (regrown)", c, err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadByte(); !errors.Is(err, mmap.ErrClosed) {
		t.Fatalf("after Close: ReadByte() error %v; want ErrClosed", err)
	}
}

// TestReadRuneReadAhead reads text of 1- to 4-byte characters and invalid bytes with ReadRune,
// mixed with ReadByte and UnreadRune, so that characters straddle the read-ahead's 64-byte and
// page boundaries and the region's end, and compares every result with utf8.DecodeRune over the
// same bytes.
func TestReadRuneReadAhead(t *testing.T) {
	pieces := []string{"a", "é", "€", "𝄞", "\xff", "\xe2\x82", "bc", "\n"}
	var data []byte
	for i := 0; len(data) < 3*mmap.PageSize+5; i++ {
		data = append(data, pieces[(i*7+i/3)%len(pieces)]...)
	}
	for _, cut := range []int{0, 1, 2, 3} { // end the region inside a character, too
		n := len(data) - cut
		r, _ := mapFile(t, data[:n], mmap.AccessRead)
		pos := 0
		for i := 0; ; i++ {
			if i%5 == 4 { // a ReadByte now and then shifts the read-ahead against the characters
				c, err := r.ReadByte()
				if pos == n {
					if err != io.EOF {
						t.Fatalf("ReadByte() at the end = %q, %v; want EOF", c, err)
					}
					break
				}
				if err != nil || c != data[pos] {
					t.Fatalf("ReadByte() at %d = %q, %v; want %q", pos, c, err, data[pos])
				}
				pos++
				continue
			}
			ch, size, err := r.ReadRune()
			if pos == n {
				if err != io.EOF || size != 0 {
					t.Fatalf("ReadRune() at the end = %q, %d, %v; want EOF", ch, size, err)
				}
				break
			}
			want, wantSize := utf8.DecodeRune(data[pos:n])
			if err != nil || ch != want || size != wantSize {
				t.Fatalf("ReadRune() at %d (region length %d) = %q, %d, %v; want %q, %d", pos, n, ch, size, err, want, wantSize)
			}
			if i%3 == 0 {
				if err := r.UnreadRune(); err != nil {
					t.Fatalf("UnreadRune() after ReadRune at %d: %v", pos, err)
				}
				if again, size2, err := r.ReadRune(); err != nil || again != ch || size2 != size {
					t.Fatalf("ReadRune() after UnreadRune at %d = %q, %d, %v; want %q, %d", pos, again, size2, err, ch, size)
				}
			}
			pos += size
			if got := r.Tell(); got != int64(pos) {
				t.Fatalf("Tell() = %d; want %d", got, pos)
			}
		}
	}
}
