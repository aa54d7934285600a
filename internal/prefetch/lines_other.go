//go:build !amd64 && !arm64

package prefetch

// lines does nothing where the package has no assembly: the reads that follow load the memory
// themselves.
func lines(first, last uintptr) {}
