//go:build unix

package mmap_test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mmapio/mmap"
)

// The fault tests take a file away from under a live mapping, so that touching its last pages
// raises SIGBUS, and check that every method that touches memory reports ErrFault instead, that
// the process lives on, and that the part still backed by the file works as before.

// faultPages is the mapped length in pages; after the file shrinks only the first page is backed.
const faultPages = 3

// faultContent is what the mapped file holds: text lines, none of which contains "zz".
func faultContent() []byte {
	return bytes.Repeat([]byte("0123456789abcdef ghijklmnopqrstu\n"), faultPages*mmap.PageSize/33+1)[:faultPages*mmap.PageSize]
}

// A faultScenario maps a file of faultPages pages with AccessWrite and then takes away all but
// the first page. It returns the region and the file's name.
type faultScenario struct {
	name  string
	setup func(t *testing.T) (*mmap.Region, string)
}

var faultScenarios = []faultScenario{
	{"truncated", func(t *testing.T) (*mmap.Region, string) {
		r, name := mapFile(t, faultContent(), mmap.AccessWrite)
		if err := os.Truncate(name, int64(mmap.PageSize)); err != nil {
			t.Fatal(err)
		}
		return r, name
	}},
	{"extended then truncated", func(t *testing.T) (*mmap.Region, string) {
		content := faultContent()
		r, name := mapFile(t, content[:mmap.PageSize], mmap.AccessWrite)
		if err := r.Resize(len(content)); err != nil {
			t.Fatal(err)
		}
		if n, err := r.WriteAt(content[mmap.PageSize:], int64(mmap.PageSize)); err != nil {
			t.Fatalf("WriteAt = %d, %v", n, err)
		}
		if err := os.Truncate(name, int64(5*mmap.PageSize)); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(name, int64(mmap.PageSize)); err != nil {
			t.Fatal(err)
		}
		return r, name
	}},
	{"replaced in place", func(t *testing.T) (*mmap.Region, string) {
		// What cp(1) or os.WriteFile does to an existing file: truncate it, write the new
		// contents. The new file is one page long and starts like the old one.
		content := faultContent()
		r, name := mapFile(t, content, mmap.AccessWrite)
		if err := os.WriteFile(name, content[:mmap.PageSize], 0o644); err != nil {
			t.Fatal(err)
		}
		return r, name
	}},
}

// faultCall touches the unbacked part of a region through one method and returns the error it
// reports (for methods without an error result, what Err reports).
type faultCall struct {
	method string
	call   func(t *testing.T, r *mmap.Region) error
}

// beyond is an offset inside the unbacked part.
func beyond() int { return 2 * mmap.PageSize }

var faultCalls = []faultCall{
	{"Read", func(t *testing.T, r *mmap.Region) error {
		seekTo(t, r, beyond())
		_, err := r.Read(make([]byte, 100))
		return err
	}},
	{"Read across the edge", func(t *testing.T, r *mmap.Region) error {
		seekTo(t, r, mmap.PageSize-10)
		_, err := r.Read(make([]byte, 100))
		return err
	}},
	{"ReadAt", func(t *testing.T, r *mmap.Region) error {
		_, err := r.ReadAt(make([]byte, 10), int64(beyond()))
		return err
	}},
	{"ReadAt across the edge", func(t *testing.T, r *mmap.Region) error {
		_, err := r.ReadAt(make([]byte, 2*mmap.PageSize), 0)
		return err
	}},
	{"ReadByte", func(t *testing.T, r *mmap.Region) error {
		seekTo(t, r, beyond())
		_, err := r.ReadByte()
		return err
	}},
	{"ReadRune", func(t *testing.T, r *mmap.Region) error {
		seekTo(t, r, beyond())
		_, _, err := r.ReadRune()
		return err
	}},
	{"ReadLine", func(t *testing.T, r *mmap.Region) error {
		seekTo(t, r, beyond())
		_, err := r.ReadLine()
		return err
	}},
	{"ReadLine across the edge", func(t *testing.T, r *mmap.Region) error {
		seekTo(t, r, mmap.PageSize-1)
		_, err := r.ReadLine()
		return err
	}},
	{"WriteTo", func(t *testing.T, r *mmap.Region) error {
		var buf bytes.Buffer
		n, err := r.WriteTo(&buf)
		if n > int64(mmap.PageSize) {
			t.Errorf("WriteTo wrote %d bytes; only %d are backed", n, mmap.PageSize)
		}
		return err
	}},
	{"WriteTo a file", func(t *testing.T, r *mmap.Region) error {
		// write(2) meets the unbacked pages as EFAULT, not as a signal.
		f, err := os.Create(filepath.Join(tempDir(t), "out"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		seekTo(t, r, mmap.PageSize/2)
		_, err = r.WriteTo(f)
		return err
	}},
	{"Write", func(t *testing.T, r *mmap.Region) error {
		seekTo(t, r, beyond())
		_, err := r.Write([]byte("written"))
		return err
	}},
	{"WriteString", func(t *testing.T, r *mmap.Region) error {
		seekTo(t, r, beyond())
		_, err := r.WriteString("written")
		return err
	}},
	{"WriteByte", func(t *testing.T, r *mmap.Region) error {
		seekTo(t, r, beyond())
		return r.WriteByte('w')
	}},
	{"WriteAt", func(t *testing.T, r *mmap.Region) error {
		_, err := r.WriteAt([]byte("written"), int64(beyond()))
		return err
	}},
	{"ReadFrom", func(t *testing.T, r *mmap.Region) error {
		seekTo(t, r, beyond())
		_, err := r.ReadFrom(strings.NewReader("written"))
		return err
	}},
	// The kernel copies into and out of the mapping for read(2) and write(2): it meets the
	// unbacked pages as EFAULT, not as a signal, whatever the descriptor is.
	{"ReadFrom a file", func(t *testing.T, r *mmap.Region) error {
		seekTo(t, r, beyond())
		_, err := r.ReadFrom(fileSource(t, kernelCopyData()))
		return err
	}},
	{"ReadFrom a file across the edge", func(t *testing.T, r *mmap.Region) error {
		// The source starts with the bytes the backed page ends with, so that what lands
		// before the fault leaves the page as checkBackedPart expects it.
		seekTo(t, r, mmap.PageSize-10)
		data := append(faultContent()[mmap.PageSize-10:mmap.PageSize], kernelCopyData()...)
		n, err := r.ReadFrom(fileSource(t, data))
		if n != 10 {
			t.Errorf("ReadFrom across the edge = %d; want the 10 bytes before the unbacked page", n)
		}
		return err
	}},
	{"ReadFrom a pipe", func(t *testing.T, r *mmap.Region) error {
		seekTo(t, r, beyond())
		_, err := r.ReadFrom(pipeSource(t, kernelCopyData()))
		return err
	}},
	{"ReadFrom a socket", func(t *testing.T, r *mmap.Region) error {
		seekTo(t, r, beyond())
		_, err := r.ReadFrom(socketSource(t, kernelCopyData()))
		return err
	}},
	{"WriteTo a pipe", func(t *testing.T, r *mmap.Region) error {
		_, w := pipePair(t)
		seekTo(t, r, mmap.PageSize/2)
		_, err := r.WriteTo(w)
		return err
	}},
	{"WriteTo a socket", func(t *testing.T, r *mmap.Region) error {
		w, _ := socketPair(t)
		seekTo(t, r, mmap.PageSize/2)
		_, err := r.WriteTo(w)
		return err
	}},
	{"Move from", func(t *testing.T, r *mmap.Region) error {
		return r.Move(0, beyond(), 10)
	}},
	{"Move to", func(t *testing.T, r *mmap.Region) error {
		return r.Move(beyond(), 0, 10)
	}},
	{"Find", func(t *testing.T, r *mmap.Region) error {
		if i := r.Find([]byte("zz"), 0); i != -1 {
			t.Errorf("Find = %d; want -1", i)
		}
		return r.Err()
	}},
	{"RFind", func(t *testing.T, r *mmap.Region) error {
		if i := r.RFind([]byte("0123"), 0); i != -1 {
			t.Errorf("RFind = %d; want -1", i)
		}
		return r.Err()
	}},
	{"Search", func(t *testing.T, r *mmap.Region) error {
		if loc := r.Search(regexp.MustCompile(`z+`)); loc != nil {
			t.Errorf("Search = %v; want nil", loc)
		}
		return r.Err()
	}},
	{"FindAll", func(t *testing.T, r *mmap.Region) error {
		n := 0
		for range r.FindAll(regexp.MustCompile(`\n`)) {
			n++
		}
		if max := mmap.PageSize/33 + 1; n > max {
			t.Errorf("FindAll yielded %d matches; only %d lie in the backed part", n, max)
		}
		return r.Err()
	}},
	{"At", func(t *testing.T, r *mmap.Region) error {
		if c := r.At(beyond()); c != 0 {
			t.Errorf("At = %q; want 0", c)
		}
		return r.Err()
	}},
	{"Guard", func(t *testing.T, r *mmap.Region) error {
		return r.Guard(func(b []byte) error {
			var sum byte
			for _, c := range b {
				sum += c
			}
			if sum == 0 {
				return nil // keep the loop
			}
			return errors.New("Guard's function returned after reading unbacked memory")
		})
	}},
}

// kernelCopyData is what the file, pipe and socket sources hold: enough to reach past the backed
// page from anywhere in it, and less than a pipe's or socket's buffer, so that writing it never
// blocks.
func kernelCopyData() []byte { return bytes.Repeat([]byte("from the kernel\n"), mmap.PageSize/16+2) }

// fileSource returns an *os.File open for reading at the start of a file that holds data.
func fileSource(t *testing.T, data []byte) *os.File {
	t.Helper()
	name := filepath.Join(tempDir(t), "source")
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// pipePair returns both ends of a pipe, closed when the test ends.
func pipePair(t *testing.T) (r, w *os.File) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })
	return r, w
}

// pipeSource returns the read end of a pipe that holds data and then ends.
func pipeSource(t *testing.T, data []byte) *os.File {
	t.Helper()
	r, w := pipePair(t)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return r
}

// socketPair returns both ends of a TCP connection over the loopback interface, closed when the
// test ends.
func socketPair(t *testing.T) (a, b net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no loopback socket: %v", err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	a, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	b = <-accepted
	if b == nil {
		a.Close()
		t.Fatal("Accept failed")
	}
	t.Cleanup(func() { a.Close(); b.Close() })
	return a, b
}

// socketSource returns one end of a TCP connection whose other end sent data and closed.
func socketSource(t *testing.T, data []byte) net.Conn {
	t.Helper()
	src, peer := socketPair(t)
	if _, err := peer.Write(data); err != nil {
		t.Fatal(err)
	}
	peer.Close()
	return src
}

func seekTo(t *testing.T, r *mmap.Region, off int) {
	t.Helper()
	if _, err := r.Seek(int64(off), io.SeekStart); err != nil {
		t.Fatal(err)
	}
}

func TestFaults(t *testing.T) {
	for _, sc := range faultScenarios {
		for _, fc := range faultCalls {
			t.Run(sc.name+"/"+fc.method, func(t *testing.T) {
				r, name := sc.setup(t)
				err := fc.call(t, r)
				method := strings.Fields(fc.method)[0]
				if !errors.Is(err, mmap.ErrFault) {
					t.Fatalf("%s over a %s file: error %v (%s); want ErrFault", fc.method, sc.name, err, errClass(err))
				}
				t.Log(err)
				if method != "Guard" && !strings.Contains(err.Error(), method) {
					t.Errorf("%s: error %q does not name the method", fc.method, err)
				}
				checkBackedPart(t, r, name)
			})
		}
	}
}

// checkBackedPart checks that the first page, still backed by the file, reads, writes, searches
// and flushes as before the fault.
func checkBackedPart(t *testing.T, r *mmap.Region, name string) {
	t.Helper()
	want := faultContent()[:mmap.PageSize]
	got := make([]byte, mmap.PageSize)
	if n, err := r.ReadAt(got, 0); n != len(got) || err != nil || !bytes.Equal(got, want) {
		t.Fatalf("after the fault: ReadAt(%d, 0) = %d, %v; equal %v; want %d, nil", len(got), n, err, bytes.Equal(got, want), len(got))
	}
	if i := r.Find([]byte("ghij"), 0, mmap.PageSize); i != 17 {
		t.Errorf("after the fault: Find(ghij, 0, %d) = %d; want 17", mmap.PageSize, i)
	}
	seekTo(t, r, 0)
	if line, err := r.ReadLine(); err != nil || !bytes.Equal(line, want[:33]) {
		t.Errorf("after the fault: ReadLine() = %q, %v; want %q", line, err, want[:33])
	}
	if n, err := r.WriteAt([]byte("AFTER"), 100); n != 5 || err != nil {
		t.Errorf("after the fault: WriteAt(5, 100) = %d, %v; want 5, nil", n, err)
	}
	if err := r.Flush(0, mmap.PageSize); err != nil {
		t.Errorf("after the fault: Flush(0, %d) = %v", mmap.PageSize, err)
	}
	file, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if len(file) < 105 || string(file[100:105]) != "AFTER" {
		t.Errorf("after the fault: the file does not hold what WriteAt wrote")
	}
	// The region grows back over a file that grows back.
	if err := r.Resize(2 * mmap.PageSize); err != nil {
		t.Fatalf("after the fault: Resize(%d) = %v", 2*mmap.PageSize, err)
	}
	if c := r.At(2*mmap.PageSize - 1); c != 0 {
		t.Errorf("after Resize: At(%d) = %q; want 0", 2*mmap.PageSize-1, c)
	}
	if err := r.Close(); err != nil {
		t.Errorf("Close after a fault = %v", err)
	}
}

// TestDeletedAndReplaced removes the mapped file and puts a new, shorter one in its place. The
// mapping keeps the old file's data (the OS keeps a deleted file alive while it is mapped): no
// fault, the old bytes, and writes that never reach the new file.
func TestDeletedAndReplaced(t *testing.T) {
	content := faultContent()
	for _, access := range []mmap.Access{mmap.AccessRead, mmap.AccessWrite, mmap.AccessCopy} {
		t.Run(access.String(), func(t *testing.T) {
			r, name := mapFile(t, content, access)
			if err := os.Remove(name); err != nil {
				t.Fatal(err)
			}
			replacement := []byte("a new file\n")
			if err := os.WriteFile(name, replacement, 0o644); err != nil {
				t.Fatal(err)
			}
			got := make([]byte, len(content))
			if n, err := r.ReadAt(got, 0); n != len(content) || err != nil || !bytes.Equal(got, content) {
				t.Fatalf("ReadAt(%d, 0) = %d, %v; equal %v; want the old file's bytes", len(got), n, err, bytes.Equal(got, content))
			}
			if i := r.RFind([]byte("0123"), 0); i < len(content)-2*33 {
				t.Errorf("RFind(0123) = %d; want a match in the last lines", i)
			}
			var buf bytes.Buffer
			if n, err := r.WriteTo(&buf); n != int64(len(content)) || err != nil {
				t.Errorf("WriteTo = %d, %v; want %d, nil", n, err, len(content))
			}
			if access != mmap.AccessRead {
				if n, err := r.WriteAt([]byte("OLD"), int64(beyond())); n != 3 || err != nil {
					t.Errorf("WriteAt(3, %d) = %d, %v; want 3, nil", beyond(), n, err)
				}
				if err := r.Flush(); err != nil {
					t.Errorf("Flush() = %v", err)
				}
			}
			if err := r.Err(); err != nil {
				t.Errorf("Err() = %v", err)
			}
			if err := r.Close(); err != nil {
				t.Errorf("Close() = %v", err)
			}
			if b, err := os.ReadFile(name); err != nil || !bytes.Equal(b, replacement) {
				t.Errorf("the new file holds %q, %v; want %q", b, err, replacement)
			}
		})
	}
}
