package mmap_test

import (
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/mmapio/mmap"
)

// TestNoTrackFD maps a file without keeping a descriptor of it (Python's trackfd=False): the
// caller's file can be closed at once, reads, writes and Flush work and reach the file, and Size,
// Resize and File say that they need the descriptor.
func TestNoTrackFD(t *testing.T) {
	name := writeFile(t, []byte("0123456789abcdef"))
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	before := openFDs(t)
	r, err := mmap.New(f, 0, &mmap.Options{Access: mmap.AccessWrite, NoTrackFD: true})
	switch runtime.GOOS {
	case "windows", "js", "wasip1", "plan9":
		f.Close()
		if !errors.Is(err, errors.ErrUnsupported) || !strings.Contains(err.Error(), "NoTrackFD") {
			t.Fatalf("New with NoTrackFD on %s = %v; want ErrUnsupported naming NoTrackFD", runtime.GOOS, err)
		}
		return
	}
	if err != nil {
		t.Fatalf("New with NoTrackFD: %v", err)
	}
	defer r.Close()
	if after := openFDs(t); before >= 0 && after != before {
		t.Errorf("New with NoTrackFD holds %d more descriptors; want none", after-before)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	got := make([]byte, 4)
	if n, err := r.ReadAt(got, 10); n != 4 || err != nil || string(got) != "abcd" {
		t.Errorf("ReadAt(4, 10) = %d, %v, %q; want 4, nil, abcd", n, err, got)
	}
	if n, err := r.WriteAt([]byte("WXYZ"), 2); n != 4 || err != nil {
		t.Errorf("WriteAt(4, 2) = %d, %v", n, err)
	}
	if err := r.Flush(); err != nil {
		t.Errorf("Flush() = %v", err)
	}
	if b, err := os.ReadFile(name); err != nil || string(b) != "01WXYZ6789abcdef" {
		t.Errorf("the file holds %q, %v; want the write", b, err)
	}

	for _, tc := range []struct {
		method string
		err    error
	}{
		{"Size", func() error { _, err := r.Size(); return err }()},
		{"Resize", r.Resize(32)},
		{"File", func() error {
			f, err := r.File()
			if err == nil {
				f.Close()
			}
			return err
		}()},
	} {
		if !errors.Is(tc.err, errors.ErrUnsupported) || !strings.Contains(tc.err.Error(), tc.method) || !strings.Contains(tc.err.Error(), "NoTrackFD") {
			t.Errorf("%s with NoTrackFD = %v; want ErrUnsupported naming %s and NoTrackFD", tc.method, tc.err, tc.method)
		}
	}
	if r.Len() != 16 {
		t.Errorf("after the refused Resize, Len() = %d; want 16", r.Len())
	}
	if err := r.Close(); err != nil {
		t.Errorf("Close() = %v", err)
	}
	if _, err := r.Size(); !errors.Is(err, mmap.ErrClosed) {
		t.Errorf("Size() after Close = %v; want ErrClosed", err)
	}
}

// TestNoTrackFDAnonymous: Anonymous ignores NoTrackFD, having no file.
func TestNoTrackFDAnonymous(t *testing.T) {
	r, err := mmap.Anonymous(100, &mmap.Options{NoTrackFD: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if size, err := r.Size(); size != 100 || err != nil {
		t.Errorf("Size() = %d, %v; want 100, nil", size, err)
	}
	if runtime.GOOS != "js" && runtime.GOOS != "wasip1" && runtime.GOOS != "plan9" {
		if err := r.Resize(200); err != nil {
			t.Errorf("Resize(200) = %v", err)
		}
	}
}
