package mmap

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// DirFS returns a file system for the tree of files rooted at dir, like [os.DirFS], whose regular
// files are served from read-only mappings: Open returns a file that implements [fs.File],
// [io.ReaderAt], [io.Seeker] and Bytes() []byte (the mapping itself, valid until the file's Close),
// and indeed every read method of a Region. Directories implement [fs.ReadDirFile]; other kinds of
// file (devices, pipes) are served as plain [*os.File]s. Empty files open fine.
//
// The file system implements [fs.StatFS], [fs.ReadFileFS] (ReadFile returns a copy the caller
// owns), [fs.ReadDirFS] and [fs.SubFS]. Names are resolved through [os.Root]: neither ".." nor a
// symbolic link can reach outside dir (os.DirFS follows links anywhere), and the error says so.
// Invalid names are rejected with a [*fs.PathError] matching [fs.ErrInvalid], as os.DirFS rejects
// them: those [fs.ValidPath] refuses ("", "/x", "a/../b", "a/"), and those the OS cannot name (a
// NUL byte; on Windows a backslash, a colon or a reserved name such as NUL). A missing file is an
// error matching [fs.ErrNotExist]. Each call opens dir afresh, so dir need not exist until used.
func DirFS(dir string) fs.FS {
	return &dirFS{dir: dir, prefix: "."}
}

type dirFS struct {
	dir    string // the root, as given
	prefix string // for Sub: a valid path inside the root that names are relative to
}

// File is what DirFS's Open returns for a regular file: a read-only Region with the file's
// [fs.FileInfo]. Its Close unmaps the file, after which Bytes returns nil and slices it returned
// must not be used. As a Region's, its Seek refuses a position past the end with ErrOutOfRange,
// where an [*os.File] would allow it; and if the file shrinks while mapped, reads return an error
// matching ErrFault.
type File struct {
	*Region
	info fs.FileInfo
}

// Stat returns the file's information, as it was when the file was opened.
func (f *File) Stat() (fs.FileInfo, error) {
	if f.Closed() {
		return nil, &fs.PathError{Op: "stat", Path: f.info.Name(), Err: fs.ErrClosed}
	}
	return f.info, nil
}

// resolve checks name as os.DirFS does and returns it relative to the root, for op's error:
// [filepath.Localize] rejects what [fs.ValidPath] rejects, and names the OS cannot represent (a
// NUL byte; on Windows a backslash, a colon or a reserved name such as NUL).
func (d *dirFS) resolve(op, name string) (string, error) {
	local, err := filepath.Localize(name)
	if err != nil {
		return "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	return filepath.Join(filepath.FromSlash(d.prefix), local), nil
}

// openRoot resolves name for op and opens the root it lies under; the caller closes the root.
func (d *dirFS) openRoot(op, name string) (root *os.Root, full string, err error) {
	full, err = d.resolve(op, name)
	if err != nil {
		return nil, "", err
	}
	root, err = os.OpenRoot(d.dir)
	if err != nil {
		return nil, "", &fs.PathError{Op: op, Path: name, Err: err}
	}
	return root, full, nil
}

// Open opens the named file, mapping it if it is a regular file.
func (d *dirFS) Open(name string) (fs.File, error) {
	root, full, err := d.openRoot("open", name)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	f, err := root.Open(full)
	if err != nil {
		return nil, renamePathError(err, name)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	if !info.Mode().IsRegular() {
		return f, nil
	}
	defer f.Close()
	r, err := New(f, 0, &Options{Access: AccessRead})
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	return &File{Region: r, info: info}, nil
}

// Stat returns information about the named file without opening it for reading.
func (d *dirFS) Stat(name string) (fs.FileInfo, error) {
	root, full, err := d.openRoot("stat", name)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	info, err := root.Stat(full)
	return info, renamePathError(err, name)
}

// ReadFile returns a copy of the named file's contents.
func (d *dirFS) ReadFile(name string) ([]byte, error) {
	root, full, err := d.openRoot("readfile", name)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	b, err := root.ReadFile(full)
	return b, renamePathError(err, name)
}

// ReadDir returns the named directory's entries sorted by name.
func (d *dirFS) ReadDir(name string) ([]fs.DirEntry, error) {
	root, full, err := d.openRoot("readdir", name)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	f, err := root.Open(full)
	if err != nil {
		return nil, renamePathError(err, name)
	}
	defer f.Close()
	entries, err := f.ReadDir(-1)
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, renamePathError(err, name)
}

// Sub returns the file system rooted at dir inside this one; names still cannot escape the
// original root.
func (d *dirFS) Sub(dir string) (fs.FS, error) {
	if _, err := d.resolve("sub", dir); err != nil {
		return nil, err
	}
	if dir == "." {
		return d, nil
	}
	return &dirFS{dir: d.dir, prefix: path.Join(d.prefix, dir)}, nil
}

// renamePathError reports err, an *fs.PathError naming a path relative to the root, under the name
// the caller gave.
func renamePathError(err error, name string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return &fs.PathError{Op: pe.Op, Path: name, Err: pe.Err}
	}
	return err
}
