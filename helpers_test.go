package mmap_test

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/mmapio/mmap"
	"github.com/mmapio/mmap/internal/testdir"
)

// writeFile writes data to a new file in a fresh temporary directory and returns its path.
func writeFile(t testing.TB, data []byte) string {
	t.Helper()
	name := filepath.Join(tempDir(t), "data")
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// tempDir returns a new temporary directory that is removed at cleanup, also under Wine.
func tempDir(t testing.TB) string { return testdir.New(t, "mmap-test-") }

// mapFile maps a new file holding data with the given access and closes the region at cleanup.
func mapFile(t testing.TB, data []byte, access mmap.Access) (*mmap.Region, string) {
	t.Helper()
	name := writeFile(t, data)
	r, err := mmap.OpenFile(name, access)
	if err != nil {
		t.Fatalf("OpenFile(%d bytes, %v): %v", len(data), access, err)
	}
	t.Cleanup(func() { r.Close() })
	return r, name
}

// randomBytes returns n reproducible pseudo-random bytes.
func randomBytes(n int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

// openRW opens name read-write and closes it at cleanup.
func openRW(t testing.TB, name string) *os.File {
	t.Helper()
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// needTruncationFaults skips a test that truncates a file under a live mapping: Windows refuses to
// truncate a mapped file, and where mappings are emulated (js, wasip1, plan9) nothing faults.
func needTruncationFaults(t testing.TB) {
	t.Helper()
	switch runtime.GOOS {
	case "windows", "js", "wasip1", "plan9":
		t.Skipf("%s cannot truncate a file under a live mapping", runtime.GOOS)
	}
}

// needPreemption skips a test whose goroutines spin until another one stops them: on wasm there is
// one thread and no preemption, so a spinning goroutine never lets the others run.
func needPreemption(t testing.TB) {
	t.Helper()
	if runtime.GOARCH == "wasm" {
		t.Skip("wasm runs goroutines on one thread without preemption")
	}
}
