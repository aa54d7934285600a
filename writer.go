package mmap

import (
	"io"

	"github.com/mmapio/mmap/platform"
)

// Write implements the [io.Writer] interface: it copies p to the cursor and advances it, as
// Python's write() does. It writes all of p or nothing: if p does not fit between the cursor and
// the end, it returns 0 and ErrOutOfRange and the region and the cursor are unchanged. A read-only
// region returns ErrReadOnly.
func (r *Region) Write(p []byte) (n int, err error) {
	c := call{format: "Region.Write(len=%d)", a: int64(len(p))}
	v, token, old := r.enter()
	defer r.leave(v, token, old, &err, &c)
	pos, cut := r.cursor(v)
	if err := r.checkWrite(v, c, pos, len(p)); err != nil {
		return 0, err
	}
	n = copy(v.data[pos:], p)
	r.setCursor(pos+n, cut)
	r.prevRune = -1
	return n, nil
}

// WriteString implements the [io.StringWriter] interface, as Write does, without converting s.
func (r *Region) WriteString(s string) (n int, err error) {
	c := call{format: "Region.WriteString(len=%d)", a: int64(len(s))}
	v, token, old := r.enter()
	defer r.leave(v, token, old, &err, &c)
	pos, cut := r.cursor(v)
	if err := r.checkWrite(v, c, pos, len(s)); err != nil {
		return 0, err
	}
	n = copy(v.data[pos:], s)
	r.setCursor(pos+n, cut)
	r.prevRune = -1
	return n, nil
}

// WriteByte implements the [io.ByteWriter] interface: Python's write_byte(). At the end of the
// region it returns ErrOutOfRange.
func (r *Region) WriteByte(b byte) (err error) {
	c := call{format: "Region.WriteByte(%d)", a: int64(b)}
	v, token, old := r.enter()
	defer r.leave(v, token, old, &err, &c)
	pos, cut := r.cursor(v)
	if err := r.checkWrite(v, c, pos, 1); err != nil {
		return err
	}
	v.data[pos] = b
	r.setCursor(pos+1, cut)
	r.prevRune = -1
	return nil
}

// checkWrite reports why n bytes cannot be written at off, in Python's order: closed, read-only,
// out of range.
func (r *Region) checkWrite(v *view, c call, off, n int) error {
	switch {
	case v.closed:
		return newError(ErrClosed, c.String(), nil, "")
	case r.readOnly:
		return newError(ErrReadOnly, c.String(), nil, "")
	case r.mem.readOnly != nil:
		if sp, ok := r.mem.protects(off, n); ok {
			return r.readOnlyError(c, sp)
		}
	}
	switch {
	case n > len(v.data)-off:
		return newError(ErrOutOfRange, c.String(), nil, "%d bytes at offset %d do not fit a region of length %d", n, off, len(v.data))
	}
	return nil
}

// ReadFrom implements the [io.ReaderFrom] interface: it reads from src straight into the mapping
// at the cursor until src returns [io.EOF], advancing the cursor. If src holds more than the room
// left, ReadFrom fills the region to the end and returns the count with an error matching
// ErrOutOfRange (one more byte has been consumed from src to find that out). io.Copy uses it.
//
// src reads straight into the mapping. A fault (the file shrank) ends the copy with ErrFault,
// whether it is raised in Go code or met by the kernel while it copies for src (read(2) from a
// file, pipe or socket returns EFAULT); the bytes before it have been stored.
//
// src receives slices of the mapping and must not keep them.
func (r *Region) ReadFrom(src io.Reader) (total int64, err error) {
	for idle := 0; ; {
		n, done, err := r.readChunk(src)
		total += int64(n)
		if err != nil || done {
			return total, err
		}
		if n > 0 {
			idle = 0
		} else if idle++; idle >= maxIdleReads {
			return total, io.ErrNoProgress
		}
	}
}

// maxIdleReads is how many empty reads in a row ReadFrom takes before giving up, as bufio does.
const maxIdleReads = 100

func (r *Region) readChunk(src io.Reader) (n int, done bool, err error) {
	v, token, old := r.enter()
	pos, cut := r.cursor(v)
	c := call{format: "Region.ReadFrom() at offset %d", a: int64(pos)}
	defer r.leave(v, token, old, &err, &c)
	if err := r.checkWrite(v, c, pos, 0); err != nil {
		return 0, true, err
	}
	end := min(len(v.data), pos+writeToChunk)
	blocked := false // at the start of a range Protect made read-only
	if r.mem.readOnly != nil && pos < end {
		end = r.mem.writableEnd(pos, end) // fill up to such a range
		blocked = end == pos
	}
	room := v.data[pos:end]
	if len(room) == 0 {
		// Full, or blocked: src must be at its end, or there was more than fits.
		var probe [1]byte
		for range maxIdleReads {
			m, err := src.Read(probe[:])
			switch {
			case m > 0 && blocked:
				sp, _ := r.mem.protects(pos, 1)
				return 0, true, r.readOnlyError(c, sp)
			case m > 0:
				return 0, true, newError(ErrOutOfRange, c.String(), nil, "the source holds more than the %d bytes of the region", len(v.data))
			case err == io.EOF:
				return 0, true, nil
			case err != nil:
				return 0, true, err
			}
		}
		return 0, true, io.ErrNoProgress
	}
	n, err = src.Read(room)
	if n < 0 || n > len(room) {
		return 0, true, newError(ErrInvalid, c.String(), nil, "the source returned an invalid count %d for %d bytes", n, len(room))
	}
	r.setCursor(pos+n, cut)
	r.prevRune = -1
	switch {
	case err == io.EOF:
		return n, true, nil
	case platform.IsFault(err):
		// A system call that writes into the mapping (read(2) from a file, pipe or socket) meets
		// a truncated file as EFAULT rather than as a signal.
		return n, true, newError(ErrFault, c.String(), err, "at region offset %d", pos+n)
	case err != nil:
		return n, true, err
	}
	return n, false, nil
}
