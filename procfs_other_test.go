//go:build !linux

package mmap_test

import "testing"

// openFDs returns -1: only Linux has /proc/self/fd.
func openFDs(testing.TB) int { return -1 }

// mappedAreas returns -1, -1: only Linux has /proc/self/maps.
func mappedAreas(testing.TB, string) (all, matching int) { return -1, -1 }
