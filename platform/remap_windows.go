package platform

// remapCopy is Windows' remap: map afresh, carry over what the new mapping cannot see by
// itself (anonymous or private memory), then unmap the old one. The old mapping stays intact until
// the new one exists, so a failure changes nothing.
func (m *Mapping) remapCopy(rawLength int) ([]byte, error) {
	fresh := &Mapping{delta: m.delta, size: rawLength - m.delta, fd: m.fd, offset: m.offset, prot: m.prot, flags: m.flags}
	raw, err := fresh.mapRaw(m.offset-int64(m.delta), rawLength, "")
	if err != nil {
		return nil, err
	}
	fresh.raw = raw
	if m.Anonymous() || m.private() {
		copy(raw, m.raw)
	}
	if err := m.unmapRaw(); err != nil {
		fresh.unmapRaw()
		return nil, err
	}
	m.sys = fresh.sys
	return raw, nil
}
