//go:build unix

package mmap_test

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"

	"github.com/mmapio/mmap"
)

// extraBadInputs are the bad inputs that need a Unix file system: a FIFO and a character device.
var extraBadInputs = []badInput{
	{name: "New FIFO", ctor: func(e badEnv) (*mmap.Region, error) {
		return mmap.New(openFIFO(e), 10, nil)
	}, want: mmap.ErrInvalid, method: "New", nums: []int64{10}},
	{name: "New FIFO, length 0", ctor: func(e badEnv) (*mmap.Region, error) {
		return mmap.New(openFIFO(e), 0, &mmap.Options{Access: mmap.AccessRead})
	}, want: mmap.ErrInvalid, method: "New", nums: []int64{0}},
	{name: "New /dev/null", ctor: func(e badEnv) (*mmap.Region, error) {
		f, err := os.OpenFile(os.DevNull, os.O_RDWR, 0)
		if err != nil {
			e.t.Skip(err)
		}
		defer f.Close()
		return mmap.New(f, 4096, nil)
	}, want: mmap.ErrInvalid, method: "New", nums: []int64{4096}},
}

// openFIFO makes a FIFO in e.dir and opens it read-write, which does not block.
func openFIFO(e badEnv) *os.File {
	name := filepath.Join(e.dir, "fifo")
	if err := unix.Mkfifo(name, 0o600); err != nil {
		e.t.Skip("mkfifo:", err)
	}
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		e.t.Skip("opening a FIFO read-write:", err)
	}
	*e.files = append(*e.files, f)
	return f
}
