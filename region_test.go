package mmap_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mmapio/mmap"
)

const sample = "hello world\nsecond line\n\nlast line without newline"

// checkErr fails unless err matches want (nil for success) and its text names the method.
func checkErr(t *testing.T, call string, err, want error, method string) {
	t.Helper()
	switch {
	case want == nil && err != nil:
		t.Fatalf("%s: unexpected error %v", call, err)
	case want != nil && !errors.Is(err, want):
		t.Fatalf("%s: error %v; want one matching %v", call, err, want)
	case want != nil && want != io.EOF && !strings.Contains(err.Error(), method):
		t.Fatalf("%s: error %q does not name %s", call, err, method)
	}
}

func TestNewSemantics(t *testing.T) {
	data := []byte(sample)
	name := writeFile(t, data)
	tests := []struct {
		name    string
		length  int
		opts    *mmap.Options
		want    string // the region's bytes
		wantErr error
	}{
		{"whole file", 0, nil, sample, nil},
		{"prefix", 5, nil, "hello", nil},
		{"offset 6", 0, &mmap.Options{Offset: 6}, sample[6:], nil},
		{"offset 6 length 5", 5, &mmap.Options{Offset: 6}, "world", nil},
		{"offset at end", 0, &mmap.Options{Offset: int64(len(sample))}, "", nil},
		{"read", 0, &mmap.Options{Access: mmap.AccessRead}, sample, nil},
		{"copy", 0, &mmap.Options{Access: mmap.AccessCopy}, sample, nil},
		{"prot read", 0, &mmap.Options{Prot: mmap.PROT_READ}, sample, nil},
		{"private", 0, &mmap.Options{Flags: mmap.MAP_PRIVATE}, sample, nil},
		{"length past end", len(sample) + 1, nil, "", mmap.ErrInvalid},
		{"offset past end", 0, &mmap.Options{Offset: int64(len(sample)) + 1}, "", mmap.ErrInvalid},
		{"negative length", -1, nil, "", mmap.ErrInvalid},
		{"negative offset", 0, &mmap.Options{Offset: -1}, "", mmap.ErrInvalid},
		{"access and flags", 0, &mmap.Options{Access: mmap.AccessRead, Flags: mmap.MAP_PRIVATE}, "", mmap.ErrInvalid},
		{"access and prot", 0, &mmap.Options{Access: mmap.AccessWrite, Prot: mmap.PROT_READ}, "", mmap.ErrInvalid},
		{"unknown access", 0, &mmap.Options{Access: 9}, "", mmap.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := openRW(t, name)
			r, err := mmap.New(f, tt.length, tt.opts)
			checkErr(t, "New", err, tt.wantErr, "New")
			if err != nil {
				return
			}
			defer r.Close()
			if got := string(r.Bytes()); got != tt.want {
				t.Fatalf("Bytes() = %q; want %q", got, tt.want)
			}
			if r.Len() != len(tt.want) {
				t.Fatalf("Len() = %d; want %d", r.Len(), len(tt.want))
			}
		})
	}
}

// TestNewKeepsOwnDescriptor closes the caller's file right after New: Size, Resize and Flush still
// work, and Close leaves the caller's file alone.
func TestNewKeepsOwnDescriptor(t *testing.T) {
	name := writeFile(t, []byte(sample))
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	r, err := mmap.New(f, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if size, err := r.Size(); err != nil || size != int64(len(sample)) {
		t.Fatalf("Size() = %d, %v; want %d", size, err, len(sample))
	}
	if err := r.Resize(100); err != nil {
		t.Fatalf("Resize(100): %v", err)
	}
	if _, err := r.WriteAt([]byte("END"), 97); err != nil {
		t.Fatal(err)
	}
	if err := r.Flush(); err != nil {
		t.Fatalf("Flush(): %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(name)
	if len(got) != 100 || string(got[97:]) != "END" || string(got[:len(sample)]) != sample {
		t.Fatalf("file after Resize and WriteAt = %q", got)
	}

	g := openRW(t, name)
	r2, err := mmap.New(g, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	r2.Close()
	if _, err := g.Stat(); err != nil {
		t.Fatalf("the caller's file after Close: %v", err)
	}
}

func TestEmptyRegions(t *testing.T) {
	name := writeFile(t, nil)
	empties := map[string]func() (*mmap.Region, error){
		"empty file":    func() (*mmap.Region, error) { return mmap.OpenFile(name, mmap.AccessWrite) },
		"Anonymous(0)":  func() (*mmap.Region, error) { return mmap.Anonymous(0, nil) },
		"read-only":     func() (*mmap.Region, error) { return mmap.Open(name) },
		"New(length 0)": func() (*mmap.Region, error) { return mmap.New(openRW(t, name), 0, nil) },
	}
	for what, open := range empties {
		t.Run(what, func(t *testing.T) {
			r, err := open()
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if r.Len() != 0 || r.Bytes() == nil || len(r.Bytes()) != 0 {
				t.Fatalf("Len() = %d, Bytes() = %v; want 0 and an empty non-nil slice", r.Len(), r.Bytes())
			}
			if n, err := r.Read(make([]byte, 4)); n != 0 || err != io.EOF {
				t.Fatalf("Read = %d, %v; want 0, EOF", n, err)
			}
			if _, err := r.ReadByte(); err != io.EOF {
				t.Fatalf("ReadByte: %v; want EOF", err)
			}
			if i := r.Find(nil); i != 0 {
				t.Fatalf("Find(empty) = %d; want 0", i)
			}
			if err := r.Flush(); err != nil {
				t.Fatalf("Flush: %v", err)
			}
			if err := r.Madvise(mmap.MADV_NORMAL); err != nil {
				t.Fatalf("Madvise: %v", err)
			}
		})
	}
	// An empty writable region grows.
	r, err := mmap.OpenFile(name, mmap.AccessWrite)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.Resize(5); err != nil {
		t.Fatalf("Resize(5) of an empty region: %v", err)
	}
	r.WriteString("abcde")
	r.Flush() // where mappings are emulated (js, wasip1, plan9), writes reach the file only here
	if got, _ := os.ReadFile(name); string(got) != "abcde" {
		t.Fatalf("file = %q; want abcde", got)
	}
	if err := r.Resize(0); err != nil || r.Len() != 0 {
		t.Fatalf("Resize(0) = %v, Len %d", err, r.Len())
	}
	if fi, _ := os.Stat(name); fi.Size() != 0 {
		t.Fatalf("file size after Resize(0) = %d", fi.Size())
	}
}

func TestAccessModes(t *testing.T) {
	for _, tt := range []struct {
		access      mmap.Access
		writeErr    error
		reachesFile bool
		resizeErr   error
	}{
		{mmap.AccessDefault, nil, true, nil},
		{mmap.AccessWrite, nil, true, nil},
		{mmap.AccessCopy, nil, false, mmap.ErrReadOnly},
		{mmap.AccessRead, mmap.ErrReadOnly, false, mmap.ErrReadOnly},
	} {
		t.Run(tt.access.String(), func(t *testing.T) {
			r, name := mapFile(t, []byte(sample), tt.access)
			_, err := r.WriteAt([]byte("HELLO"), 0)
			checkErr(t, "WriteAt", err, tt.writeErr, "WriteAt")
			checkErr(t, "WriteByte", r.WriteByte('X'), tt.writeErr, "WriteByte")
			checkErr(t, "Move", r.Move(0, 1, 1), tt.writeErr, "Move")
			checkErr(t, "Flush", r.Flush(), nil, "Flush") // for emulated mappings; a no-op on a copy
			got, _ := os.ReadFile(name)
			if changed := string(got) != sample; changed != tt.reachesFile {
				t.Fatalf("file = %q; changed %v, want %v", got, changed, tt.reachesFile)
			}
			if tt.writeErr == nil && !bytes.HasPrefix(r.Bytes(), []byte("EELLO")) { // WriteByte, then Move(0, 1, 1)
				t.Fatalf("region = %q; want the writes", r.Bytes())
			}
			checkErr(t, "Resize", r.Resize(100), tt.resizeErr, "Resize")
			checkErr(t, "Flush", r.Flush(), nil, "Flush")
		})
	}
}

func TestReadMethods(t *testing.T) {
	r, _ := mapFile(t, []byte(sample), mmap.AccessRead)
	var lines []string
	for {
		line, err := r.ReadLine()
		if err == io.EOF {
			if line != nil {
				t.Fatalf("ReadLine at end = %q, EOF; want nil", line)
			}
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(line))
	}
	want := []string{"hello world\n", "second line\n", "\n", "last line without newline"}
	if strings.Join(lines, "|") != strings.Join(want, "|") {
		t.Fatalf("ReadLine lines = %q; want %q", lines, want)
	}
	if r.Tell() != int64(len(sample)) {
		t.Fatalf("Tell() after the last line = %d", r.Tell())
	}
	if _, err := r.ReadByte(); err != io.EOF {
		t.Fatalf("ReadByte at end: %v", err)
	}
	checkErr(t, "UnreadByte", r.UnreadByte(), nil, "")
	if c, err := r.ReadByte(); c != 'e' || err != nil {
		t.Fatalf("ReadByte after UnreadByte = %q, %v", c, err)
	}
	r.Seek(0, io.SeekStart)
	checkErr(t, "UnreadByte at 0", r.UnreadByte(), mmap.ErrOutOfRange, "UnreadByte")
	checkErr(t, "UnreadRune without ReadRune", r.UnreadRune(), mmap.ErrInvalid, "UnreadRune")

	buf := make([]byte, 5)
	if n, err := r.ReadAt(buf, 6); n != 5 || err != nil || string(buf) != "world" {
		t.Fatalf("ReadAt(5, 6) = %d, %v, %q", n, err, buf)
	}
	if n, err := r.ReadAt(buf, int64(len(sample))-2); n != 2 || err != io.EOF {
		t.Fatalf("ReadAt(5, len-2) = %d, %v; want 2, EOF", n, err)
	}
	if n, err := r.ReadAt(buf, int64(len(sample))); n != 0 || err != io.EOF {
		t.Fatalf("ReadAt(5, len) = %d, %v; want 0, EOF", n, err)
	}
	_, err := r.ReadAt(buf, -1)
	checkErr(t, "ReadAt(-1)", err, mmap.ErrInvalid, "ReadAt")
	if r.Tell() != 0 {
		t.Fatalf("ReadAt moved the cursor to %d", r.Tell())
	}

	var sb strings.Builder
	r.Seek(6, io.SeekStart)
	if n, err := r.WriteTo(&sb); n != int64(len(sample)-6) || err != nil || sb.String() != sample[6:] {
		t.Fatalf("WriteTo from 6 = %d, %v, %q", n, err, sb.String())
	}
	if r.Tell() != int64(len(sample)) {
		t.Fatalf("Tell() after WriteTo = %d; want the end", r.Tell())
	}
}

func TestReadRune(t *testing.T) {
	text := "aé€😀\xff\xe2\x82z" // 1, 2, 3 and 4 bytes, an invalid byte, a truncated sequence
	r, _ := mapFile(t, []byte(text), mmap.AccessRead)
	want := []struct {
		ch   rune
		size int
	}{{'a', 1}, {'é', 2}, {'€', 3}, {'😀', 4}, {'\uFFFD', 1}, {'\uFFFD', 1}, {'\uFFFD', 1}, {'z', 1}}
	for i, w := range want {
		ch, size, err := r.ReadRune()
		if ch != w.ch || size != w.size || err != nil {
			t.Fatalf("rune %d: ReadRune() = %q, %d, %v; want %q, %d", i, ch, size, err, w.ch, w.size)
		}
		if i == 3 {
			checkErr(t, "UnreadRune", r.UnreadRune(), nil, "")
			if ch2, _, _ := r.ReadRune(); ch2 != ch {
				t.Fatalf("after UnreadRune: %q; want %q", ch2, ch)
			}
		}
	}
	if _, _, err := r.ReadRune(); err != io.EOF {
		t.Fatalf("ReadRune at end: %v", err)
	}
}

func TestSeek(t *testing.T) {
	r, _ := mapFile(t, []byte(sample), mmap.AccessRead)
	n := int64(len(sample))
	for _, tt := range []struct {
		from    int64
		offset  int64
		whence  int
		want    int64
		wantErr error
	}{
		{0, 5, io.SeekStart, 5, nil},
		{5, 3, io.SeekCurrent, 8, nil},
		{5, -5, io.SeekCurrent, 0, nil},
		{0, -1, io.SeekEnd, n - 1, nil},
		{0, 0, io.SeekEnd, n, nil},
		{0, n, io.SeekStart, n, nil},
		{3, -4, io.SeekCurrent, 3, mmap.ErrOutOfRange},
		{3, n + 1, io.SeekStart, 3, mmap.ErrOutOfRange},
		{3, 1, io.SeekEnd, 3, mmap.ErrOutOfRange},
		{3, -1, io.SeekStart, 3, mmap.ErrOutOfRange},
		{3, 1 << 62, io.SeekEnd, 3, mmap.ErrOutOfRange},
		{3, -1 << 63, io.SeekCurrent, 3, mmap.ErrOutOfRange},
		{3, 0, 3, 3, mmap.ErrInvalid},
	} {
		r.Seek(tt.from, io.SeekStart)
		got, err := r.Seek(tt.offset, tt.whence)
		checkErr(t, "Seek", err, tt.wantErr, "Seek")
		if r.Tell() != tt.want || (err == nil && got != tt.want) {
			t.Fatalf("Seek(%d, %d) from %d = %d, %v, Tell %d; want %d", tt.offset, tt.whence, tt.from, got, err, r.Tell(), tt.want)
		}
	}
}

func TestWriteMethods(t *testing.T) {
	r, name := mapFile(t, []byte("0123456789"), mmap.AccessWrite)
	for _, tt := range []struct {
		name    string
		op      func() (int, error)
		cursor  int64 // before
		want    string
		wantPos int64
		wantErr error
	}{
		{"Write", func() (int, error) { return r.Write([]byte("ab")) }, 2, "01ab456789", 4, nil},
		{"Write to end", func() (int, error) { return r.Write([]byte("xyz")) }, 7, "0123456xyz", 10, nil},
		{"Write past end", func() (int, error) { return r.Write([]byte("xyzw")) }, 7, "0123456789", 7, mmap.ErrOutOfRange},
		{"WriteString", func() (int, error) { return r.WriteString("cd") }, 0, "cd23456789", 2, nil},
		{"WriteString past end", func() (int, error) { return r.WriteString("cd") }, 9, "0123456789", 9, mmap.ErrOutOfRange},
		{"WriteByte", func() (int, error) { return 1, r.WriteByte('!') }, 9, "012345678!", 10, nil},
		{"WriteByte at end", func() (int, error) { return 0, r.WriteByte('!') }, 10, "0123456789", 10, mmap.ErrOutOfRange},
		{"WriteAt", func() (int, error) { return r.WriteAt([]byte("AB"), 8) }, 3, "01234567AB", 3, nil},
		{"WriteAt past end", func() (int, error) { return r.WriteAt([]byte("AB"), 9) }, 3, "0123456789", 3, mmap.ErrOutOfRange},
		{"WriteAt offset past end", func() (int, error) { return r.WriteAt(nil, 11) }, 3, "0123456789", 3, mmap.ErrOutOfRange},
		{"WriteAt negative", func() (int, error) { return r.WriteAt([]byte("A"), -1) }, 3, "0123456789", 3, mmap.ErrInvalid},
		{"Move", func() (int, error) { return 0, r.Move(1, 0, 5) }, 0, "0012346789", 0, nil},
		{"Move out of range", func() (int, error) { return 0, r.Move(6, 0, 5) }, 0, "0123456789", 0, mmap.ErrOutOfRange},
		{"Move negative count", func() (int, error) { return 0, r.Move(0, 0, -1) }, 0, "0123456789", 0, mmap.ErrOutOfRange},
		{"Move huge count", func() (int, error) { return 0, r.Move(0, 0, int(^uint(0)>>1)) }, 0, "0123456789", 0, mmap.ErrOutOfRange},
		{"ReadFrom", func() (int, error) { n, err := r.ReadFrom(strings.NewReader("xy")); return int(n), err }, 4, "0123xy6789", 6, nil},
		{"ReadFrom too much", func() (int, error) { n, err := r.ReadFrom(strings.NewReader("wxyz")); return int(n), err }, 8, "01234567wx", 10, mmap.ErrOutOfRange},
	} {
		t.Run(tt.name, func(t *testing.T) {
			copy(r.Bytes(), "0123456789")
			r.Seek(tt.cursor, io.SeekStart)
			_, err := tt.op()
			checkErr(t, tt.name, err, tt.wantErr, strings.Fields(tt.name)[0])
			if got := string(r.Bytes()); got != tt.want {
				t.Fatalf("region = %q; want %q", got, tt.want)
			}
			if r.Tell() != tt.wantPos {
				t.Fatalf("Tell() = %d; want %d", r.Tell(), tt.wantPos)
			}
			r.Flush() // emulated mappings (js, wasip1, plan9) write back only here
			if got, _ := os.ReadFile(name); string(got) != tt.want {
				t.Fatalf("file = %q; want %q (write-through)", got, tt.want)
			}
		})
	}
}

func TestFind(t *testing.T) {
	// The cases below were run on Python's mmap; those with a start past the end follow Python
	// 3.15 (gh-151021), where an empty sub is no longer found there.
	r, _ := mapFile(t, []byte("abcabcabca"), mmap.AccessRead)
	for _, tt := range []struct {
		sub         string
		bounds      []int
		cursor      int64
		find, rfind int
	}{
		{"", nil, 0, 0, 10},
		{"", []int{5, 3}, 0, -1, -1},
		{"", []int{100}, 0, -1, -1},
		{"", []int{10}, 0, 10, 10},
		{"", []int{11}, 0, -1, -1},
		{"", []int{10, 100}, 0, 10, 10},
		{"", []int{-3}, 0, 7, 10},
		{"a", []int{-100}, 0, 0, 9},
		{"a", []int{4, 3}, 0, -1, -1},
		{"", []int{11, 20}, 0, -1, -1},
		{"a", []int{-1}, 0, 9, 9},
		{"ca", []int{-2}, 0, 8, 8},
		{"a", []int{0, -9}, 0, 0, 0},
		{"", []int{3, -100}, 0, -1, -1},
		{"a", nil, 5, 6, 9},
		{"abca", nil, 0, 0, 6},
		{"abcabcabcab", nil, 0, -1, -1},
		{"bc", []int{2, 9}, 0, 4, 7},
		{"x", nil, 0, -1, -1},
	} {
		r.Seek(tt.cursor, io.SeekStart)
		if got := r.Find([]byte(tt.sub), tt.bounds...); got != tt.find {
			t.Errorf("Find(%q, %v) at cursor %d = %d; want %d", tt.sub, tt.bounds, tt.cursor, got, tt.find)
		}
		if got := r.RFind([]byte(tt.sub), tt.bounds...); got != tt.rfind {
			t.Errorf("RFind(%q, %v) at cursor %d = %d; want %d", tt.sub, tt.bounds, tt.cursor, got, tt.rfind)
		}
		if r.Tell() != tt.cursor {
			t.Errorf("Find moved the cursor")
		}
	}
}

func TestResize(t *testing.T) {
	for _, anonymous := range []bool{false, true} {
		for _, opts := range []*mmap.Options{nil, {Flags: mmap.MAP_PRIVATE}} {
			var r *mmap.Region
			var err error
			name := writeFile(t, []byte("0123456789"))
			if anonymous {
				r, err = mmap.Anonymous(10, opts)
				if err == nil {
					copy(r.Bytes(), "0123456789")
				}
			} else {
				r, err = mmap.New(openRW(t, name), 0, opts)
			}
			if err != nil {
				t.Fatal(err)
			}
			r.Seek(8, io.SeekStart)
			for _, size := range []int{3 * mmap.PageSize, 5, 0, 2*mmap.PageSize + 1, 10} {
				if err := r.Resize(size); err != nil {
					t.Fatalf("anonymous %v, opts %v: Resize(%d): %v", anonymous, opts, size, err)
				}
				if r.Len() != size {
					t.Fatalf("Len() after Resize(%d) = %d", size, r.Len())
				}
				b := r.Bytes()
				for i := range b {
					b[i] = byte('0' + i%10) // later growth must show these bytes, then zeros
				}
				if !anonymous {
					if fi, _ := os.Stat(name); fi.Size() != int64(size) {
						t.Fatalf("file size after Resize(%d) = %d", size, fi.Size())
					}
				}
			}
			if r.Tell() != 0 {
				t.Fatalf("cursor after shrinking through 0 = %d; want 0", r.Tell())
			}
			if err := r.Resize(-1); !errors.Is(err, mmap.ErrInvalid) && !errors.Is(err, mmap.ErrOutOfRange) {
				t.Fatalf("Resize(-1) = %v", err)
			}
			r.Close()
		}
	}
}

// TestResizeKeepsContents grows a region with data in it: the old bytes stay, the new ones are 0.
func TestResizeKeepsContents(t *testing.T) {
	data := randomBytes(3*mmap.PageSize+5, 9)
	for _, anon := range []bool{false, true} {
		var r *mmap.Region
		var err error
		if anon {
			r, err = mmap.Anonymous(len(data), nil)
		} else {
			r, _ = mapFile(t, make([]byte, len(data)), mmap.AccessWrite)
		}
		if err != nil {
			t.Fatal(err)
		}
		copy(r.Bytes(), data)
		r.Seek(int64(len(data)), io.SeekStart)
		if err := r.Resize(8 * mmap.PageSize); err != nil {
			t.Fatal(err)
		}
		got := r.Bytes()
		if !bytes.Equal(got[:len(data)], data) || bytes.ContainsFunc(got[len(data):], func(c rune) bool { return c != 0 }) {
			t.Fatalf("anonymous %v: contents after growing are wrong", anon)
		}
		if r.Tell() != int64(len(data)) {
			t.Fatalf("cursor moved to %d", r.Tell())
		}
		if err := r.Resize(2); err != nil || r.Tell() != 2 || string(r.Bytes()) != string(data[:2]) {
			t.Fatalf("Resize(2) = %v, Tell %d", err, r.Tell())
		}
		r.Close()
	}
}

func TestFlushAndMadviseBounds(t *testing.T) {
	r, _ := mapFile(t, make([]byte, 3*mmap.PageSize), mmap.AccessWrite)
	n := r.Len()
	for _, tt := range []struct {
		bounds []int
		want   error
	}{
		{nil, nil}, {[]int{0}, nil}, {[]int{1}, nil}, {[]int{n}, nil}, {[]int{1, 2}, nil}, {[]int{n - 1, 1}, nil},
		{[]int{n, 0}, nil}, {[]int{n + 1}, mmap.ErrOutOfRange}, {[]int{-1}, mmap.ErrOutOfRange},
		{[]int{0, n + 1}, mmap.ErrOutOfRange}, {[]int{1, n}, mmap.ErrOutOfRange}, {[]int{0, -1}, mmap.ErrOutOfRange},
		{[]int{1, 2, 3}, mmap.ErrInvalid},
	} {
		checkErr(t, "Flush", r.Flush(tt.bounds...), tt.want, "Flush")
	}
	advice := mmap.MADV_WILLNEED // the one advice every OS with mappings takes
	if advice < 0 {
		t.Logf("no madvise on %s: bounds unchecked", runtime.GOOS)
		return
	}
	for _, tt := range []struct {
		bounds []int
		want   error
	}{
		{nil, nil}, {[]int{1}, nil}, {[]int{n - 1}, nil}, {[]int{0, 10 * n}, nil}, {[]int{5, 1}, nil},
		{[]int{n}, mmap.ErrOutOfRange}, {[]int{-1}, mmap.ErrOutOfRange}, {[]int{0, -1}, mmap.ErrInvalid},
		{[]int{1, 2, 3}, mmap.ErrInvalid},
	} {
		checkErr(t, "Madvise", r.Madvise(advice, tt.bounds...), tt.want, "Madvise")
	}
	for _, advice := range []int{mmap.MADV_NORMAL, mmap.MADV_RANDOM, mmap.MADV_SEQUENTIAL, mmap.MADV_WILLNEED} {
		if err := r.Madvise(advice); err != nil && !(advice < 0 && errors.Is(err, errors.ErrUnsupported)) {
			t.Fatalf("Madvise(%d): %v", advice, err)
		}
	}
	if mmap.MADV_FREE_REUSE < 0 { // not on this OS: the contract says ErrUnsupported
		if err := r.Madvise(mmap.MADV_FREE_REUSE); !errors.Is(err, errors.ErrUnsupported) {
			t.Fatalf("Madvise(MADV_FREE_REUSE) = %v; want ErrUnsupported", err)
		}
	}
}

func TestClosed(t *testing.T) {
	r, _ := mapFile(t, []byte(sample), mmap.AccessWrite)
	r.Seek(3, io.SeekStart)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if !r.Closed() || r.Len() != 0 || r.Tell() != 0 || r.Bytes() != nil || r.Find([]byte("h"), 0) != -1 || r.RFind(nil) != -1 {
		t.Fatalf("after Close: Closed %v Len %d Tell %d Bytes %v", r.Closed(), r.Len(), r.Tell(), r.Bytes())
	}
	buf := make([]byte, 4)
	errs := map[string]error{}
	_, errs["Read"] = r.Read(buf)
	_, errs["ReadAt"] = r.ReadAt(buf, 0)
	_, errs["ReadByte"] = r.ReadByte()
	errs["UnreadByte"] = r.UnreadByte()
	_, _, errs["ReadRune"] = r.ReadRune()
	errs["UnreadRune"] = r.UnreadRune()
	_, errs["ReadLine"] = r.ReadLine()
	_, errs["WriteTo"] = r.WriteTo(io.Discard)
	_, errs["Write"] = r.Write(buf)
	_, errs["WriteAt"] = r.WriteAt(buf, 0)
	errs["WriteByte"] = r.WriteByte(0)
	_, errs["WriteString"] = r.WriteString("x")
	_, errs["ReadFrom"] = r.ReadFrom(strings.NewReader("x"))
	errs["Move"] = r.Move(0, 1, 1)
	errs["Resize"] = r.Resize(10)
	errs["Flush"] = r.Flush()
	errs["Madvise"] = r.Madvise(mmap.MADV_NORMAL)
	_, errs["Seek"] = r.Seek(0, io.SeekStart)
	_, errs["Size"] = r.Size()
	errs["Guard"] = r.Guard(func([]byte) error { t.Fatal("Guard ran fn after Close"); return nil })
	for method, err := range errs {
		if !errors.Is(err, mmap.ErrClosed) || !errors.Is(err, fs.ErrClosed) || !strings.Contains(err.Error(), method) {
			t.Errorf("%s after Close = %v; want ErrClosed naming the method", method, err)
		}
	}
}

func TestBigSparseFile(t *testing.T) {
	if ^uint(0)>>32 == 0 {
		t.Skip("a 5 GiB mapping needs a 64-bit address space")
	}
	name := filepath.Join(tempDir(t), "sparse")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var size, past4G int64 = 5 << 30, 4<<30 + 10 // variables, so that 32-bit builds compile
	if err := f.Truncate(size); err != nil {
		t.Skipf("no sparse files here: %v", err)
	}
	f.WriteAt([]byte("tail"), size-4)
	f.WriteAt([]byte("past4G"), past4G)

	whole, err := mmap.New(f, 0, &mmap.Options{Access: mmap.AccessRead})
	if errors.Is(err, mmap.ErrInvalid) && (runtime.GOOS == "js" || runtime.GOOS == "wasip1") {
		t.Skipf("emulated mappings hold at most 2 GiB: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer whole.Close()
	if int64(whole.Len()) != size || string(whole.Bytes()[size-4:]) != "tail" {
		t.Fatalf("Len() = %d; the tail reads %q", whole.Len(), whole.Bytes()[size-4:])
	}
	if i := whole.Find([]byte("past4G"), int(past4G-10)); int64(i) != past4G {
		t.Fatalf("Find past 4 GiB = %d", i)
	}
	part, err := mmap.New(f, 6, &mmap.Options{Access: mmap.AccessRead, Offset: past4G})
	if err != nil {
		t.Fatal(err)
	}
	defer part.Close()
	if string(part.Bytes()) != "past4G" {
		t.Fatalf("region at offset 4 GiB + 10 = %q", part.Bytes())
	}
}

// TestReadLineCopies checks that lines are copies the caller owns: changing or appending to one
// changes neither the region nor the next line.
func TestReadLineCopies(t *testing.T) {
	r, _ := mapFile(t, []byte("one\ntwo\nthree\n"), mmap.AccessRead)
	first, _ := r.ReadLine()
	second, _ := r.ReadLine()
	first[0] = 'X'
	_ = append(first, "appended"...)
	if string(second) != "two\n" || string(r.Bytes()[:4]) != "one\n" {
		t.Fatalf("after changing the first line: second = %q, region = %q", second, r.Bytes())
	}
}

// TestGuardHoldsOffCloseAndResize checks Guard's documented promise that Close and Resize wait while
// Guard's function runs: neither returns before the function is done with the bytes.
func TestGuardHoldsOffCloseAndResize(t *testing.T) {
	needPreemption(t)
	for _, op := range []string{"Close", "Resize"} {
		r, _ := mapFile(t, []byte(sample), mmap.AccessWrite)
		started := make(chan struct{})
		var fnDone atomic.Bool
		returned := make(chan bool)
		go func() {
			<-started
			if op == "Close" {
				r.Close()
			} else {
				r.Resize(2)
			}
			returned <- fnDone.Load()
		}()
		err := r.Guard(func(b []byte) error {
			close(started)
			time.Sleep(50 * time.Millisecond) // time for the other goroutine to get into op
			if string(b) != sample {
				t.Errorf("%s ran while Guard's function read the bytes: %q", op, b)
			}
			fnDone.Store(true)
			return nil
		})
		if err != nil {
			t.Fatalf("Guard: %v", err)
		}
		if !<-returned {
			t.Fatalf("%s returned before Guard's function was done", op)
		}
	}
}
