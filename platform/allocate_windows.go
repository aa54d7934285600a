package platform

// Allocate has nothing to do on Windows: extending a file that is not sparse (SetEndOfFile, as
// Resize does) allocates its clusters, and a full disk fails that call.
func Allocate(fd uintptr, off, n int64) error { return nil }
