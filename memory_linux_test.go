package mmap_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/mmapio/mmap"
	"golang.org/x/sys/unix"
)

// vma is one entry of /proc/self/smaps: its header line and its "Key: value" fields.
type vma struct {
	lo, hi uintptr
	header string
	fields map[string]string
}

// smapsAt returns the /proc/self/smaps entry that holds addr.
func smapsAt(t testing.TB, addr uintptr) vma {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	var cur *vma
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if lo, hi, ok := vmaRange(line); ok {
			if cur != nil {
				break
			}
			if addr >= lo && addr < hi {
				cur = &vma{lo: lo, hi: hi, header: line, fields: map[string]string{}}
			}
			continue
		}
		if cur != nil {
			if k, v, ok := strings.Cut(line, ":"); ok {
				cur.fields[k] = strings.TrimSpace(v)
			}
		}
	}
	if cur == nil {
		t.Fatalf("no mapping in /proc/self/smaps holds %#x", addr)
	}
	return *cur
}

// vmaRange parses the "lo-hi" at the start of a header line of /proc/self/smaps.
func vmaRange(line string) (lo, hi uintptr, ok bool) {
	r, _, found := strings.Cut(line, " ")
	a, b, found2 := strings.Cut(r, "-")
	if !found || !found2 {
		return 0, 0, false
	}
	l, err1 := strconv.ParseUint(a, 16, 64)
	h, err2 := strconv.ParseUint(b, 16, 64)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return uintptr(l), uintptr(h), true
}

// kB parses a smaps size field such as "16 kB".
func (v vma) kB(t testing.TB, key string) int {
	t.Helper()
	s, ok := v.fields[key]
	if !ok {
		t.Skipf("/proc/self/smaps has no %s field", key)
	}
	n, err := strconv.Atoi(strings.TrimSuffix(s, " kB"))
	if err != nil {
		t.Fatalf("%s: %q", key, s)
	}
	return n
}

func addrOf(r *mmap.Region, off int) uintptr {
	return uintptr(unsafe.Pointer(unsafe.SliceData(r.Bytes()))) + uintptr(off)
}

// The msync flags are Linux's own.
func TestMsyncFlags(t *testing.T) {
	if mmap.MS_SYNC != unix.MS_SYNC || mmap.MS_ASYNC != unix.MS_ASYNC || mmap.MS_INVALIDATE != unix.MS_INVALIDATE {
		t.Errorf("MS_SYNC, MS_ASYNC, MS_INVALIDATE = %#x, %#x, %#x; want Linux's %#x, %#x, %#x",
			mmap.MS_SYNC, mmap.MS_ASYNC, mmap.MS_INVALIDATE, unix.MS_SYNC, unix.MS_ASYNC, unix.MS_INVALIDATE)
	}
}

// TestSetNameProcMaps names anonymous memory and reads the name back from /proc/self/smaps,
// through a Resize that moves the mapping, and removes it.
func TestSetNameProcMaps(t *testing.T) {
	page := mmap.PageSize
	for _, tt := range []struct {
		flags int
		shown string
	}{
		{mmap.MAP_PRIVATE, "[anon:%s]"},
		{mmap.MAP_SHARED, "[anon_shmem:%s]"},
	} {
		t.Run(fmt.Sprintf("flags %#x", tt.flags), func(t *testing.T) {
			r, err := mmap.Anonymous(4*page, &mmap.Options{Flags: tt.flags})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			name := fmt.Sprintf("mmap-test %d: a name (with spaces)", tt.flags)
			err = r.SetName(name)
			switch config := kernelConfig(t, "CONFIG_ANON_VMA_NAME"); {
			case config == "n" && !errors.Is(err, errors.ErrUnsupported):
				t.Fatalf("SetName on a kernel without CONFIG_ANON_VMA_NAME: %v; want errors.ErrUnsupported", err)
			case config == "y" && err != nil && !(tt.flags == mmap.MAP_SHARED && errors.Is(err, errors.ErrUnsupported)):
				t.Fatalf("SetName on a kernel with CONFIG_ANON_VMA_NAME: %v", err)
			case errors.Is(err, errors.ErrUnsupported):
				if !strings.Contains(err.Error(), "CONFIG_ANON_VMA_NAME") || strings.Count(err.Error(), "unsupported") != 1 {
					t.Errorf("error %q: want one mention of unsupported, and the kernel option", err)
				}
				t.Skipf("this kernel cannot name %#x anonymous memory: %v", tt.flags, err)
			case err != nil:
				t.Fatal(err)
			}
			want := fmt.Sprintf(tt.shown, name)
			for _, off := range []int{0, 4*page - 1} {
				if v := smapsAt(t, addrOf(r, off)); !strings.HasSuffix(v.header, want) {
					t.Fatalf("smaps at offset %d: %q; want it to end with %q", off, v.header, want)
				}
			}
			// Resize moves the mapping (a shared one is mapped afresh): the name follows.
			if err := r.Resize(64 * page); err != nil {
				t.Fatal(err)
			}
			for _, off := range []int{0, 64*page - 1} {
				if v := smapsAt(t, addrOf(r, off)); !strings.HasSuffix(v.header, want) {
					t.Fatalf("after Resize, smaps at offset %d: %q; want it to end with %q", off, v.header, want)
				}
			}
			if err := r.SetName(""); err != nil {
				t.Fatalf(`SetName(""): %v`, err)
			}
			if v := smapsAt(t, addrOf(r, 0)); strings.Contains(v.header, "anon") {
				t.Fatalf(`after SetName(""), smaps: %q`, v.header)
			}
		})
	}
	t.Run("empty, then Resize", func(t *testing.T) {
		r, err := mmap.Anonymous(0, &mmap.Options{Flags: mmap.MAP_PRIVATE})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if err := r.SetName("later"); err != nil {
			t.Fatal(err)
		}
		if err := r.Resize(page); errors.Is(err, errors.ErrUnsupported) {
			t.Skip(err)
		} else if err != nil {
			t.Fatal(err)
		}
		if v := smapsAt(t, addrOf(r, 0)); !strings.HasSuffix(v.header, "[anon:later]") && haveAnonNames(t) {
			t.Fatalf("smaps: %q; want [anon:later]", v.header)
		}
	})
}

// kernelConfig returns "y" or "n" for a boolean option of the running kernel's configuration, from
// /proc/config.gz, or "" where that cannot be read.
func kernelConfig(t *testing.T, option string) string {
	f, err := os.Open("/proc/config.gz")
	if err != nil {
		return ""
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return ""
	}
	sc := bufio.NewScanner(z)
	for sc.Scan() {
		switch sc.Text() {
		case option + "=y":
			return "y"
		case "# " + option + " is not set":
			return "n"
		}
	}
	return ""
}

// haveAnonNames reports whether this kernel names anonymous memory.
func haveAnonNames(t *testing.T) bool {
	r, err := mmap.Anonymous(mmap.PageSize, &mmap.Options{Flags: mmap.MAP_PRIVATE})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	return r.SetName("probe") == nil
}

// TestLockSmaps locks a range and reads the locked amount back from /proc/self/smaps.
func TestLockSmaps(t *testing.T) {
	page := mmap.PageSize
	r, _ := mapFile(t, bytes.Repeat([]byte{'L'}, 16*page), mmap.AccessRead)
	// mlock splits the mapping: the locked pages become an entry of their own.
	if err := r.Lock(4*page+1, 3*page); err != nil { // pages 4 to 7
		t.Fatal(err)
	}
	v := smapsAt(t, addrOf(r, 4*page))
	if got, want := v.kB(t, "Locked"), 4*page/1024; got != want {
		t.Errorf("Locked: %d kB after Lock of 4 pages; want %d\n%s", got, want, v.header)
	}
	if v := smapsAt(t, addrOf(r, 0)); v.kB(t, "Locked") != 0 {
		t.Errorf("Locked: %d kB in the pages before the range", v.kB(t, "Locked"))
	}
	if err := r.Unlock(); err != nil {
		t.Fatal(err)
	}
	if v := smapsAt(t, addrOf(r, 4*page)); v.kB(t, "Locked") != 0 {
		t.Errorf("Locked: %d kB after Unlock", v.kB(t, "Locked"))
	}
}

// TestLockLimit hits RLIMIT_MEMLOCK: the error matches ErrInvalid and the OS's ENOMEM, and names
// the limit with its value. The test runs on a thread of its own that gives up CAP_IPC_LOCK
// (capabilities belong to threads on Linux; the thread ends with the test's goroutine), with the
// process's soft limit lowered for the duration.
func TestLockLimit(t *testing.T) {
	page := mmap.PageSize
	r, err := mmap.Anonymous(64*page, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var lim unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_MEMLOCK, &lim); err != nil {
		t.Fatal(err)
	}
	low := lim
	low.Cur = uint64(8 * page)
	if low.Max < low.Cur {
		low.Cur = low.Max
	}
	if err := unix.Setrlimit(unix.RLIMIT_MEMLOCK, &low); err != nil {
		t.Skip("lowering RLIMIT_MEMLOCK:", err)
	}
	defer unix.Setrlimit(unix.RLIMIT_MEMLOCK, &lim)

	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread goes away with this goroutine
		done <- func() error {
			hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
			var data [2]unix.CapUserData
			if err := unix.Capget(&hdr, &data[0]); err != nil {
				return fmt.Errorf("capget: %w", err)
			}
			data[unix.CAP_IPC_LOCK/32].Effective &^= 1 << (unix.CAP_IPC_LOCK % 32)
			if err := unix.Capset(&hdr, &data[0]); err != nil {
				return fmt.Errorf("capset: %w", err)
			}
			err := r.Lock(0, 32*page)
			switch {
			case err == nil:
				return errors.New("Lock of 32 pages under a limit of 8: no error")
			case !errors.Is(err, mmap.ErrInvalid) || !errors.Is(err, syscall.ENOMEM):
				return fmt.Errorf("Lock past RLIMIT_MEMLOCK: %v; want ErrInvalid and ENOMEM", err)
			case !strings.Contains(err.Error(), "RLIMIT_MEMLOCK") || !strings.Contains(err.Error(), strconv.FormatUint(low.Cur, 10)):
				return fmt.Errorf("Lock past RLIMIT_MEMLOCK: %q does not name the limit and its value %d", err, low.Cur)
			case !strings.Contains(err.Error(), "Region.Lock(offset=0, size="+strconv.Itoa(32*page)+")"):
				return fmt.Errorf("Lock past RLIMIT_MEMLOCK: %q does not name the call", err)
			}
			if err := r.Lock(0, 2*page); err != nil {
				return fmt.Errorf("Lock of 2 pages under a limit of 8: %v", err)
			}
			return r.Unlock()
		}()
	}()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// dropCache writes data to a new file and drops its pages from the page cache
// (POSIX_FADV_DONTNEED after fsync; the pages must be clean and unmapped). It skips the test if
// the kernel keeps them.
func dropCache(t testing.TB, name string) {
	t.Helper()
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
		t.Skip("posix_fadvise(POSIX_FADV_DONTNEED):", err)
	}
}

// coldRegion maps a file of the given pages that is not in the page cache, with MADV_RANDOM so
// that a fault reads no more than its own page.
func coldRegion(t testing.TB, pages int) *mmap.Region {
	t.Helper()
	name := writeFile(t, randomBytes(pages*mmap.PageSize, 7))
	dropCache(t, name)
	r, err := mmap.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	if err := r.Madvise(mmap.MADV_RANDOM); err != nil {
		t.Fatal(err)
	}
	if n, err := r.Resident(); err != nil || n != 0 {
		t.Skipf("the file's pages stay in the page cache after POSIX_FADV_DONTNEED: Resident() = %d, %v", n, err)
	}
	return r
}

// TestPrefetchResident: on a file out of the page cache, Prefetch of a range brings exactly its
// pages in, as mincore (Resident) sees it.
func TestPrefetchResident(t *testing.T) {
	page := mmap.PageSize
	const pages = 64
	r := coldRegion(t, pages)
	if err := r.Prefetch(10*page+100, 8*page); err != nil { // pages 10 to 18
		t.Fatal(err)
	}
	if n, err := r.Resident(10*page, 9*page); err != nil || n != 9 {
		t.Errorf("Resident of the prefetched pages = %d, %v; want 9", n, err)
	}
	if n, err := r.Resident(); err != nil || n < 9 {
		t.Errorf("Resident() = %d, %v; want at least 9", n, err)
	} else if n > 9 && !wouldReadAhead() {
		t.Errorf("Resident() = %d: Prefetch brought in pages outside its range", n)
	}
	if n, err := r.Resident(0, 10*page); err != nil || n != 0 && !wouldReadAhead() {
		t.Errorf("Resident of the pages before the range = %d, %v; want 0", n, err)
	}
	if err := r.Prefetch(); err != nil {
		t.Fatal(err)
	}
	if n, err := r.Resident(); err != nil || n != pages {
		t.Errorf("Resident() after Prefetch() = %d, %v; want %d", n, err, pages)
	}
	// Pages counted are those that hold the range, in part or whole.
	if n, err := r.Resident(page-1, 2); err != nil || n != 2 {
		t.Errorf("Resident(%d, 2) = %d, %v; want 2", page-1, n, err)
	}
}

// wouldReadAhead reports whether Prefetch on this kernel falls back to MADV_WILLNEED (Linux before
// 5.14), which may read around the range.
func wouldReadAhead() bool {
	var u unix.Utsname
	if unix.Uname(&u) != nil {
		return true
	}
	var major, minor int
	fmt.Sscanf(unix.ByteSliceToString(u.Release[:]), "%d.%d", &major, &minor)
	return major < 5 || major == 5 && minor < 14
}

// TestPrefetchAnonymous: anonymous memory is not resident until touched, and Prefetch of a
// writable region allocates it (MADV_POPULATE_WRITE).
func TestPrefetchAnonymous(t *testing.T) {
	if wouldReadAhead() {
		t.Skip("Linux before 5.14 has no MADV_POPULATE_WRITE")
	}
	page := mmap.PageSize
	for _, flags := range []int{mmap.MAP_PRIVATE, mmap.MAP_SHARED} {
		r, err := mmap.Anonymous(32*page, &mmap.Options{Flags: flags})
		if err != nil {
			t.Fatal(err)
		}
		if n, err := r.Resident(); err != nil || n != 0 {
			t.Errorf("flags %#x: Resident() of fresh memory = %d, %v; want 0", flags, n, err)
		}
		if err := r.Prefetch(0, 16*page); err != nil {
			t.Fatal(err)
		}
		if n, err := r.Resident(); err != nil || n != 16 {
			t.Errorf("flags %#x: Resident() after Prefetch of 16 pages = %d, %v; want 16", flags, n, err)
		}
		if !bytes.Equal(r.Bytes(), make([]byte, 32*page)) {
			t.Errorf("flags %#x: Prefetch changed the memory", flags)
		}
		r.Close()
	}
}

// TestPrefetchTruncated: with MADV_POPULATE_READ, pages the file no longer backs are an error
// matching ErrFault from Prefetch, and the process survives; the pages still backed prefetch.
func TestPrefetchTruncated(t *testing.T) {
	if wouldReadAhead() {
		t.Skip("Linux before 5.14 has no MADV_POPULATE_READ: Prefetch only advises")
	}
	page := mmap.PageSize
	r, name := mapFile(t, bytes.Repeat([]byte{'t'}, 8*page), mmap.AccessWrite)
	if err := os.Truncate(name, int64(2*page)); err != nil {
		t.Fatal(err)
	}
	err := r.Prefetch()
	if !errors.Is(err, mmap.ErrFault) || !errors.Is(err, syscall.EFAULT) {
		t.Fatalf("Prefetch of a truncated file: %v; want ErrFault (EFAULT)", err)
	}
	if !strings.Contains(err.Error(), "Region.Prefetch()") || !strings.Contains(err.Error(), "truncated") {
		t.Errorf("error %q does not name the call and the likely cause", err)
	}
	if err := r.Prefetch(0, 2*page); err != nil {
		t.Errorf("Prefetch of the pages still backed: %v", err)
	}
	if err := r.Prefetch(3*page, 1); !errors.Is(err, mmap.ErrFault) {
		t.Errorf("Prefetch(%d, 1): %v; want ErrFault", 3*page, err)
	}
	if _, err := r.ReadAt(make([]byte, 1), int64(5*page)); !errors.Is(err, mmap.ErrFault) {
		t.Errorf("ReadAt past the new end: %v; want ErrFault", err)
	}
}

// TestProtectProcMaps checks the permissions the kernel shows for protected pages.
func TestProtectProcMaps(t *testing.T) {
	page := mmap.PageSize
	r, _ := mapFile(t, bytes.Repeat([]byte{'p'}, 4*page), mmap.AccessWrite)
	perms := func(off int) string {
		return strings.Fields(smapsAt(t, addrOf(r, off)).header)[1]
	}
	if err := r.Protect(mmap.PROT_READ, page, 2*page); err != nil {
		t.Fatal(err)
	}
	for off, want := range map[int]string{0: "rw-s", page: "r--s", 3*page - 1: "r--s", 3 * page: "rw-s"} {
		if got := perms(off); got != want {
			t.Errorf("permissions at offset %d: %s; want %s", off, got, want)
		}
	}
	if err := r.Protect(mmap.PROT_READ|mmap.PROT_WRITE|mmap.PROT_EXEC, 2*page, 1); err != nil {
		t.Skip("PROT_EXEC:", err) // a noexec mount
	}
	if got := perms(2 * page); got != "rwxs" {
		t.Errorf("permissions after PROT_READ|PROT_WRITE|PROT_EXEC: %s; want rwxs", got)
	}
	if err := r.Resize(5 * page); err != nil {
		t.Fatal(err)
	}
	for _, off := range []int{0, page, 2 * page, 5*page - 1} {
		if got := perms(off); got != "rw-s" {
			t.Errorf("permissions at offset %d after Resize: %s; want rw-s", off, got)
		}
	}
}

// BenchmarkPrefetch measures random 4 KiB reads of a file that is not in the page cache, as
// page faults one by one ("cold") against Prefetch of the whole file first ("prefetch"; its time
// is included). Each pass drops the file from the page cache before it starts. "ratio" runs one
// pass of each per iteration, alternately, and reports prefetch-ns and cold-ns per pass and their
// ratio (prefetch/cold, lower is better), which a busy machine disturbs less than two separate
// runs.
func BenchmarkPrefetch(b *testing.B) {
	const size = 64 << 20
	const reads = 2048
	name := writeFile(b, randomBytes(size, 3))
	offsets := make([]int64, reads)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range offsets {
		offsets[i] = rng.Int64N(size/4096) * 4096
	}
	buf := make([]byte, 4096)
	// cold drops the file from the page cache and maps it.
	cold := func(b *testing.B) *mmap.Region {
		dropCache(b, name)
		r, err := mmap.Open(name)
		if err != nil {
			b.Fatal(err)
		}
		if n, err := r.Resident(); err != nil || n != 0 {
			b.Fatalf("the file stays in the page cache: Resident() = %d, %v", n, err)
		}
		return r
	}
	// pass is what is timed: Prefetch, if asked, and the reads.
	pass := func(b *testing.B, r *mmap.Region, prefetch bool) {
		if prefetch {
			if err := r.Prefetch(); err != nil {
				b.Fatal(err)
			}
		}
		for _, off := range offsets {
			if _, err := r.ReadAt(buf, off); err != nil {
				b.Fatal(err)
			}
		}
	}
	for _, mode := range []string{"cold", "prefetch"} {
		b.Run(mode, func(b *testing.B) {
			b.SetBytes(reads * 4096)
			for b.Loop() {
				b.StopTimer()
				r := cold(b)
				b.StartTimer()
				pass(b, r, mode == "prefetch")
				b.StopTimer()
				r.Close()
				b.StartTimer()
			}
		})
	}
	b.Run("ratio", func(b *testing.B) {
		var times [2]time.Duration // cold, prefetch
		for b.Loop() {
			for i, prefetch := range []bool{false, true} {
				r := cold(b)
				start := time.Now()
				pass(b, r, prefetch)
				times[i] += time.Since(start)
				r.Close()
			}
		}
		b.ReportMetric(float64(times[0].Nanoseconds())/float64(b.N), "cold-ns/pass")
		b.ReportMetric(float64(times[1].Nanoseconds())/float64(b.N), "prefetch-ns/pass")
		b.ReportMetric(float64(times[1])/float64(times[0]), "prefetch/cold")
	})
}
