//go:build !windows

package platform

import "errors"

// resizeTruncateRemap is resizeFile where a file's size can change under a mapping: grow the file
// before the mapping, so that the new pages have something behind them, and shrink it after, so
// that if truncating fails the file still holds everything and the mapping can grow back.
func (m *Mapping) resizeTruncateRemap(newLength int, newSize, oldSize int64) error {
	oldLength := m.size
	if newLength >= oldLength {
		if err := truncate(m.fd, newSize); err != nil {
			return err
		}
		if err := m.remap(newLength); err != nil {
			return errors.Join(err, truncate(m.fd, oldSize))
		}
		return nil
	}
	// Shrink the mapping first, so that no page past the new end of the file is ever mapped; if
	// truncating then fails, the mapping grows back over the file, which still holds everything.
	// Private changes in the pages cut off would not come back, though, so first make sure the
	// file's size can change at all: setting it to its current size fails as truncating would (a
	// read-only descriptor or file system, an immutable file).
	if err := truncate(m.fd, oldSize); err != nil {
		return err
	}
	if err := m.remap(newLength); err != nil {
		return err
	}
	if err := truncate(m.fd, newSize); err != nil {
		return errors.Join(err, m.remap(oldLength))
	}
	return nil
}
