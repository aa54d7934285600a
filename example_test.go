package mmap_test

import (
	"bufio"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"regexp"

	"github.com/mmapio/mmap"
)

// exampleFile writes a small log file for the examples and returns its name.
func exampleFile() string {
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

// Search a file with regexp without reading it into memory.
func ExampleRegion_FindAll() {
	name := exampleFile()
	defer os.RemoveAll(filepath.Dir(name))

	r, err := mmap.Open(name)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()

	re := regexp.MustCompile(`(\S+) status=(5\d\d)`)
	for m := range r.FindAll(re) {
		fmt.Printf("offset %d: %s answered %s\n", m[0], r.Bytes()[m[2]:m[3]], r.Bytes()[m[4]:m[5]])
	}
	if err := r.Err(); err != nil { // the file shrank under the mapping
		log.Fatal(err)
	}
	// Output:
	// offset 56: /api answered 503
	// offset 76: /api answered 502
}

// A Region reads like a file, with a cursor, as Python's mmap does.
func ExampleRegion_ReadLine() {
	name := exampleFile()
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
	name := exampleFile()
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
