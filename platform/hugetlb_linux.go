package platform

import (
	"bytes"
	"os"
	"strconv"
	"sync"
)

// HugePageSize returns the size of the pages in the huge page pool that MAP_HUGETLB maps from
// (Hugepagesize in /proc/meminfo), or 0 if the system has none.
func HugePageSize() int { return hugePageSize() }

var hugePageSize = sync.OnceValue(func() int {
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		return 0
	}
	for _, line := range bytes.Split(b, []byte{'\n'}) {
		if rest, ok := bytes.CutPrefix(line, []byte("Hugepagesize:")); ok {
			kb, err := strconv.Atoi(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(rest), []byte("kB")))))
			if err != nil {
				return 0
			}
			return kb << 10
		}
	}
	return 0
})
