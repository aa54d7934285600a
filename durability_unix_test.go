//go:build unix

package mmap_test

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/mmapio/mmap"
)

// The durability tests check that writes reach the file and other mappings of it when they
// should (AccessWrite, at once through the shared page cache, without Flush), never when they
// should not (AccessCopy), that what was flushed survives SIGKILL, and that a failed Resize
// changes nothing.

const childEnv = "MMAP_TEST_CHILD"

// TestHelperProcess is not a test: it is the child process of the tests below, which run the test
// binary again with childEnv set to what the child should do.
func TestHelperProcess(t *testing.T) {
	mode := os.Getenv(childEnv)
	if mode == "" {
		t.Skip("the child process of the durability tests")
	}
	name := os.Getenv("MMAP_TEST_FILE")
	var err error
	switch mode {
	case "read": // print the file's bytes, as a region sees them, in hex
		var r *mmap.Region
		if r, err = mmap.Open(name); err == nil {
			fmt.Println(hex.EncodeToString(r.Bytes()))
			err = r.Close()
		}
	case "write": // write MMAP_TEST_DATA at MMAP_TEST_OFF through an AccessWrite region, no Flush
		var r *mmap.Region
		if r, err = mmap.OpenFile(name, mmap.AccessWrite); err == nil {
			off, _ := strconv.Atoi(os.Getenv("MMAP_TEST_OFF"))
			if _, err = r.WriteAt([]byte(os.Getenv("MMAP_TEST_DATA")), int64(off)); err == nil {
				err = r.Close()
			}
		}
	case "flush": // write page after page, flush each and say so, until killed
		err = flushUntilKilled(name)
	case "shared-fd", "shared-name": // print what shared memory holds, then write MMAP_TEST_DATA at its start
		err = writeShared(mode)
	default:
		err = fmt.Errorf("unknown child mode %q", mode)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	os.Exit(0)
}

// writeShared maps the shared memory the parent made, from descriptor 3 (shared-fd) or by the name
// MMAP_TEST_FILE (shared-name), prints its first bytes, and writes MMAP_TEST_DATA at its start.
func writeShared(mode string) error {
	var r *mmap.Region
	var err error
	if mode == "shared-fd" {
		r, err = mmap.New(os.NewFile(3, "inherited"), 0, &mmap.Options{Access: mmap.AccessWrite})
	} else {
		r, err = mmap.Shared(os.Getenv("MMAP_TEST_FILE"), 0, nil)
	}
	if err != nil {
		return err
	}
	data := os.Getenv("MMAP_TEST_DATA")
	fmt.Printf("%s\n", r.Bytes()[:len(data)])
	if _, err := r.WriteAt([]byte(data), 0); err != nil {
		return err
	}
	return r.Close()
}

// flushPattern is what page k holds once the flushing child has written it.
func flushPattern(k int) []byte {
	p := bytes.Repeat([]byte{byte(k%250) + 1}, mmap.PageSize)
	copy(p, fmt.Sprintf("page %d\n", k))
	return p
}

func flushUntilKilled(name string) error {
	r, err := mmap.OpenFile(name, mmap.AccessWrite)
	if err != nil {
		return err
	}
	pages := r.Len() / mmap.PageSize
	for k := range pages {
		p := flushPattern(k)
		// Byte by byte, so that a kill can land in the middle of a page.
		for i, c := range p {
			r.Bytes()[k*mmap.PageSize+i] = c
		}
		if err := r.Flush(k*mmap.PageSize, mmap.PageSize); err != nil {
			return err
		}
		fmt.Println(k)
	}
	select {} // wait for the kill
}

// child starts the test binary as a child in mode.
func child(t *testing.T, mode string, env ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), append([]string{childEnv + "=" + mode}, env...)...)
	cmd.Stderr = os.Stderr
	return cmd
}

// TestWriteThrough writes through an AccessWrite region without Flush and reads the bytes back
// through os.ReadFile, a second region on the same file, and a child process; then the child
// writes and the first region sees it.
func TestWriteThrough(t *testing.T) {
	data := randomBytes(3*mmap.PageSize+11, 42)
	r, name := mapFile(t, data, mmap.AccessWrite)
	other, err := mmap.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()

	writes := []struct {
		off  int64
		data string
	}{
		{0, "first bytes"},
		{int64(mmap.PageSize - 3), "across a page boundary"},
		{int64(len(data) - 4), "last"},
	}
	for _, w := range writes {
		if n, err := r.WriteAt([]byte(w.data), w.off); n != len(w.data) || err != nil {
			t.Fatalf("WriteAt(%d, %d) = %d, %v", len(w.data), w.off, n, err)
		}
		copy(data[w.off:], w.data)
	}
	if _, err := r.Seek(100, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	if _, err := r.WriteString("cursor write"); err != nil {
		t.Fatal(err)
	}
	copy(data[100:], "cursor write")

	if got, err := os.ReadFile(name); err != nil || !bytes.Equal(got, data) {
		t.Errorf("os.ReadFile after writes without Flush: equal %v, %v", bytes.Equal(got, data), err)
	}
	if !bytes.Equal(other.Bytes(), data) {
		t.Errorf("a second region on the file does not see the writes")
	}
	out, err := child(t, "read", "MMAP_TEST_FILE="+name).Output()
	if err != nil {
		t.Fatalf("child: %v", err)
	}
	if got, err := hex.DecodeString(strings.TrimSpace(string(out))); err != nil || !bytes.Equal(got, data) {
		t.Errorf("a child process's region does not see the writes (%d bytes, %v)", len(got), err)
	}

	// And back: a child writes, both regions here see it at once.
	cmd := child(t, "write", "MMAP_TEST_FILE="+name, "MMAP_TEST_OFF=5000", "MMAP_TEST_DATA=from the child")
	if err := cmd.Run(); err != nil {
		t.Fatalf("child: %v", err)
	}
	for _, reg := range []*mmap.Region{r, other} {
		got := make([]byte, 14)
		if n, err := reg.ReadAt(got, 5000); n != 14 || err != nil || string(got) != "from the child" {
			t.Errorf("ReadAt(14, 5000) after a child's write = %d, %v, %q; want %q", n, err, got, "from the child")
		}
	}
}

// TestFlushedSurvivesKill has a child write and flush page after page of a file, and kills it
// with SIGKILL partway: every page the child reported flushed is in the file.
func TestFlushedSurvivesKill(t *testing.T) {
	pages := 1024
	if testing.Short() {
		pages = 256
	}
	name := writeFile(t, make([]byte, pages*mmap.PageSize))
	cmd := child(t, "flush", "MMAP_TEST_FILE="+name)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stdout)
	flushed := -1
	killAt := pages / 3
	for lines.Scan() {
		k, err := strconv.Atoi(lines.Text())
		if err != nil {
			t.Fatalf("child said %q", lines.Text())
		}
		flushed = k
		if k == killAt {
			break
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, stdout)
	err = cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child ended with %v; want killed by SIGKILL", err)
	}
	if flushed < 0 {
		t.Fatal("the child flushed nothing")
	}
	got, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != pages*mmap.PageSize {
		t.Fatalf("the file has %d bytes; want %d", len(got), pages*mmap.PageSize)
	}
	for k := 0; k <= flushed; k++ {
		if page := got[k*mmap.PageSize : (k+1)*mmap.PageSize]; !bytes.Equal(page, flushPattern(k)) {
			t.Fatalf("page %d, reported flushed before SIGKILL, holds %q...; want %q...", k, page[:12], flushPattern(k)[:12])
		}
	}
	t.Logf("child killed after flushing %d of %d pages; all %d are in the file", flushed+1, pages, flushed+1)
}

// TestCopyNeverReachesFile changes an AccessCopy region by every writing method and checks,
// while the region is open and after Close, that the file and another region on it never change.
func TestCopyNeverReachesFile(t *testing.T) {
	data := randomBytes(2*mmap.PageSize+5, 9)
	r, name := mapFile(t, data, mmap.AccessCopy)
	other, err := mmap.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	steps := []struct {
		name string
		do   func() error
	}{
		{"Write", func() error { _, err := r.Write([]byte("written")); return err }},
		{"WriteString", func() error { _, err := r.WriteString("string"); return err }},
		{"WriteByte", func() error { return r.WriteByte('B') }},
		{"WriteAt", func() error { _, err := r.WriteAt([]byte("at the end"), int64(len(data)-10)); return err }},
		{"Move", func() error { return r.Move(mmap.PageSize, 0, mmap.PageSize) }},
		{"ReadFrom", func() error { _, err := r.ReadFrom(strings.NewReader("read from")); return err }},
		{"Bytes", func() error { r.Bytes()[mmap.PageSize+1] ^= 0xff; return nil }},
		{"Flush", func() error { return r.Flush() }},
		{"Flush(0, 10)", func() error { return r.Flush(0, 10) }},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s on AccessCopy: %v", s.name, err)
		}
		if got, err := os.ReadFile(name); err != nil || !bytes.Equal(got, data) {
			t.Fatalf("after %s on AccessCopy the file changed", s.name)
		}
		if !bytes.Equal(other.Bytes(), data) {
			t.Fatalf("after %s on AccessCopy another region on the file sees a change", s.name)
		}
	}
	if bytes.Equal(r.Bytes(), data) {
		t.Fatal("the AccessCopy region did not change: the test proves nothing")
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(name); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("after Close of an AccessCopy region the file changed")
	}
	fresh, err := mmap.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	if !bytes.Equal(fresh.Bytes(), data) {
		t.Fatalf("a new region on the file sees an AccessCopy region's writes")
	}
}
