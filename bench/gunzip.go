package bench

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// GzipFile is the name of the compressed text that the Gunzip workload decompresses; it is made
// on first use (see GzipPath), not by Generate.
const GzipFile = "text.gz"

// GzipMinSize is the least size of GzipFile: enough compressed text that decompressing it takes
// long against the setup of a reader.
const GzipMinSize = 16 << 20

var gzipData struct {
	once   sync.Once
	plain  int64 // the size of the decompressed text
	err    error
	forDir string
}

// GzipPath returns the path of GzipFile in d's directory, writing it first if it is missing or
// smaller than GzipMinSize: text from the generator of the other files, compressed at gzip's
// default level, as much of it as makes GzipMinSize compressed bytes. It also returns the size of
// the text.
func (d *Data) GzipPath(b *testing.B) (string, int64) {
	g := &gzipData
	g.once.Do(func() {
		g.forDir = d.Dir
		g.plain, g.err = writeGzip(d.Path(GzipFile))
	})
	if g.err != nil {
		b.Fatal(g.err)
	}
	if g.forDir != d.Dir {
		b.Fatalf("GzipPath: made for %s, asked for %s", g.forDir, d.Dir)
	}
	return d.Path(GzipFile), g.plain
}

// writeGzip writes path if it is not already a gzip file of at least GzipMinSize bytes, and
// returns the size of the text inside.
func writeGzip(path string) (int64, error) {
	if fi, err := os.Stat(path); err == nil && fi.Size() >= GzipMinSize {
		if n, err := gunzipSize(path); err == nil {
			return n, nil
		}
	}
	src := filepath.Join(filepath.Dir(path), "gzip-src.txt")
	defer os.Remove(src)
	// The text compresses about 3.3 to 1: 64 MiB makes about 19 MiB; grow if that falls short.
	for size := int64(64 << 20); ; size *= 2 {
		if _, _, _, _, err := writeText(src, size, 7); err != nil {
			return 0, err
		}
		compressed, err := gzipFile(src, path)
		if err != nil {
			return 0, err
		}
		if compressed >= GzipMinSize {
			return size, nil
		}
	}
}

func gzipFile(src, dst string) (int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return 0, err
	}
	defer out.Close()
	zw := gzip.NewWriter(out)
	if _, err := io.Copy(zw, bufio.NewReaderSize(in, 1<<20)); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	fi, err := out.Stat()
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

func gunzipSize(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return 0, err
	}
	return io.Copy(io.Discard, zr)
}

// gunzipImpls decompress GzipFile to io.Discard, as a new user would: gzip.NewReader over the
// opened file. compress/flate reads a source that is an io.ByteReader one ReadByte at a time (a
// Region is one) and wraps any other source in a bufio.Reader (an os.File is one).
func gunzipImpls() []Impl {
	pass := func(b *testing.B, src io.Reader, rewind func() error, plain int64) {
		zr := new(gzip.Reader)
		for next := cpuLoop(b); next(); {
			if err := rewind(); err != nil {
				b.Fatal(err)
			}
			if err := zr.Reset(src); err != nil {
				b.Fatal(err)
			}
			if n, err := io.Copy(io.Discard, zr); err != nil || n != plain {
				b.Fatalf("decompressed %d bytes, %v; want %d", n, err, plain)
			}
		}
	}
	size := func(b *testing.B, path string) {
		fi, err := os.Stat(path)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(fi.Size()) // compressed bytes read per second
	}
	return []Impl{
		{"osfile", "gzip.NewReader(os.File): flate wraps the file in a bufio.Reader", func(b *testing.B, d *Data) {
			path, plain := d.GzipPath(b)
			f := openFileB(b, path)
			size(b, path)
			pass(b, f, func() error { _, err := f.Seek(0, io.SeekStart); return err }, plain)
		}},
		{"region", "gzip.NewReader(region): flate calls Region.ReadByte for every compressed byte", func(b *testing.B, d *Data) {
			path, plain := d.GzipPath(b)
			r := openRegionB(b, path)
			size(b, path)
			pass(b, r, func() error { _, err := r.Seek(0, io.SeekStart); return err }, plain)
		}},
		{"region-bufio", "gzip.NewReader(bufio.NewReader(region))", func(b *testing.B, d *Data) {
			path, plain := d.GzipPath(b)
			r := openRegionB(b, path)
			br := bufio.NewReader(r)
			size(b, path)
			pass(b, br, func() error {
				_, err := r.Seek(0, io.SeekStart)
				br.Reset(r)
				return err
			}, plain)
		}},
		{"heap", "gzip.NewReader(bytes.Reader) over the compressed bytes on the heap: the limit", func(b *testing.B, d *Data) {
			path, plain := d.GzipPath(b)
			h, err := os.ReadFile(path)
			if err != nil {
				b.Fatal(err)
			}
			br := bytes.NewReader(h)
			size(b, path)
			pass(b, br, func() error { _, err := br.Seek(0, io.SeekStart); return err }, plain)
		}},
	}
}
