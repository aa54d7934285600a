package mmap_test

import (
	"bytes"
	"os"
	"testing"
)

// openFDs returns how many descriptors the process has open, from /proc/self/fd.
func openFDs(t testing.TB) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

// mappedAreas returns how many memory mappings the process has (the lines of /proc/self/maps),
// and how many of them mention substr (a file's path, or "/dev/zero" for shared anonymous memory,
// which the Go runtime never uses).
func mappedAreas(t testing.TB, substr string) (all, matching int) {
	t.Helper()
	b, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range bytes.Split(b, []byte{'\n'}) {
		if len(line) == 0 {
			continue
		}
		all++
		if bytes.Contains(line, []byte(substr)) {
			matching++
		}
	}
	return all, matching
}
