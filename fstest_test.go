package mmap_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/mmapio/mmap"
)

// treeFiles is the tree the io/fs tests build: nested directories, an empty file, a file larger
// than a few pages, names with spaces and UTF-8.
var treeFiles = map[string][]byte{
	"a.txt":                        []byte("alpha\nbeta\n"),
	"empty":                        {},
	"big.bin":                      randomBytes(3<<20+17, 7),
	"dir with space/naïve ü.txt":   []byte("crème brûlée\n"),
	"dir with space/日本語.md":        []byte("# 見出し\n"),
	"nested/deep/deeper/file.go":   []byte("package deeper\n"),
	"nested/deep/page":             bytes.Repeat([]byte{'p'}, mmap.PageSize),
	"nested/only-dir/.hidden":      []byte("h"),
	"nested/empty-dir/.keep-empty": nil, // nil: a directory with nothing in it
}

// makeTree writes treeFiles under a new temporary directory and returns it.
func makeTree(t *testing.T) string {
	t.Helper()
	dir := tempDir(t)
	for name, data := range treeFiles {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if data == nil {
			p = filepath.Dir(p)
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if data == nil {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func treeNames() []string {
	var names []string
	for name, data := range treeFiles {
		if data != nil {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

func TestDirFSTestFS(t *testing.T) {
	dir := makeTree(t)
	fsys := mmap.DirFS(dir)
	if err := fstest.TestFS(fsys, treeNames()...); err != nil {
		t.Fatal(err)
	}
	sub, err := fs.Sub(fsys, "nested")
	if err != nil {
		t.Fatal(err)
	}
	if err := fstest.TestFS(sub, "deep/deeper/file.go", "deep/page", "only-dir/.hidden"); err != nil {
		t.Fatalf("Sub(nested): %v", err)
	}
}

// TestDirFSMatchesOSDirFS walks the tree through DirFS and os.DirFS and compares every entry and
// every file's contents.
func TestDirFSMatchesOSDirFS(t *testing.T) {
	dir := makeTree(t)
	type entry struct {
		path string
		mode fs.FileMode
		size int64
		data string
	}
	walk := func(fsys fs.FS) []entry {
		var got []entry
		err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			e := entry{path: p, mode: info.Mode().Type()}
			if d.Type().IsRegular() {
				e.size = info.Size()
				b, err := fs.ReadFile(fsys, p)
				if err != nil {
					return err
				}
				e.data = string(b)
			}
			got = append(got, e)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	got, want := walk(mmap.DirFS(dir)), walk(os.DirFS(dir))
	if len(want) < len(treeNames()) {
		t.Fatalf("os.DirFS walked %d entries; the tree has %d files", len(want), len(treeNames()))
	}
	if !slices.Equal(got, want) {
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Errorf("entry %d: DirFS %q %v %d, os.DirFS %q %v %d", i, got[i].path, got[i].mode, got[i].size, want[i].path, want[i].mode, want[i].size)
			}
		}
		t.Fatalf("DirFS walked %d entries, os.DirFS %d", len(got), len(want))
	}
	for name, data := range treeFiles {
		if data == nil {
			continue
		}
		b, err := fs.ReadFile(mmap.DirFS(dir), name)
		if err != nil || !bytes.Equal(b, data) {
			t.Errorf("ReadFile(%q) = %d bytes, %v; want %d bytes", name, len(b), err, len(data))
		}
	}
}

// TestDirFSFile checks what Open returns for a regular file: a mapping with io.ReaderAt,
// io.Seeker and Bytes, and an fs.ErrClosed after Close.
func TestDirFSFile(t *testing.T) {
	dir := makeTree(t)
	fsys := mmap.DirFS(dir)
	type mapped interface {
		fs.File
		io.ReaderAt
		io.Seeker
		Bytes() []byte
	}
	for _, name := range treeNames() {
		f, err := fsys.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		m, ok := f.(mapped)
		if !ok {
			t.Fatalf("Open(%q) = %T; want a file with ReadAt, Seek and Bytes", name, f)
		}
		want := treeFiles[name]
		if !bytes.Equal(m.Bytes(), want) {
			t.Errorf("Open(%q).Bytes() = %d bytes; want %d", name, len(m.Bytes()), len(want))
		}
		info, err := m.Stat()
		if err != nil || info.Size() != int64(len(want)) || info.Name() != filepath.Base(name) || !info.Mode().IsRegular() {
			t.Errorf("Open(%q).Stat() = %v, %v", name, info, err)
		}
		if len(want) > 3 {
			buf := make([]byte, 3)
			if n, err := m.ReadAt(buf, int64(len(want)-3)); n != 3 || err != nil || !bytes.Equal(buf, want[len(want)-3:]) {
				t.Errorf("Open(%q).ReadAt(3, end-3) = %d, %v", name, n, err)
			}
			if off, err := m.Seek(-2, io.SeekEnd); off != int64(len(want)-2) || err != nil {
				t.Errorf("Open(%q).Seek(-2, end) = %d, %v", name, off, err)
			}
			if b, err := io.ReadAll(m); err != nil || !bytes.Equal(b, want[len(want)-2:]) {
				t.Errorf("Open(%q): ReadAll after Seek = %q, %v", name, b, err)
			}
		}
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Read(make([]byte, 1)); !errors.Is(err, fs.ErrClosed) {
			t.Errorf("Open(%q): Read after Close = %v; want fs.ErrClosed", name, err)
		}
		if _, err := m.Stat(); !errors.Is(err, fs.ErrClosed) {
			t.Errorf("Open(%q): Stat after Close = %v; want fs.ErrClosed", name, err)
		}
	}
	d, err := fsys.Open("nested")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, ok := d.(fs.ReadDirFile); !ok {
		t.Errorf("Open(nested) = %T; want an fs.ReadDirFile", d)
	}
}

func TestDirFSInterfaces(t *testing.T) {
	dir := makeTree(t)
	fsys := mmap.DirFS(dir)
	osfs := os.DirFS(dir)

	rf, ok := fsys.(fs.ReadFileFS)
	if !ok {
		t.Fatal("DirFS is not an fs.ReadFileFS")
	}
	b, err := rf.ReadFile("a.txt")
	if err != nil {
		t.Fatal(err)
	}
	b[0] = 'X' // the copy is the caller's: neither the file nor a second ReadFile sees this
	if again, _ := rf.ReadFile("a.txt"); !bytes.Equal(again, treeFiles["a.txt"]) {
		t.Errorf("ReadFile after changing an earlier result = %q", again)
	}
	if b, err := rf.ReadFile("empty"); err != nil || len(b) != 0 {
		t.Errorf("ReadFile(empty) = %q, %v", b, err)
	}

	sf, ok := fsys.(fs.StatFS)
	if !ok {
		t.Fatal("DirFS is not an fs.StatFS")
	}
	for _, name := range append(treeNames(), ".", "nested", "dir with space") {
		got, err := sf.Stat(name)
		want, werr := fs.Stat(osfs, name)
		if err != nil || werr != nil {
			t.Fatalf("Stat(%q) = %v; os.DirFS: %v", name, err, werr)
		}
		if got.Name() != want.Name() || got.Size() != want.Size() || got.Mode() != want.Mode() || got.IsDir() != want.IsDir() {
			t.Errorf("Stat(%q) = %s %d %v; os.DirFS: %s %d %v", name, got.Name(), got.Size(), got.Mode(), want.Name(), want.Size(), want.Mode())
		}
	}

	rd, ok := fsys.(fs.ReadDirFS)
	if !ok {
		t.Fatal("DirFS is not an fs.ReadDirFS")
	}
	for _, name := range []string{".", "nested", "nested/empty-dir", "dir with space"} {
		got, err := rd.ReadDir(name)
		want, werr := fs.ReadDir(osfs, name)
		if err != nil || werr != nil {
			t.Fatalf("ReadDir(%q) = %v; os.DirFS: %v", name, err, werr)
		}
		names := func(es []fs.DirEntry) (s []string) {
			for _, e := range es {
				s = append(s, e.Name()+"/"+e.Type().String())
			}
			return s
		}
		if !slices.Equal(names(got), names(want)) || !slices.IsSorted(names(got)) {
			t.Errorf("ReadDir(%q) = %v; os.DirFS: %v", name, names(got), names(want))
		}
	}

	if _, ok := fsys.(fs.SubFS); !ok {
		t.Fatal("DirFS is not an fs.SubFS")
	}
	sub, err := fs.Sub(fsys, "nested/deep")
	if err != nil {
		t.Fatal(err)
	}
	if b, err := fs.ReadFile(sub, "deeper/file.go"); err != nil || string(b) != "package deeper\n" {
		t.Errorf("Sub(nested/deep).ReadFile(deeper/file.go) = %q, %v", b, err)
	}
	if _, err := fs.Sub(fsys, "../x"); !errors.Is(err, fs.ErrInvalid) {
		t.Errorf("Sub(../x) = %v; want fs.ErrInvalid", err)
	}
}

// TestDirFSInvalidAndEscapes: invalid names are rejected as os.DirFS rejects them, missing ones
// are fs.ErrNotExist, and no name or symbolic link reaches outside the root.
func TestDirFSInvalidAndEscapes(t *testing.T) {
	outside := tempDir(t)
	if err := os.WriteFile(filepath.Join(outside, "secret"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := makeTree(t)
	fsys := mmap.DirFS(dir)
	osfs := os.DirFS(dir)

	invalid := []string{"", "/", "/etc/passwd", "../secret", "a.txt/..", "nested/../../secret", "./a.txt", "a.txt/", "nested//deep", "nul\x00byte"}
	if runtime.GOOS == "windows" {
		invalid = append(invalid, `nested\deep`, "c:/x", "NUL")
	}
	ops := map[string]func(fs.FS, string) error{
		"Open":     func(f fs.FS, n string) error { h, err := f.Open(n); closeIf(h); return err },
		"Stat":     func(f fs.FS, n string) error { _, err := fs.Stat(f, n); return err },
		"ReadFile": func(f fs.FS, n string) error { _, err := fs.ReadFile(f, n); return err },
		"ReadDir":  func(f fs.FS, n string) error { _, err := fs.ReadDir(f, n); return err },
	}
	for _, name := range invalid {
		for op, do := range ops {
			err := do(fsys, name)
			var pe *fs.PathError
			if !errors.Is(err, fs.ErrInvalid) || !errors.As(err, &pe) || pe.Path != name {
				t.Errorf("%s(%q) = %v; want a *PathError for it matching fs.ErrInvalid", op, name, err)
			}
			if werr := do(osfs, name); !errors.Is(werr, fs.ErrInvalid) {
				t.Errorf("%s(%q) on os.DirFS = %v: the test expects os.DirFS to reject it too", op, name, werr)
			}
		}
	}
	for op, do := range ops {
		err := do(fsys, "no/such/file")
		var pe *fs.PathError
		if !errors.Is(err, fs.ErrNotExist) || !errors.As(err, &pe) || pe.Path != "no/such/file" {
			t.Errorf("%s(no/such/file) = %v; want a *PathError matching fs.ErrNotExist", op, err)
		}
	}

	links := map[string]string{
		"abs-link":     filepath.Join(outside, "secret"),
		"rel-link":     filepath.Join("..", filepath.Base(outside), "secret"),
		"dir-link":     outside,
		"nested/up":    filepath.Join("..", ".."),
		"inside-link":  "a.txt",
		"nested/sibln": filepath.Join("..", "a.txt"),
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			t.Skipf("cannot make symbolic links here: %v", err)
		}
	}
	escapes := []string{"abs-link", "rel-link", "dir-link/secret", "nested/up/" + filepath.Base(outside) + "/secret"}
	for _, name := range escapes {
		if b, err := fs.ReadFile(osfs, name); err != nil || string(b) != "secret" {
			t.Skipf("os.DirFS ReadFile(%q) = %q, %v: symbolic links do not work here as the test needs", name, b, err)
		}
		for op, do := range ops {
			if op == "ReadDir" {
				continue
			}
			if err := do(fsys, name); err == nil {
				t.Errorf("%s(%q) through a link out of the root succeeded", op, name)
			}
		}
	}
	if _, err := fs.ReadDir(fsys, "dir-link"); err == nil {
		t.Errorf("ReadDir(dir-link) through a link out of the root succeeded")
	}
	for _, name := range []string{"inside-link", "nested/sibln"} {
		if b, err := fs.ReadFile(fsys, name); err != nil || string(b) != string(treeFiles["a.txt"]) {
			t.Errorf("ReadFile(%q) through a link inside the root = %q, %v", name, b, err)
		}
		f, err := fsys.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		if m, ok := f.(interface{ Bytes() []byte }); !ok || string(m.Bytes()) != string(treeFiles["a.txt"]) {
			t.Errorf("Open(%q) through a link inside the root = %T", name, f)
		}
		f.Close()
	}
}

func closeIf(f fs.File) {
	if f != nil {
		f.Close()
	}
}
