package mmap_test

import (
	"errors"
	"runtime"
	"testing"

	"github.com/mmapio/mmap"
)

// TestMapTimeOptionsEverywhere: Populate, NoReserve and Lock map working memory on every OS,
// except that Lock is unsupported where mappings are emulated (New fails, and leaks nothing).
func TestMapTimeOptionsEverywhere(t *testing.T) {
	for _, o := range []mmap.Options{
		{Populate: true},
		{NoReserve: true, Flags: mmap.MAP_PRIVATE},
		{Lock: true},
		{Populate: true, Lock: true, NoReserve: true},
	} {
		r, err := mmap.Anonymous(4*mmap.PageSize, &o)
		emulated := runtime.GOOS == "js" || runtime.GOOS == "wasip1" || runtime.GOOS == "plan9"
		if o.Lock && emulated {
			if !errors.Is(err, errors.ErrUnsupported) {
				t.Errorf("Anonymous with %+v = %v; want ErrUnsupported", o, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Anonymous with %+v: %v", o, err)
			continue
		}
		if _, err := r.WriteAt([]byte("works"), int64(3*mmap.PageSize)); err != nil {
			t.Errorf("%+v: WriteAt: %v", o, err)
		}
		if err := r.Close(); err != nil {
			t.Errorf("%+v: Close: %v", o, err)
		}
	}
}
