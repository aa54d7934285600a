package mmap

import (
	"bytes"
	"io"
	"runtime/debug"
	"unicode/utf8"
	"unsafe"

	"github.com/mmapio/mmap/platform"
)

// Read implements the [io.Reader] interface: it copies from the cursor and advances it. At the
// end of the region it returns 0, [io.EOF].
func (r *Region) Read(p []byte) (n int, err error) {
	c := call{format: "Region.Read(len=%d)", a: int64(len(p))}
	token, old := r.enter()
	defer r.leave(token, old, &err, &c)
	if r.pos >= len(r.data) {
		return 0, r.atEnd(c)
	}
	n = copy(p, r.data[r.pos:])
	r.pos += n
	r.prevRune = -1
	return n, nil
}

// atEnd is the error of a read at the end: io.EOF, or ErrClosed when the region is closed (a
// closed region has no data and its cursor at 0, so it looks like the end).
func (r *Region) atEnd(c call) error {
	if r.closed {
		return newError(ErrClosed, c.String(), nil, "")
	}
	return io.EOF
}

// ReadByte implements the [io.ByteReader] interface: Python's read_byte(). At the end of the
// region it returns 0, [io.EOF]. Each call reads the mapping afresh, so it sees changes made by
// any means; for a tight loop over many bytes, bufio.NewReader(r) is several times faster.
func (r *Region) ReadByte() (c byte, err error) {
	// enter, spelled out: at a few nanoseconds a call, every call the compiler cannot inline
	// counts, and the lock's fast path is too large for its inliner.
	var probe byte
	shard := uint32(uintptr(unsafe.Pointer(&probe))>>11) * 0x9E3779B1 >> (32 - 3)
	r.lock.readers[shard].n.Add(1)
	token := int(shard)
	if r.lock.writer.Load() {
		token = r.lock.rlockSlow(token)
	}
	old := debug.SetPanicOnFault(true)
	defer r.leave(token, old, &err, &readByteCall)
	if r.pos >= len(r.data) {
		return 0, r.atEnd(call{format: "Region.ReadByte()"})
	}
	c = r.data[r.pos]
	r.pos++
	r.prevRune = -1
	return c, nil
}

var readByteCall = call{format: "Region.ReadByte()"}

// UnreadByte implements the [io.ByteScanner] interface: it moves the cursor back one byte. At the
// start of the region it returns ErrOutOfRange.
func (r *Region) UnreadByte() error {
	t := r.lock.rlock()
	defer r.lock.runlock(t)
	switch {
	case r.closed:
		return newError(ErrClosed, "Region.UnreadByte()", nil, "")
	case r.pos <= 0:
		return newError(ErrOutOfRange, "Region.UnreadByte()", nil, "at the start of the region")
	}
	r.pos--
	r.prevRune = -1
	return nil
}

// ReadRune implements the [io.RuneReader] interface: it decodes one UTF-8 character at the cursor
// and advances past it. Invalid UTF-8 yields [utf8.RuneError] with size 1. With it,
// regexp.Regexp.FindReaderIndex and MatchReader run over the region from the cursor.
func (r *Region) ReadRune() (ch rune, size int, err error) {
	token, old := r.enter()
	defer r.leave(token, old, &err, &call{format: "Region.ReadRune()"})
	if r.pos >= len(r.data) {
		r.prevRune = -1
		return 0, 0, r.atEnd(call{format: "Region.ReadRune()"})
	}
	if c := r.data[r.pos]; c < utf8.RuneSelf {
		r.pos++
		r.prevRune = 1
		return rune(c), 1, nil
	}
	ch, size = utf8.DecodeRune(r.data[r.pos:])
	r.pos += size
	r.prevRune = size
	return ch, size, nil
}

// UnreadRune implements the [io.RuneScanner] interface. It is allowed only right after ReadRune;
// otherwise it returns ErrInvalid.
func (r *Region) UnreadRune() error {
	t := r.lock.rlock()
	defer r.lock.runlock(t)
	switch {
	case r.closed:
		return newError(ErrClosed, "Region.UnreadRune()", nil, "")
	case r.prevRune <= 0:
		return newError(ErrInvalid, "Region.UnreadRune()", nil, "previous call was not ReadRune")
	}
	r.pos -= r.prevRune
	r.prevRune = -1
	return nil
}

// ReadLine returns a copy of the bytes from the cursor up to and including the next '\n', and
// moves the cursor past them: Python's readline(). The last line of the region may lack the '\n';
// it comes with a nil error. At the end of the region ReadLine returns nil, [io.EOF]. The line
// belongs to the caller; short lines are carved from shared 4 KiB blocks, so keeping one line
// keeps its block alive.
func (r *Region) ReadLine() (line []byte, err error) {
	token, old := r.enter()
	defer r.leave(token, old, &err, &call{format: "Region.ReadLine()"})
	if r.pos >= len(r.data) {
		return nil, r.atEnd(call{format: "Region.ReadLine()"})
	}
	rest := r.data[r.pos:]
	n := bytes.IndexByte(rest, '\n') + 1
	if n == 0 {
		n = len(rest)
	}
	line = r.lineSlab.alloc(n)
	copy(line, rest)
	r.pos += n
	r.prevRune = -1
	return line, nil
}

// slab hands out short byte slices carved from larger allocations, so that a ReadLine loop
// allocates once per few dozen lines rather than once per line. Each slice has its capacity cut to
// its length: appending to one reallocates instead of overwriting the next.
type slab struct{ free []byte }

const (
	slabSize    = 4 << 10
	slabMaxLine = 256 // longer lines get an allocation of their own
)

func (s *slab) alloc(n int) []byte {
	if n > slabMaxLine {
		return make([]byte, n)
	}
	if len(s.free) < n {
		s.free = make([]byte, slabSize)
	}
	b := s.free[:n:n]
	s.free = s.free[n:]
	return b
}

// writeToChunk bounds how much of the mapping one call of the writer's Write sees, so that Close
// and Resize from other goroutines can get in between.
const writeToChunk = 4 << 20

// WriteTo implements the [io.WriterTo] interface: it writes the region from the cursor to the end
// straight from the mapping, with no copy in between, and leaves the cursor at the end (or after
// what w took, if w fails). io.Copy uses it.
//
// w receives slices of the mapping and must not keep them. A fault (the file shrank) ends the
// copy with ErrFault; the bytes before it have been written.
func (r *Region) WriteTo(w io.Writer) (written int64, err error) {
	for {
		n, done, err := r.writeChunk(w)
		written += int64(n)
		if err != nil || done {
			return written, err
		}
	}
}

func (r *Region) writeChunk(w io.Writer) (n int, done bool, err error) {
	token, old := r.enter()
	defer r.leave(token, old, &err, &call{format: "Region.WriteTo() at offset %d", a: int64(r.pos)})
	if r.closed {
		return 0, true, newError(ErrClosed, "Region.WriteTo()", nil, "")
	}
	chunk := r.data[r.pos:min(len(r.data), r.pos+writeToChunk)]
	if len(chunk) == 0 {
		return 0, true, nil
	}
	n, err = w.Write(chunk)
	if n < 0 || n > len(chunk) {
		return 0, true, newError(ErrInvalid, "Region.WriteTo()", nil, "the writer returned an invalid count %d for %d bytes", n, len(chunk))
	}
	r.pos += n
	r.prevRune = -1
	switch {
	case platform.IsFault(err):
		// A system call that reads the mapping (write(2) to a file or socket) meets a truncated
		// file as EFAULT rather than as a signal.
		return n, true, newError(ErrFault, "Region.WriteTo()", err, "at region offset %d", r.pos)
	case err != nil:
		return n, true, err
	case n < len(chunk):
		return n, true, io.ErrShortWrite
	}
	return n, false, nil
}
