//go:build unix && !linux && !netbsd

package platform

const canMremap = false

func (m *Mapping) mremap(rawLength int) ([]byte, error) { return m.remapCopy(rawLength) }
