//go:build race

package mmap_test

// raceEnabled is true when the race detector, which adds allocations of its own, is on.
const raceEnabled = true
