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

// mappedAreas returns how many memory mappings the process has, from /proc/self/maps.
func mappedAreas(t testing.TB) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Count(b, []byte{'\n'})
}
