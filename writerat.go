package mmap

// WriteAt implements the [io.WriterAt] interface: it copies p into the region at offset off,
// without moving the cursor. It writes all of p or nothing: if p does not fit, it returns 0 and
// ErrOutOfRange. A negative off is ErrInvalid, as in ReadAt. A read-only region returns
// ErrReadOnly.
// WriteAt is safe for concurrent use; writes to overlapping ranges from several goroutines land in
// an unspecified order.
func (r *Region) WriteAt(p []byte, off int64) (n int, err error) {
	c := call{format: "Region.WriteAt(len=%d, off=%d)", a: int64(len(p)), b: off}
	v, token, old := r.enter()
	defer r.leave(v, token, old, &err, &c)
	switch {
	case v.closed || r.readOnly:
		return 0, r.checkWrite(v, c, 0, 0)
	case off < 0:
		return 0, newError(ErrInvalid, c.String(), nil, "negative offset")
	case off > int64(len(v.data)):
		return 0, newError(ErrOutOfRange, c.String(), nil, "offset past the end of the region, length %d", len(v.data))
	}
	if err := r.checkWrite(v, c, int(off), len(p)); err != nil {
		return 0, err
	}
	n = copy(v.data[off:], p)
	r.invalidateAhead()
	return n, nil
}
