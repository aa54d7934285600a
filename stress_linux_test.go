package mmap_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/mmapio/mmap"
)

// TestStressLeaks opens, uses and closes many regions (files of several sizes and offsets, empty
// files, shared and private anonymous memory) and checks that the process's open descriptors and
// mappings return to their starting counts. Then it drops regions without Close and checks that
// their cleanups release them after garbage collection.
func TestStressLeaks(t *testing.T) {
	n := 100_000
	if testing.Short() {
		n = 5_000
	}
	dir := tempDir(t)
	sizes := []int{0, 1, mmap.PageSize, 3*mmap.PageSize + 7}
	var files []string
	for i, size := range sizes {
		name := filepath.Join(dir, fmt.Sprintf("stress%d", i))
		if err := os.WriteFile(name, raceContent(size), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, name)
	}
	f, err := os.OpenFile(files[3], os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	runtime.GC()
	fds := openFDs(t)
	allMaps, fileMaps := mappedAreas(t, dir)
	_, anonMaps := mappedAreas(t, "/dev/zero")
	peakFDs, peakFileMaps := 0, 0

	use := func(i int) *mmap.Region {
		var r *mmap.Region
		var err error
		switch i % 6 {
		case 0, 1, 2:
			r, err = mmap.OpenFile(files[i%len(files)], mmap.AccessWrite)
		case 3:
			r, err = mmap.New(f, 0, &mmap.Options{Access: mmap.AccessCopy, Offset: int64(i % (2 * mmap.PageSize))})
		case 4:
			r, err = mmap.Anonymous(mmap.PageSize+i%100, nil)
		case 5:
			r, err = mmap.Anonymous(i%3*mmap.PageSize, &mmap.Options{Flags: mmap.MAP_PRIVATE})
		}
		if err != nil {
			t.Fatalf("region %d: %v", i, err)
		}
		if r.Len() > 0 {
			if _, err := r.WriteAt([]byte{byte(i)}, int64(r.Len()-1)); err != nil {
				t.Fatalf("region %d: WriteAt: %v", i, err)
			}
			if _, err := r.ReadAt(make([]byte, 1), 0); err != nil && err != io.EOF {
				t.Fatalf("region %d: ReadAt: %v", i, err)
			}
			r.Find([]byte{byte(i)}, 0)
		}
		return r
	}

	start := time.Now()
	for i := range n {
		r := use(i)
		if i%9973 == 0 {
			peakFDs = max(peakFDs, openFDs(t))
			_, m := mappedAreas(t, dir)
			peakFileMaps = max(peakFileMaps, m)
		}
		if err := r.Close(); err != nil {
			t.Fatalf("region %d: Close() = %v", i, err)
		}
	}
	elapsed := time.Since(start)
	nowAll, nowFile := mappedAreas(t, dir)
	_, nowAnon := mappedAreas(t, "/dev/zero")
	if got := openFDs(t); got != fds || nowFile != fileMaps || nowAnon != anonMaps {
		t.Errorf("after %d regions opened and closed: %d descriptors (started with %d), %d file mappings (%d), %d shared anonymous mappings (%d)",
			n, got, fds, nowFile, fileMaps, nowAnon, anonMaps)
	}
	t.Logf("%d regions opened, used and closed in %v (%.1f µs each); descriptors %d -> %d (peak %d), mappings %d -> %d, of the test's files %d -> %d (peak %d)",
		n, elapsed.Round(time.Millisecond), float64(elapsed.Microseconds())/float64(n), fds, openFDs(t), peakFDs, allMaps, nowAll, fileMaps, nowFile, peakFileMaps)

	// Dropped without Close: the cleanups release them.
	dropped := n / 10
	held := make([]*mmap.Region, dropped)
	for i := range held {
		held[i] = use(i)
	}
	midFDs := openFDs(t)
	_, midFile := mappedAreas(t, dir)
	_, midAnon := mappedAreas(t, "/dev/zero")
	runtime.KeepAlive(held)
	if midFDs <= fds || midFile <= fileMaps || midAnon <= anonMaps {
		t.Fatalf("%d regions dropped: %d descriptors, %d file and %d anonymous mappings; the test should see them held", dropped, midFDs, midFile, midAnon)
	}
	deadline := time.Now().Add(10 * time.Second)
	var got, gotFile, gotAnon int
	for {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		got = openFDs(t)
		_, gotFile = mappedAreas(t, dir)
		_, gotAnon = mappedAreas(t, "/dev/zero")
		if got == fds && gotFile == fileMaps && gotAnon == anonMaps || time.Now().After(deadline) {
			break
		}
	}
	if got != fds || gotFile != fileMaps || gotAnon != anonMaps {
		t.Errorf("%d regions dropped without Close, then GC: %d descriptors (started with %d), %d file mappings (%d), %d shared anonymous mappings (%d)",
			dropped, got, fds, gotFile, fileMaps, gotAnon, anonMaps)
	}
	t.Logf("%d regions dropped without Close held %d descriptors, %d file and %d shared anonymous mappings; after GC: %d, %d, %d",
		dropped, midFDs-fds, midFile-fileMaps, midAnon-anonMaps, got-fds, gotFile-fileMaps, gotAnon-anonMaps)
}
