//go:build amd64 || arm64

package prefetch

// lines prefetches the cache lines that hold first and last.
func lines(first, last uintptr)
