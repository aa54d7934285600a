package mmap_test

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/mmapio/mmap"
)

// majorFaults returns the process's major page faults so far: page faults that waited for the disk.
func majorFaults(t testing.TB) int64 {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return int64(ru.Majflt)
}

// openCold writes data to a new file, drops it from the page cache and maps it with opts.
func openCold(t testing.TB, data []byte, opts *mmap.Options) (*mmap.Region, string) {
	t.Helper()
	name := writeFile(t, data)
	dropCache(t, name)
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := mmap.New(f, 0, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	if n, err := r.Resident(); err != nil || n != 0 {
		t.Skipf("the file's pages stay in the page cache after POSIX_FADV_DONTNEED: Resident() = %d, %v", n, err)
	}
	return r, name
}

// TestColdReads reads a file out of the page cache through a region with Options.ColdReads: every
// byte is right, no read waits in a page fault (the process's major faults stay put, where a
// plain region takes one or more), and the edges (the end, io.EOF, a Read loop, a shrunken file)
// behave as without it.
func TestColdReads(t *testing.T) {
	page := mmap.PageSize
	data := randomBytes(64*page+100, 21)
	r, name := openCold(t, data, &mmap.Options{Access: mmap.AccessWrite, ColdReads: true, Flags: 0})

	before := majorFaults(t)
	p := make([]byte, 3*page)
	for _, off := range []int{5 * page, 20*page + 17, 63 * page, 0} {
		n, err := r.ReadAt(p, int64(off))
		want := data[off:min(len(data), off+len(p))]
		wantErr := error(nil)
		if len(want) < len(p) {
			wantErr = io.EOF
		}
		if n != len(want) || err != wantErr || !bytes.Equal(p[:n], want) {
			t.Fatalf("ReadAt(%d, %d) = %d, %v; want %d, %v and the file's bytes", len(p), off, n, err, len(want), wantErr)
		}
	}
	if got := majorFaults(t) - before; got != 0 {
		t.Errorf("ColdReads: %d major faults for reads of cold pages; want 0", got)
	}

	// Read walks the whole region and ends with io.EOF.
	got, err := io.ReadAll(r)
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("io.ReadAll = %d bytes, %v; want the file's %d bytes", len(got), err, len(data))
	}

	// A write through the region is seen by the reads that follow, whichever way they go.
	if _, err := r.WriteAt([]byte("written"), int64(40*page)); err != nil {
		t.Fatal(err)
	}
	if n, err := r.ReadAt(p[:7], int64(40*page)); n != 7 || err != nil || string(p[:7]) != "written" {
		t.Errorf("ReadAt after WriteAt = %d, %v, %q; want the write", n, err, p[:7])
	}

	// The contrast: a plain region faults the cold pages in.
	plain, _ := openCold(t, data, &mmap.Options{Access: mmap.AccessRead})
	before = majorFaults(t)
	for _, off := range []int{5 * page, 30 * page} {
		if _, err := plain.ReadAt(p, int64(off)); err != nil {
			t.Fatal(err)
		}
	}
	if majorFaults(t) == before {
		t.Logf("a plain region took no major fault either (the disk may answer from a cache below the page cache)")
	}

	// A file that shrank under the region: the pread comes up short, which is ErrFault, as the
	// fault would be.
	if err := os.Truncate(name, int64(10*page)); err != nil {
		t.Fatal(err)
	}
	if _, err := r.ReadAt(p, int64(50*page)); !errors.Is(err, mmap.ErrFault) {
		t.Errorf("ReadAt past the end of a shrunken file = %v; want ErrFault", err)
	}
	if n, err := r.ReadAt(p[:10], int64(page)); n != 10 || err != nil {
		t.Errorf("ReadAt of the part still backed = %d, %v", n, err)
	}
}

// TestColdReadsIgnored: private (copy-on-write) regions read their own pages, which pread would
// miss, so ColdReads does nothing there.
func TestColdReadsIgnored(t *testing.T) {
	data := randomBytes(4*mmap.PageSize, 22)
	r, _ := openCold(t, data, &mmap.Options{Access: mmap.AccessCopy, ColdReads: true})
	if _, err := r.WriteAt([]byte("private"), 100); err != nil {
		t.Fatal(err)
	}
	p := make([]byte, 7)
	if n, err := r.ReadAt(p, 100); n != 7 || err != nil || string(p) != "private" {
		t.Errorf("ReadAt of a private write with ColdReads = %d, %v, %q; want the region's own bytes", n, err, p)
	}
}

// BenchmarkColdReads has 16 goroutines read 4 KiB at random offsets of a 128 MiB file that is
// out of the page cache at the start of each pass, through a plain region, a region with
// ColdReads, and os.File.ReadAt; the ratio sub-benchmark alternates them and reports the time of
// each as a share of the plain region's. On GOMAXPROCS processors a plain region has at most that
// many reads waiting for the disk at once; the others have all 16.
func BenchmarkColdReads(b *testing.B) {
	const size = 128 << 20
	const goroutines = 16
	const readsEach = 64
	name := writeFile(b, randomBytes(size, 23))
	offsets := make([][]int64, goroutines)
	rng := rand.New(rand.NewPCG(5, 6))
	for g := range offsets {
		for range readsEach {
			offsets[g] = append(offsets[g], rng.Int64N(size/4096)*4096)
		}
	}
	type reader interface {
		ReadAt(p []byte, off int64) (int, error)
	}
	open := func(b *testing.B, kind string) (reader, func()) {
		dropCache(b, name)
		f, err := os.Open(name)
		if err != nil {
			b.Fatal(err)
		}
		if kind == "osfile" {
			return f, func() { f.Close() }
		}
		r, err := mmap.New(f, 0, &mmap.Options{Access: mmap.AccessRead, ColdReads: kind == "coldreads"})
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		if err := r.Madvise(mmap.MADV_RANDOM); err != nil { // one page a fault, as pread reads
			b.Fatal(err)
		}
		return r, func() { r.Close() }
	}
	pass := func(b *testing.B, rd reader) {
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				buf := make([]byte, 4096)
				for _, off := range offsets[g] {
					if _, err := rd.ReadAt(buf, off); err != nil {
						b.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
	}
	kinds := []string{"region", "coldreads", "osfile"}
	for _, kind := range kinds {
		b.Run(kind, func(b *testing.B) {
			b.SetBytes(goroutines * readsEach * 4096)
			for b.Loop() {
				b.StopTimer()
				rd, done := open(b, kind)
				b.StartTimer()
				pass(b, rd)
				b.StopTimer()
				done()
				b.StartTimer()
			}
		})
	}
	// The ratio sub-benchmark also runs a goroutine of plain computation beside the readers, and
	// reports how much of it got done per millisecond: what the other goroutines of a program
	// get while it reads cold pages.
	b.Run("ratio", func(b *testing.B) {
		times := make([]time.Duration, len(kinds))
		work := make([]float64, len(kinds))
		for b.Loop() {
			for i, kind := range kinds {
				rd, done := open(b, kind)
				var stop atomic.Bool
				units := make(chan int)
				go func() { units <- compute(&stop) }()
				start := time.Now()
				pass(b, rd)
				elapsed := time.Since(start)
				stop.Store(true)
				work[i] += float64(<-units) / float64(elapsed.Milliseconds()+1)
				times[i] += elapsed
				done()
			}
		}
		b.ReportMetric(float64(times[1])/float64(times[0]), "coldreads/region")
		b.ReportMetric(float64(times[2])/float64(times[0]), "osfile/region")
		b.ReportMetric(float64(times[1])/float64(times[2]), "coldreads/osfile")
		b.ReportMetric(work[1]/work[0], "work-coldreads/work-region")
		b.ReportMetric(work[2]/work[0], "work-osfile/work-region")
	})
}

// compute does small units of arithmetic until stop is set, and returns how many it did.
func compute(stop *atomic.Bool) int {
	units, x := 0, 0
	for !stop.Load() {
		for i := range 1000 {
			x += i * i
		}
		units++
	}
	if x == 42 {
		units++ // keep x
	}
	return units
}
