package mmap

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/mmapio/mmap/platform"
)

// The errors a Region's methods and constructors return match one of these with [errors.Is] (or
// [errors.ErrUnsupported]); the returned error itself is an [*Error] that names the call and its
// numbers.
var (
	// ErrClosed is returned by every method after Close. It matches [fs.ErrClosed] too.
	ErrClosed error = &sentinel{"mmap: region is closed", fs.ErrClosed}

	// ErrReadOnly is returned by a write to a region that cannot be written (AccessRead, or
	// AccessDefault without PROT_WRITE) or to pages Protect made read-only, by Resize of an
	// AccessRead or AccessCopy region, and by Protect asked to make a read-only region writable. It
	// is Python's TypeError. It matches [fs.ErrPermission] too.
	ErrReadOnly error = &sentinel{"mmap: region is read-only", fs.ErrPermission}

	// ErrOutOfRange is returned when a seek, write, write-byte, move, flush or advice reaches
	// outside the region, and for the ranges of FlushAsync, Prefetch, Resident, Lock, Unlock and
	// Protect. It is Python's ValueError.
	ErrOutOfRange error = &sentinel{"mmap: out of range", nil}

	// ErrInvalid is returned for bad arguments: a negative length or offset, a length past the
	// file's end, Flags or Prot together with Access, an unknown Access, whence or advice, a file
	// that cannot be mapped. It matches [fs.ErrInvalid] too.
	ErrInvalid error = &sentinel{"mmap: invalid argument", fs.ErrInvalid}

	// ErrFault is returned when the memory behind the region cannot be reached: the mapped file
	// shrank under the mapping (SIGBUS), or the OS reported an I/O error for it. The process
	// survives; the part of the region still backed by the file stays usable.
	ErrFault error = &sentinel{"mmap: fault: mapped memory is not backed (file truncated?)", nil}
)

type sentinel struct {
	msg string
	std error // the standard error this one also matches, or nil
}

func (s *sentinel) Error() string { return s.msg }
func (s *sentinel) Unwrap() error { return s.std }

// Error describes a failed call. Op names the call with its arguments, Kind is the sentinel it
// matches, Err the underlying cause (an OS error, say), if any. Both Kind and Err match with
// [errors.Is] and [errors.As].
type Error struct {
	Op     string // the call, e.g. "Region.WriteAt(len=4096, off=8192)"
	Kind   error  // ErrClosed, ErrReadOnly, ErrOutOfRange, ErrInvalid, ErrFault or errors.ErrUnsupported
	Detail string // what was wrong, with the numbers that made it wrong, e.g. "region length 8192"
	Err    error  // the cause, if any
}

func (e *Error) Error() string {
	msg := "mmap: " + e.Op + ": " + kindText(e.Kind)
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns Kind and Err, so that errors.Is finds either.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// kindText is the sentinel's own text without the package prefix, which Error already wrote.
func kindText(kind error) string {
	return strings.TrimPrefix(kind.Error(), "mmap: ")
}

// call names a method and its arguments for an error message. It is built for every call but
// formatted only when an error is returned, so it holds numbers, not strings.
type call struct {
	format  string // e.g. "Region.ReadAt(len=%d, off=%d)": each %d takes the next of a, b and c
	a, b, c int64
	record  bool // a fault here is kept for Err: the method has no error result
	retry   bool // set by leaveRead: the call faulted in a range that Close or Resize retired
}

// String formats the call: the format's first %d becomes a, the second b, the third c.
func (c call) String() string {
	args := [...]int64{c.a, c.b, c.c}
	var b strings.Builder
	rest := c.format
	for _, arg := range args {
		before, after, found := strings.Cut(rest, "%d")
		if !found {
			break
		}
		b.WriteString(before)
		b.WriteString(strconv.FormatInt(arg, 10))
		rest = after
	}
	b.WriteString(rest)
	return b.String()
}

// newError builds an *Error; detail is a format for fmt.Sprintf, empty for none.
func newError(kind error, op string, cause error, detail string, args ...any) *Error {
	if len(args) > 0 {
		detail = fmt.Sprintf(detail, args...)
	}
	return &Error{Op: op, Kind: kind, Detail: detail, Err: cause}
}

// osError wraps an error from the OS layer in an *Error of the sentinel its cause belongs to: a
// bad argument or a resource limit is ErrInvalid, a write the file or the mount does not allow
// ErrReadOnly, what the OS cannot do errors.ErrUnsupported, and anything else (an I/O error, say)
// ErrFault.
func osError(op string, err error) *Error {
	switch platform.Classify(err) {
	case platform.Unsupported:
		return newError(errors.ErrUnsupported, op, err, "")
	case platform.Invalid:
		return newError(ErrInvalid, op, err, "")
	case platform.Permission:
		return newError(ErrReadOnly, op, err, "")
	}
	return newError(ErrFault, op, err, "")
}

// mapError wraps an error from making a mapping (New, Anonymous, Shared): a file or descriptor that
// cannot be mapped as asked is a bad argument, ErrInvalid, whatever errno the OS chose for it,
// unless the OS lacks the feature altogether (errors.ErrUnsupported).
func mapError(op string, err error) *Error {
	if platform.Classify(err) == platform.Unsupported {
		return newError(errors.ErrUnsupported, op, err, "")
	}
	return newError(ErrInvalid, op, err, "")
}
