package mmap_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/mmapio/mmap"
)

// OpenFileMappingW is not in x/sys/windows.
var procOpenFileMapping = windows.NewLazySystemDLL("kernel32.dll").NewProc("OpenFileMappingW")

// mappingExists reports whether a file-mapping object of the given name exists, by opening it.
func mappingExists(t *testing.T, name string) bool {
	t.Helper()
	p, err := windows.UTF16PtrFromString(name)
	if err != nil {
		t.Fatal(err)
	}
	h, _, err := procOpenFileMapping.Call(windows.FILE_MAP_READ, 0, uintptr(unsafe.Pointer(p)))
	if h == 0 {
		if !errors.Is(err, windows.ERROR_FILE_NOT_FOUND) {
			t.Fatalf("OpenFileMapping(%q): %v", name, err)
		}
		return false
	}
	windows.CloseHandle(windows.Handle(h))
	return true
}

// tagName returns a mapping name no other test (or earlier run) uses.
func tagName(t *testing.T) string {
	return fmt.Sprintf("mmap-test-%s-%d-%d", t.Name(), os.Getpid(), time.Now().UnixNano())
}

func TestWindowsGranularity(t *testing.T) {
	if mmap.AllocationGranularity != 64<<10 {
		t.Errorf("AllocationGranularity = %d; want 65536 (GetSystemInfo)", mmap.AllocationGranularity)
	}
	if mmap.PageSize != 4096 {
		t.Errorf("PageSize = %d; want 4096", mmap.PageSize)
	}
}

// MapViewOfFile takes only offsets aligned to 64 KiB; any Offset must still work.
func TestWindowsUnalignedOffset(t *testing.T) {
	data := randomBytes(3<<16, 1)
	name := writeFile(t, data)
	f := openRW(t, name)
	for _, off := range []int64{1, 4095, 4096, 65535, 65536, 65536 + 123, 2<<16 + 4097} {
		r, err := mmap.New(f, 1000, &mmap.Options{Offset: off})
		if err != nil {
			t.Fatalf("New(length=1000, Offset=%d): %v", off, err)
		}
		if !bytes.Equal(r.Bytes(), data[off:off+1000]) {
			t.Errorf("New(Offset=%d).Bytes() differs from the file at that offset", off)
		}
		if _, err := r.WriteAt([]byte("xyz"), 10); err != nil {
			t.Fatalf("WriteAt at Offset=%d: %v", off, err)
		}
		if err := r.Flush(); err != nil {
			t.Fatalf("Flush at Offset=%d: %v", off, err)
		}
		copy(data[off+10:], "xyz")
		r.Close()
		got, _ := os.ReadFile(name)
		if !bytes.Equal(got, data) {
			t.Errorf("after WriteAt through Offset=%d the file is not what was written", off)
		}
	}
}

func TestWindowsAccess(t *testing.T) {
	data := []byte("the quick brown fox jumps over the lazy dog")
	t.Run("Read", func(t *testing.T) {
		r, _ := mapFile(t, data, mmap.AccessRead)
		if _, err := r.WriteAt([]byte("x"), 0); !errors.Is(err, mmap.ErrReadOnly) {
			t.Errorf("WriteAt on AccessRead = %v; want ErrReadOnly", err)
		}
		// The view really is read-only (PAGE_READONLY/FILE_MAP_READ): a write through Bytes is
		// an access violation, which Guard turns into ErrFault.
		err := r.Guard(func(b []byte) error { b[5] = 'X'; return nil })
		if !errors.Is(err, mmap.ErrFault) {
			t.Errorf("Guard(write to an AccessRead view) = %v; want ErrFault", err)
		}
	})
	t.Run("Write", func(t *testing.T) {
		r, name := mapFile(t, data, mmap.AccessWrite)
		if _, err := r.WriteAt([]byte("QUICK"), 4); err != nil {
			t.Fatal(err)
		}
		got, _ := os.ReadFile(name)
		if !bytes.Contains(got, []byte("the QUICK brown")) {
			t.Errorf("after WriteAt through AccessWrite the file holds %q", got)
		}
	})
	t.Run("Copy", func(t *testing.T) {
		r, name := mapFile(t, data, mmap.AccessCopy)
		if _, err := r.WriteAt([]byte("QUICK"), 4); err != nil {
			t.Fatal(err)
		}
		if err := r.Flush(); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(r.Bytes(), []byte("the QUICK")) {
			t.Errorf("AccessCopy region holds %q after WriteAt", r.Bytes())
		}
		got, _ := os.ReadFile(name)
		if !bytes.Equal(got, data) {
			t.Errorf("AccessCopy changed the file: %q", got)
		}
		r2, err := mmap.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer r2.Close()
		if !bytes.Equal(r2.Bytes(), data) {
			t.Errorf("a second mapping sees the copy's change: %q", r2.Bytes())
		}
	})
	t.Run("ReadOnlyFileWithAccessWrite", func(t *testing.T) {
		name := writeFile(t, data)
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
	})
}

// Empty files give empty regions; a length past the end is ErrInvalid and does not grow the file,
// where Python on Windows would extend it.
func TestWindowsEdges(t *testing.T) {
	name := writeFile(t, nil)
	r, err := mmap.OpenFile(name, mmap.AccessWrite)
	if err != nil {
		t.Fatalf("OpenFile(empty file): %v", err)
	}
	if r.Len() != 0 {
		t.Errorf("empty file: Len() = %d", r.Len())
	}
	if err := r.Resize(100); err != nil {
		t.Fatalf("Resize(100) of an empty region: %v", err)
	}
	if fi, _ := os.Stat(name); fi.Size() != 100 {
		t.Errorf("after Resize(100) the file has %d bytes", fi.Size())
	}
	r.Close()

	name = writeFile(t, make([]byte, 10))
	f := openRW(t, name)
	if r, err := mmap.New(f, 11, nil); !errors.Is(err, mmap.ErrInvalid) {
		if r != nil {
			r.Close()
		}
		t.Errorf("New(10-byte file, length 11) = %v; want ErrInvalid", err)
	}
	if fi, _ := os.Stat(name); fi.Size() != 10 {
		t.Errorf("New with a length past the end changed the file's size to %d", fi.Size())
	}
}

func TestWindowsTagNameTwoRegions(t *testing.T) {
	t.Run("Anonymous", func(t *testing.T) {
		tag := tagName(t)
		r1, err := mmap.Anonymous(8192, &mmap.Options{TagName: tag})
		if err != nil {
			t.Fatal(err)
		}
		defer r1.Close()
		r2, err := mmap.Anonymous(8192, &mmap.Options{TagName: tag})
		if err != nil {
			t.Fatalf("second Anonymous with the same TagName: %v", err)
		}
		if _, err := r1.WriteAt([]byte("hello"), 5000); err != nil {
			t.Fatal(err)
		}
		if got := string(r2.Bytes()[5000:5005]); got != "hello" {
			t.Errorf("second region sees %q; want the first's write", got)
		}
		// A third name is a different object.
		r3, err := mmap.Anonymous(8192, &mmap.Options{TagName: tag + "-other"})
		if err != nil {
			t.Fatal(err)
		}
		if r3.Bytes()[5000] != 0 {
			t.Errorf("a region with another name sees the write")
		}
		r3.Close()
		if !mappingExists(t, tag) {
			t.Fatalf("OpenFileMapping(%q) finds nothing while two regions hold it", tag)
		}
		r2.Close()
		r1.Close()
		if mappingExists(t, tag) {
			t.Errorf("the mapping %q outlives both regions' Close", tag)
		}
	})
	t.Run("File", func(t *testing.T) {
		tag := tagName(t)
		data := randomBytes(100000, 2)
		name := writeFile(t, data)
		f := openRW(t, name)
		r1, err := mmap.New(f, 0, &mmap.Options{TagName: tag})
		if err != nil {
			t.Fatal(err)
		}
		defer r1.Close()
		r2, err := mmap.New(f, 1000, &mmap.Options{TagName: tag, Offset: 70000})
		if err != nil {
			t.Fatal(err)
		}
		defer r2.Close()
		if !bytes.Equal(r2.Bytes(), data[70000:71000]) {
			t.Errorf("second region at Offset 70000 of the named mapping differs from the file")
		}
		r1.WriteAt([]byte("shared"), 70010)
		if got := string(r2.Bytes()[10:16]); got != "shared" {
			t.Errorf("second region sees %q; want the first's write", got)
		}
	})
}

// TestWindowsTagNameChild is the child half of TestWindowsTagNameTwoProcesses, which runs this
// test binary again for it: it opens the mapping by name, checks what the parent wrote, and
// answers.
func TestWindowsTagNameChild(t *testing.T) {
	tag := os.Getenv("MMAP_TEST_TAGNAME_CHILD")
	if tag == "" {
		t.Skip("runs only as TestWindowsTagNameTwoProcesses's child process")
	}
	r, err := mmap.Anonymous(4096, &mmap.Options{TagName: tag})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got := string(r.Bytes()[:6]); got != "parent" {
		t.Fatalf("mapping %q holds %q, not the parent's write", tag, got)
	}
	copy(r.Bytes()[100:], "child was here")
}

func TestWindowsTagNameTwoProcesses(t *testing.T) {
	tag := tagName(t)
	r, err := mmap.Anonymous(4096, &mmap.Options{TagName: tag})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	copy(r.Bytes(), "parent")
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestWindowsTagNameChild$", "-test.v")
	cmd.Env = append(os.Environ(), "MMAP_TEST_TAGNAME_CHILD="+tag)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child process: %v\n%s", err, out)
	}
	if got := string(r.Bytes()[100:114]); got != "child was here" {
		t.Errorf("after the child ran the mapping holds %q; want its write", got)
	}
}

func TestWindowsResize(t *testing.T) {
	data := randomBytes(70000, 3)
	name := writeFile(t, data)
	f := openRW(t, name)
	r, err := mmap.New(f, 0, &mmap.Options{Offset: 1000})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f.Close() // the region keeps its own handle
	r.Seek(60000, 0)
	if _, err := r.WriteAt([]byte("keep"), 100); err != nil {
		t.Fatal(err)
	}
	model := append([]byte(nil), data[1000:]...)
	copy(model[100:], "keep")
	check := func(n int) {
		t.Helper()
		if r.Len() != n {
			t.Fatalf("Len() = %d; want %d", r.Len(), n)
		}
		if size, err := r.Size(); err != nil || size != int64(1000+n) {
			t.Fatalf("Size() = %d, %v; want %d", size, err, 1000+n)
		}
		fi, err := os.Stat(name)
		if err != nil || fi.Size() != int64(1000+n) {
			t.Fatalf("the file has %d bytes, %v; want %d", fi.Size(), err, 1000+n)
		}
		// The model: what was kept of the file, then zeros.
		model = append(model[:min(n, len(model))], make([]byte, max(0, n-len(model)))...)
		if !bytes.Equal(r.Bytes(), model) {
			t.Fatalf("contents after Resize(%d) differ", n)
		}
	}
	if err := r.Resize(200000); err != nil {
		t.Fatalf("Resize(200000): %v", err)
	}
	check(200000)
	if r.Tell() != 60000 {
		t.Errorf("Tell() = %d after growing; want 60000", r.Tell())
	}
	if err := r.Resize(5000); err != nil {
		t.Fatalf("Resize(5000): %v", err)
	}
	check(5000)
	if r.Tell() != 5000 {
		t.Errorf("Tell() = %d after shrinking to 5000; want 5000", r.Tell())
	}

	// Another view of the file: Windows cannot cut the file below what that view's mapping
	// object covers. The error says so, and nothing changed.
	other, err := mmap.OpenFile(name, mmap.AccessRead)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	err = r.Resize(3000)
	if !errors.Is(err, mmap.ErrInvalid) || !errors.Is(err, windows.ERROR_USER_MAPPED_FILE) {
		t.Errorf("Resize(3000) with another view open = %v; want ErrInvalid wrapping ERROR_USER_MAPPED_FILE", err)
	}
	check(5000)
	if _, err := r.WriteAt([]byte("live"), 200); err != nil {
		t.Fatalf("WriteAt after the failed Resize: %v", err)
	}
	if got := string(other.Bytes()[1200:1204]); got != "live" {
		t.Errorf("the other view sees %q after the failed Resize; want the write", got)
	}
	copy(model[200:], "live")
	// Growing the file is allowed under another view.
	if err := r.Resize(9000); err != nil {
		t.Fatalf("Resize(9000) with another view open: %v", err)
	}
	check(9000)
	other.Close()
	if err := r.Resize(3000); err != nil {
		t.Fatalf("Resize(3000) once the other view is closed: %v", err)
	}
	check(3000)
	if err := r.Resize(0); err != nil {
		t.Fatalf("Resize(0): %v", err)
	}
	check(0)
}

// A copy-on-write AccessDefault region (MAP_PRIVATE, PROT_WRITE) is resizable; its private
// changes must survive the unmap that Windows needs.
func TestWindowsResizePrivate(t *testing.T) {
	name := writeFile(t, bytes.Repeat([]byte("a"), 5000))
	f := openRW(t, name)
	r, err := mmap.New(f, 0, &mmap.Options{Flags: mmap.MAP_PRIVATE})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	r.WriteAt([]byte("private"), 10)
	if err := r.Resize(100000); err != nil {
		t.Fatalf("Resize(100000): %v", err)
	}
	if got := string(r.Bytes()[10:17]); got != "private" {
		t.Errorf("private change lost by Resize: %q", got)
	}
	if got, _ := os.ReadFile(name); bytes.Contains(got, []byte("private")) || len(got) != 100000 {
		t.Errorf("the file has %d bytes, private change in it: %v", len(got), bytes.Contains(got, []byte("private")))
	}
}

func TestWindowsResizeAnonymous(t *testing.T) {
	r, err := mmap.Anonymous(1000, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	r.WriteAt([]byte("anon"), 996)
	if err := r.Resize(300000); err != nil {
		t.Fatal(err)
	}
	if got := string(r.Bytes()[996:1000]); got != "anon" || r.Bytes()[299999] != 0 {
		t.Errorf("after growing anonymous memory: %q, last byte %d", got, r.Bytes()[299999])
	}

	named, err := mmap.Anonymous(1000, &mmap.Options{TagName: tagName(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer named.Close()
	if err := named.Resize(2000); !errors.Is(err, errors.ErrUnsupported) {
		t.Errorf("Resize of a named anonymous mapping = %v; want ErrUnsupported", err)
	}
	if named.Len() != 1000 {
		t.Errorf("failed Resize changed Len to %d", named.Len())
	}
}

func TestWindowsFlush(t *testing.T) {
	r, name := mapFile(t, randomBytes(200000, 4), mmap.AccessWrite)
	want := append([]byte(nil), r.Bytes()...)
	for _, off := range []int{0, 4095, 70000, 199990} {
		r.WriteAt([]byte("flushed"), int64(off)-int64(max(0, off+7-len(want))))
	}
	copy(want, r.Bytes())
	if err := r.Flush(); err != nil {
		t.Fatalf("Flush(): %v", err)
	}
	if err := r.Flush(70001, 10); err != nil {
		t.Fatalf("Flush(70001, 10): %v", err)
	}
	got, _ := os.ReadFile(name)
	if !bytes.Equal(got, want) {
		t.Errorf("file differs from the region after Flush")
	}
}

func TestWindowsMadvise(t *testing.T) {
	data := randomBytes(100000, 5)
	r, _ := mapFile(t, data, mmap.AccessWrite)
	if err := r.Madvise(mmap.MADV_WILLNEED); err != nil {
		t.Errorf("Madvise(MADV_WILLNEED): %v", err)
	}
	if err := r.Madvise(mmap.MADV_DONTNEED, 4096, 8192); err != nil {
		t.Errorf("Madvise(MADV_DONTNEED): %v", err)
	}
	if !bytes.Equal(r.Bytes(), data) {
		t.Errorf("MADV_DONTNEED lost the contents of a shared file mapping")
	}
	for _, a := range []int{mmap.MADV_RANDOM, mmap.MADV_SEQUENTIAL, mmap.MADV_NORMAL, mmap.MADV_FREE} {
		if err := r.Madvise(a); !errors.Is(err, errors.ErrUnsupported) {
			t.Errorf("Madvise(%d) = %v; want ErrUnsupported", a, err)
		}
	}
}

// An access violation or EXCEPTION_IN_PAGE_ERROR inside the view is reported as ErrFault with the
// offset where it happened; a truncated file cannot cause one on Windows (truncation is refused),
// so a page made inaccessible stands in for the unreachable page.
func TestWindowsFault(t *testing.T) {
	r, _ := mapFile(t, randomBytes(3*4096, 6), mmap.AccessWrite)
	var old uint32
	page := uintptr(unsafe.Pointer(&r.Bytes()[4096]))
	if err := windows.VirtualProtect(page, 4096, windows.PAGE_NOACCESS, &old); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 10)
	_, err := r.ReadAt(buf, 4096+7)
	if !errors.Is(err, mmap.ErrFault) {
		t.Fatalf("ReadAt from an inaccessible page = %v; want ErrFault", err)
	}
	if want := "offset " + strconv.Itoa(4096+7); !bytes.Contains([]byte(err.Error()), []byte(want)) {
		t.Errorf("fault error %q does not name %s", err, want)
	}
	if _ = r.At(4096); !errors.Is(r.Err(), mmap.ErrFault) {
		t.Errorf("Err() after At on an inaccessible page = %v; want ErrFault", r.Err())
	}
	// ReadFile and WriteFile meet the page as ERROR_NOACCESS, not as an exception.
	src := filepath.Join(tempDir(t), "source")
	if err := os.WriteFile(src, randomBytes(3*4096, 7), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := r.Seek(4096+7, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadFrom(f); !errors.Is(err, mmap.ErrFault) || !strings.Contains(err.Error(), "ReadFrom") {
		t.Errorf("ReadFrom a file into an inaccessible page = %v; want ErrFault naming ReadFrom", err)
	}
	out, err := os.Create(filepath.Join(tempDir(t), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	if _, err := r.Seek(4096+7, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	if _, err := r.WriteTo(out); !errors.Is(err, mmap.ErrFault) || !strings.Contains(err.Error(), "WriteTo") {
		t.Errorf("WriteTo a file from an inaccessible page = %v; want ErrFault naming WriteTo", err)
	}
	if _, err := r.ReadAt(buf, 0); err != nil {
		t.Errorf("ReadAt from the accessible first page after the fault: %v", err)
	}
	windows.VirtualProtect(page, 4096, old, &old)
}
