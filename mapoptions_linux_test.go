package mmap_test

import (
	"os"
	"strings"
	"testing"

	"github.com/mmapio/mmap"
)

// TestMapTimeOptions checks each of Options.Populate, NoReserve and Lock from outside the
// process's view: mincore for Populate, and /proc/self/smaps for the others.
func TestMapTimeOptions(t *testing.T) {
	page := mmap.PageSize
	const pages = 32

	t.Run("Populate", func(t *testing.T) {
		name := writeFile(t, randomBytes(pages*page, 9))
		dropCache(t, name)
		cold, err := mmap.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := cold.Resident(); err != nil || n != 0 {
			cold.Close()
			t.Skipf("the file's pages stay in the page cache: Resident() = %d, %v", n, err)
		}
		cold.Close()
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		r, err := mmap.New(f, 0, &mmap.Options{Access: mmap.AccessRead, Populate: true})
		if err != nil {
			t.Fatalf("New with Populate: %v", err)
		}
		defer r.Close()
		if n, err := r.Resident(); err != nil || n != pages {
			t.Errorf("Resident() after New with Populate = %d, %v; want all %d pages", n, err, pages)
		}
	})

	t.Run("Populate anonymous", func(t *testing.T) {
		r, err := mmap.Anonymous(pages*page, &mmap.Options{Populate: true})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if v := smapsAt(t, addrOf(r, 0)); v.kB(t, "Rss") < pages*page/1024 {
			t.Errorf("Rss: %d kB after Anonymous with Populate; want the %d kB mapped", v.kB(t, "Rss"), pages*page/1024)
		}
	})

	t.Run("NoReserve", func(t *testing.T) {
		for _, noReserve := range []bool{false, true} {
			r, err := mmap.Anonymous(pages*page, &mmap.Options{Flags: mmap.MAP_PRIVATE, NoReserve: noReserve})
			if err != nil {
				t.Fatal(err)
			}
			flags := strings.Fields(smapsAt(t, addrOf(r, 0)).fields["VmFlags"])
			r.Close()
			if has := contains(flags, "nr"); has != noReserve {
				t.Errorf("NoReserve %v: VmFlags %v; want the nr flag %v", noReserve, flags, noReserve)
			}
		}
	})

	t.Run("Lock", func(t *testing.T) {
		name := writeFile(t, randomBytes(pages*page, 10))
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		r, err := mmap.New(f, 0, &mmap.Options{Access: mmap.AccessRead, Lock: true})
		if err != nil {
			t.Fatalf("New with Lock: %v", err)
		}
		defer r.Close()
		if got := smapsAt(t, addrOf(r, 0)).kB(t, "Locked"); got != pages*page/1024 {
			t.Errorf("Locked: %d kB after New with Lock; want %d", got, pages*page/1024)
		}
	})

}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
