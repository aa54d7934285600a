package mmap_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"github.com/dsnet/golib/memfile"
	"github.com/mmapio/mmap"
)

// The operation-sequence fuzz target decodes its input into a region to map and a list of
// operations, runs each on the Region and on a plain-Go model (a []byte and a cursor), and
// compares results, error classes, cursors and bytes after every step. Reads and seeks are also
// run against memfile, an independent in-memory file.

// A fuzzMode is a kind of region an input can ask for.
type fuzzMode struct {
	name   string
	access mmap.Access
	anon   bool
	flags  int
	offset int // file offset, for file-backed regions
}

// fuzzModes are the kinds of region an input can ask for.
var fuzzModes = []fuzzMode{
	{"AccessWrite", mmap.AccessWrite, false, 0, 0},
	{"AccessCopy", mmap.AccessCopy, false, 0, 0},
	{"AccessRead", mmap.AccessRead, false, 0, 0},
	{"AnonymousShared", mmap.AccessDefault, true, 0, 0},
	{"AnonymousPrivate", mmap.AccessDefault, true, mmap.MAP_PRIVATE, 0},
	{"AccessWriteOffset", mmap.AccessWrite, false, 0, 3},
}

// model is the plain-Go reference for a Region: Python's mmap semantics over a []byte.
type model struct {
	b        []byte
	pos      int
	prevRune int // size of the last rune ReadRune returned, or -1
	readOnly bool
	fixed    bool // Resize refused
	closed   bool
}

// decoder hands out the fuzz input piece by piece; past the end it returns zeros.
type decoder struct {
	in []byte
}

func (d *decoder) byte() byte {
	if len(d.in) == 0 {
		return 0
	}
	c := d.in[0]
	d.in = d.in[1:]
	return c
}

func (d *decoder) bytes(n int) []byte {
	n = min(n, len(d.in))
	b := d.in[:n]
	d.in = d.in[n:]
	return b
}

// num returns a number for an offset, count or bound of a region of length n: usually near 0 or
// n, sometimes anywhere in it, sometimes an extreme.
func (d *decoder) num(n int) int {
	k := d.byte()
	v := int(k & 0x3f)
	switch k >> 6 {
	case 0:
		return v
	case 1:
		return int(binary.LittleEndian.Uint16([]byte{d.byte(), d.byte()})) % (n + 2)
	case 2:
		return n - v
	}
	specials := []int{0, 1, -1, n, n + 1, n - 1, -n, -n - 1, maxInt, minInt, maxInt - n, int(pow31), -int(pow31), mmap.PageSize, mmap.PageSize + 1, mmap.PageSize - 1}
	return specials[v%len(specials)]
}

// pow31 is 2^31, which becomes minInt as an int on 32-bit systems.
var pow31 int64 = 1 << 31

const (
	maxInt = math.MaxInt
	minInt = math.MinInt
)

// fuzzContent makes n bytes rich in what the operations look for: newlines, multi-byte and
// invalid UTF-8, repeats.
func fuzzContent(n int, seed byte) []byte {
	pieces := []string{"a", "b", "ab", "\n", "é", "€", "\xff", "\xe2\x82", "x\n", "aba", "\x00"}
	b := make([]byte, 0, n+4)
	s := uint32(seed)*2654435761 + 1
	for len(b) < n {
		s = s*1664525 + 1013904223
		b = append(b, pieces[s>>24%uint32(len(pieces))]...)
	}
	return b[:n]
}

// errClass names the sentinel an error matches, for messages.
func errClass(err error) string {
	switch {
	case err == nil:
		return "nil"
	case err == io.EOF:
		return "EOF"
	case errors.Is(err, mmap.ErrClosed):
		return "ErrClosed"
	case errors.Is(err, mmap.ErrReadOnly):
		return "ErrReadOnly"
	case errors.Is(err, mmap.ErrFault):
		return "ErrFault"
	case errors.Is(err, mmap.ErrInvalid):
		return "ErrInvalid"
	case errors.Is(err, mmap.ErrOutOfRange):
		return "ErrOutOfRange"
	case errors.Is(err, errors.ErrUnsupported):
		return "ErrUnsupported"
	}
	return "other(" + err.Error() + ")"
}

// sameErr reports whether got is the error want describes: nil, io.EOF itself, or an error
// matching the sentinel want whose message names the method.
func sameErr(got, want error, method string) bool {
	switch want {
	case nil, io.EOF:
		return got == want
	}
	return errors.Is(got, want) && strings.Contains(got.Error(), method)
}

// pyBound resolves one of Find's bounds as Python does.
func pyBound(v, n int) int {
	if v < 0 {
		v += n
		if v < 0 {
			v = 0
		}
	}
	return min(v, n)
}

// findStart is Find's start as Python 3.15 resolves it: as a slice bound, except that a start
// past the end stays there, and the window then finds nothing, not even an empty sub.
func findStart(v, n int) int {
	if v > n {
		return v
	}
	return pyBound(v, n)
}

// naiveFind is the reference search: try every position in [start, end).
func naiveFind(b, sub []byte, start, end int, last bool) int {
	if end < start {
		return -1
	}
	if last {
		for i := end - len(sub); i >= start; i-- {
			if bytes.Equal(b[i:i+len(sub)], sub) {
				return i
			}
		}
		return -1
	}
	for i := start; i+len(sub) <= end; i++ {
		if bytes.Equal(b[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

var fuzzFileSeq atomic.Int64

// fuzzFile writes data to a fresh file in dir.
func fuzzFile(t *testing.T, dir string, data []byte) string {
	name := filepath.Join(dir, fmt.Sprintf("f%d", fuzzFileSeq.Add(1)))
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(name) })
	return name
}

func FuzzOps(f *testing.F) {
	f.Add([]byte{0, 0x10, 0x00, 7, 0, 5, 1, 3, 2, 3, 4, 5, 6, 7, 0, 1, 8, 3, 'x', 'y', 'z'})
	f.Add([]byte{1, 0xff, 0x0f, 9, 12, 1, 2, 3, 15, 0x41, 0x20, 0x00, 13, 2, 0, 1, 14, 2, 1, 3})
	f.Add([]byte{3, 0x01, 0x10, 0, 15, 0xc2, 9, 3, 0xc0, 'a', 'b', 'c', 16, 0, 21, 22, 0})
	f.Add([]byte{5, 0x00, 0x20, 1, 6, 6, 6, 4, 4, 5, 5, 3, 3, 17, 18, 19, 20, 2, 'q', '\n'})
	f.Add([]byte{2, 0x20, 0x00, 3, 8, 2, 'a', 'b', 10, 11, 1, 'z', 12, 1, 1, 1, 15, 5})
	f.Add([]byte{4, 0x02, 0x00, 4, 15, 0xc3, 15, 0xc4, 9, 1, 0xc1, 'k', 7, 0xc3, 2, 22})
	dir := tempDir(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		runOps(t, dir, in)
	})
}

func runOps(t *testing.T, dir string, in []byte) {
	d := &decoder{in: in}
	mode := fuzzModes[int(d.byte())%len(fuzzModes)]
	size := int(binary.LittleEndian.Uint16([]byte{d.byte(), d.byte()})) % (2*mmap.PageSize + 64)
	content := fuzzContent(size, d.byte())

	var r *mmap.Region
	var name string
	var err error
	var fileBefore []byte
	if mode.anon {
		r, err = mmap.Anonymous(size, &mmap.Options{Flags: mode.flags})
		if err == nil {
			copy(r.Bytes(), content)
		}
	} else {
		fileBefore = append(bytes.Repeat([]byte{'^'}, mode.offset), content...)
		name = fuzzFile(t, dir, fileBefore)
		var fh *os.File
		fh, err = os.OpenFile(name, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		r, err = mmap.New(fh, 0, &mmap.Options{Access: mode.access, Offset: int64(mode.offset)})
		fh.Close()
	}
	if err != nil {
		t.Fatalf("%s: mapping %d bytes: %v", mode.name, size, err)
	}
	defer r.Close()

	m := &model{b: append([]byte(nil), content...), prevRune: -1}
	m.readOnly = mode.access == mmap.AccessRead
	m.fixed = m.readOnly || mode.access == mmap.AccessCopy
	mf := memfile.New(append([]byte(nil), content...))

	s := &opRun{t: t, d: d, r: r, m: m, mf: mf, mode: mode, name: name, fileBefore: fileBefore, size: size}
	for step := 0; len(d.in) > 0 && step < 200; step++ {
		s.op = int(d.byte()) % len(fuzzOps)
		s.call = ""
		fuzzOps[s.op](s)
		if s.call == "" {
			continue // the operation chose to do nothing
		}
		s.log = append(s.log, s.call)

		// After every step: the cursor, the length and the bytes agree with the model.
		if got := r.Tell(); got != int64(m.pos) {
			s.fail("Tell() = %d; want %d", got, m.pos)
		}
		if got := r.Len(); got != len(m.b) {
			s.fail("Len() = %d; want %d", got, len(m.b))
		}
		if got := r.Closed(); got != m.closed {
			s.fail("Closed() = %v; want %v", got, m.closed)
		}
		if !bytes.Equal(r.Bytes(), m.b) {
			s.fail("Bytes() differ from the model: %q\nwant %q", r.Bytes(), m.b)
		}
		if !m.closed && !bytes.Equal(mf.Bytes(), m.b) {
			s.fail("memfile's bytes differ from the model")
		}
		if err := r.Err(); err != nil {
			s.fail("Err() = %v", err)
		}
		// memfile has no UnreadByte and the like: give it the model's cursor for the next step.
		mf.Seek(int64(m.pos), io.SeekStart)
	}

	if m.closed {
		return
	}
	if err := r.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	if !mode.anon {
		// What the file holds after Close: the model's bytes for AccessWrite, the original for
		// AccessCopy and AccessRead.
		if mode.access == mmap.AccessWrite {
			checkFile(t, name, mode.offset, fileBefore, m.b, s.fail)
		} else if got, err := os.ReadFile(name); err != nil || !bytes.Equal(got, fileBefore) {
			s.fail("%s changed the file: %v", mode.name, err)
		}
	}
}

// opRun is one FuzzOps input being run: the region under test, the models it is compared with,
// the rest of the input, and the calls made so far (for failure messages).
type opRun struct {
	t          *testing.T
	d          *decoder
	r          *mmap.Region
	m          *model
	mf         *memfile.File // reads and seeks, checked against an independent in-memory file
	mode       fuzzMode
	name       string // the mapped file; empty for anonymous memory
	fileBefore []byte // what the file held before it was mapped
	size       int    // the length mapped
	op         int    // the operation running: its index in fuzzOps
	call       string // the call it made, as it appears in messages
	log        []string
}

// fail stops the test with the calls made so far and what went wrong.
func (s *opRun) fail(format string, args ...any) {
	s.t.Helper()
	s.t.Fatalf("%s, %d bytes, after\n\t%s\n%s", s.mode.name, s.size, strings.Join(s.log, "\n\t"), fmt.Sprintf(format, args...))
}

// checkErr fails unless got is the error want describes, naming method.
func (s *opRun) checkErr(call string, got, want error, method string) {
	s.t.Helper()
	if !sameErr(got, want, method) {
		s.fail("%s: error %v (%s); want %s", call, got, errClass(got), errClass(want))
	}
}

// writeErr is the model's error for a write: the first of closed, read-only and out of range
// (when the write does not fit), or nil.
func (s *opRun) writeErr(fits bool) error {
	switch {
	case s.m.closed:
		return mmap.ErrClosed
	case s.m.readOnly:
		return mmap.ErrReadOnly
	case !fits:
		return mmap.ErrOutOfRange
	}
	return nil
}

// fuzzOps are the operations an input can ask for, by the byte that selects them (modulo their
// number). Keep their order: the seed corpus in testdata/fuzz/FuzzOps is written in it.
var fuzzOps = []func(*opRun){
	(*opRun).opRead,       // 0
	(*opRun).opReadAt,     // 1
	(*opRun).opReadByte,   // 2
	(*opRun).opUnreadByte, // 3
	(*opRun).opReadRune,   // 4
	(*opRun).opUnreadRune, // 5
	(*opRun).opReadLine,   // 6
	(*opRun).opSeek,       // 7
	(*opRun).opWrite,      // 8
	(*opRun).opWriteAt,    // 9
	(*opRun).opWriteByte,  // 10
	(*opRun).opWrite,      // 11
	(*opRun).opMove,       // 12
	(*opRun).opFind,       // 13
	(*opRun).opFind,       // 14
	(*opRun).opResize,     // 15
	(*opRun).opFlush,      // 16
	(*opRun).opMadvise,    // 17
	(*opRun).opWriteTo,    // 18
	(*opRun).opReadFrom,   // 19
	(*opRun).opSize,       // 20
	(*opRun).opAt,         // 21
	(*opRun).opClose,      // 22
	(*opRun).opSearch,     // 23
}

// opRead runs Read on the region and the model.
func (s *opRun) opRead() {
	d, r, m, mf := s.d, s.r, s.m, s.mf
	n := len(s.m.b)
	k := d.num(n)
	if k < 0 || k > 1<<16 {
		k = 1 << 16
	}
	s.call = fmt.Sprintf("Read(%d)", k)
	p := make([]byte, k)
	got, err := r.Read(p)
	var want []byte
	var wantErr error
	switch {
	case m.closed:
		wantErr = mmap.ErrClosed
	case m.pos >= n:
		wantErr = io.EOF
	default:
		want = m.b[m.pos:min(n, m.pos+k)]
		m.pos += len(want)
		m.prevRune = -1
	}
	if got != len(want) || !bytes.Equal(p[:got], want) {
		s.fail("%s = %d, %v; want %d, %v", s.call, got, err, len(want), wantErr)
	}
	s.checkErr(s.call, err, wantErr, "Read")
	if !m.closed && k > 0 {
		q := make([]byte, k)
		mn, merr := mf.Read(q)
		// memfile may report io.EOF along with a short read; the Region reports it on the next.
		if mn != got || !bytes.Equal(q[:mn], p[:got]) || (err == io.EOF && merr != io.EOF) {
			s.fail("%s = %d, %v; memfile %d, %v", s.call, got, err, mn, merr)
		}
	}
}

// opReadAt runs ReadAt on the region and the model.
func (s *opRun) opReadAt() {
	d, r, m, mf := s.d, s.r, s.m, s.mf
	n := len(s.m.b)
	k := d.num(n)
	if k < 0 || k > 1<<16 {
		k = 1 << 16
	}
	off := int64(d.num(n))
	s.call = fmt.Sprintf("ReadAt(%d, %d)", k, off)
	p := make([]byte, k)
	got, err := r.ReadAt(p, off)
	var want []byte
	var wantErr error
	switch {
	case m.closed:
		wantErr = mmap.ErrClosed
	case off < 0:
		wantErr = mmap.ErrInvalid
	case off >= int64(n):
		wantErr = io.EOF
	default:
		want = m.b[off:min(int64(n), off+int64(k))]
		if len(want) < k {
			wantErr = io.EOF
		}
	}
	if got != len(want) || !bytes.Equal(p[:got], want) {
		s.fail("%s = %d, %v; want %d, %v", s.call, got, err, len(want), wantErr)
	}
	s.checkErr(s.call, err, wantErr, "ReadAt")
	if !m.closed && k > 0 {
		q := make([]byte, k)
		mn, merr := mf.ReadAt(q, off)
		if mn != got || !bytes.Equal(q[:mn], p[:got]) || (merr == nil) != (err == nil) || (merr == io.EOF) != (err == io.EOF) {
			s.fail("%s = %d, %v; memfile %d, %v", s.call, got, err, mn, merr)
		}
	}
}

// opReadByte runs ReadByte on the region and the model.
func (s *opRun) opReadByte() {
	r, m := s.r, s.m
	n := len(s.m.b)
	s.call = "ReadByte()"
	c, err := r.ReadByte()
	var want byte
	var wantErr error
	switch {
	case m.closed:
		wantErr = mmap.ErrClosed
	case m.pos >= n:
		wantErr = io.EOF
	default:
		want = m.b[m.pos]
		m.pos++
		m.prevRune = -1
	}
	if c != want {
		s.fail("%s = %q, %v; want %q, %v", s.call, c, err, want, wantErr)
	}
	s.checkErr(s.call, err, wantErr, "ReadByte")
}

// opUnreadByte runs UnreadByte on the region and the model.
func (s *opRun) opUnreadByte() {
	r, m := s.r, s.m
	s.call = "UnreadByte()"
	err := r.UnreadByte()
	var wantErr error
	switch {
	case m.closed:
		wantErr = mmap.ErrClosed
	case m.pos <= 0:
		wantErr = mmap.ErrOutOfRange
	default:
		m.pos--
		m.prevRune = -1
	}
	s.checkErr(s.call, err, wantErr, "UnreadByte")
}

// opReadRune runs ReadRune on the region and the model.
func (s *opRun) opReadRune() {
	r, m := s.r, s.m
	n := len(s.m.b)
	s.call = "ReadRune()"
	ch, sz, err := r.ReadRune()
	var want rune
	var wantSize int
	var wantErr error
	switch {
	case m.closed:
		wantErr = mmap.ErrClosed
	case m.pos >= n:
		wantErr = io.EOF
		m.prevRune = -1
	default:
		want, wantSize = utf8.DecodeRune(m.b[m.pos:])
		m.pos += wantSize
		m.prevRune = wantSize
	}
	if ch != want || sz != wantSize {
		s.fail("%s = %q, %d, %v; want %q, %d, %v", s.call, ch, sz, err, want, wantSize, wantErr)
	}
	s.checkErr(s.call, err, wantErr, "ReadRune")
}

// opUnreadRune runs UnreadRune on the region and the model.
func (s *opRun) opUnreadRune() {
	r, m := s.r, s.m
	s.call = "UnreadRune()"
	err := r.UnreadRune()
	var wantErr error
	switch {
	case m.closed:
		wantErr = mmap.ErrClosed
	case m.prevRune <= 0:
		wantErr = mmap.ErrInvalid
	default:
		m.pos -= m.prevRune
		m.prevRune = -1
	}
	s.checkErr(s.call, err, wantErr, "UnreadRune")
}

// opReadLine runs ReadLine on the region and the model.
func (s *opRun) opReadLine() {
	r, m := s.r, s.m
	n := len(s.m.b)
	s.call = "ReadLine()"
	line, err := r.ReadLine()
	var want []byte
	var wantErr error
	switch {
	case m.closed:
		wantErr = mmap.ErrClosed
	case m.pos >= n:
		wantErr = io.EOF
	default:
		rest := m.b[m.pos:]
		k := bytes.IndexByte(rest, '\n') + 1
		if k == 0 {
			k = len(rest)
		}
		want = rest[:k]
		m.pos += k
		m.prevRune = -1
	}
	if !bytes.Equal(line, want) || (want == nil) != (line == nil) {
		s.fail("%s = %q, %v; want %q, %v", s.call, line, err, want, wantErr)
	}
	s.checkErr(s.call, err, wantErr, "ReadLine")
}

// opSeek runs Seek on the region and the model.
func (s *opRun) opSeek() {
	d, r, m, mf := s.d, s.r, s.m, s.mf
	n := len(s.m.b)
	off := int64(d.num(n))
	whence := int(d.byte() % 4)
	if d.byte()&1 == 1 {
		off = -off
	}
	s.call = fmt.Sprintf("Seek(%d, %d)", off, whence)
	got, err := r.Seek(off, whence)
	var wantErr error
	var abs int64
	switch whence {
	case io.SeekStart:
		abs = off
	case io.SeekCurrent:
		abs = int64(m.pos) + off
	case io.SeekEnd:
		abs = int64(n) + off
	}
	wantPos := int64(m.pos)
	switch {
	case m.closed:
		wantErr = mmap.ErrClosed
		wantPos = 0
	case whence > 2:
		wantErr = mmap.ErrInvalid
	case whence != io.SeekStart && off > 0 && abs < off, abs < 0, abs > int64(n):
		// (The first case is base+off overflowing.)
		wantErr = mmap.ErrOutOfRange
	default:
		m.pos = int(abs)
		m.prevRune = -1
		wantPos = abs
	}
	if wantErr != nil {
		wantPos = 0
	}
	if got != wantPos {
		s.fail("%s = %d, %v; want %d, %v", s.call, got, err, wantPos, wantErr)
	}
	s.checkErr(s.call, err, wantErr, "Seek")
	if wantErr == nil {
		mp, merr := mf.Seek(off, whence)
		if mp != got || merr != nil {
			s.fail("%s = %d, %v; memfile %d, %v", s.call, got, err, mp, merr)
		}
	}
}

// opWrite runs Write, WriteString on the region and the model.
func (s *opRun) opWrite() {
	d, r, m, mf := s.d, s.r, s.m, s.mf
	n := len(s.m.b)
	p := d.bytes(d.num(16) & 0xff)
	if s.op == 8 && d.byte()&7 == 0 {
		p = bytes.Repeat([]byte{'w'}, d.num(n)&0xffff)
	}
	method := "Write"
	var got int
	var err error
	if s.op == 8 {
		got, err = r.Write(p)
	} else {
		method = "WriteString"
		got, err = r.WriteString(string(p))
	}
	s.call = fmt.Sprintf("%s(%d bytes)", method, len(p))
	wantErr := s.writeErr(len(p) <= n-m.pos)
	want := 0
	if wantErr == nil {
		copy(m.b[m.pos:], p)
		mf.WriteAt(p, int64(m.pos))
		m.pos += len(p)
		m.prevRune = -1
		want = len(p)
	}
	if got != want {
		s.fail("%s = %d, %v; want %d, %v", s.call, got, err, want, wantErr)
	}
	s.checkErr(s.call, err, wantErr, method)
}

// opWriteAt runs WriteAt on the region and the model.
func (s *opRun) opWriteAt() {
	d, r, m, mf := s.d, s.r, s.m, s.mf
	n := len(s.m.b)
	p := d.bytes(d.num(16) & 0xff)
	off := int64(d.num(n))
	s.call = fmt.Sprintf("WriteAt(%d bytes, %d)", len(p), off)
	got, err := r.WriteAt(p, off)
	wantErr := s.writeErr(off >= 0 && off <= int64(n) && int64(len(p)) <= int64(n)-off)
	if wantErr == mmap.ErrOutOfRange && off < 0 {
		wantErr = mmap.ErrInvalid // as ReadAt's
	}
	want := 0
	if wantErr == nil {
		copy(m.b[off:], p)
		mf.WriteAt(p, off)
		want = len(p)
	}
	if got != want {
		s.fail("%s = %d, %v; want %d, %v", s.call, got, err, want, wantErr)
	}
	s.checkErr(s.call, err, wantErr, "WriteAt")
}

// opWriteByte runs WriteByte on the region and the model.
func (s *opRun) opWriteByte() {
	d, r, m, mf := s.d, s.r, s.m, s.mf
	n := len(s.m.b)
	c := d.byte()
	s.call = fmt.Sprintf("WriteByte(%q)", c)
	err := r.WriteByte(c)
	wantErr := s.writeErr(m.pos < n)
	if wantErr == nil {
		m.b[m.pos] = c
		mf.WriteAt([]byte{c}, int64(m.pos))
		m.pos++
		m.prevRune = -1
	}
	s.checkErr(s.call, err, wantErr, "WriteByte")
}

// opMove runs Move on the region and the model.
func (s *opRun) opMove() {
	d, r, m, mf := s.d, s.r, s.m, s.mf
	n := len(s.m.b)
	dst, src, count := d.num(n), d.num(n), d.num(n)
	s.call = fmt.Sprintf("Move(%d, %d, %d)", dst, src, count)
	err := r.Move(dst, src, count)
	fits := count >= 0 && dst >= 0 && src >= 0 && dst <= n-count && src <= n-count
	wantErr := s.writeErr(fits)
	if wantErr == nil {
		copy(m.b[dst:dst+count], m.b[src:src+count])
		mf.WriteAt(m.b[dst:dst+count], int64(dst))
	}
	s.checkErr(s.call, err, wantErr, "Move")
}

// opFind runs Find, RFind on the region and the model.
func (s *opRun) opFind() {
	d, r, m := s.d, s.r, s.m
	n := len(s.m.b)
	last := s.op == 14
	var sub []byte
	if k := d.byte(); k&1 == 0 && n > 0 {
		at := d.num(n)
		at = max(0, min(at, n))
		sub = m.b[at:min(n, at+int(k>>1)%9)]
	} else {
		sub = d.bytes(int(k>>1) % 5)
	}
	sub = append([]byte(nil), sub...)
	nb := int(d.byte() % 3)
	bounds := make([]int, nb)
	for i := range bounds {
		bounds[i] = d.num(n)
	}
	start, end := m.pos, n
	if nb > 0 {
		start = findStart(bounds[0], n)
	}
	if nb > 1 {
		end = pyBound(bounds[1], n)
	}
	want := -1
	if !m.closed {
		want = naiveFind(m.b, sub, start, end, last)
	}
	var got int
	if last {
		s.call = fmt.Sprintf("RFind(%q, %v)", sub, bounds)
		got = r.RFind(sub, bounds...)
	} else {
		s.call = fmt.Sprintf("Find(%q, %v)", sub, bounds)
		got = r.Find(sub, bounds...)
	}
	if got != want {
		s.fail("%s = %d; want %d", s.call, got, want)
	}
}

// opResize runs Resize on the region and the model.
func (s *opRun) opResize() {
	d, r, m, mf, mode := s.d, s.r, s.m, s.mf, s.mode
	n := len(s.m.b)
	k := d.num(n)
	if k > 1<<20 {
		k = 3*mmap.PageSize + 5
	}
	s.call = fmt.Sprintf("Resize(%d)", k)
	err := r.Resize(k)
	var wantErr error
	switch {
	case m.closed:
		wantErr = mmap.ErrClosed
	case m.fixed:
		wantErr = mmap.ErrReadOnly
	case k < 0:
		wantErr = mmap.ErrInvalid
	default:
		if k < n {
			m.b = m.b[:k]
		} else {
			m.b = append(m.b, make([]byte, k-n)...)
		}
		m.pos = min(m.pos, k)
		if k != n || !mode.anon { // an anonymous no-s.op Resize leaves UnreadRune possible
			m.prevRune = -1
		}
		mf.Truncate(int64(k))
	}
	if wantErr == mmap.ErrInvalid {
		if !errors.Is(err, mmap.ErrInvalid) && !errors.Is(err, mmap.ErrOutOfRange) {
			s.fail("%s: error %v; want ErrInvalid or ErrOutOfRange", s.call, err)
		}
	} else {
		s.checkErr(s.call, err, wantErr, "Resize")
	}
}

// opFlush runs Flush on the region and the model.
func (s *opRun) opFlush() {
	d, r, m := s.d, s.r, s.m
	n := len(s.m.b)
	nb := int(d.byte() % 4)
	bounds := make([]int, nb)
	for i := range bounds {
		bounds[i] = d.num(n)
	}
	s.call = fmt.Sprintf("Flush(%v)", bounds)
	err := r.Flush(bounds...)
	off, sz := 0, n
	if nb > 0 {
		off, sz = bounds[0], n-bounds[0]
	}
	if nb > 1 {
		sz = bounds[1]
	}
	var wantErr error
	switch {
	case m.closed:
		wantErr = mmap.ErrClosed
	case nb > 2:
		wantErr = mmap.ErrInvalid
	case off < 0 || sz < 0 || off > n || sz > n-off:
		wantErr = mmap.ErrOutOfRange
	}
	s.checkErr(s.call, err, wantErr, "Flush")
}

// opMadvise runs Madvise on the region and the model.
func (s *opRun) opMadvise() {
	d, r, m := s.d, s.r, s.m
	n := len(s.m.b)
	nb := int(d.byte() % 3)
	bounds := make([]int, nb)
	for i := range bounds {
		bounds[i] = d.num(n)
	}
	// MADV_WILLNEED is the advice every OS with mappings takes; where mappings are
	// emulated it is unsupported, after the bounds are checked.
	s.call = fmt.Sprintf("Madvise(MADV_WILLNEED, %v)", bounds)
	err := r.Madvise(mmap.MADV_WILLNEED, bounds...)
	var wantErr error
	switch {
	case m.closed:
		wantErr = mmap.ErrClosed
	case nb == 0 && n == 0:
	case nb > 0 && (bounds[0] < 0 || bounds[0] >= n):
		wantErr = mmap.ErrOutOfRange
	case nb > 1 && bounds[1] < 0:
		wantErr = mmap.ErrInvalid
	case mmap.MADV_WILLNEED < 0:
		wantErr = errors.ErrUnsupported
	}
	s.checkErr(s.call, err, wantErr, "Madvise")
}

// opWriteTo runs WriteTo on the region and the model.
func (s *opRun) opWriteTo() {
	r, m := s.r, s.m
	n := len(s.m.b)
	s.call = "WriteTo(buffer)"
	var buf bytes.Buffer
	got, err := r.WriteTo(&buf)
	var want []byte
	var wantErr error
	if m.closed {
		wantErr = mmap.ErrClosed
	} else {
		want = m.b[m.pos:]
		if len(want) > 0 {
			m.prevRune = -1
		}
		m.pos = n
	}
	if got != int64(len(want)) || !bytes.Equal(buf.Bytes(), want) {
		s.fail("%s = %d, %v; want %d, %v", s.call, got, err, len(want), wantErr)
	}
	s.checkErr(s.call, err, wantErr, "WriteTo")
}

// opReadFrom runs ReadFrom on the region and the model.
func (s *opRun) opReadFrom() {
	d, r, m, mf := s.d, s.r, s.m, s.mf
	n := len(s.m.b)
	p := d.bytes(d.num(16) & 0xff)
	s.call = fmt.Sprintf("ReadFrom(%d bytes)", len(p))
	got, err := r.ReadFrom(bytes.NewReader(p))
	var wantErr error
	want := 0
	switch {
	case m.closed:
		wantErr = mmap.ErrClosed
	case m.readOnly:
		wantErr = mmap.ErrReadOnly
	default:
		want = min(len(p), n-m.pos)
		if want < len(p) {
			wantErr = mmap.ErrOutOfRange
		}
		if n > m.pos {
			m.prevRune = -1
		}
		copy(m.b[m.pos:], p[:want])
		mf.WriteAt(p[:want], int64(m.pos))
		m.pos += want
	}
	if got != int64(want) {
		s.fail("%s = %d, %v; want %d, %v", s.call, got, err, want, wantErr)
	}
	s.checkErr(s.call, err, wantErr, "ReadFrom")
}

// opSize runs Size on the region and the model.
func (s *opRun) opSize() {
	r, m, mode, fileBefore := s.r, s.m, s.mode, s.fileBefore
	n := len(s.m.b)
	s.call = "Size()"
	got, err := r.Size()
	var want int64
	var wantErr error
	switch {
	case m.closed:
		wantErr = mmap.ErrClosed
	case mode.anon:
		want = int64(n)
	case m.fixed:
		want = int64(len(fileBefore))
	default:
		want = int64(mode.offset + n)
	}
	if got != want {
		s.fail("%s = %d, %v; want %d, %v", s.call, got, err, want, wantErr)
	}
	s.checkErr(s.call, err, wantErr, "Size")
}

// opAt runs At on the region and the model.
func (s *opRun) opAt() {
	d, r, m := s.d, s.r, s.m
	n := len(s.m.b)
	i := d.num(n)
	s.call = fmt.Sprintf("At(%d)", i)
	if i >= 0 && i < n {
		if got := r.At(i); got != m.b[i] {
			s.fail("%s = %q; want %q", s.call, got, m.b[i])
		}
	}
}

// opClose runs Close (rarely) on the region and the model.
func (s *opRun) opClose() {
	t, d, r, m, mode, name, fileBefore := s.t, s.d, s.r, s.m, s.mode, s.name, s.fileBefore
	if d.byte() < 0xf0 {
		return // a step that does nothing: no call, no checks
	}
	s.call = "Close()"
	if err := r.Close(); err != nil {
		s.fail("Close() = %v", err)
	}
	if !m.closed && mode.access == mmap.AccessWrite {
		checkFile(t, name, mode.offset, fileBefore, m.b, s.fail)
	}
	m.closed = true
	m.b, m.pos, m.prevRune = nil, 0, -1
}

// opSearch runs Search on the region and the model.
func (s *opRun) opSearch() {
	d, r, m := s.d, s.r, s.m
	n := len(s.m.b)
	nb := int(d.byte() % 3)
	bounds := make([]int, nb)
	for i := range bounds {
		bounds[i] = d.num(n)
	}
	s.call = fmt.Sprintf("Search(`a.?b`, %v)", bounds)
	got := r.Search(searchRE, bounds...)
	var want []int
	if !m.closed {
		pos, end := 0, n
		if nb > 0 {
			pos = max(0, min(bounds[0], n))
		}
		if nb > 1 {
			end = max(0, min(bounds[1], n))
		}
		if pos <= end {
			want = searchRE.FindSubmatchIndex(m.b[pos:end])
			for i := range want {
				if want[i] >= 0 {
					want[i] += pos
				}
			}
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		s.fail("%s = %v; want %v", s.call, got, want)
	}
}

// checkFile checks that the file holds head (its first offset bytes, untouched) followed by want.
func checkFile(t *testing.T, name string, offset int, before, want []byte, fail func(string, ...any)) {
	t.Helper()
	got, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got[:min(offset, len(got))], before[:offset]) || !bytes.Equal(got[min(offset, len(got)):], want) {
		fail("the file holds %q; want %q + %q", got, before[:offset], want)
	}
}

var searchRE = regexp.MustCompile(`a.?b`)

// FuzzFind runs Find and RFind with random needles and bounds over files whose size is near a
// multiple of the page size, so that the mapping ends at or just past a page boundary, and compares
// every result with naiveFind.
func FuzzFind(f *testing.F) {
	f.Add(uint8(1), int8(0), []byte("ab"), true, uint8(0), int64(0), int64(0), byte(1))
	f.Add(uint8(2), int8(-1), []byte("\n"), true, uint8(2), int64(-3), int64(-1), byte(2))
	f.Add(uint8(1), int8(3), []byte("aba"), false, uint8(1), int64(4090), int64(0), byte(3))
	f.Add(uint8(3), int8(0), []byte("xyz"), true, uint8(2), int64(4093), int64(1<<40), byte(4))
	f.Add(uint8(0), int8(5), []byte(""), false, uint8(2), int64(5), int64(2), byte(5))
	f.Add(uint8(2), int8(-2), []byte("€é"), true, uint8(3), int64(-9000), int64(9000), byte(6))
	dir := tempDir(f)
	f.Fuzz(func(t *testing.T, pages uint8, delta int8, needle []byte, atEnd bool, nb uint8, b0, b1 int64, seed byte) {
		if len(needle) > 64 {
			needle = needle[:64]
		}
		size := int(pages%4)*mmap.PageSize + int(delta%8)
		if size < 0 {
			size = 0
		}
		content := fuzzContent(size, seed)
		if atEnd && len(needle) <= size {
			copy(content[size-len(needle):], needle)
		} else if len(needle) <= size && size > 0 {
			// Across the first page boundary, where there is one.
			at := max(0, min(mmap.PageSize-len(needle)/2, size-len(needle)))
			copy(content[at:], needle)
		}
		name := fuzzFile(t, dir, content)
		r, err := mmap.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		n := size
		bounds := []int{int(b0), int(b1)}[:nb%3]
		cursor := 0
		if nb&0x80 != 0 && n > 0 {
			// The default start is the cursor.
			cursor = int(uint64(b0) % uint64(n+1))
			if _, err := r.Seek(int64(cursor), io.SeekStart); err != nil {
				t.Fatal(err)
			}
		}
		start, end := cursor, n
		if len(bounds) > 0 {
			start = findStart(bounds[0], n)
		}
		if len(bounds) > 1 {
			end = pyBound(bounds[1], n)
		}
		for _, last := range []bool{false, true} {
			want := naiveFind(content, needle, start, end, last)
			var got int
			method := "Find"
			if last {
				method = "RFind"
				got = r.RFind(needle, bounds...)
			} else {
				got = r.Find(needle, bounds...)
			}
			if got != want {
				t.Fatalf("size %d, cursor %d: %s(%q, %v) = %d; want %d", n, cursor, method, needle, bounds, got, want)
			}
		}
		if err := r.Err(); err != nil {
			t.Fatalf("size %d: Err() = %v after Find", n, err)
		}
		if got := r.Tell(); got != int64(cursor) {
			t.Fatalf("Find moved the cursor: Tell() = %d; want %d", got, cursor)
		}
	})
}
