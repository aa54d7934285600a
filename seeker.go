package mmap

import "io"

// Tell returns the cursor: where Read, Write and the other cursor methods start. It is 0 after
// Close.
func (r *Region) Tell() int64 {
	pos, _ := r.cursor(r.view.Load())
	return int64(pos)
}

// Seek implements the [io.Seeker] interface. whence is [io.SeekStart], [io.SeekCurrent] or
// [io.SeekEnd] (Python's os.SEEK_SET, SEEK_CUR, SEEK_END). Unlike an os.File, the cursor cannot
// leave the region: a position below 0 or past Len is ErrOutOfRange and leaves the cursor where it
// was; an unknown whence is ErrInvalid.
func (r *Region) Seek(offset int64, whence int) (int64, error) {
	c := call{format: "Region.Seek(%d, whence=%d)", a: offset, b: int64(whence)}
	v := r.view.Load()
	pos, cut := r.cursor(v)
	if v.closed {
		return 0, newError(ErrClosed, c.String(), nil, "")
	}
	var base int64
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		base = int64(pos)
	case io.SeekEnd:
		base = int64(len(v.data))
	default:
		return 0, newError(ErrInvalid, c.String(), nil, "unknown whence")
	}
	n := int64(len(v.data))
	// base is in [0, n]: compare without forming base+offset, which can overflow.
	if offset < -base || offset > n-base {
		return 0, newError(ErrOutOfRange, c.String(), nil, "position outside the region; cursor %d, length %d", pos, n)
	}
	r.setCursor(int(base+offset), cut)
	r.prevRune = -1
	return base + offset, nil
}
