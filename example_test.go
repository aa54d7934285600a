package mmap_test

import (
	"bufio"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"github.com/mmapio/mmap"
)

// exampleLog writes a small log file for the examples and returns its name.
func exampleLog() string {
	dir, err := os.MkdirTemp("", "mmap-example-")
	if err != nil {
		log.Fatal(err)
	}
	name := filepath.Join(dir, "access.log")
	data := "GET /index.html status=200\nGET /missing status=404\nPOST /api status=503\nGET /api status=502\n"
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		log.Fatal(err)
	}
	return name
}

// A Region reads like a file, with a cursor, as Python's mmap does.
func ExampleRegion_ReadLine() {
	name := exampleLog()
	defer os.RemoveAll(filepath.Dir(name))

	r, err := mmap.Open(name)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()

	if _, err := r.Seek(int64(r.Find([]byte("POST"))), io.SeekStart); err != nil {
		log.Fatal(err)
	}
	for {
		line, err := r.ReadLine()
		if err == io.EOF {
			break
		}
		fmt.Printf("%q\n", line)
	}
	// Output:
	// "POST /api status=503\n"
	// "GET /api status=502\n"
}

// Writes through an AccessWrite region reach the file; Resize grows it.
func ExampleRegion_Resize() {
	name := exampleLog()
	defer os.RemoveAll(filepath.Dir(name))

	r, err := mmap.OpenFile(name, mmap.AccessWrite)
	if err != nil {
		log.Fatal(err)
	}
	copy(r.Bytes(), "PUT")
	if err := r.Resize(r.Len() + 5); err != nil {
		log.Fatal(err)
	}
	r.Seek(-5, io.SeekEnd)
	r.WriteString("done\n")
	if err := r.Close(); err != nil {
		log.Fatal(err)
	}

	f, _ := os.Open(name)
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		fmt.Println(s.Text())
	}
	// Output:
	// PUT /index.html status=200
	// GET /missing status=404
	// POST /api status=503
	// GET /api status=502
	// done
}

// Anonymous memory, and the errors a Region reports.
func ExampleAnonymous() {
	r, err := mmap.Anonymous(4, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()

	n, err := r.Write([]byte("hello"))
	fmt.Println(n, err)
	r.Write([]byte("hey!"))
	fmt.Printf("%s\n", r.Bytes())
	// Output:
	// 0 mmap: Region.Write(len=5): out of range: 5 bytes at offset 0 do not fit a region of length 4
	// hey!
}
