package mmap_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mmapio/mmap"
)

// The tests here check what retiring ranges, rather than unmapping them, promises: Close and Resize
// race the lock-free readers without a reader ever seeing another mapping's bytes, without a
// write being lost, and without the reservations outliving the regions.

// poison fills memory that is not the region's: a reader that sees it read another mapping.
// The region's own bytes are racePattern values (1 to 251), zeros, and writer values (1 to 251).
const poison = 0xFD

// leakedReservations returns the lines of /proc/self/maps that show one of ranges still reserved:
// an inaccessible anonymous area (PROT_NONE, no file) that starts where a range starts and covers
// it. (A range given back may be taken by another mapping, but that one would not start at the
// same address and be inaccessible too, unless it is another region's: the test has closed them.)
func leakedReservations(t testing.TB, ranges [][2]uintptr) []string {
	t.Helper()
	b, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		t.Fatal(err)
	}
	starts := map[uint64]uint64{}
	for _, r := range ranges {
		starts[uint64(r[0])] = uint64(r[1])
	}
	var lines []string
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) != 5 || f[1] != "---p" || f[4] != "0" {
			continue
		}
		var lo, hi uint64
		if _, err := fmt.Sscanf(f[0], "%x-%x", &lo, &hi); err != nil {
			t.Fatalf("/proc/self/maps: %q: %v", line, err)
		}
		if end, ok := starts[lo]; ok && hi >= end {
			lines = append(lines, line)
		}
	}
	return lines
}

// settleAreas collects garbage until the areas of regions that earlier tests dropped are
// released, so that counts taken next are not disturbed by them.
func settleAreas() {
	prev := int64(-1)
	for i := 0; i < 50 && mmap.LiveAreas() != prev; i++ {
		prev = mmap.LiveAreas()
		runtime.GC()
		time.Sleep(20 * time.Millisecond)
	}
}

// retireKinds are the regions the stress tests run on: a file shared and private, and anonymous
// memory shared and private. Each is made holding data.
var retireKinds = []struct {
	name string
	make func(t *testing.T, data []byte) (*mmap.Region, string)
}{
	{"file shared", func(t *testing.T, data []byte) (*mmap.Region, string) {
		name := writeFile(t, data)
		r, err := mmap.OpenFile(name, mmap.AccessWrite)
		if err != nil {
			t.Fatal(err)
		}
		return r, name
	}},
	{"file private", func(t *testing.T, data []byte) (*mmap.Region, string) {
		name := writeFile(t, data)
		f, err := os.OpenFile(name, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		r, err := mmap.New(f, 0, &mmap.Options{Flags: mmap.MAP_PRIVATE})
		if err != nil {
			t.Fatal(err)
		}
		return r, ""
	}},
	{"anonymous shared", func(t *testing.T, data []byte) (*mmap.Region, string) {
		r, err := mmap.Anonymous(len(data), nil)
		if err != nil {
			t.Fatal(err)
		}
		copy(r.Bytes(), data)
		return r, ""
	}},
	{"anonymous private", func(t *testing.T, data []byte) (*mmap.Region, string) {
		r, err := mmap.Anonymous(len(data), &mmap.Options{Flags: mmap.MAP_PRIVATE})
		if err != nil {
			t.Fatal(err)
		}
		copy(r.Bytes(), data)
		return r, ""
	}},
}

// TestRetireStress races Close and Resize against ReadAt, WriteAt, ReadByte, At and Find on every
// kind of region, for seconds, while another goroutine maps and unmaps poison-filled memory and
// collects garbage (so that a range released too early would soon hold poison). Every read that
// succeeds must return bytes the region held at some moment; every WriteAt that succeeded must be
// there afterwards (checked after the Resizes, and in the file after Close); and once the regions
// are closed and collected, the process's reservations, mappings and descriptors are back to
// where they started.
func TestRetireStress(t *testing.T) {
	d := 2 * time.Second
	if testing.Short() {
		d = 300 * time.Millisecond
	}
	page := mmap.PageSize
	const writers, slotsPerWriter, slotLen = 4, 16, 8
	slotArea := writers * slotsPerWriter * slotLen // writers own [0, slotArea)
	minSize := 3 * page                            // Resize never goes below: [0, minSize) is never cut
	maxSize := 40 * page
	sizes := []int{maxSize, minSize, 7*page + 5, minSize + 1, 33*page - 3, 5 * page, maxSize}
	data := raceContent(maxSize)
	needle := data[2*page+7 : 2*page+11] // inside [slotArea, minSize); recurs every 251 bytes
	wantFind := slotArea + ((2*page+7-slotArea)%251+251)%251

	settleAreas()
	dir := tempDir(t)
	_, startFiles := mappedAreas(t, dir) // os.ReadFile: the runtime's poller, and its descriptors, are up
	_, startShm := mappedAreas(t, "/dev/zero")
	startFDs, startRetried, startAreas := openFDs(t), mmap.RetiredFaults(), mmap.LiveAreas()
	areas := mmap.RecordAreas()

	// Poison: other mappings come and go at addresses that retired ranges give back.
	stopPoison := make(chan struct{})
	var poisonWG sync.WaitGroup
	poisonWG.Go(func() {
		var held []*mmap.Region
		for i := 0; ; i++ {
			select {
			case <-stopPoison:
				for _, p := range held {
					p.Close()
				}
				return
			default:
			}
			p, err := mmap.Anonymous(page*(1+i%maxSize/page), &mmap.Options{Flags: mmap.MAP_PRIVATE})
			if err != nil {
				t.Error(err)
				return
			}
			b := p.Bytes()
			for j := range b {
				b[j] = poison
			}
			held = append(held, p)
			if len(held) > 16 {
				held[0].Close()
				held = held[1:]
			}
			if i%64 == 0 {
				runtime.GC()
			}
			runtime.Gosched()
		}
	})

	var reads, writes, resizes, closes atomic.Int64
	deadline := time.Now().Add(d)
	for round := 0; time.Now().Before(deadline) || round < len(retireKinds); round++ {
		kind := retireKinds[round%len(retireKinds)]
		r, name := kind.make(t, data)
		errs := make(chan error, 20)
		report := func(format string, args ...any) {
			select {
			case errs <- fmt.Errorf("%s, round %d: %s", kind.name, round, fmt.Sprintf(format, args...)):
			default:
			}
		}
		// checkByte says whether c may be the byte at off.
		checkByte := func(off int, c byte) bool {
			switch {
			case c == poison:
				return false
			case off < slotArea:
				return true
			case off < minSize:
				return c == racePattern(off)
			}
			return c == racePattern(off) || c == 0
		}
		var stop, stopWriters atomic.Bool
		var wg, writersWG sync.WaitGroup
		last := make([][]byte, writers) // last[w][slot]: the value of w's last WriteAt that succeeded there
		for w := range last {
			last[w] = make([]byte, slotsPerWriter)
		}
		startWriters := func(phase int) {
			for w := range writers {
				writersWG.Go(func() {
					rng := rand.New(rand.NewPCG(uint64(round), uint64(w+10*phase)))
					for !stopWriters.Load() {
						slot := rng.IntN(slotsPerWriter)
						v := byte(1 + rng.IntN(251))
						off := (w*slotsPerWriter + slot) * slotLen
						n, err := r.WriteAt(bytes.Repeat([]byte{v}, slotLen), int64(off))
						switch {
						case err == nil && n == slotLen:
							last[w][slot] = v
							writes.Add(1)
						case errors.Is(err, mmap.ErrClosed) && n == 0:
							return
						default:
							report("WriteAt(%d, %d) = %d, %v", slotLen, off, n, err)
							return
						}
					}
				})
			}
		}
		// checkWrites checks that the last write of every writer is in got, the region's bytes.
		checkWrites := func(got []byte, where string) {
			for w := range writers {
				for slot, v := range last[w] {
					off := (w*slotsPerWriter + slot) * slotLen
					if v != 0 && !bytes.Equal(got[off:off+slotLen], bytes.Repeat([]byte{v}, slotLen)) {
						t.Errorf("%s, round %d: %s holds %v at %d; the last WriteAt that succeeded there wrote %d", kind.name, round, where, got[off:off+slotLen], off, v)
					}
				}
			}
		}
		startWriters(1)
		readers := []func(rng *rand.Rand) bool{
			func(rng *rand.Rand) bool { // ReadAt anywhere, short reads at the end included
				p := make([]byte, 1+rng.IntN(2*page))
				off := rng.IntN(maxSize)
				n, err := r.ReadAt(p, int64(off))
				if errors.Is(err, mmap.ErrClosed) {
					return false
				}
				if err != nil && err != io.EOF {
					report("ReadAt(%d, %d) = %d, %v", len(p), off, n, err)
					return false
				}
				for k, c := range p[:n] {
					if !checkByte(off+k, c) {
						report("ReadAt(%d, %d): byte %d is %#x, which the region never held there", len(p), off, off+k, c)
						return false
					}
				}
				return true
			},
			func(rng *rand.Rand) (ok bool) { // At inside the part Resize never cuts
				defer func() {
					if v := recover(); v != nil {
						if !r.Closed() {
							report("At panicked with %v while the region was open", v)
						}
						ok = false
					}
				}()
				i := rng.IntN(minSize)
				if c := r.At(i); !checkByte(i, c) {
					report("At(%d) = %#x", i, c)
				}
				return true
			},
			func(rng *rand.Rand) bool { // Find in the part Resize never cuts, where only one answer is right
				j := r.Find(needle, slotArea, minSize)
				if j == -1 {
					return !r.Closed()
				}
				if j != wantFind {
					report("Find = %d; want %d", j, wantFind)
				}
				return true
			},
		}
		for k, read := range readers {
			wg.Go(func() {
				rng := rand.New(rand.NewPCG(uint64(round), uint64(100+k)))
				for !stop.Load() && read(rng) {
					reads.Add(1)
				}
			})
		}
		wg.Go(func() { // ReadByte: the cursor's only user
			for !stop.Load() {
				before := int(r.Tell())
				c, err := r.ReadByte()
				switch {
				case errors.Is(err, mmap.ErrClosed):
					return
				case err == io.EOF:
					r.Seek(0, io.SeekStart)
				case err != nil:
					report("ReadByte() = %v", err)
					return
				case before < minSize && !checkByte(before, c) || c == poison:
					report("ReadByte() at %d = %#x", before, c)
					return
				}
				reads.Add(1)
			}
		})

		// Phase one: Resize races everything; then the writers stop, and every write they made
		// must be there.
		for i, until := 0, time.Now().Add(d/20); time.Now().Before(until); i++ {
			n := sizes[(i+round)%len(sizes)]
			if err := r.Resize(n); err != nil {
				t.Fatalf("%s: Resize(%d) = %v", kind.name, n, err)
			}
			resizes.Add(1)
		}
		stopWriters.Store(true)
		writersWG.Wait()
		got := make([]byte, slotArea)
		if _, err := r.ReadAt(got, 0); err != nil {
			t.Fatalf("%s: ReadAt(%d, 0) = %v", kind.name, slotArea, err)
		}
		checkWrites(got, "the region, after the Resizes,")
		// Phase two: Close races everything.
		stopWriters.Store(false)
		startWriters(2)
		time.Sleep(time.Duration(round%3) * time.Millisecond)
		if err := r.Close(); err != nil {
			t.Fatalf("%s: Close() = %v", kind.name, err)
		}
		closes.Add(1)
		stop.Store(true)
		stopWriters.Store(true)
		wg.Wait()
		writersWG.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if err := r.Err(); err != nil {
			t.Errorf("%s: Err() = %v", kind.name, err)
		}
		if name != "" { // shared: every write that succeeded, racing Close too, is in the file
			file, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			checkWrites(file, "the file, after Close,")
		}
		if t.Failed() {
			break
		}
	}
	close(stopPoison)
	poisonWG.Wait()
	retried := mmap.RetiredFaults() - startRetried
	t.Logf("%d reads and %d writes raced %d resizes and %d closes; %d reads faulted in a retired range and ran again", reads.Load(), writes.Load(), resizes.Load(), closes.Load(), retried)
	if !testing.Short() && retried == 0 {
		t.Errorf("no read met a retired range: the test did not exercise what it is for")
	}

	// The reservations go once their views are garbage.
	ranges := areas(true)
	var leaked []string
	var fds, files, shm int
	for until := time.Now().Add(10 * time.Second); ; {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		leaked, fds = leakedReservations(t, ranges), openFDs(t)
		_, files = mappedAreas(t, dir)
		_, shm = mappedAreas(t, "/dev/zero")
		if len(leaked) == 0 && mmap.LiveAreas() <= startAreas && fds == startFDs && files == startFiles && shm == startShm || time.Now().After(until) {
			break
		}
	}
	if len(leaked) > 0 || mmap.LiveAreas() > startAreas || fds != startFDs || files != startFiles || shm != startShm {
		t.Errorf("after the regions were closed and collected: %d of their %d reservations still in /proc/self/maps %q, %d areas not released (%d before), %d descriptors (%d), %d file mappings (%d), %d shared anonymous mappings (%d)",
			len(leaked), len(ranges), leaked, mmap.LiveAreas(), startAreas, fds, startFDs, files, startFiles, shm, startShm)
	}
	t.Logf("%d reservations made, all released", len(ranges))
}

// TestResizeReservationsBounded resizes one live region 100,000 times to pseudo-random lengths,
// from empty to 64 pages, on every kind of region: growing in place inside the reservation and
// shrinking by retiring only the tail, it must leave a bounded number of reservations (areas not
// released, and lines of /proc/self/maps) however many Resizes there were, without a GC.
func TestResizeReservationsBounded(t *testing.T) {
	n := 100_000
	if testing.Short() {
		n = 10_000
	}
	page := mmap.PageSize
	const maxPages = 64
	for _, kind := range retireKinds {
		t.Run(kind.name, func(t *testing.T) {
			settleAreas()
			r, _ := kind.make(t, raceContent(page))
			defer r.Close()
			startAreas := mmap.LiveAreas()
			startAll, _ := mappedAreas(t, "")
			rng := rand.New(rand.NewPCG(1, 2))
			peakAreas, peakAll := int64(0), 0
			for i := range n {
				size := rng.IntN(maxPages*page + 1)
				if i%4 == 0 {
					size = size / page * page // whole pages too
				}
				if err := r.Resize(size); err != nil {
					t.Fatalf("Resize(%d), call %d: %v", size, i, err)
				}
				if size > 0 {
					if _, err := r.WriteAt([]byte{1}, int64(size-1)); err != nil {
						t.Fatalf("WriteAt(1, %d) after Resize(%d): %v", size-1, size, err)
					}
				}
				if i%1000 == 0 || i == n-1 {
					peakAreas = max(peakAreas, mmap.LiveAreas()-startAreas)
					all, _ := mappedAreas(t, "")
					peakAll = max(peakAll, all-startAll)
				}
			}
			// Moving doubles the reservation: from one page to 64 that is at most 7 moves, each
			// leaving one area until the next GC; a region's own range may show as a few lines
			// (mapped part, reserved part, pieces of shared anonymous memory).
			if peakAreas > 8 || peakAll > 24 {
				t.Errorf("after %d Resizes: up to %d more areas and %d more lines in /proc/self/maps than at the start; want at most 8 and 24", n, peakAreas, peakAll)
			}
			t.Logf("%d Resizes: at most %d more areas, %d more lines in /proc/self/maps", n, peakAreas, peakAll)
		})
	}
}
