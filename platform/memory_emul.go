//go:build !unix && !windows

package platform

import (
	"errors"
	"fmt"
)

// An emulated mapping is ordinary memory, read in whole when the mapping is made: every page is
// resident and there is nothing to prefetch, but there is no page table to lock, protect or name.

// syncAsync writes the dirty pages back without waiting for the file to reach the disk.
func (m *Mapping) syncAsync(lo, hi int) error { return m.writeBack(lo, hi) }

func (m *Mapping) prefetch(lo, hi int) error { return nil }

func (m *Mapping) resident(lo, hi int) (int, error) {
	return (hi - lo + PageSize - 1) / PageSize, nil
}

func (m *Mapping) lock(lo, hi int) error   { return errEmulated("lock") }
func (m *Mapping) unlock(lo, hi int) error { return errEmulated("unlock") }

func (m *Mapping) protect(prot, lo, hi int) error { return errEmulated("change the protection of") }

func (m *Mapping) setName(string) error { return errEmulated("name") }

func errEmulated(what string) error {
	return fmt.Errorf("cannot %s memory: this OS has no memory mapping, and the region is emulated in ordinary memory: %w", what, errors.ErrUnsupported)
}
