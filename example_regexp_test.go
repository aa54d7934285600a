package mmap_test

import (
	"bytes"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"regexp"

	"github.com/mmapio/mmap"
)

// exampleFile writes data to a file in a new temporary directory and returns its name; the
// caller removes the directory.
func exampleFile(data string) (dir, name string) {
	dir, err := os.MkdirTemp("", "mmap-example")
	if err != nil {
		log.Fatal(err)
	}
	name = filepath.Join(dir, "access.log")
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		log.Fatal(err)
	}
	return dir, name
}

func ExampleRegion_FindAll() {
	dir, name := exampleFile("GET /a status=200\nGET /b status=503\nGET /c status=500\n")
	defer os.RemoveAll(dir)

	r, err := mmap.Open(name)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()

	re := regexp.MustCompile(`GET (\S+) status=(5\d\d)`)
	for loc := range r.FindAll(re) { // absolute offsets, no copy of the file
		b := r.Bytes()
		fmt.Printf("%d: %s %s\n", loc[0], b[loc[2]:loc[3]], b[loc[4]:loc[5]])
	}
	if err := r.Err(); err != nil { // the file shrank under the mapping
		log.Fatal(err)
	}
	// Output:
	// 18: /b 503
	// 36: /c 500
}

// Search takes Python's pos and endpos, but the text it sees starts at pos: ^ matches there,
// where Python's re would not.
func ExampleRegion_Search() {
	dir, name := exampleFile("key=value")
	defer os.RemoveAll(dir)

	r, err := mmap.Open(name)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()

	fmt.Println(r.Search(regexp.MustCompile(`^\w+`)))
	fmt.Println(r.Search(regexp.MustCompile(`^\w+`), 4))
	fmt.Println(r.Search(regexp.MustCompile(`=`), 4))
	// Output:
	// [0 3]
	// [4 9]
	// []
}

// Guard runs any function over the mapping; if the file is truncated meanwhile, the fault comes
// back as an error matching ErrFault.
func ExampleRegion_Guard() {
	dir, name := exampleFile("one ERROR, two ERROR, three")
	defer os.RemoveAll(dir)

	r, err := mmap.Open(name)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()

	var n int
	err = r.Guard(func(b []byte) error {
		n = bytes.Count(b, []byte("ERROR"))
		return nil
	})
	fmt.Println(n, err)
	// Output:
	// 2 <nil>
}

func ExampleDirFS() {
	dir, _ := exampleFile("GET /a status=200\n")
	defer os.RemoveAll(dir)

	fsys := mmap.DirFS(dir)
	f, err := fsys.Open("access.log")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	mapped := f.(interface{ Bytes() []byte }) // the mapping itself
	fmt.Printf("%q\n", mapped.Bytes()[:5])

	_, err = fsys.Open("../etc/passwd")
	fmt.Println(err)
	// Output:
	// "GET /"
	// open ../etc/passwd: invalid argument
}
