package mmap_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/mmapio/mmap"
)

// The methods and constants beyond Python, with exact signatures, as the package documentation lists them.
var (
	_ fmt.Stringer                            = (*mmap.Region)(nil)
	_ func(*mmap.Region) string               = (*mmap.Region).String
	_ func(*mmap.Region, ...int) error        = (*mmap.Region).FlushAsync
	_ func(*mmap.Region, ...int) error        = (*mmap.Region).Prefetch
	_ func(*mmap.Region, ...int) (int, error) = (*mmap.Region).Resident
	_ func(*mmap.Region, ...int) error        = (*mmap.Region).Lock
	_ func(*mmap.Region, ...int) error        = (*mmap.Region).Unlock
	_ func(*mmap.Region, int, ...int) error   = (*mmap.Region).Protect
	_ func(*mmap.Region, string) error        = (*mmap.Region).SetName
	_                                         = []int{mmap.MS_SYNC, mmap.MS_ASYNC, mmap.MS_INVALIDATE}
)

// emulated reports whether this OS has no memory mapping, so that regions are emulated in memory.
func emulated() bool {
	switch runtime.GOOS {
	case "js", "wasip1", "plan9":
		return true
	}
	return false
}

func TestRegionString(t *testing.T) {
	secret := "SECRET-CONTENT"
	data := []byte(strings.Repeat(secret, 400)) // 5600 bytes, over a page
	name := writeFile(t, data)
	open := func(length int, opts *mmap.Options) func(t *testing.T) *mmap.Region {
		return func(t *testing.T) *mmap.Region {
			f := openRW(t, name)
			r, err := mmap.New(f, length, opts)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
	}
	tests := []struct {
		name   string
		region func(t *testing.T) *mmap.Region
		seek   int64
		close  bool
		want   string
	}{
		{"default", open(0, nil), 0, false, "<mmap.Region closed=false, access=AccessDefault, length=5600, pos=0, offset=0>"},
		{"write, offset, cursor", open(100, &mmap.Options{Access: mmap.AccessWrite, Offset: 5000}), 42, false,
			"<mmap.Region closed=false, access=AccessWrite, length=100, pos=42, offset=5000>"},
		{"read", open(0, &mmap.Options{Access: mmap.AccessRead}), 5600, false, "<mmap.Region closed=false, access=AccessRead, length=5600, pos=5600, offset=0>"},
		{"copy", open(14, &mmap.Options{Access: mmap.AccessCopy, Offset: 14}), 1, false, "<mmap.Region closed=false, access=AccessCopy, length=14, pos=1, offset=14>"},
		{"closed", open(100, &mmap.Options{Access: mmap.AccessRead, Offset: 7}), 3, true, "<mmap.Region closed=true, access=AccessRead, length=0, pos=0, offset=7>"},
		{"anonymous", func(t *testing.T) *mmap.Region {
			r, err := mmap.Anonymous(4096, nil)
			if err != nil {
				t.Fatal(err)
			}
			copy(r.Bytes(), secret)
			return r
		}, 9, false, "<mmap.Region closed=false, access=AccessDefault, length=4096, pos=9, offset=0>"},
		{"empty", func(t *testing.T) *mmap.Region {
			r, err := mmap.Anonymous(0, &mmap.Options{Access: mmap.AccessWrite})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}, 0, false, "<mmap.Region closed=false, access=AccessWrite, length=0, pos=0, offset=0>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := tt.region(t)
			defer r.Close()
			if _, err := r.Seek(tt.seek, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			if tt.close {
				r.Close()
			}
			if got := r.String(); got != tt.want {
				t.Errorf("String() = %q; want %q", got, tt.want)
			}
			if got := fmt.Sprint(r); got != tt.want {
				t.Errorf("fmt.Sprint(region) = %q; want %q", got, tt.want)
			}
			if got := fmt.Sprintf("%v", r); strings.Contains(got, "SECRET") {
				t.Errorf("%%v shows the region's bytes: %q", got)
			}
		})
	}
}

// TestSizeAnonymous pins that Size works on anonymous memory and is Len(), as in Python 3.15.
func TestSizeAnonymous(t *testing.T) {
	for _, n := range []int{0, 1, 4096, 3*mmap.PageSize + 5} {
		r, err := mmap.Anonymous(n, nil)
		if err != nil {
			t.Fatal(err)
		}
		if size, err := r.Size(); err != nil || size != int64(n) {
			t.Errorf("Anonymous(%d).Size() = %d, %v; want %d, nil", n, size, err, n)
		}
		if err := r.Resize(n + 10); err != nil {
			t.Fatal(err)
		}
		if size, err := r.Size(); err != nil || size != int64(n+10) || size != int64(r.Len()) {
			t.Errorf("Size() after Resize(%d) = %d, %v; want %d, nil", n+10, size, err, n+10)
		}
		r.Close()
	}
}

// memCall is one of the methods of memory.go with its arguments.
type memCall struct {
	method string
	call   func(r *mmap.Region) error
}

func flushAsync(b ...int) memCall {
	return memCall{"FlushAsync", func(r *mmap.Region) error { return r.FlushAsync(b...) }}
}
func prefetch(b ...int) memCall {
	return memCall{"Prefetch", func(r *mmap.Region) error { return r.Prefetch(b...) }}
}
func resident(b ...int) memCall {
	return memCall{"Resident", func(r *mmap.Region) error {
		n, err := r.Resident(b...)
		if err != nil && n != 0 {
			return fmt.Errorf("Resident returned %d with the error %w", n, err)
		}
		return err
	}}
}
func lock(b ...int) memCall {
	return memCall{"Lock", func(r *mmap.Region) error { return r.Lock(b...) }}
}
func unlock(b ...int) memCall {
	return memCall{"Unlock", func(r *mmap.Region) error { return r.Unlock(b...) }}
}
func protect(prot int, b ...int) memCall {
	return memCall{"Protect", func(r *mmap.Region) error { return r.Protect(prot, b...) }}
}
func setName(name string) memCall {
	return memCall{"SetName", func(r *mmap.Region) error { return r.SetName(name) }}
}

// rangeMethods are the methods that take Flush's bounds, each with those bounds.
func rangeMethods(b ...int) []memCall {
	return []memCall{flushAsync(b...), prefetch(b...), resident(b...), lock(b...), unlock(b...), protect(mmap.PROT_READ, b...)}
}

// TestMemoryBadInputs checks the bad arguments of the methods beyond Python: every one fails with
// the sentinel, in Python's order (closed, read-only, out of range), names the method and its
// numbers, and changes neither the region, nor its cursor, nor the file.
func TestMemoryBadInputs(t *testing.T) {
	type badCase struct {
		name string
		on   badFixture
		call memCall
		want error
		nums []int64
	}
	var cases []badCase
	add := func(name string, on badFixture, calls []memCall, want error, nums ...int64) {
		for _, c := range calls {
			cases = append(cases, badCase{c.method + " " + name, on, c, want, nums})
		}
	}
	n := badFileSize
	add("closed", onClosed, rangeMethods(), mmap.ErrClosed)
	add("closed, with bounds", onClosed, rangeMethods(5, 10), mmap.ErrClosed, 5, 10)
	add("closed, bounds outside", onClosed, rangeMethods(-5, n*2), mmap.ErrClosed, -5, int64(n*2))
	add("closed, three bounds", onClosed, rangeMethods(1, 2, 3), mmap.ErrClosed, 3)
	add("three bounds", onWrite, rangeMethods(1, 2, 3), mmap.ErrInvalid, 3)
	add("negative offset", onWrite, rangeMethods(-1), mmap.ErrOutOfRange, -1)
	add("negative offset with size", onWrite, rangeMethods(-1, 5), mmap.ErrOutOfRange, -1, 5)
	add("offset past the end", onWrite, rangeMethods(n+1), mmap.ErrOutOfRange, int64(n+1))
	add("offset past the end, size 0", onRead, rangeMethods(n+1, 0), mmap.ErrOutOfRange, int64(n+1), 0)
	add("size past the end", onWrite, rangeMethods(n-10, 11), mmap.ErrOutOfRange, int64(n-10), 11)
	add("negative size", onAnon, rangeMethods(10, -1), mmap.ErrOutOfRange, 10, -1)
	add("size maxInt", onCopy, rangeMethods(1, maxInt), mmap.ErrOutOfRange, 1, int64(maxInt))
	add("offset maxInt", onRead, rangeMethods(maxInt, 1), mmap.ErrOutOfRange, int64(maxInt), 1)
	add("offset minInt", onWrite, rangeMethods(minInt), mmap.ErrOutOfRange, int64(minInt))
	// Protect: read-only before out of range; prot checked last.
	add("writable on AccessRead", onRead, []memCall{protect(mmap.PROT_READ | mmap.PROT_WRITE)}, mmap.ErrReadOnly, int64(mmap.PROT_READ|mmap.PROT_WRITE))
	add("writable on AccessRead, out of range", onRead, []memCall{protect(mmap.PROT_READ|mmap.PROT_WRITE, n+1)}, mmap.ErrReadOnly, int64(n+1))
	add("closed, writable on AccessRead", onClosed, []memCall{protect(mmap.PROT_READ | mmap.PROT_WRITE)}, mmap.ErrClosed)
	add("no PROT_READ", onWrite, []memCall{protect(mmap.PROT_WRITE, 0, 10)}, mmap.ErrInvalid, int64(mmap.PROT_WRITE), 0, 10)
	add("PROT_NONE", onWrite, []memCall{protect(0, 0, 10)}, mmap.ErrInvalid, 0, 0, 10)
	add("unknown bits", onAnon, []memCall{protect(mmap.PROT_READ | 0x1000)}, mmap.ErrInvalid, int64(mmap.PROT_READ|0x1000))
	add("negative prot", onAnon, []memCall{protect(-1, 0, 1)}, mmap.ErrInvalid, -1)
	add("unknown bits, out of range", onWrite, []memCall{protect(0x1000, n, 1)}, mmap.ErrOutOfRange, int64(n), 1)
	// SetName: closed, then a file, then the name.
	add("closed", onClosed, []memCall{setName("x")}, mmap.ErrClosed)
	add("on a file", onWrite, []memCall{setName("heap")}, errors.ErrUnsupported)
	add("on AccessRead", onRead, []memCall{setName("heap")}, errors.ErrUnsupported)
	add("on AccessCopy", onCopy, []memCall{setName("heap")}, errors.ErrUnsupported)
	add("too long", onAnon, []memCall{setName(strings.Repeat("n", 80))}, mmap.ErrInvalid, 80, 79)
	add("bracket", onAnon, []memCall{setName("a[b]")}, mmap.ErrInvalid)
	add("dollar", onAnon, []memCall{setName("$HOME")}, mmap.ErrInvalid)
	add("backslash", onAnon, []memCall{setName(`a\b`)}, mmap.ErrInvalid)
	add("backquote", onAnon, []memCall{setName("a`b")}, mmap.ErrInvalid)
	add("newline", onAnon, []memCall{setName("a\nb")}, mmap.ErrInvalid)
	add("not ASCII", onAnon, []memCall{setName("café")}, mmap.ErrInvalid)
	add("NUL", onAnon, []memCall{setName("a\x00b")}, mmap.ErrInvalid)

	seen := map[string]bool{}
	for _, tc := range cases {
		name := tc.name + " on " + fixtureNames[tc.on]
		if seen[name] {
			t.Fatalf("two cases named %q", name)
		}
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			dir := tempDir(t)
			file := filepath.Join(dir, "data")
			content := badContent()
			if err := os.WriteFile(file, content, 0o644); err != nil {
				t.Fatal(err)
			}
			r := badRegion(t, tc.on, file)
			pos, length := r.Tell(), r.Len()
			before := bytes.Clone(r.Bytes())
			err := tc.call.call(r)
			if p := r.Tell(); p != pos {
				t.Errorf("cursor moved from %d to %d", pos, p)
			}
			if l := r.Len(); l != length {
				t.Errorf("length changed from %d to %d", length, l)
			}
			if !bytes.Equal(r.Bytes(), before) {
				t.Errorf("the region's bytes changed")
			}
			if b, rerr := os.ReadFile(file); rerr != nil || !bytes.Equal(b, content) {
				t.Errorf("the file changed (%d bytes, %v)", len(b), rerr)
			}
			switch {
			case err == nil:
				t.Fatalf("no error; want %v", tc.want)
			case !errors.Is(err, tc.want):
				t.Fatalf("error %q (%s); want %v", err, errClass(err), tc.want)
			}
			var e *mmap.Error
			if !errors.As(err, &e) {
				t.Errorf("error %q is a %T, not an *mmap.Error", err, err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "mmap: Region."+tc.call.method+"(") {
				t.Errorf("error %q does not name Region.%s", msg, tc.call.method)
			}
			for _, n := range tc.nums {
				if !strings.Contains(msg, strconv.FormatInt(n, 10)) && !strings.Contains(msg, fmt.Sprintf("%#x", n)) {
					t.Errorf("error %q does not name %d", msg, n)
				}
			}
		})
	}
}

// unsupportedHere returns the methods of memory.go that this OS cannot do, by name.
func unsupportedHere() map[string]bool {
	switch {
	case emulated():
		return map[string]bool{"Lock": true, "Unlock": true, "Protect": true, "SetName": true}
	case runtime.GOOS == "openbsd" || runtime.GOOS == "solaris" || runtime.GOOS == "illumos" || runtime.GOOS == "aix":
		return map[string]bool{"Resident": true, "SetName": true}
	case runtime.GOOS != "linux" && runtime.GOOS != "android":
		return map[string]bool{"SetName": true}
	}
	return nil
}

// TestMemoryGoodInputs runs every method with every form of its bounds on every kind of region:
// each succeeds, or fails with errors.ErrUnsupported where this OS cannot do it (and then for
// every kind of region alike), and none changes the region's bytes, its cursor or the file.
func TestMemoryGoodInputs(t *testing.T) {
	n := badFileSize
	var calls []memCall
	for _, b := range [][]int{nil, {0}, {10}, {n}, {0, n}, {10, 20}, {n, 0}, {n - 1, 1}, {0, 0}} {
		calls = append(calls, rangeMethods(b...)...)
		calls = append(calls, protect(mmap.PROT_READ|mmap.PROT_EXEC, b...))
	}
	unsupported := unsupportedHere()
	for _, on := range []badFixture{onWrite, onRead, onCopy, onAnon} {
		t.Run(fixtureNames[on], func(t *testing.T) {
			file := filepath.Join(tempDir(t), "data")
			content := badContent()
			if err := os.WriteFile(file, content, 0o644); err != nil {
				t.Fatal(err)
			}
			r := badRegion(t, on, file)
			for _, c := range calls {
				err := c.call(r)
				switch {
				case err == nil:
				case errors.Is(err, errors.ErrUnsupported) && unsupported[c.method]:
				case c.method == "Protect" && errors.Is(err, mmap.ErrReadOnly) && !emulated():
					// PROT_EXEC where the file system is mounted noexec.
				case c.method == "Protect" && errors.Is(err, mmap.ErrInvalid) && runtime.GOOS == "windows" && strings.Contains(err.Error(), "FILE_MAP_EXECUTE"):
					// PROT_EXEC on a view not mapped for execution.
				case c.method == "Lock" && errors.Is(err, mmap.ErrInvalid) && strings.Contains(err.Error(), "limit"):
					t.Logf("%s: %v", c.method, err) // a tight RLIMIT_MEMLOCK
				default:
					t.Errorf("%s on %s: %v (%s)", c.method, fixtureNames[on], err, errClass(err))
				}
				if unsupported[c.method] && err == nil && c.method != "Protect" && c.method != "Lock" && c.method != "Unlock" {
					t.Errorf("%s on %s: no error where this OS cannot do it", c.method, fixtureNames[on])
				}
			}
			// Leave the region writable again, then check nothing moved.
			if on != onRead && !emulated() {
				if err := r.Protect(mmap.PROT_READ | mmap.PROT_WRITE); err != nil && !errors.Is(err, errors.ErrUnsupported) {
					t.Errorf("Protect(PROT_READ|PROT_WRITE): %v", err)
				}
			}
			if r.Tell() != badCursor {
				t.Errorf("the cursor moved to %d", r.Tell())
			}
			if !bytes.Equal(r.Bytes(), content) {
				t.Errorf("the region's bytes changed")
			}
			if b, err := os.ReadFile(file); err != nil || !bytes.Equal(b, content) {
				t.Errorf("the file changed (%v)", err)
			}
		})
	}
	t.Run("empty", func(t *testing.T) {
		r, err := mmap.Anonymous(0, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		for _, c := range append(rangeMethods(), rangeMethods(0, 0)...) {
			if err := c.call(r); err != nil {
				t.Errorf("%s on an empty region: %v", c.method, err)
			}
		}
		for _, c := range rangeMethods(1) {
			if err := c.call(r); !errors.Is(err, mmap.ErrOutOfRange) {
				t.Errorf("%s(1) on an empty region: %v; want ErrOutOfRange", c.method, err)
			}
		}
		// Linux keeps the name for a later Resize; elsewhere no memory can have a name.
		err = r.SetName("empty")
		if unsupported["SetName"] != errors.Is(err, errors.ErrUnsupported) || !unsupported["SetName"] && err != nil {
			t.Errorf("SetName on an empty region: %v", err)
		}
	})
}

// TestMemoryRaces runs the methods of memory.go against writes, reads, Resize and Close from
// other goroutines (run it with -race): no crash, no fault, and every write either lands whole or
// is refused whole with ErrReadOnly, because Protect waits for the writes in flight.
// Close comes after: Close racing calls is the business of race_test.go.
func TestMemoryRaces(t *testing.T) {
	needPreemption(t)
	page := mmap.PageSize
	r, err := mmap.Anonymous(8*page, &mmap.Options{Flags: mmap.MAP_PRIVATE})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	const rounds = 300
	done := make(chan error, 4)
	go func() { // the only writer: whole 3-page writes across the page that flips
		buf := make([]byte, 3*page)
		want := make([]byte, 3*page) // what the window holds: the last write that landed
		got := make([]byte, 3*page)
		for i := range rounds {
			for j := range buf {
				buf[j] = byte(i + 1)
			}
			_, err := r.WriteAt(buf, int64(page))
			switch {
			case err == nil:
				copy(want, buf)
			case errors.Is(err, mmap.ErrReadOnly):
			default:
				done <- fmt.Errorf("WriteAt: %v", err)
				return
			}
			if _, err := r.ReadAt(got, int64(page)); err != nil {
				done <- fmt.Errorf("ReadAt: %v", err)
				return
			}
			if !bytes.Equal(got, want) {
				done <- fmt.Errorf("round %d: WriteAt returned %v, and the window holds another write or half of one", i, err)
				return
			}
		}
		done <- nil
	}()
	go func() { // a reader through Guard, across the page that flips
		for range rounds {
			if err := r.Guard(func(b []byte) error {
				_ = bytes.Count(b[page:4*page], []byte{1})
				return nil
			}); err != nil {
				done <- fmt.Errorf("Guard: %v", err)
				return
			}
		}
		done <- nil
	}()
	go func() { // the methods that share the region
		for i := range rounds {
			for _, c := range []memCall{prefetch(0, 2*page), resident(), lock(page, page), unlock(), flushAsync()} {
				if err := c.call(r); err != nil && !errors.Is(err, errors.ErrUnsupported) && !errors.Is(err, mmap.ErrClosed) {
					done <- fmt.Errorf("%s: %v", c.method, err)
					return
				}
			}
			_ = r.String()
			_ = i
		}
		done <- nil
	}()
	go func() { // protect and unprotect the middle page
		for i := range rounds {
			prot := mmap.PROT_READ
			if i%2 == 1 {
				prot |= mmap.PROT_WRITE
			}
			if err := r.Protect(prot, 2*page, page); err != nil && !errors.Is(err, errors.ErrUnsupported) {
				done <- fmt.Errorf("Protect: %v", err)
				return
			}
		}
		done <- nil
	}()
	for range 4 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if err := r.Protect(mmap.PROT_READ); !errors.Is(err, mmap.ErrClosed) {
		t.Errorf("Protect after Close: %v", err)
	}
}

// TestFlushAsync writes through the region, flushes without waiting, and then reads the file:
// with a unified page cache (Linux, macOS, the BSDs but OpenBSD, Windows) a read sees the write at
// once; an emulated region writes its dirty pages in FlushAsync itself.
func TestFlushAsync(t *testing.T) {
	if runtime.GOOS == "openbsd" {
		t.Skip("OpenBSD has no unified buffer cache: read(2) sees a write through a mapping after msync(MS_SYNC)")
	}
	page := mmap.PageSize
	data := bytes.Repeat([]byte{'.'}, 3*page+100)
	for _, tt := range []struct {
		name   string
		at     int
		bounds []int
	}{
		{"whole", 5, nil},
		{"from offset", 2*page + 7, []int{2 * page}},
		{"range", page + 1, []int{page, 10}},
		{"unaligned range", 3*page + 50, []int{3*page + 40, 20}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, name := mapFile(t, data, mmap.AccessWrite)
			if _, err := r.WriteAt([]byte("async"), int64(tt.at)); err != nil {
				t.Fatal(err)
			}
			if err := r.FlushAsync(tt.bounds...); err != nil {
				t.Fatalf("FlushAsync(%v): %v", tt.bounds, err)
			}
			got, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			if string(got[tt.at:tt.at+5]) != "async" {
				t.Errorf("after FlushAsync(%v) the file holds %q at %d; want %q", tt.bounds, got[tt.at:tt.at+5], tt.at, "async")
			}
			if err := r.Flush(); err != nil {
				t.Fatal(err)
			}
		})
	}
	// Copy-on-write and read-only regions never reach the file: FlushAsync does nothing.
	r, name := mapFile(t, data, mmap.AccessCopy)
	r.WriteAt([]byte("private"), 0)
	if err := r.FlushAsync(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(name); !bytes.Equal(got, data) {
		t.Errorf("FlushAsync of an AccessCopy region changed the file")
	}
}

// TestProtect makes a page read-only and checks every write method against it, Guard, and the
// way back.
func TestProtect(t *testing.T) {
	if emulated() {
		t.Skip("emulated regions have no page protection")
	}
	page := mmap.PageSize
	for _, access := range []mmap.Access{mmap.AccessWrite, mmap.AccessCopy, mmap.AccessDefault} {
		t.Run(access.String(), func(t *testing.T) {
			data := bytes.Repeat([]byte{'.'}, 4*page)
			r, name := mapFile(t, data, access)
			want := bytes.Clone(data)

			// Bytes 10..15 of page 1: the whole of page 1 becomes read-only.
			if err := r.Protect(mmap.PROT_READ, page+10, 5); err != nil {
				t.Fatalf("Protect(PROT_READ, %d, 5): %v", page+10, err)
			}
			refused := []struct {
				name string
				call func() (int, error)
			}{
				{"WriteAt in the page", func() (int, error) { return r.WriteAt([]byte("x"), int64(2*page-1)) }},
				{"WriteAt across its start", func() (int, error) { return r.WriteAt([]byte("xyz"), int64(page-1)) }},
				{"WriteAt across its end", func() (int, error) { return r.WriteAt([]byte("xyz"), int64(2*page-1)) }},
				{"WriteAt over it", func() (int, error) { return r.WriteAt(make([]byte, 3*page), 0) }},
				{"Write across", func() (int, error) { r.Seek(int64(page-2), io.SeekStart); return r.Write([]byte("abcd")) }},
				{"WriteString in", func() (int, error) { r.Seek(int64(page), io.SeekStart); return r.WriteString("abcd") }},
				{"WriteByte in", func() (int, error) { r.Seek(int64(page+100), io.SeekStart); return 0, r.WriteByte('b') }},
				{"Move into", func() (int, error) { return 0, r.Move(page+50, 0, 10) }},
				{"Move across", func() (int, error) { return 0, r.Move(page-5, 3*page, 10) }},
				{"ReadFrom at it", func() (int, error) {
					r.Seek(int64(page+5), io.SeekStart)
					n, err := r.ReadFrom(strings.NewReader("hello"))
					return int(n), err
				}},
			}
			for _, tc := range refused {
				n, err := tc.call()
				if !errors.Is(err, mmap.ErrReadOnly) || n != 0 {
					t.Errorf("%s: %d, %v; want 0, ErrReadOnly", tc.name, n, err)
				} else if !strings.Contains(err.Error(), "Protect") {
					t.Errorf("%s: error %q does not say Protect made the bytes read-only", tc.name, err)
				}
			}
			if !bytes.Equal(r.Bytes(), want) {
				t.Fatalf("a refused write changed the region")
			}

			// Writes elsewhere work; ReadFrom stops at the protected page.
			if _, err := r.WriteAt([]byte("ok"), int64(page-2)); err != nil {
				t.Errorf("WriteAt just before the page: %v", err)
			}
			copy(want[page-2:], "ok")
			if _, err := r.WriteAt([]byte("ok"), int64(2*page)); err != nil {
				t.Errorf("WriteAt just after the page: %v", err)
			}
			copy(want[2*page:], "ok")
			r.Seek(int64(page-3), io.SeekStart)
			n, err := r.ReadFrom(strings.NewReader("12345"))
			if n != 3 || !errors.Is(err, mmap.ErrReadOnly) {
				t.Errorf("ReadFrom 5 bytes 3 before the page = %d, %v; want 3, ErrReadOnly", n, err)
			}
			copy(want[page-3:], "123")
			if r.Tell() != int64(page) {
				t.Errorf("ReadFrom left the cursor at %d; want %d", r.Tell(), page)
			}
			r.Seek(int64(page-3), io.SeekStart)
			if n, err := r.ReadFrom(strings.NewReader("abc")); n != 3 || err != nil {
				t.Errorf("ReadFrom of 3 bytes up to the page = %d, %v; want 3, nil", n, err)
			}
			copy(want[page-3:], "abc")

			// Inside Guard a write faults, and the process survives.
			err = r.Guard(func(b []byte) error {
				b[page+20] = 'g'
				return nil
			})
			if !errors.Is(err, mmap.ErrFault) {
				t.Errorf("Guard writing to the read-only page: %v; want ErrFault", err)
			}
			if err := r.Guard(func(b []byte) error { b[0] = 'G'; return nil }); err != nil {
				t.Errorf("Guard writing elsewhere: %v", err)
			}
			want[0] = 'G'
			if r.Err() != nil {
				t.Errorf("Err() = %v after Guard's fault: Guard has an error result of its own", r.Err())
			}
			// Reads are unaffected.
			buf := make([]byte, 10)
			if _, err := r.ReadAt(buf, int64(page)); err != nil || !bytes.Equal(buf, want[page:page+10]) {
				t.Errorf("ReadAt of the read-only page: %q, %v", buf, err)
			}
			if !bytes.Equal(r.Bytes(), want) {
				t.Fatalf("region differs from the model")
			}

			// Writable again.
			if err := r.Protect(mmap.PROT_READ|mmap.PROT_WRITE, page, page); err != nil {
				t.Fatalf("Protect(PROT_READ|PROT_WRITE): %v", err)
			}
			if _, err := r.WriteAt([]byte("again"), int64(page+10)); err != nil {
				t.Errorf("WriteAt after making the page writable again: %v", err)
			}
			copy(want[page+10:], "again")
			if err := r.Guard(func(b []byte) error { b[page+20] = 'g'; return nil }); err != nil {
				t.Errorf("Guard after making the page writable again: %v", err)
			}
			want[page+20] = 'g'
			if !bytes.Equal(r.Bytes(), want) {
				t.Fatalf("region differs from the model")
			}
			if access != mmap.AccessCopy {
				r.Flush()
				if got, _ := os.ReadFile(name); !bytes.Equal(got, want) {
					t.Errorf("the file differs from the model")
				}
			}
		})
	}
}

// TestProtectRanges protects and unprotects overlapping ranges and checks, page by page, that
// exactly the pages last made read-only refuse a write.
func TestProtectRanges(t *testing.T) {
	if emulated() {
		t.Skip("emulated regions have no page protection")
	}
	page := mmap.PageSize
	const pages = 10
	r, err := mmap.Anonymous(pages*page, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var model [pages]bool // read-only
	steps := []struct {
		readOnly bool
		off, n   int // in bytes
	}{
		{true, 2 * page, 3 * page},        // 2,3,4
		{true, 6*page + 1, 1},             // 6
		{true, 4*page + 5, 2 * page},      // 4,5,6 (merges)
		{false, 3 * page, 1},              // 3 writable: splits
		{true, 0, page},                   // 0
		{false, 5*page - 1, page + 2},     // 4,5,6 writable
		{true, 9 * page, page},            // the last page
		{false, 0, pages * page},          // none
		{true, 1, pages*page - 2},         // all
		{false, 3 * page, 4 * page},       // 3..6 writable
		{true, 4*page + page/2, page / 2}, // 4
	}
	for i, s := range steps {
		prot := mmap.PROT_READ | mmap.PROT_WRITE
		if s.readOnly {
			prot = mmap.PROT_READ
		}
		if err := r.Protect(prot, s.off, s.n); err != nil {
			t.Fatalf("step %d: Protect(%#x, %d, %d): %v", i, prot, s.off, s.n, err)
		}
		for p := s.off / page; p < (s.off+s.n+page-1)/page; p++ {
			model[p] = s.readOnly
		}
		for p := range model {
			_, err := r.WriteAt([]byte{byte(i)}, int64(p*page+p))
			if model[p] != errors.Is(err, mmap.ErrReadOnly) || !model[p] && err != nil {
				t.Fatalf("step %d: WriteAt on page %d: %v; read-only: %v", i, p, err, model[p])
			}
			gerr := r.Guard(func(b []byte) error { b[p*page+p] = byte(i); return nil })
			if model[p] != errors.Is(gerr, mmap.ErrFault) || !model[p] && gerr != nil {
				t.Fatalf("step %d: Guard write on page %d: %v; read-only: %v", i, p, gerr, model[p])
			}
		}
	}
	// Resize gives the whole region its protection back.
	if err := r.Resize((pages + 2) * page); err != nil {
		t.Fatalf("Resize after Protect: %v", err)
	}
	for p := range pages + 2 {
		if _, err := r.WriteAt([]byte{1}, int64(p*page)); err != nil {
			t.Errorf("WriteAt on page %d after Resize: %v", p, err)
		}
	}
}

// TestProtectReadOnlyRegion: a read-only region takes PROT_READ (nothing changes) but cannot be
// made writable, and its writes stay ErrReadOnly without any mention of Protect.
func TestProtectReadOnlyRegion(t *testing.T) {
	r, _ := mapFile(t, bytes.Repeat([]byte{'r'}, 2*mmap.PageSize), mmap.AccessRead)
	err := r.Protect(mmap.PROT_READ, 0, 1)
	if emulated() {
		if !errors.Is(err, errors.ErrUnsupported) {
			t.Fatalf("Protect on an emulated region: %v; want errors.ErrUnsupported", err)
		}
	} else if err != nil {
		t.Fatalf("Protect(PROT_READ) on AccessRead: %v", err)
	}
	if err := r.Protect(mmap.PROT_READ|mmap.PROT_WRITE, 0, 1); !errors.Is(err, mmap.ErrReadOnly) {
		t.Fatalf("Protect(PROT_READ|PROT_WRITE) on AccessRead: %v; want ErrReadOnly", err)
	}
	if _, err := r.WriteAt([]byte{1}, 5000); !errors.Is(err, mmap.ErrReadOnly) || strings.Contains(err.Error(), "Protect") {
		t.Fatalf("WriteAt on AccessRead: %v; want the plain ErrReadOnly", err)
	}
}

// TestLockUnlock locks and unlocks ranges of every kind of region; where the OS can count, the
// locked pages are resident.
func TestLockUnlock(t *testing.T) {
	if emulated() {
		t.Skip("emulated regions cannot be locked")
	}
	page := mmap.PageSize
	for _, access := range []mmap.Access{mmap.AccessWrite, mmap.AccessRead, mmap.AccessCopy} {
		t.Run(access.String(), func(t *testing.T) {
			r, _ := mapFile(t, bytes.Repeat([]byte{'l'}, 8*page), access)
			if err := r.Lock(page, 3*page); err != nil {
				t.Fatalf("Lock(%d, %d): %v", page, 3*page, err)
			}
			n, err := r.Resident(page, 3*page)
			switch {
			case errors.Is(err, errors.ErrUnsupported):
			case err != nil:
				t.Errorf("Resident: %v", err)
			case n != 3:
				t.Errorf("Resident(%d, %d) = %d after Lock; want 3", page, 3*page, n)
			}
			if err := r.Unlock(page, 3*page); err != nil {
				t.Errorf("Unlock: %v", err)
			}
			if err := r.Unlock(); err != nil {
				t.Errorf("Unlock of pages never locked: %v", err)
			}
			// Locks end with Close.
			if err := r.Lock(); err != nil {
				t.Fatalf("Lock(): %v", err)
			}
			if err := r.Close(); err != nil {
				t.Errorf("Close of a locked region: %v", err)
			}
		})
	}
}

// FuzzProtect runs a list of operations on a Region and on a model (its bytes, its cursor and one
// read-only flag per page): Protect, WriteAt, Move, ReadFrom, a write inside Guard and Resize. Each
// must return what the model says (nil, ErrReadOnly, ErrOutOfRange or ErrFault, and the count),
// and the region must hold the model's bytes after each.
func FuzzProtect(f *testing.F) {
	if emulated() {
		f.Skip("emulated regions have no page protection")
	}
	f.Add(uint8(3), []byte{0, 100, 10, 0, 2, 90, 40, 0, 5, 120, 0, 0, 1, 0, 255, 0, 2, 90, 40, 0})
	f.Add(uint8(5), []byte{0, 0, 255, 1, 3, 10, 200, 9, 4, 40, 60, 0, 6, 2, 0, 0, 2, 255, 200, 0})
	f.Add(uint8(1), []byte{0, 10, 1, 0, 4, 0, 255, 3, 5, 128, 0, 0, 1, 10, 1, 0, 4, 0, 255, 3})
	f.Add(uint8(6), []byte{0, 50, 60, 1, 0, 200, 10, 0, 1, 120, 20, 0, 3, 40, 180, 77, 6, 1, 0, 0, 3, 180, 40, 77})
	page := mmap.PageSize
	f.Fuzz(func(t *testing.T, pages uint8, ops []byte) {
		pages = 1 + pages%6
		if len(ops) > 4*64 {
			ops = ops[:4*64]
		}
		r, err := mmap.Anonymous(int(pages)*page, &mmap.Options{Flags: mmap.MAP_PRIVATE})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		data := make([]byte, int(pages)*page)
		readOnly := make([]bool, pages)
		// at maps a byte of the op list to an offset up to a page past the end.
		at := func(v byte) int { return int(v) * (len(data) + page) / 256 }
		size := func(v byte) int { return int(v) * 2 * page / 256 }
		// blockedAt returns the first read-only byte in [off, min(off+n, len)), or -1.
		blockedAt := func(off, n int) int {
			for i := off; i < min(off+n, len(data)); i++ {
				if readOnly[i/page] {
					return i
				}
			}
			return -1
		}
		for i := 0; i+4 <= len(ops); i += 4 {
			kind, a, b, c := ops[i]%7, ops[i+1], ops[i+2], ops[i+3]
			var call string
			var err, want error
			var n, wantN int
			switch kind {
			case 0, 1: // Protect read-only or writable
				off, sz := at(a), size(b)
				prot := mmap.PROT_READ
				if kind == 1 {
					prot |= mmap.PROT_WRITE
				}
				call = fmt.Sprintf("Protect(%#x, %d, %d)", prot, off, sz)
				err = r.Protect(prot, off, sz)
				if off > len(data) || sz > len(data)-off {
					want = mmap.ErrOutOfRange
				} else if sz > 0 {
					for p := off / page; p <= (off+sz-1)/page; p++ {
						readOnly[p] = kind == 0
					}
				}
			case 2: // WriteAt
				off, sz := at(a), size(b)
				call = fmt.Sprintf("WriteAt(%d bytes, %d)", sz, off)
				p := bytes.Repeat([]byte{c}, sz)
				n, err = r.WriteAt(p, int64(off))
				switch {
				case off > len(data):
					want = mmap.ErrOutOfRange
				case blockedAt(off, sz) >= 0:
					want = mmap.ErrReadOnly
				case sz > len(data)-off:
					want = mmap.ErrOutOfRange
				default:
					wantN = copy(data[off:], p)
				}
			case 3: // Move
				dst, src, count := at(a), at(b), int(c)*page/64
				call = fmt.Sprintf("Move(%d, %d, %d)", dst, src, count)
				err = r.Move(dst, src, count)
				switch {
				case count > 0 && blockedAt(dst, count) >= 0:
					want = mmap.ErrReadOnly
				case dst > len(data)-count || src > len(data)-count:
					want = mmap.ErrOutOfRange
				default:
					copy(data[dst:dst+count], data[src:src+count])
				}
			case 4: // ReadFrom at a seek position
				pos := min(at(a), len(data))
				sz := size(b)
				call = fmt.Sprintf("ReadFrom(%d bytes) at %d", sz, pos)
				if _, err := r.Seek(int64(pos), io.SeekStart); err != nil {
					t.Fatal(err)
				}
				var n64 int64
				n64, err = r.ReadFrom(bytes.NewReader(bytes.Repeat([]byte{c}, sz)))
				n = int(n64)
				end := len(data)
				if blk := blockedAt(pos, len(data)); blk >= 0 {
					end = blk
				}
				wantN = min(sz, end-pos)
				copy(data[pos:pos+wantN], bytes.Repeat([]byte{c}, wantN))
				switch {
				case sz <= end-pos:
				case end < len(data):
					want = mmap.ErrReadOnly
				default:
					want = mmap.ErrOutOfRange
				}
				if got := int(r.Tell()); got != pos+wantN {
					t.Fatalf("op %d, %s: cursor %d; want %d", i/4, call, got, pos+wantN)
				}
			case 5: // a write inside Guard
				off := at(a) % len(data)
				call = fmt.Sprintf("Guard(write at %d)", off)
				err = r.Guard(func(b []byte) error { b[off] = c; return nil })
				if readOnly[off/page] {
					want = mmap.ErrFault
				} else {
					data[off] = c
				}
			case 6: // Resize: the protection starts afresh
				np := 1 + int(a)%6
				call = fmt.Sprintf("Resize(%d pages)", np)
				err = r.Resize(np * page)
				data = append(data, make([]byte, max(0, np*page-len(data)))...)[:np*page]
				readOnly = make([]bool, np)
			}
			switch {
			case want == nil && err != nil:
				t.Fatalf("op %d, %s: %v; want no error", i/4, call, err)
			case want != nil && !errors.Is(err, want):
				t.Fatalf("op %d, %s: %v; want %v", i/4, call, err, want)
			case n != wantN:
				t.Fatalf("op %d, %s: count %d; want %d", i/4, call, n, wantN)
			}
			if !bytes.Equal(r.Bytes(), data) {
				t.Fatalf("op %d, %s: the region differs from the model", i/4, call)
			}
		}
	})
}

// BenchmarkWriteAtProtected measures what Protect's bookkeeping costs a small WriteAt: on a
// region where nothing was protected (the fast path: one nil check), and on one where 64 ranges
// elsewhere were made read-only (a binary search per write), against a copy into ordinary memory.
func BenchmarkWriteAtProtected(b *testing.B) {
	if emulated() {
		b.Skip("emulated regions have no page protection")
	}
	page := mmap.PageSize
	const pages = 256
	p := make([]byte, 64)
	run := func(b *testing.B, protected int) {
		r, err := mmap.Anonymous(pages*page, &mmap.Options{Flags: mmap.MAP_PRIVATE})
		if err != nil {
			b.Fatal(err)
		}
		defer r.Close()
		for i := range protected {
			if err := r.Protect(mmap.PROT_READ, (2*i+1)*page, page); err != nil {
				b.Fatal(err)
			}
		}
		b.SetBytes(int64(len(p)))
		off := int64(2 * page * (pages / 4)) // an even page: writable
		for b.Loop() {
			if _, err := r.WriteAt(p, off); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("limit=copy", func(b *testing.B) {
		dst := make([]byte, pages*page)
		b.SetBytes(int64(len(p)))
		for b.Loop() {
			copy(dst[2*page*(pages/4):], p)
		}
	})
	b.Run("unprotected", func(b *testing.B) { run(b, 0) })
	b.Run("64-ranges-protected", func(b *testing.B) { run(b, 64) })
}
