package mmap

import (
	"io"

	"github.com/mmapio/mmap/platform"
)

// coldRead copies the region's bytes from off into p for ReadAt and Read of a region made with
// Options.ColdReads: from the mapping when every page they lie in is in memory (mincore), and
// otherwise with pread, which waits for the disk without holding the goroutine's processor, as a
// page fault would. The caller holds the region shared, so that the mapping and the descriptor
// stay; off is inside v.data. c names the call for errors.
func (r *Region) coldRead(v *view, p []byte, off int, c *call) (int, error) {
	n := min(len(p), len(v.data)-off)
	if r.state.m.AllResident(off, n) {
		k, fault := guardedCopy(p[:n], v.data[off:])
		if fault != nil {
			_, err := r.sortFault(fault, v, c) // the caller's hold keeps Close and Resize out: no race
			return 0, err
		}
		return k, nil
	}
	k, err := platform.ReadFile(r.state.fd, p[:n], r.state.offset+int64(off))
	switch {
	case err == io.EOF:
		// The file ends before the region does: the mapping would raise SIGBUS here.
		return k, newError(ErrFault, c.String(), nil, "at region offset %d, region length %d: the file ends there", off+k, len(v.data))
	case err != nil:
		return k, newError(ErrFault, c.String(), err, "at region offset %d", off+k)
	}
	return k, nil
}

// readAtCold is ReadAt for a region made with Options.ColdReads.
func (r *Region) readAtCold(p []byte, off int64) (int, error) {
	t := r.lock.rlock()
	defer r.lock.runlock(t)
	v := r.view.Load()
	if v.closed || off < 0 || off >= int64(len(v.data)) {
		return 0, r.readAtError(v, p, off)
	}
	c := readAtCall(p, off)
	n, err := r.coldRead(v, p, int(off), &c)
	if err == nil && n < len(p) {
		err = io.EOF
	}
	return n, err
}

// readCold is Read for a region made with Options.ColdReads.
func (r *Region) readCold(p []byte) (int, error) {
	t := r.lock.rlock()
	defer r.lock.runlock(t)
	v := r.view.Load()
	c := call{format: "Region.Read(len=%d)", a: int64(len(p))}
	pos, cut := r.cursor(v)
	if pos >= len(v.data) {
		return 0, atEnd(v, &c)
	}
	n, err := r.coldRead(v, p, pos, &c)
	if err != nil {
		return 0, err
	}
	r.setCursor(pos+n, cut)
	r.prevRune = -1
	return n, nil
}
