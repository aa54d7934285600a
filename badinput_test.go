package mmap_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/mmapio/mmap"
)

// A bad input is a call that must fail: with an error matching the sentinel the documentation gives, a
// message that names the method and every number asked, and no change to the cursor, the region's
// bytes, its length or the file.

// badFixture is what a bad input runs against.
type badFixture int

const (
	onNothing badFixture = iota // constructors: a file to map, no region
	onWrite                     // an AccessWrite region over badFileSize bytes, cursor at badCursor
	onRead                      // the same, AccessRead
	onCopy                      // the same, AccessCopy
	onAnon                      // anonymous memory of badFileSize bytes, cursor at badCursor
	onEnd                       // AccessWrite, cursor at the end
	onStart                     // AccessWrite, cursor at 0
	onClosed                    // AccessWrite, closed
)

var fixtureNames = [...]string{"-", "AccessWrite", "AccessRead", "AccessCopy", "Anonymous", "AccessWrite@end", "AccessWrite@0", "closed"}

const (
	badFileSize = 100
	badCursor   = 10
)

// badEnv is handed to a constructor case: the path of a file of badFileSize bytes, and a scratch
// directory.
type badEnv struct {
	t     *testing.T
	file  string
	dir   string
	files *[]*os.File // opened by the case, closed right after it
}

// open opens the data file with flag; the file is closed right after the case.
func (e badEnv) open(flag int) *os.File {
	f, err := os.OpenFile(e.file, flag, 0)
	if err != nil {
		e.t.Fatal(err)
	}
	*e.files = append(*e.files, f)
	return f
}

type badInput struct {
	name   string
	on     badFixture
	ctor   func(e badEnv) (*mmap.Region, error) // for onNothing
	call   func(r *mmap.Region) (int64, error)  // for the others: a count or position, and the error
	want   error                                // the sentinel; io.EOF for ReadAt past the end (io's contract, no message)
	also   error                                // another sentinel the error may match instead (the documentation allows either)
	method string                               // the method the message must name
	nums   []int64                              // the numbers the message must name
}

// badInputs is the table. extraBadInputs (per-OS files) adds to it.
var badInputs = []badInput{
	// Constructors: lengths and offsets.
	{name: "New negative length", ctor: newWith(-1, nil), want: mmap.ErrInvalid, method: "New", nums: []int64{-1}},
	{name: "New length minInt", ctor: newWith(minInt, nil), want: mmap.ErrInvalid, method: "New", nums: []int64{int64(minInt)}},
	{name: "New length past the file's end", ctor: newWith(badFileSize+1, nil), want: mmap.ErrInvalid, method: "New", nums: []int64{badFileSize + 1}},
	{name: "New length maxInt", ctor: newWith(maxInt, nil), want: mmap.ErrInvalid, method: "New", nums: []int64{int64(maxInt)}},
	{name: "New length larger than the address space", ctor: newWith(maxInt-1, &mmap.Options{Access: mmap.AccessRead}), want: mmap.ErrInvalid, method: "New", nums: []int64{int64(maxInt - 1)}},
	{name: "New negative offset", ctor: newWith(10, &mmap.Options{Offset: -4096}), want: mmap.ErrInvalid, method: "New", nums: []int64{10, -4096}},
	{name: "New offset minInt64", ctor: newWith(0, &mmap.Options{Offset: -1 << 63}), want: mmap.ErrInvalid, method: "New", nums: []int64{-1 << 63}},
	{name: "New offset past the file's end", ctor: newWith(0, &mmap.Options{Offset: badFileSize + 1}), want: mmap.ErrInvalid, method: "New", nums: []int64{0, badFileSize + 1}},
	{name: "New offset math.MaxInt64", ctor: newWith(1, &mmap.Options{Offset: 1<<63 - 1}), want: mmap.ErrInvalid, method: "New", nums: []int64{1, 1<<63 - 1}},
	{name: "New offset+length overflows", ctor: newWith(maxInt, &mmap.Options{Offset: 2}), want: mmap.ErrInvalid, method: "New", nums: []int64{int64(maxInt), 2}},
	{name: "New offset+length past the end", ctor: newWith(badFileSize-50, &mmap.Options{Offset: 51}), want: mmap.ErrInvalid, method: "New", nums: []int64{badFileSize - 50, 51}},
	{name: "New offset at the end, length 1", ctor: newWith(1, &mmap.Options{Offset: badFileSize}), want: mmap.ErrInvalid, method: "New", nums: []int64{1, badFileSize}},
	// Constructors: options.
	{name: "New Flags with AccessRead", ctor: newWith(10, &mmap.Options{Access: mmap.AccessRead, Flags: mmap.MAP_SHARED}), want: mmap.ErrInvalid, method: "New", nums: []int64{10}},
	{name: "New Prot with AccessWrite", ctor: newWith(10, &mmap.Options{Access: mmap.AccessWrite, Prot: mmap.PROT_READ}), want: mmap.ErrInvalid, method: "New", nums: []int64{10}},
	{name: "New Flags and Prot with AccessCopy", ctor: newWith(10, &mmap.Options{Access: mmap.AccessCopy, Flags: mmap.MAP_PRIVATE, Prot: mmap.PROT_READ | mmap.PROT_WRITE}), want: mmap.ErrInvalid, method: "New", nums: []int64{10}},
	{name: "New unknown Access 4", ctor: newWith(10, &mmap.Options{Access: 4}), want: mmap.ErrInvalid, method: "New", nums: []int64{10, 4}},
	{name: "New unknown Access -1", ctor: newWith(10, &mmap.Options{Access: -1}), want: mmap.ErrInvalid, method: "New", nums: []int64{10, -1}},
	// Constructors: files that cannot be mapped as asked.
	{name: "New nil file", ctor: func(e badEnv) (*mmap.Region, error) { return mmap.New(nil, 10, nil) }, want: mmap.ErrInvalid, method: "New", nums: []int64{10}},
	{name: "New closed file", ctor: func(e badEnv) (*mmap.Region, error) {
		f := e.open(os.O_RDWR)
		f.Close()
		return mmap.New(f, 10, nil)
	}, want: mmap.ErrInvalid, method: "New", nums: []int64{10}},
	{name: "New directory", ctor: func(e badEnv) (*mmap.Region, error) {
		f, err := os.Open(e.dir)
		if err != nil {
			e.t.Fatal(err)
		}
		defer f.Close()
		return mmap.New(f, 10, &mmap.Options{Access: mmap.AccessRead})
	}, want: mmap.ErrInvalid, method: "New", nums: []int64{10}},
	{name: "New directory, length 0", ctor: func(e badEnv) (*mmap.Region, error) {
		f, err := os.Open(e.dir)
		if err != nil {
			e.t.Fatal(err)
		}
		defer f.Close()
		return mmap.New(f, 0, &mmap.Options{Access: mmap.AccessRead})
	}, want: mmap.ErrInvalid, method: "New", nums: []int64{0}},
	{name: "New read-only descriptor, AccessWrite", ctor: func(e badEnv) (*mmap.Region, error) {
		return mmap.New(e.open(os.O_RDONLY), 10, &mmap.Options{Access: mmap.AccessWrite})
	}, want: mmap.ErrInvalid, method: "New", nums: []int64{10}},
	{name: "New read-only descriptor, MAP_SHARED+PROT_WRITE", ctor: func(e badEnv) (*mmap.Region, error) {
		return mmap.New(e.open(os.O_RDONLY), 10, &mmap.Options{Flags: mmap.MAP_SHARED, Prot: mmap.PROT_READ | mmap.PROT_WRITE})
	}, want: mmap.ErrInvalid, method: "New", nums: []int64{10}},
	{name: "New read-only descriptor, nil options", ctor: func(e badEnv) (*mmap.Region, error) {
		return mmap.New(e.open(os.O_RDONLY), 0, nil)
	}, want: mmap.ErrInvalid, method: "New", nums: []int64{0}},
	{name: "New write-only descriptor, AccessRead", ctor: func(e badEnv) (*mmap.Region, error) {
		return mmap.New(e.open(os.O_WRONLY), 10, &mmap.Options{Access: mmap.AccessRead})
	}, want: mmap.ErrInvalid, method: "New", nums: []int64{10}},
	{name: "New write-only descriptor, AccessWrite", ctor: func(e badEnv) (*mmap.Region, error) {
		return mmap.New(e.open(os.O_WRONLY), 0, &mmap.Options{Access: mmap.AccessWrite})
	}, want: mmap.ErrInvalid, method: "New", nums: []int64{0}},
	{name: "Anonymous negative length", ctor: func(badEnv) (*mmap.Region, error) { return mmap.Anonymous(-1, nil) }, want: mmap.ErrInvalid, method: "Anonymous", nums: []int64{-1}},
	{name: "Anonymous with an offset", ctor: func(badEnv) (*mmap.Region, error) { return mmap.Anonymous(10, &mmap.Options{Offset: 4096}) }, want: mmap.ErrInvalid, method: "Anonymous", nums: []int64{10, 4096}},
	{name: "Anonymous Flags with AccessWrite", ctor: func(badEnv) (*mmap.Region, error) {
		return mmap.Anonymous(10, &mmap.Options{Access: mmap.AccessWrite, Flags: mmap.MAP_PRIVATE})
	}, want: mmap.ErrInvalid, method: "Anonymous", nums: []int64{10}},
	{name: "Anonymous unknown Access", ctor: func(badEnv) (*mmap.Region, error) { return mmap.Anonymous(10, &mmap.Options{Access: 9}) }, want: mmap.ErrInvalid, method: "Anonymous", nums: []int64{10, 9}},
	{name: "OpenFile unknown Access", ctor: func(e badEnv) (*mmap.Region, error) { return mmap.OpenFile(e.file, 7) }, want: mmap.ErrInvalid, method: "OpenFile", nums: []int64{7}},
	{name: "OpenFile missing file", ctor: func(e badEnv) (*mmap.Region, error) {
		return mmap.OpenFile(filepath.Join(e.dir, "missing"), mmap.AccessWrite)
	}, want: mmap.ErrInvalid, method: "OpenFile"},
	{name: "OpenFile directory, AccessWrite", ctor: func(e badEnv) (*mmap.Region, error) { return mmap.OpenFile(e.dir, mmap.AccessWrite) }, want: mmap.ErrInvalid, method: "OpenFile"},
	{name: "Open directory", ctor: func(e badEnv) (*mmap.Region, error) { return mmap.Open(e.dir) }, want: mmap.ErrInvalid, method: "New"},

	// Seek.
	{name: "Seek below 0", on: onWrite, call: seek(-1, io.SeekStart), want: mmap.ErrOutOfRange, method: "Seek", nums: []int64{-1}},
	{name: "Seek past the end", on: onWrite, call: seek(badFileSize+1, io.SeekStart), want: mmap.ErrOutOfRange, method: "Seek", nums: []int64{badFileSize + 1}},
	{name: "Seek current below 0", on: onWrite, call: seek(-badCursor-1, io.SeekCurrent), want: mmap.ErrOutOfRange, method: "Seek", nums: []int64{-badCursor - 1}},
	{name: "Seek current past the end", on: onWrite, call: seek(badFileSize-badCursor+1, io.SeekCurrent), want: mmap.ErrOutOfRange, method: "Seek", nums: []int64{badFileSize - badCursor + 1}},
	{name: "Seek end past the end", on: onWrite, call: seek(1, io.SeekEnd), want: mmap.ErrOutOfRange, method: "Seek", nums: []int64{1}},
	{name: "Seek end below 0", on: onWrite, call: seek(-badFileSize-1, io.SeekEnd), want: mmap.ErrOutOfRange, method: "Seek", nums: []int64{-badFileSize - 1}},
	{name: "Seek current minInt64", on: onWrite, call: seek(-1<<63, io.SeekCurrent), want: mmap.ErrOutOfRange, method: "Seek", nums: []int64{-1 << 63}},
	{name: "Seek end math.MaxInt64", on: onWrite, call: seek(1<<63-1, io.SeekEnd), want: mmap.ErrOutOfRange, method: "Seek", nums: []int64{1<<63 - 1}},
	{name: "Seek current math.MaxInt64", on: onWrite, call: seek(1<<63-1, io.SeekCurrent), want: mmap.ErrOutOfRange, method: "Seek", nums: []int64{1<<63 - 1}},
	{name: "Seek whence 3", on: onWrite, call: seek(0, 3), want: mmap.ErrInvalid, method: "Seek", nums: []int64{3}},
	{name: "Seek whence -1", on: onWrite, call: seek(5, -1), want: mmap.ErrInvalid, method: "Seek", nums: []int64{5, -1}},
	{name: "Seek past the end of anonymous memory", on: onAnon, call: seek(badFileSize+1, io.SeekStart), want: mmap.ErrOutOfRange, method: "Seek", nums: []int64{badFileSize + 1}},

	// Writes.
	{name: "Write past the end", on: onWrite, call: write(badFileSize - badCursor + 1), want: mmap.ErrOutOfRange, method: "Write", nums: []int64{badFileSize - badCursor + 1}},
	{name: "Write at the end", on: onEnd, call: write(1), want: mmap.ErrOutOfRange, method: "Write", nums: []int64{1}},
	{name: "Write on AccessRead", on: onRead, call: write(1), want: mmap.ErrReadOnly, method: "Write", nums: []int64{1}},
	{name: "Write too much on AccessRead", on: onRead, call: write(badFileSize * 2), want: mmap.ErrReadOnly, method: "Write", nums: []int64{badFileSize * 2}},
	{name: "Write past the end of AccessCopy", on: onCopy, call: write(badFileSize), want: mmap.ErrOutOfRange, method: "Write", nums: []int64{badFileSize}},
	{name: "Write past the end of anonymous memory", on: onAnon, call: write(badFileSize), want: mmap.ErrOutOfRange, method: "Write", nums: []int64{badFileSize}},
	{name: "WriteString past the end", on: onWrite, call: writeString(badFileSize - badCursor + 1), want: mmap.ErrOutOfRange, method: "WriteString", nums: []int64{badFileSize - badCursor + 1}},
	{name: "WriteString on AccessRead", on: onRead, call: writeString(3), want: mmap.ErrReadOnly, method: "WriteString", nums: []int64{3}},
	{name: "WriteByte at the end", on: onEnd, call: writeByte('z'), want: mmap.ErrOutOfRange, method: "WriteByte", nums: []int64{'z'}},
	{name: "WriteByte on AccessRead", on: onRead, call: writeByte('z'), want: mmap.ErrReadOnly, method: "WriteByte", nums: []int64{'z'}},
	{name: "WriteAt past the end", on: onWrite, call: writeAt(4, badFileSize-3), want: mmap.ErrOutOfRange, method: "WriteAt", nums: []int64{4, badFileSize - 3}},
	{name: "WriteAt offset past the end", on: onWrite, call: writeAt(1, badFileSize+1), want: mmap.ErrOutOfRange, method: "WriteAt", nums: []int64{1, badFileSize + 1}},
	{name: "WriteAt empty, offset past the end", on: onWrite, call: writeAt(0, badFileSize+1), want: mmap.ErrOutOfRange, method: "WriteAt", nums: []int64{0, badFileSize + 1}},
	{name: "WriteAt negative offset", on: onWrite, call: writeAt(1, -1), want: mmap.ErrInvalid, method: "WriteAt", nums: []int64{1, -1}},
	{name: "WriteAt offset minInt64", on: onWrite, call: writeAt(1, -1<<63), want: mmap.ErrInvalid, method: "WriteAt", nums: []int64{1, -1 << 63}},
	{name: "WriteAt offset 2^31", on: onWrite, call: writeAt(1, 1<<31), want: mmap.ErrOutOfRange, method: "WriteAt", nums: []int64{1, 1 << 31}},
	{name: "WriteAt offset 2^32+1", on: onWrite, call: writeAt(1, 1<<32+1), want: mmap.ErrOutOfRange, method: "WriteAt", nums: []int64{1, 1<<32 + 1}},
	{name: "WriteAt offset math.MaxInt64", on: onWrite, call: writeAt(2, 1<<63-1), want: mmap.ErrOutOfRange, method: "WriteAt", nums: []int64{2, 1<<63 - 1}},
	{name: "WriteAt on AccessRead", on: onRead, call: writeAt(1, 0), want: mmap.ErrReadOnly, method: "WriteAt", nums: []int64{1, 0}},
	{name: "WriteAt past the end of AccessCopy", on: onCopy, call: writeAt(2, badFileSize-1), want: mmap.ErrOutOfRange, method: "WriteAt", nums: []int64{2, badFileSize - 1}},
	{name: "ReadFrom on AccessRead", on: onRead, call: func(r *mmap.Region) (int64, error) { return r.ReadFrom(strings.NewReader("abc")) }, want: mmap.ErrReadOnly, method: "ReadFrom"},

	// Reads.
	{name: "ReadAt negative offset", on: onWrite, call: readAt(1, -1), want: mmap.ErrInvalid, method: "ReadAt", nums: []int64{1, -1}},
	{name: "ReadAt offset minInt64", on: onRead, call: readAt(8, -1<<63), want: mmap.ErrInvalid, method: "ReadAt", nums: []int64{8, -1 << 63}},
	{name: "ReadAt offset 2^31", on: onRead, call: readAt(1, 1<<31), want: io.EOF},
	{name: "ReadAt offset 2^32+1", on: onRead, call: readAt(1, 1<<32+1), want: io.EOF},
	{name: "ReadAt offset math.MaxInt64", on: onRead, call: readAt(1, 1<<63-1), want: io.EOF},
	{name: "UnreadByte at the start", on: onStart, call: func(r *mmap.Region) (int64, error) { return 0, r.UnreadByte() }, want: mmap.ErrOutOfRange, method: "UnreadByte"},
	{name: "UnreadRune without ReadRune", on: onWrite, call: func(r *mmap.Region) (int64, error) { return 0, r.UnreadRune() }, want: mmap.ErrInvalid, method: "UnreadRune"},

	// Move.
	{name: "Move dst past the end", on: onWrite, call: move(badFileSize-3, 0, 4), want: mmap.ErrOutOfRange, method: "Move", nums: []int64{badFileSize - 3, 0, 4}},
	{name: "Move src past the end", on: onWrite, call: move(0, badFileSize-3, 4), want: mmap.ErrOutOfRange, method: "Move", nums: []int64{0, badFileSize - 3, 4}},
	{name: "Move count past the end", on: onWrite, call: move(0, 0, badFileSize+1), want: mmap.ErrOutOfRange, method: "Move", nums: []int64{0, 0, badFileSize + 1}},
	{name: "Move negative dst", on: onWrite, call: move(-1, 0, 1), want: mmap.ErrOutOfRange, also: mmap.ErrInvalid, method: "Move", nums: []int64{-1, 0, 1}},
	{name: "Move negative src", on: onWrite, call: move(0, -1, 1), want: mmap.ErrOutOfRange, also: mmap.ErrInvalid, method: "Move", nums: []int64{0, -1, 1}},
	{name: "Move negative count", on: onWrite, call: move(5, 0, -1), want: mmap.ErrOutOfRange, also: mmap.ErrInvalid, method: "Move", nums: []int64{5, 0, -1}},
	{name: "Move count overflows", on: onWrite, call: move(1, 1, maxInt), want: mmap.ErrOutOfRange, method: "Move", nums: []int64{1, 1, int64(maxInt)}},
	{name: "Move offsets overflow", on: onWrite, call: move(maxInt, maxInt, 2), want: mmap.ErrOutOfRange, method: "Move", nums: []int64{int64(maxInt), int64(maxInt), 2}},
	{name: "Move minInt count", on: onWrite, call: move(10, 10, minInt), want: mmap.ErrOutOfRange, also: mmap.ErrInvalid, method: "Move", nums: []int64{10, 10, int64(minInt)}},
	{name: "Move count 0, dst past the end", on: onWrite, call: move(badFileSize+1, 0, 0), want: mmap.ErrOutOfRange, method: "Move", nums: []int64{badFileSize + 1, 0, 0}},
	{name: "Move on AccessRead", on: onRead, call: move(0, 1, 2), want: mmap.ErrReadOnly, method: "Move", nums: []int64{0, 1, 2}},
	{name: "Move out of range on AccessRead", on: onRead, call: move(0, 1, maxInt), want: mmap.ErrReadOnly, method: "Move", nums: []int64{0, 1, int64(maxInt)}},

	// Flush.
	{name: "Flush negative offset", on: onWrite, call: flush(-1), want: mmap.ErrOutOfRange, also: mmap.ErrInvalid, method: "Flush", nums: []int64{-1}},
	{name: "Flush offset past the end", on: onWrite, call: flush(badFileSize + 1), want: mmap.ErrOutOfRange, method: "Flush", nums: []int64{badFileSize + 1}},
	{name: "Flush size past the end", on: onWrite, call: flush(0, badFileSize+1), want: mmap.ErrOutOfRange, method: "Flush", nums: []int64{0, badFileSize + 1}},
	{name: "Flush range past the end", on: onWrite, call: flush(50, 51), want: mmap.ErrOutOfRange, method: "Flush", nums: []int64{50, 51}},
	{name: "Flush negative size", on: onWrite, call: flush(0, -1), want: mmap.ErrOutOfRange, also: mmap.ErrInvalid, method: "Flush", nums: []int64{0, -1}},
	{name: "Flush overflowing range", on: onWrite, call: flush(maxInt, maxInt), want: mmap.ErrOutOfRange, method: "Flush", nums: []int64{int64(maxInt), int64(maxInt)}},
	{name: "Flush three bounds", on: onWrite, call: flush(0, 1, 2), want: mmap.ErrInvalid, method: "Flush", nums: []int64{3}},
	{name: "Flush out of range on AccessCopy", on: onCopy, call: flush(0, badFileSize+1), want: mmap.ErrOutOfRange, method: "Flush", nums: []int64{0, badFileSize + 1}},
	{name: "Flush out of range on AccessRead", on: onRead, call: flush(badFileSize + 1), want: mmap.ErrOutOfRange, method: "Flush", nums: []int64{badFileSize + 1}},
	{name: "Flush out of range on anonymous memory", on: onAnon, call: flush(-5, 1), want: mmap.ErrOutOfRange, also: mmap.ErrInvalid, method: "Flush", nums: []int64{-5, 1}},

	// Madvise.
	{name: "Madvise unknown advice", on: onWrite, call: madvise(12345), want: mmap.ErrInvalid, also: errors.ErrUnsupported, method: "Madvise", nums: []int64{12345}}, // EINVAL from madvise(2); unsupported where there is none
	{name: "Madvise negative advice", on: onWrite, call: madvise(-100), want: errors.ErrUnsupported, also: mmap.ErrInvalid, method: "Madvise", nums: []int64{-100}},
	{name: "Madvise advice this OS lacks", on: onWrite, call: madvise(unsupportedAdvice()), want: errors.ErrUnsupported, method: "Madvise", nums: []int64{int64(unsupportedAdvice())}},
	{name: "Madvise negative start", on: onWrite, call: madvise(mmap.MADV_NORMAL, -1), want: mmap.ErrOutOfRange, also: mmap.ErrInvalid, method: "Madvise", nums: []int64{-1}},
	{name: "Madvise start at the end", on: onWrite, call: madvise(mmap.MADV_NORMAL, badFileSize), want: mmap.ErrOutOfRange, method: "Madvise", nums: []int64{badFileSize}},
	{name: "Madvise start maxInt", on: onWrite, call: madvise(mmap.MADV_WILLNEED, maxInt, 1), want: mmap.ErrOutOfRange, method: "Madvise", nums: []int64{int64(maxInt), 1}},
	{name: "Madvise negative length", on: onWrite, call: madvise(mmap.MADV_NORMAL, 0, -1), want: mmap.ErrInvalid, also: mmap.ErrOutOfRange, method: "Madvise", nums: []int64{0, -1}},
	{name: "Madvise three bounds", on: onWrite, call: madvise(mmap.MADV_NORMAL, 0, 1, 2), want: mmap.ErrInvalid, method: "Madvise", nums: []int64{3}},

	// Resize.
	{name: "Resize negative", on: onWrite, call: resize(-1), want: mmap.ErrInvalid, also: mmap.ErrOutOfRange, method: "Resize", nums: []int64{-1}},
	{name: "Resize minInt", on: onWrite, call: resize(minInt), want: mmap.ErrInvalid, also: mmap.ErrOutOfRange, method: "Resize", nums: []int64{int64(minInt)}},
	{name: "Resize negative, anonymous", on: onAnon, call: resize(-7), want: mmap.ErrInvalid, also: mmap.ErrOutOfRange, method: "Resize", nums: []int64{-7}},
	{name: "Resize on AccessRead", on: onRead, call: resize(badFileSize * 2), want: mmap.ErrReadOnly, method: "Resize", nums: []int64{badFileSize * 2}},
	{name: "Resize negative on AccessRead", on: onRead, call: resize(-1), want: mmap.ErrReadOnly, method: "Resize", nums: []int64{-1}},
	{name: "Resize on AccessCopy", on: onCopy, call: resize(5), want: mmap.ErrReadOnly, method: "Resize", nums: []int64{5}},

	// Find and Search with bounds past both ends: no error, Python's answer, nothing changes.
	{name: "Find bounds past both ends", on: onWrite, call: find(false, "bc", -1000, 1000), want: nil, nums: []int64{1}},
	{name: "Find start past the end", on: onWrite, call: find(false, "b", 1000), want: nil, nums: []int64{-1}},
	{name: "Find empty, start past the end", on: onWrite, call: find(false, "", 1000), want: nil, nums: []int64{-1}}, // Python 3.15 (gh-151021)
	{name: "RFind empty, start past the end", on: onWrite, call: find(true, "", badFileSize+1), want: nil, nums: []int64{-1}},
	{name: "Find empty, start at the end", on: onWrite, call: find(false, "", badFileSize), want: nil, nums: []int64{badFileSize}},
	{name: "Find end before the start", on: onWrite, call: find(false, "", 1000, -1000), want: nil, nums: []int64{-1}},
	{name: "Find start minInt, end maxInt", on: onWrite, call: find(false, "a", minInt, maxInt), want: nil, nums: []int64{0}},
	{name: "RFind bounds past both ends", on: onWrite, call: find(true, "a", -1000, 1000), want: nil, nums: []int64{badFileSize - 1}},
	{name: "RFind empty, bounds past both ends", on: onWrite, call: find(true, "", -1000, 1000), want: nil, nums: []int64{badFileSize}},
	{name: "RFind both bounds below 0", on: onWrite, call: find(true, "a", -1000, -999), want: nil, nums: []int64{-1}},
	{name: "Search bounds past both ends", on: onWrite, call: search("b+c", -1000, 1000), want: nil, nums: []int64{1}},
	{name: "Search end before the start", on: onWrite, call: search("", 1000, -1000), want: nil, nums: []int64{-1}},

	// Every method after Close.
	{name: "Read after Close", on: onClosed, call: func(r *mmap.Region) (int64, error) { n, err := r.Read(make([]byte, 7)); return int64(n), err }, want: mmap.ErrClosed, method: "Read", nums: []int64{7}},
	{name: "ReadAt after Close", on: onClosed, call: readAt(7, 3), want: mmap.ErrClosed, method: "ReadAt", nums: []int64{7, 3}},
	{name: "ReadByte after Close", on: onClosed, call: func(r *mmap.Region) (int64, error) { c, err := r.ReadByte(); return int64(c), err }, want: mmap.ErrClosed, method: "ReadByte"},
	{name: "UnreadByte after Close", on: onClosed, call: func(r *mmap.Region) (int64, error) { return 0, r.UnreadByte() }, want: mmap.ErrClosed, method: "UnreadByte"},
	{name: "ReadRune after Close", on: onClosed, call: func(r *mmap.Region) (int64, error) { c, _, err := r.ReadRune(); return int64(c), err }, want: mmap.ErrClosed, method: "ReadRune"},
	{name: "UnreadRune after Close", on: onClosed, call: func(r *mmap.Region) (int64, error) { return 0, r.UnreadRune() }, want: mmap.ErrClosed, method: "UnreadRune"},
	{name: "ReadLine after Close", on: onClosed, call: func(r *mmap.Region) (int64, error) { l, err := r.ReadLine(); return int64(len(l)), err }, want: mmap.ErrClosed, method: "ReadLine"},
	{name: "WriteTo after Close", on: onClosed, call: func(r *mmap.Region) (int64, error) { return r.WriteTo(io.Discard) }, want: mmap.ErrClosed, method: "WriteTo"},
	{name: "Write after Close", on: onClosed, call: write(3), want: mmap.ErrClosed, method: "Write", nums: []int64{3}},
	{name: "WriteString after Close", on: onClosed, call: writeString(3), want: mmap.ErrClosed, method: "WriteString", nums: []int64{3}},
	{name: "WriteByte after Close", on: onClosed, call: writeByte('q'), want: mmap.ErrClosed, method: "WriteByte", nums: []int64{'q'}},
	{name: "WriteAt after Close", on: onClosed, call: writeAt(3, 5), want: mmap.ErrClosed, method: "WriteAt", nums: []int64{3, 5}},
	{name: "WriteAt out of range after Close", on: onClosed, call: writeAt(3, -5), want: mmap.ErrClosed, method: "WriteAt", nums: []int64{3, -5}},
	{name: "ReadFrom after Close", on: onClosed, call: func(r *mmap.Region) (int64, error) { return r.ReadFrom(strings.NewReader("abc")) }, want: mmap.ErrClosed, method: "ReadFrom"},
	{name: "Seek after Close", on: onClosed, call: seek(0, io.SeekStart), want: mmap.ErrClosed, method: "Seek", nums: []int64{0}},
	{name: "Seek with bad whence after Close", on: onClosed, call: seek(4, 9), want: mmap.ErrClosed, method: "Seek", nums: []int64{4, 9}},
	{name: "Move after Close", on: onClosed, call: move(1, 2, 3), want: mmap.ErrClosed, method: "Move", nums: []int64{1, 2, 3}},
	{name: "Flush after Close", on: onClosed, call: flush(), want: mmap.ErrClosed, method: "Flush"},
	{name: "Flush with bounds after Close", on: onClosed, call: flush(4, 5), want: mmap.ErrClosed, method: "Flush", nums: []int64{4, 5}},
	{name: "Flush three bounds after Close", on: onClosed, call: flush(1, 2, 3), want: mmap.ErrClosed, method: "Flush", nums: []int64{3}},
	{name: "Madvise after Close", on: onClosed, call: madvise(mmap.MADV_NORMAL), want: mmap.ErrClosed, method: "Madvise", nums: []int64{mmap.MADV_NORMAL}},
	{name: "Madvise with bounds after Close", on: onClosed, call: madvise(mmap.MADV_WILLNEED, 4, 5), want: mmap.ErrClosed, method: "Madvise", nums: []int64{mmap.MADV_WILLNEED, 4, 5}},
	{name: "Madvise three bounds after Close", on: onClosed, call: madvise(mmap.MADV_NORMAL, 1, 2, 3), want: mmap.ErrClosed, method: "Madvise", nums: []int64{3}},
	{name: "Resize after Close", on: onClosed, call: resize(50), want: mmap.ErrClosed, method: "Resize", nums: []int64{50}},
	{name: "Size after Close", on: onClosed, call: func(r *mmap.Region) (int64, error) { return r.Size() }, want: mmap.ErrClosed, method: "Size"},
	{name: "Guard after Close", on: onClosed, call: func(r *mmap.Region) (int64, error) {
		called := int64(0)
		err := r.Guard(func([]byte) error { called = 1; return nil })
		return called, err
	}, want: mmap.ErrClosed, method: "Guard"},
	{name: "Find after Close", on: onClosed, call: find(false, "", 0), want: nil, nums: []int64{-1}},
	{name: "RFind after Close", on: onClosed, call: find(true, "a"), want: nil, nums: []int64{-1}},
	{name: "Search after Close", on: onClosed, call: search("a*"), want: nil, nums: []int64{-1}},
	{name: "FindAll after Close", on: onClosed, call: func(r *mmap.Region) (int64, error) {
		for loc := range r.FindAll(regexp.MustCompile("a*")) {
			return 0, fmt.Errorf("FindAll after Close yielded %v", loc)
		}
		return 0, nil
	}, want: nil},
	{name: "At after Close", on: onClosed, call: func(r *mmap.Region) (n int64, err error) {
		defer func() {
			if recover() == nil {
				err = errors.New("At(0) after Close did not panic")
			}
		}()
		return int64(r.At(0)), nil
	}, want: nil},
	{name: "Len after Close", on: onClosed, call: func(r *mmap.Region) (int64, error) { return int64(r.Len()), nil }, want: nil, nums: []int64{0}},
	{name: "Tell after Close", on: onClosed, call: func(r *mmap.Region) (int64, error) { return r.Tell(), nil }, want: nil, nums: []int64{0}},
	{name: "Bytes after Close", on: onClosed, call: func(r *mmap.Region) (int64, error) {
		if b := r.Bytes(); b != nil {
			return 0, fmt.Errorf("Bytes() after Close has length %d; want nil", len(b))
		}
		return 0, nil
	}, want: nil},
	{name: "Closed after Close", on: onClosed, call: func(r *mmap.Region) (int64, error) {
		if !r.Closed() {
			return 0, errors.New("Closed() = false after Close")
		}
		return 0, nil
	}, want: nil},
	{name: "Err after Close", on: onClosed, call: func(r *mmap.Region) (int64, error) { return 0, r.Err() }, want: nil},
	{name: "Close after Close", on: onClosed, call: func(r *mmap.Region) (int64, error) { return 0, r.Close() }, want: nil},
}

// bigBadInputs ask for more memory or file than a 64-bit system has. A 32-bit process may well
// get 2 GiB (its maxInt) of address space or file, so they run on 64-bit systems only.
var bigBadInputs = []badInput{
	{name: "Anonymous length maxInt", ctor: func(badEnv) (*mmap.Region, error) { return mmap.Anonymous(maxInt, nil) }, want: mmap.ErrInvalid, method: "Anonymous", nums: []int64{int64(maxInt)}},
	{name: "Anonymous length larger than memory", ctor: func(badEnv) (*mmap.Region, error) { return mmap.Anonymous(maxInt/2+1, nil) }, want: mmap.ErrInvalid, method: "Anonymous", nums: []int64{int64(maxInt/2 + 1)}},
	{name: "Resize maxInt", on: onWrite, call: resize(maxInt), want: mmap.ErrInvalid, method: "Resize", nums: []int64{int64(maxInt)}},
	{name: "Resize past the largest file", on: onWrite, call: resize(hugeSize()), want: mmap.ErrInvalid, method: "Resize", nums: []int64{int64(hugeSize())}},
	{name: "Resize anonymous past memory", on: onAnon, call: resize(maxInt / 2), want: mmap.ErrInvalid, method: "Resize", nums: []int64{int64(maxInt / 2)}},
}

func newWith(length int, opts *mmap.Options) func(badEnv) (*mmap.Region, error) {
	return func(e badEnv) (*mmap.Region, error) {
		return mmap.New(e.open(os.O_RDWR), length, opts)
	}
}

func seek(off int64, whence int) func(*mmap.Region) (int64, error) {
	return func(r *mmap.Region) (int64, error) { return r.Seek(off, whence) }
}

func write(n int) func(*mmap.Region) (int64, error) {
	return func(r *mmap.Region) (int64, error) {
		k, err := r.Write(bytes.Repeat([]byte{'W'}, n))
		return int64(k), err
	}
}

func writeString(n int) func(*mmap.Region) (int64, error) {
	return func(r *mmap.Region) (int64, error) {
		k, err := r.WriteString(strings.Repeat("S", n))
		return int64(k), err
	}
}

func writeByte(c byte) func(*mmap.Region) (int64, error) {
	return func(r *mmap.Region) (int64, error) { return 0, r.WriteByte(c) }
}

func writeAt(n int, off int64) func(*mmap.Region) (int64, error) {
	return func(r *mmap.Region) (int64, error) {
		k, err := r.WriteAt(bytes.Repeat([]byte{'A'}, n), off)
		return int64(k), err
	}
}

func readAt(n int, off int64) func(*mmap.Region) (int64, error) {
	return func(r *mmap.Region) (int64, error) {
		k, err := r.ReadAt(make([]byte, n), off)
		return int64(k), err
	}
}

func move(dst, src, count int) func(*mmap.Region) (int64, error) {
	return func(r *mmap.Region) (int64, error) { return 0, r.Move(dst, src, count) }
}

func flush(bounds ...int) func(*mmap.Region) (int64, error) {
	return func(r *mmap.Region) (int64, error) { return 0, r.Flush(bounds...) }
}

func madvise(advice int, bounds ...int) func(*mmap.Region) (int64, error) {
	return func(r *mmap.Region) (int64, error) { return 0, r.Madvise(advice, bounds...) }
}

func resize(n int) func(*mmap.Region) (int64, error) {
	return func(r *mmap.Region) (int64, error) { return 0, r.Resize(n) }
}

// find runs Find or RFind and returns its result, which the case's nums[0] holds.
func find(last bool, sub string, bounds ...int) func(*mmap.Region) (int64, error) {
	return func(r *mmap.Region) (int64, error) {
		if last {
			return int64(r.RFind([]byte(sub), bounds...)), nil
		}
		return int64(r.Find([]byte(sub), bounds...)), nil
	}
}

// search runs Search and returns the start of the match, or -1.
func search(expr string, bounds ...int) func(*mmap.Region) (int64, error) {
	return func(r *mmap.Region) (int64, error) {
		loc := r.Search(regexp.MustCompile(expr), bounds...)
		if loc == nil {
			return -1, nil
		}
		return int64(loc[0]), nil
	}
}

// unsupportedAdvice returns an MADV_* advice this OS lacks (a negative constant).
func unsupportedAdvice() int {
	for _, a := range []int{mmap.MADV_NOSYNC, mmap.MADV_PROTECT, mmap.MADV_FREE_REUSE, mmap.MADV_HWPOISON, mmap.MADV_REMOVE} {
		if a < 0 {
			return a
		}
	}
	return -1
}

// hugeSize is a size no file system takes: 2^62 bytes, or the largest int on 32-bit systems.
func hugeSize() int {
	if strconv.IntSize == 64 {
		return int(huge64)
	}
	return maxInt
}

var huge64 int64 = 1 << 62

// badContent is the file behind every fixture: "abc" repeated, so that Find has something to find.
func badContent() []byte {
	return bytes.Repeat([]byte("abc"), badFileSize/3+1)[:badFileSize]
}

func TestBadInputs(t *testing.T) {
	cases := append(badInputs[:len(badInputs):len(badInputs)], extraBadInputs...)
	if strconv.IntSize == 64 {
		cases = append(cases, bigBadInputs...)
	}
	if len(cases) < 60 {
		t.Fatalf("only %d bad inputs", len(cases))
	}
	t.Logf("%d bad inputs", len(cases))
	seen := map[string]bool{}
	for _, tc := range cases {
		if seen[tc.name] {
			t.Fatalf("two cases named %q", tc.name)
		}
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			dir := tempDir(t)
			file := filepath.Join(dir, "data")
			content := badContent()
			if err := os.WriteFile(file, content, 0o644); err != nil {
				t.Fatal(err)
			}
			var err error
			var got int64
			if tc.on == onNothing {
				fds := openFDs(t)
				var r *mmap.Region
				var files []*os.File
				r, err = tc.ctor(badEnv{t: t, file: file, dir: dir, files: &files})
				for _, f := range files {
					f.Close()
				}
				if r != nil {
					r.Close()
					t.Fatalf("%s: got a region of length %d, error %v; want an error", tc.name, r.Len(), err)
				}
				if after := openFDs(t); fds >= 0 && after != fds {
					t.Errorf("%s: open descriptors %d before, %d after", tc.name, fds, after)
				}
			} else {
				r := badRegion(t, tc.on, file)
				pos, length := r.Tell(), r.Len()
				before := bytes.Clone(r.Bytes())
				got, err = tc.call(r)
				if p := r.Tell(); p != pos {
					t.Errorf("%s on %s: cursor moved from %d to %d", tc.name, fixtureNames[tc.on], pos, p)
				}
				if n := r.Len(); n != length {
					t.Errorf("%s on %s: length changed from %d to %d", tc.name, fixtureNames[tc.on], length, n)
				}
				if b := r.Bytes(); !bytes.Equal(b, before) {
					t.Errorf("%s on %s: the region's bytes changed", tc.name, fixtureNames[tc.on])
				}
				if fe := r.Err(); fe != nil {
					t.Errorf("%s on %s: Err() = %v", tc.name, fixtureNames[tc.on], fe)
				}
				switch tc.want {
				case nil:
					if len(tc.nums) > 0 && got != tc.nums[0] {
						t.Errorf("%s on %s = %d; want %d", tc.name, fixtureNames[tc.on], got, tc.nums[0])
					}
				case io.EOF:
					if got != 0 {
						t.Errorf("%s on %s = %d, %v; want 0, EOF", tc.name, fixtureNames[tc.on], got, err)
					}
				default:
					if got != 0 {
						t.Errorf("%s on %s = %d, %v; want 0 and an error", tc.name, fixtureNames[tc.on], got, err)
					}
				}
			}
			if b, rerr := os.ReadFile(file); rerr != nil || !bytes.Equal(b, content) {
				t.Errorf("%s: the file changed (%d bytes, %v)", tc.name, len(b), rerr)
			}

			switch {
			case tc.want == nil || tc.want == io.EOF:
				if err != tc.want {
					t.Fatalf("%s: error %v; want %v", tc.name, err, tc.want)
				}
				return
			case err == nil:
				t.Fatalf("%s: no error; want %v", tc.name, tc.want)
			case !errors.Is(err, tc.want) && (tc.also == nil || !errors.Is(err, tc.also)):
				t.Fatalf("%s: error %q (%s); want %v", tc.name, err, errClass(err), tc.want)
			}
			var e *mmap.Error
			if !errors.As(err, &e) {
				t.Errorf("%s: error %q is a %T, not an *mmap.Error", tc.name, err, err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "mmap: ") || !strings.Contains(msg, tc.method) {
				t.Errorf("%s: error %q does not name %s", tc.name, msg, tc.method)
			}
			for _, n := range tc.nums {
				if !strings.Contains(msg, strconv.FormatInt(n, 10)) && !strings.Contains(msg, fmt.Sprintf("%#x", n)) {
					t.Errorf("%s: error %q does not name %d", tc.name, msg, n)
				}
			}
		})
	}
}

// badRegion makes the region a fixture names, over file.
func badRegion(t *testing.T, on badFixture, file string) *mmap.Region {
	t.Helper()
	var r *mmap.Region
	var err error
	switch on {
	case onRead:
		r, err = mmap.OpenFile(file, mmap.AccessRead)
	case onCopy:
		r, err = mmap.OpenFile(file, mmap.AccessCopy)
	case onAnon:
		r, err = mmap.Anonymous(badFileSize, nil)
		if err == nil {
			copy(r.Bytes(), badContent())
		}
	default:
		r, err = mmap.OpenFile(file, mmap.AccessWrite)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	pos := int64(badCursor)
	switch on {
	case onEnd:
		pos = badFileSize
	case onStart, onClosed:
		pos = 0
	}
	if _, err := r.Seek(pos, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	if on == onClosed {
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
	}
	return r
}
