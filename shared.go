package mmap

import (
	"errors"
	"os"
	"strconv"
	"strings"

	"github.com/mmapio/mmap/platform"
)

// Shared maps length bytes of memory that other processes can map too, by name or through a file
// handed to them: the Go counterpart of the MAP_SHARED anonymous memory that Python's
// documentation shares with a child through fork, and of Options.TagName on every OS.
//
// With a name, every Shared of that name, in this process or another, maps the same memory: the
// first creates it with length bytes (zeros), later ones grow it to their length if it is shorter
// and map their length of it (0 maps all of it). The name outlives the regions until RemoveShared.
// On Linux it is an object in /dev/shm (what shm_open makes); on Windows, a named file-mapping
// object (as Options.TagName), whose size the first region sets and which goes away with the last
// region; on macOS and the BSDs,
// whose shm_open is out of reach without cgo, a file mmap-shm-NAME in the temporary directory.
// A name is at most 200 bytes, not "." or "..", without '/', '\\' or NUL.
//
// With the name "", the memory is new and has no name: hand it to a child process with File (in
// exec.Cmd.ExtraFiles; the child maps it with New). On Linux it is a memfd sealed against
// shrinking (F_SEAL_SHRINK): no process it is handed to can take pages away from under a mapping
// of it, so it never faults, and Resize can grow it but not shrink it (ErrReadOnly). Prefer it to
// a file whenever memory is shared with a process that is not trusted to leave its size alone.
//
// opts is as for New (nil means AccessWrite); Offset must be 0. Where mappings are emulated (js,
// wasip1, plan9), Shared returns an error matching errors.ErrUnsupported.
func Shared(name string, length int, opts *Options) (*Region, error) {
	op := "Shared(" + strconv.Quote(name) + ", length=" + strconv.Itoa(length) + ")"
	switch {
	case length < 0:
		return nil, newError(ErrInvalid, op, nil, "negative length")
	case opts != nil && opts.Offset != 0:
		return nil, newError(ErrInvalid, op, nil, "offset %d: shared memory is mapped from its start", opts.Offset)
	case opts != nil && opts.TagName != "":
		return nil, newError(ErrInvalid, op, nil, "TagName %q and a name: give one", opts.TagName)
	}
	if err := checkSharedName(op, name); err != nil {
		return nil, err
	}
	o := Options{Access: AccessWrite}
	if opts != nil {
		o = *opts
	}
	if platform.NamedObjects {
		o.TagName = name
		r, err := Anonymous(length, &o)
		return r, renameOp(err, op)
	}
	fd, err := platform.SharedMemory(name, int64(length))
	if err != nil {
		return nil, mapError(op, err)
	}
	f := os.NewFile(fd, "shared memory "+name)
	defer f.Close()
	r, err := New(f, length, &o)
	return r, renameOp(err, op)
}

// RemoveShared removes the name of shared memory made by Shared: later Shareds of that name make
// new memory, while regions mapped from the old memory keep it until they are closed. On Windows
// it does nothing, since the name goes away with the last region. A name that does not exist is an
// error matching ErrInvalid and fs.ErrNotExist.
func RemoveShared(name string) error {
	op := "RemoveShared(" + strconv.Quote(name) + ")"
	if name == "" {
		return newError(ErrInvalid, op, nil, "shared memory without a name has nothing to remove")
	}
	if err := checkSharedName(op, name); err != nil {
		return err
	}
	if err := platform.RemoveSharedMemory(name); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return newError(ErrInvalid, op, err, "no shared memory has that name")
		}
		return osError(op, err)
	}
	return nil
}

func checkSharedName(op, name string) error {
	switch {
	case len(name) > 200:
		return newError(ErrInvalid, op, nil, "a name of %d bytes is longer than 200", len(name))
	case name == "." || name == "..", strings.ContainsAny(name, "/\\\x00"):
		return newError(ErrInvalid, op, nil, "a name must not be . or .. nor hold '/', '\\' or NUL")
	}
	return nil
}

// renameOp makes an error of New or Anonymous name the call the user made.
func renameOp(err error, op string) error {
	var e *Error
	if errors.As(err, &e) {
		e.Op = op
	}
	return err
}

// File returns a new *os.File for the file or shared memory behind the region, with a descriptor
// of its own that the caller must close: hand it to a child process in exec.Cmd.ExtraFiles, and
// the child maps the same memory with New. Anonymous memory from Anonymous has no file (an error
// matching errors.ErrUnsupported: make shareable memory with Shared), and on Windows, where
// handles are not handed to children this way, no region has one. After Close, File returns
// ErrClosed.
func (r *Region) File() (*os.File, error) {
	t := r.lock.rlock()
	defer r.lock.runlock(t)
	switch {
	case r.view.Load().closed:
		return nil, newError(ErrClosed, "Region.File()", nil, "")
	case r.untracked:
		return nil, newError(errors.ErrUnsupported, "Region.File()", nil, "the region keeps no descriptor of its file (NoTrackFD)")
	case r.state.fd == platform.NoFile:
		return nil, newError(errors.ErrUnsupported, "Region.File()", nil, "anonymous memory has no file (make shareable memory with Shared)")
	case platform.NamedObjects:
		return nil, newError(errors.ErrUnsupported, "Region.File()", nil, "handles are not passed to child processes here (share memory by name with Shared)")
	}
	fd, err := platform.Dup(r.state.fd)
	if err != nil {
		return nil, osError("Region.File()", err)
	}
	return os.NewFile(fd, "mmap region"), nil
}
