package mmap_test

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"testing"
	"time"

	"github.com/mmapio/mmap"
)

// writeLogFile writes size bytes of log-like text to a new file in dir: one line in 500 says
// "ERROR <code>". It returns the file's name and the number of those lines.
func writeLogFile(tb testing.TB, dir string, size int) (string, int) {
	tb.Helper()
	name := filepath.Join(dir, "log.txt")
	f, err := os.Create(name)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	errors, line := 0, 0
	for written := 0; written < size; line++ {
		var n int
		if line%500 == 250 {
			n, _ = fmt.Fprintf(w, "2026-11-25T20:%02d:%02d.%03d ERROR %d request id=%d failed: upstream timeout\n", line/60%60, line%60, line%1000, 500+line%4, line)
			errors++
		} else {
			n, _ = fmt.Fprintf(w, "2026-11-25T20:%02d:%02d.%03d INFO request id=%d path=/api/v1/items/%d status=200 bytes=%d\n", line/60%60, line%60, line%1000, line, line%977, line%65536)
		}
		written += n
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return name, errors
}

// BenchmarkFindAllVsReadFile counts the matches of a regexp in a 256 MiB file two ways in the
// same run: FindAll over a mapping, and os.ReadFile then regexp.FindAllIndex. It reports each
// one's time and bytes allocated per operation, and speedup, the ratio of their times (the
// target is at least 1.5).
func BenchmarkFindAllVsReadFile(b *testing.B) {
	const size = 256 << 20
	name, want := writeLogFile(b, b.TempDir(), size)
	re := regexp.MustCompile(`ERROR 50[0-9] request id=[0-9]+`)
	var mapTime, readTime time.Duration
	var mapBytes, readBytes uint64
	var ms runtime.MemStats
	measure := func(d *time.Duration, allocated *uint64, f func() int) {
		runtime.GC()
		runtime.ReadMemStats(&ms)
		before := ms.TotalAlloc
		start := time.Now()
		if n := f(); n != want {
			b.Fatalf("counted %d matches; want %d", n, want)
		}
		*d += time.Since(start)
		runtime.ReadMemStats(&ms)
		*allocated += ms.TotalAlloc - before
	}
	iters := 0
	for b.Loop() {
		iters++
		measure(&mapTime, &mapBytes, func() int {
			r, err := mmap.Open(name)
			if err != nil {
				b.Fatal(err)
			}
			defer r.Close()
			n := 0
			for range r.FindAll(re) {
				n++
			}
			if err := r.Err(); err != nil {
				b.Fatal(err)
			}
			return n
		})
		measure(&readTime, &readBytes, func() int {
			data, err := os.ReadFile(name)
			if err != nil {
				b.Fatal(err)
			}
			return len(re.FindAllIndex(data, -1))
		})
	}
	per := float64(iters)
	b.ReportMetric(float64(mapTime.Milliseconds())/per, "findall-ms/op")
	b.ReportMetric(float64(readTime.Milliseconds())/per, "readfile-ms/op")
	b.ReportMetric(float64(readTime)/float64(mapTime), "speedup")
	b.ReportMetric(float64(mapBytes)/per, "findall-B/op")
	b.ReportMetric(float64(readBytes)/per, "readfile-B/op")
}
