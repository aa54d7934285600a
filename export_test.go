package mmap

import (
	"sync"

	"github.com/mmapio/mmap/platform"
)

// RetiredFaults returns how many times a reader has faulted in a range that Close or Resize
// retired under it, and run again.
func RetiredFaults() int64 { return retiredFaults.Load() }

// LiveAreas returns how many address ranges of regions are reserved and not yet released.
func LiveAreas() int64 { return liveAreas.Load() }

// RecordAreas makes the package remember the address range of every area made from now on, and
// returns a function that lists them as [start, end) pairs; call it once more with stop set to
// forget them.
func RecordAreas() func(stop bool) [][2]uintptr {
	var mu sync.Mutex
	var ranges [][2]uintptr
	areaMade = func(res platform.Reservation) {
		base, size := res.Range()
		mu.Lock()
		ranges = append(ranges, [2]uintptr{base, base + size})
		mu.Unlock()
	}
	return func(stop bool) [][2]uintptr {
		mu.Lock()
		defer mu.Unlock()
		if stop {
			areaMade = nil
		}
		return append([][2]uintptr(nil), ranges...)
	}
}
