package prefetch

import (
	"math"
	"testing"
	"unsafe"
)

// TestRangeNeverFaults passes addresses that no program may load from: a prefetch of them must
// return, not crash the process.
func TestRangeNeverFaults(t *testing.T) {
	buf := make([]byte, 4096)
	base := uintptr(unsafe.Pointer(&buf[0]))
	tests := []struct {
		name string
		addr uintptr
		n    int
	}{
		{"a heap buffer", base, len(buf)},
		{"page zero", 0, 64},
		{"the first unmapped page", 4096, 1},
		{"the top of the address space", math.MaxUint - 63, 64},
		{"a range that wraps around", math.MaxUint - 1, 4096},
		{"no bytes", 0, 0},
		{"a negative count", base, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			Range(tt.addr, tt.n)
		})
	}
}
