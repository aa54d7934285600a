package mmap_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mmapio/mmap"
)

// Close and Resize may race any method (the package documentation): the tests here run them against goroutines
// hammering the concurrent-safe methods, for a bounded time, and are meant for -race.

// racePattern is the byte a racing reader must see at offset i (or 0, past a shrink and regrow).
func racePattern(i int) byte { return byte(i%251) + 1 }

func raceContent(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = racePattern(i)
	}
	return b
}

// raceFixtures are the regions the race tests run over.
var raceFixtures = []struct {
	name string
	make func(t *testing.T, data []byte) *mmap.Region
}{
	{"AccessWrite", func(t *testing.T, data []byte) *mmap.Region {
		r, _ := mapFile(t, data, mmap.AccessWrite)
		return r
	}},
	{"Anonymous", func(t *testing.T, data []byte) *mmap.Region {
		r, err := mmap.Anonymous(len(data), nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		copy(r.Bytes(), data)
		return r
	}},
}

// TestCloseRace closes a region while goroutines run ReadAt, WriteAt, Find, RFind, Search, FindAll, At,
// Bytes, Len, Guard and Size on it, many times over. Before Close they must see the data, after it
// only ErrClosed (and -1, nil, 0); no call may touch unmapped memory.
func TestCloseRace(t *testing.T) {
	needPreemption(t)
	const size = 64 << 10
	rounds := 40
	if testing.Short() {
		rounds = 8
	}
	data := raceContent(size)
	calls := map[string]*atomic.Int64{}
	var callsMu sync.Mutex
	count := func(name string) {
		callsMu.Lock()
		c := calls[name]
		if c == nil {
			c = new(atomic.Int64)
			calls[name] = c
		}
		callsMu.Unlock()
		c.Add(1)
	}
	re := regexp.MustCompile(`\x01\x02\x03`)
	for _, fx := range raceFixtures {
		t.Run(fx.name, func(t *testing.T) {
			for round := range rounds {
				r := fx.make(t, data)
				var wg sync.WaitGroup
				errs := make(chan error, 100)
				report := func(format string, args ...any) {
					select {
					case errs <- fmt.Errorf(format, args...):
					default:
					}
				}
				workers := []func(i int) bool{
					func(i int) bool { // ReadAt
						p := make([]byte, 512)
						off := (i * 4099) % (size - len(p))
						n, err := r.ReadAt(p, int64(off))
						switch {
						case err == nil:
							if n != len(p) || p[0] != racePattern(off) && p[0] != 'W' {
								report("ReadAt(%d, %d) = %d, nil; data %d, want %d", len(p), off, n, p[0], racePattern(off))
							}
							return true
						case errors.Is(err, mmap.ErrClosed) && n == 0:
							return false
						}
						report("ReadAt(%d, %d) = %d, %v; want ErrClosed", len(p), off, n, err)
						return false
					},
					func(i int) bool { // WriteAt
						off := (i * 7919) % (size - 8)
						n, err := r.WriteAt([]byte("WWWWWWWW"), int64(off))
						switch {
						case err == nil && n == 8:
							return true
						case errors.Is(err, mmap.ErrClosed) && n == 0:
							return false
						}
						report("WriteAt(8, %d) = %d, %v; want 8, nil or ErrClosed", off, n, err)
						return false
					},
					func(i int) bool { // Find and RFind
						sub := data[size-300 : size-297]
						j := r.Find(sub, i%size)
						k := r.RFind(sub, 0)
						if j == -1 && k == -1 {
							return !r.Closed()
						}
						return true
					},
					func(i int) bool { // Search
						if loc := r.Search(re, i%size); loc == nil {
							return !r.Closed()
						}
						return true
					},
					func(i int) bool { // FindAll: a Close between matches ends the iteration
						n := 0
						for loc := range r.FindAll(re, (i*4099)%size) {
							if len(loc) != 2 || loc[1]-loc[0] != 3 {
								report("FindAll yielded %v", loc)
							}
							if n++; n == 3 {
								break
							}
						}
						return n == 3 || !r.Closed()
					},
					func(i int) (ok bool) { // At, which panics once Close has made the length 0
						defer func() {
							if v := recover(); v != nil {
								if !r.Closed() || !strings.Contains(fmt.Sprint(v), "out of range") {
									report("At panicked with %v while the region was open", v)
								}
								ok = false
							}
						}()
						j := (i * 31) % size
						if c := r.At(j); c != racePattern(j) && c != 'W' {
							report("At(%d) = %d; want %d", j, c, racePattern(j))
						}
						return true
					},
					func(i int) bool { // Bytes and Len: the whole mapping, or nil after Close
						b, n := r.Bytes(), r.Len()
						switch {
						case len(b) == size && (n == size || n == 0):
							return true
						case b == nil && n == 0:
							return false
						}
						report("Bytes() has length %d, Len() = %d; want %d or nil and 0", len(b), n, size)
						return false
					},
					func(i int) bool { // Guard
						err := r.Guard(func(b []byte) error {
							if len(b) != size || b[size-1] != racePattern(size-1) && b[size-1] != 'W' {
								return fmt.Errorf("Guard saw %d bytes", len(b))
							}
							return nil
						})
						switch {
						case err == nil:
							return true
						case errors.Is(err, mmap.ErrClosed):
							return false
						}
						report("Guard = %v; want nil or ErrClosed", err)
						return false
					},
					func(i int) bool { // Size
						_, err := r.Size()
						if err != nil && !errors.Is(err, mmap.ErrClosed) {
							report("Size() = %v; want nil or ErrClosed", err)
						}
						return err == nil
					},
				}
				names := []string{"ReadAt", "WriteAt", "Find", "Search", "FindAll", "At", "Bytes", "Guard", "Size"}
				start := make(chan struct{})
				for w, work := range workers {
					for range 2 {
						wg.Add(1)
						go func() {
							defer wg.Done()
							<-start
							for i := 0; ; i++ {
								count(names[w])
								if !work(i + round) {
									// Closed, or failed: a few more calls must all see the closed region.
									for k := range 3 {
										work(i + k)
									}
									return
								}
							}
						}()
					}
				}
				close(start)
				time.Sleep(time.Duration(round%5) * time.Millisecond)
				if err := r.Close(); err != nil {
					t.Fatalf("round %d: Close() = %v", round, err)
				}
				wg.Wait()
				close(errs)
				for err := range errs {
					t.Errorf("round %d: %v", round, err)
				}
				if err := r.Err(); err != nil {
					t.Fatalf("round %d: Err() = %v", round, err)
				}
				if t.Failed() {
					return
				}
			}
		})
	}
	var summary []string
	for name, c := range calls {
		summary = append(summary, fmt.Sprintf("%s %d", name, c.Load()))
	}
	t.Logf("%d rounds per fixture; calls racing Close: %s", rounds, strings.Join(summary, ", "))
}

// TestResizeRace resizes a region up and down while goroutines read, search and write it. A reader
// sees either the data or the zeros of a regrown tail; a call that meets a shorter region than it
// expected gets io.EOF or ErrOutOfRange; nothing faults.
func TestResizeRace(t *testing.T) {
	needPreemption(t)
	const size = 256 << 10
	d := 300 * time.Millisecond
	if testing.Short() {
		d = 50 * time.Millisecond
	}
	data := raceContent(size)
	for _, fx := range raceFixtures {
		t.Run(fx.name, func(t *testing.T) {
			r := fx.make(t, data)
			var stop atomic.Bool
			var wg sync.WaitGroup
			var reads, resizes atomic.Int64
			errs := make(chan error, 100)
			report := func(format string, args ...any) {
				select {
				case errs <- fmt.Errorf(format, args...):
				default:
				}
			}
			for g := range 3 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					p := make([]byte, 1000)
					for i := g; !stop.Load(); i++ {
						reads.Add(1)
						off := (i * 7877) % size
						n, err := r.ReadAt(p, int64(off))
						if err != nil && err != io.EOF {
							report("ReadAt(%d, %d) = %d, %v; want nil or EOF", len(p), off, n, err)
						}
						for k, c := range p[:n] {
							if c != racePattern(off+k) && c != 0 && c != 'W' {
								report("ReadAt(%d, %d): byte %d is %d; want %d or 0", len(p), off, k, c, racePattern(off+k))
								break
							}
						}
						if _, err := r.WriteAt([]byte{'W'}, int64(off)); err != nil && !errors.Is(err, mmap.ErrOutOfRange) {
							report("WriteAt(1, %d) = %v; want nil or ErrOutOfRange", off, err)
						}
						if j := r.Find([]byte{racePattern(0), racePattern(1)}, 0); j > size {
							report("Find = %d, past the largest length", j)
						}
						if n := r.Len(); n > size {
							report("Len() = %d, past the largest length", n)
						}
					}
				}()
			}
			deadline := time.Now().Add(d)
			for i := 0; time.Now().Before(deadline); i++ {
				n := []int{size, size / 3, 1, size - 1, 0, size / 2, size}[i%7]
				if err := r.Resize(n); err != nil {
					t.Fatalf("Resize(%d) = %v", n, err)
				}
				resizes.Add(1)
			}
			stop.Store(true)
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			if err := r.Err(); err != nil {
				t.Errorf("Err() = %v", err)
			}
			if err := r.Close(); err != nil {
				t.Errorf("Close() = %v", err)
			}
			t.Logf("%d resizes raced %d read-write-find rounds", resizes.Load(), reads.Load())
		})
	}
}

// TestReaderAtConcurrent reads one region from many goroutines at once, in the style of
// bytes.Reader's test of the same name.
func TestReaderAtConcurrent(t *testing.T) {
	data := raceContent(1 << 20)
	r, _ := mapFile(t, data, mmap.AccessRead)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := make([]byte, 4096)
			for i := range 200 {
				off := int64((g*200 + i) * 1237 % (len(data) - len(p)))
				if n, err := r.ReadAt(p, off); n != len(p) || err != nil || !bytes.Equal(p, data[off:off+int64(len(p))]) {
					t.Errorf("ReadAt(%d, %d) = %d, %v; want %d, nil and the file's bytes", len(p), off, n, err, len(p))
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestFindAllBodyClosesOrResizes calls Close and Resize from inside FindAll's loop body, which
// the documentation allows: the iteration ends (or goes on over what is left) without a fault.
func TestFindAllBodyClosesOrResizes(t *testing.T) {
	data := bytes.Repeat([]byte("match; "), 2000)
	re := regexp.MustCompile(`\bmatch\b`)
	for _, tc := range []struct {
		name string
		do   func(r *mmap.Region) error
		max  int // matches the loop may see
	}{
		{"Close", func(r *mmap.Region) error { return r.Close() }, 2},
		{"Resize smaller", func(r *mmap.Region) error { return r.Resize(len(data) / 2) }, 2},
		{"Resize to 0", func(r *mmap.Region) error { return r.Resize(0) }, 2},
		{"Resize larger", func(r *mmap.Region) error { return r.Resize(2 * len(data)) }, 2000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := mapFile(t, data, mmap.AccessWrite)
			n := 0
			for loc := range r.FindAll(re) {
				n++
				if want := (n - 1) * 7; loc[0] != want {
					t.Fatalf("match %d at %d; want %d", n, loc[0], want)
				}
				if n == 2 {
					if err := tc.do(r); err != nil {
						t.Fatalf("%s in the loop body: %v", tc.name, err)
					}
				}
			}
			if n > tc.max {
				t.Errorf("FindAll went on for %d matches after %s; want at most %d", n, tc.name, tc.max)
			}
			if err := r.Err(); err != nil {
				t.Errorf("Err() = %v", err)
			}
		})
	}
}
