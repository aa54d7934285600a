package mmap

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"unicode/utf8"
	"unsafe"

	"github.com/mmapio/mmap/platform"
)

// Read implements the [io.Reader] interface: it copies from the cursor and advances it. At the
// end of the region it returns 0, [io.EOF].
func (r *Region) Read(p []byte) (n int, err error) {
	if r.coldReads {
		return r.readCold(p)
	}
	token := r.readLock() // no defer: see ReadAt
	v := r.view.Load()
	pos, cut := r.cursor(v)
	if pos >= len(v.data) {
		r.readUnlock(token)
		return 0, atEnd(v, &call{format: "Region.Read(len=%d)", a: int64(len(p))})
	}
	n, fault := guardedCopy(p, v.data[pos:])
	r.readUnlock(token)
	runtime.KeepAlive(v) // v's area keeps the range reserved up to here
	if fault != nil {
		if raced, err := r.sortFault(fault, v, &call{format: "Region.Read(len=%d)", a: int64(len(p))}); !raced {
			return 0, err
		}
		return r.Read(p)
	}
	r.setCursor(pos+n, cut)
	r.prevRune = -1
	return n, nil
}

// atEnd is the error of a read at the end: io.EOF, or ErrClosed when the region is closed (a
// closed region has no data, so it looks like the end).
func atEnd(v *view, c *call) error {
	if v.closed {
		return newError(ErrClosed, c.String(), nil, "")
	}
	return io.EOF
}

// ReadByte implements the [io.ByteReader] interface: Python's read_byte(). At the end of the
// region it returns 0, [io.EOF].
//
// ReadByte reads ahead, as a bufio.Reader does, but never past the end of the memory page that
// holds the cursor, and never more than 64 bytes: the bytes ahead are copied from the mapping on
// the first call and handed out by the calls after it, which then cost about as much as
// bytes.Reader's (compress/flate, and so gzip.NewReader, call ReadByte for every byte). ReadRune
// reads from the same bytes. Any other method of this Region that writes (Write, WriteAt,
// WriteByte, Move, ReadFrom, Guard, Resize) or moves the cursor drops them, so the Region's own writes are always seen; a change made through
// Bytes(), another Region or another process is seen from the next page, or the next call of
// another cursor method, on.
func (r *Region) ReadByte() (byte, error) {
	if r.aheadPos < r.aheadEnd && r.aheadGen.Load() == r.aheadSeen {
		c := r.ahead[r.aheadPos]
		r.aheadPos++
		r.pos++
		r.prevRune = -1
		return c, nil
	}
	return r.readByte()
}

// aheadSize is the most ReadByte reads ahead: one cache line.
const aheadSize = 64

// readByte is ReadByte without read-ahead at hand.
func (r *Region) readByte() (byte, error) {
	switch _, err := r.fillAhead(&readByteCall); {
	case err == errRaced:
		return r.ReadByte()
	case err != nil:
		return 0, err
	}
	r.aheadPos++
	r.pos++
	r.prevRune = -1
	return r.ahead[0], nil
}

// errRaced is what fillAhead returns when Close or Resize took its range away: the caller runs
// again.
var errRaced = errors.New("raced Close or Resize")

// fillAhead copies the bytes at the cursor, up to the end of their page and at most aheadSize of
// them, into the read-ahead, which then starts at the cursor: the copy faults exactly when the
// first byte does (a fault takes a whole page). It returns the view it read, or the error of a
// read at the end, a fault (reported as c), or errRaced.
func (r *Region) fillAhead(c *call) (*view, error) {
	// aheadOn, then aheadGen, then the view, then the copy. A writer that finishes its copy after
	// this one starts sees aheadOn and bumps aheadGen past what this one saw; Close and Resize
	// bump it after they publish a new view, so if this one loads the old view it sees the old
	// generation too.
	r.aheadOn.Store(true)
	seen := r.aheadGen.Load()
	token := r.readLock() // no defer: see ReadAt
	v := r.view.Load()
	pos, cut := r.cursor(v)
	if pos >= len(v.data) {
		r.readUnlock(token)
		return v, atEnd(v, c)
	}
	rest := v.data[pos:]
	inPage := platform.PageSize - int(uintptr(unsafe.Pointer(unsafe.SliceData(rest)))&uintptr(platform.PageSize-1))
	n, fault := guardedCopy(r.ahead[:min(aheadSize, inPage)], rest)
	r.readUnlock(token)
	runtime.KeepAlive(v) // v's area keeps the range reserved up to here
	if fault != nil {
		if raced, err := r.sortFault(fault, v, c); !raced {
			return v, err
		}
		return v, errRaced
	}
	r.setCursor(pos, cut) // the cursor clamped; the read-ahead dropped, to be replaced now
	r.aheadPos, r.aheadEnd, r.aheadSeen, r.aheadSeq = 0, n, seen, v.seq
	return v, nil
}

// invalidateAhead makes ReadByte read the mapping again: the caller wrote to it without moving
// the cursor.
func (r *Region) invalidateAhead() {
	if r.aheadOn.Load() {
		r.aheadGen.Add(1)
	}
}

var readByteCall = call{format: "Region.ReadByte()"}

// UnreadByte implements the [io.ByteScanner] interface: it moves the cursor back one byte. At the
// start of the region it returns ErrOutOfRange.
func (r *Region) UnreadByte() error {
	v := r.view.Load()
	pos, cut := r.cursor(v)
	switch {
	case v.closed:
		return newError(ErrClosed, "Region.UnreadByte()", nil, "")
	case pos <= 0:
		return newError(ErrOutOfRange, "Region.UnreadByte()", nil, "at the start of the region")
	}
	r.setCursor(pos-1, cut)
	r.prevRune = -1
	return nil
}

// ReadRune implements the [io.RuneReader] interface: it decodes one UTF-8 character at the cursor
// and advances past it. Invalid UTF-8 yields [utf8.RuneError] with size 1. With it,
// regexp.Regexp.FindReaderIndex and MatchReader run over the region from the cursor. It reads
// ahead as ReadByte does, and from the same bytes.
func (r *Region) ReadRune() (ch rune, size int, err error) {
	if r.aheadPos < r.aheadEnd && r.aheadGen.Load() == r.aheadSeen {
		if b := r.ahead[r.aheadPos]; b < utf8.RuneSelf {
			ch, size = rune(b), 1
		} else if rest := r.ahead[r.aheadPos:r.aheadEnd]; utf8.FullRune(rest) {
			ch, size = utf8.DecodeRune(rest)
		}
		if size > 0 {
			r.aheadPos += size
			r.pos += size
			r.prevRune = size
			r.runeSeq = r.aheadSeq
			return ch, size, nil
		}
	}
	return r.readRune()
}

// readRune is ReadRune without the character in the read-ahead.
func (r *Region) readRune() (ch rune, size int, err error) {
	c := call{format: "Region.ReadRune()"}
	v, err := r.fillAhead(&c)
	switch {
	case err == errRaced:
		return r.ReadRune()
	case err != nil:
		r.prevRune = -1
		return 0, 0, err
	}
	rest := r.ahead[:r.aheadEnd]
	if !utf8.FullRune(rest) {
		// The character goes on past the read-ahead (across a page), or is cut short by the end
		// of the region: decode it from the mapping.
		return r.readRuneDirect(&c)
	}
	ch, size = utf8.DecodeRune(rest)
	r.aheadPos += size
	r.pos += size
	r.prevRune = size
	r.runeSeq = v.seq
	return ch, size, nil
}

func (r *Region) readRuneDirect(c *call) (ch rune, size int, err error) {
	for {
		ch, size, err = r.readRuneOnce(c)
		if !c.retry {
			return ch, size, err
		}
		c.retry = false
	}
}

func (r *Region) readRuneOnce(c *call) (ch rune, size int, err error) {
	v, token, old := r.enterRead()
	defer r.leaveRead(v, token, old, &err, c)
	pos, cut := r.cursor(v)
	if pos >= len(v.data) {
		r.prevRune = -1
		return 0, 0, atEnd(v, c)
	}
	ch, size = utf8.DecodeRune(v.data[pos:])
	r.setCursor(pos+size, cut)
	r.prevRune = size
	r.runeSeq = v.seq
	return ch, size, nil
}

// UnreadRune implements the [io.RuneScanner] interface. It is allowed only right after ReadRune
// (with no Resize in between); otherwise it returns ErrInvalid.
func (r *Region) UnreadRune() error {
	v := r.view.Load()
	pos, cut := r.cursor(v)
	switch {
	case v.closed:
		return newError(ErrClosed, "Region.UnreadRune()", nil, "")
	case r.prevRune <= 0 || r.runeSeq != v.seq || pos < r.prevRune:
		return newError(ErrInvalid, "Region.UnreadRune()", nil, "previous call was not ReadRune")
	}
	r.setCursor(pos-r.prevRune, cut)
	r.prevRune = -1
	return nil
}

// ReadLine returns a copy of the bytes from the cursor up to and including the next '\n', and
// moves the cursor past them: Python's readline(). The last line of the region may lack the '\n';
// it comes with a nil error. At the end of the region ReadLine returns nil, [io.EOF]. The line
// belongs to the caller; short lines are carved from shared 4 KiB blocks, so keeping one line
// keeps its block alive.
func (r *Region) ReadLine() (line []byte, err error) {
	c := call{format: "Region.ReadLine()"}
	for {
		line, err = r.readLine(&c)
		if !c.retry {
			return line, err
		}
		c.retry = false
	}
}

func (r *Region) readLine(c *call) (line []byte, err error) {
	v, token, old := r.enterRead()
	defer r.leaveRead(v, token, old, &err, c)
	pos, cut := r.cursor(v)
	if pos >= len(v.data) {
		return nil, atEnd(v, c)
	}
	rest := v.data[pos:]
	n := bytes.IndexByte(rest, '\n') + 1
	if n == 0 {
		n = len(rest)
	}
	line = r.lineSlab.alloc(n)
	copy(line, rest)
	r.setCursor(pos+n, cut)
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
	v, token, old := r.enter()
	pos, cut := r.cursor(v)
	defer r.leave(v, token, old, &err, &call{format: "Region.WriteTo() at offset %d", a: int64(pos)})
	if v.closed {
		return 0, true, newError(ErrClosed, "Region.WriteTo()", nil, "")
	}
	chunk := v.data[pos:min(len(v.data), pos+writeToChunk)]
	if len(chunk) == 0 {
		return 0, true, nil
	}
	n, err = w.Write(chunk)
	if n < 0 || n > len(chunk) {
		return 0, true, newError(ErrInvalid, "Region.WriteTo()", nil, "the writer returned an invalid count %d for %d bytes", n, len(chunk))
	}
	r.setCursor(pos+n, cut)
	r.prevRune = -1
	switch {
	case platform.IsFault(err):
		// A system call that reads the mapping (write(2) to a file or socket) meets a truncated
		// file as EFAULT rather than as a signal.
		return n, true, newError(ErrFault, "Region.WriteTo()", err, "at region offset %d", pos+n)
	case err != nil:
		return n, true, err
	case n < len(chunk):
		return n, true, io.ErrShortWrite
	}
	return n, false, nil
}
