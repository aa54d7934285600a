//go:build !linux

package platform

// HugePageSize returns the size of the pages in the huge page pool that MAP_HUGETLB maps from: 0,
// since only Linux has MAP_HUGETLB here.
func HugePageSize() int { return 0 }
