package mmap_test

import (
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/mmapio/mmap"
)

// Printing a Region shows what Python's repr of an mmap shows, never its bytes.
func ExampleRegion_String() {
	name := exampleLog()
	defer os.RemoveAll(filepath.Dir(name))

	r, err := mmap.Open(name)
	if err != nil {
		log.Fatal(err)
	}
	r.ReadLine()
	fmt.Println(r)
	r.Close()
	fmt.Println(r)
	// Output:
	// <mmap.Region closed=false, access=AccessRead, length=92, pos=27, offset=0>
	// <mmap.Region closed=true, access=AccessRead, length=0, pos=0, offset=0>
}

// Prefetch reads a file in before a burst of reads; Resident tells how much of it is in memory
// (on Windows: in this process's working set, which the read below puts the page in), to choose
// between the mapping and plain reads.
func ExampleRegion_Prefetch() {
	name := exampleLog()
	defer os.RemoveAll(filepath.Dir(name))

	r, err := mmap.Open(name)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	if err := r.Prefetch(); err != nil {
		log.Fatal(err)
	}
	line, _ := r.ReadLine()
	fmt.Printf("%s", line)
	pages, err := r.Resident()
	if errors.Is(err, errors.ErrUnsupported) {
		pages = 1 // this OS cannot tell (OpenBSD, Solaris, AIX)
	} else if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pages, "of 1 page in memory")
	// Output:
	// GET /index.html status=200
	// 1 of 1 page in memory
}
