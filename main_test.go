package mmap_test

import (
	"os"
	"testing"
)

// TestMain removes the benchmarks' data files, which are written once per process.
func TestMain(m *testing.M) {
	code := m.Run()
	if benchData.dir != "" {
		os.RemoveAll(benchData.dir)
	}
	os.Exit(code)
}
