// Package prefetch asks the CPU to start loading memory that is about to be read.
//
// A random read from a large mapping waits first for the page walk of a TLB miss and then for
// DRAM. Starting both before the fault guard is armed lets them overlap the guard's own work,
// instead of following it. A prefetch never faults, so its address need not be mapped.
package prefetch

// Range starts loading the first and the last cache line of the n bytes at addr, which may
// lie in two pages. It does nothing when n is not positive.
func Range(addr uintptr, n int) {
	if n > 0 {
		lines(addr, addr+uintptr(n-1))
	}
}
