package mmap_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mmapio/mmap"
)

// BenchmarkCallCost measures what a call costs a Region before it touches a byte: each operation
// runs over a Region and over the same bytes without any safety (the limit), in the same run, so
// that the ratio is the figure. The README's targets: ReadAt of 64 bytes at most 3.5x the copy,
// At at most 8x indexing through a function that is not inlined, ReadByte at most 6x
// bytes.Reader's.
func BenchmarkCallCost(b *testing.B) {
	const size = 1 << 20
	data := randomBytes(size, 9)
	name := filepath.Join(b.TempDir(), "callcost")
	if err := os.WriteFile(name, data, 0o644); err != nil {
		b.Fatal(err)
	}
	r, err := mmap.Open(name)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	mapped := r.Bytes()
	const mask = size/2 - 1 // offsets stay far from the end; a power of two minus one

	b.Run("ReadAt64/limit=copy", func(b *testing.B) {
		p := make([]byte, 64)
		off := 0
		for b.Loop() {
			copyAt(p, mapped, off)
			off = (off + 4099) & mask
		}
	})
	b.Run("ReadAt64/Region", func(b *testing.B) {
		p := make([]byte, 64)
		off := 0
		for b.Loop() {
			if _, err := r.ReadAt(p, int64(off)); err != nil {
				b.Fatal(err)
			}
			off = (off + 4099) & mask
		}
	})
	b.Run("At/limit=index", func(b *testing.B) {
		var sum byte
		i := 0
		for b.Loop() {
			sum += indexAt(mapped, i)
			i = (i + 4099) & mask
		}
		sink = sum
	})
	b.Run("At/Region", func(b *testing.B) {
		var sum byte
		i := 0
		for b.Loop() {
			sum += r.At(i)
			i = (i + 4099) & mask
		}
		sink = sum
	})
	b.Run("ReadByte/limit=bytes.Reader", func(b *testing.B) {
		br := bytes.NewReader(mapped)
		byteLoop(b, br, func() { br.Seek(0, io.SeekStart) })
	})
	b.Run("ReadByte/Region", func(b *testing.B) {
		if _, err := r.Seek(0, io.SeekStart); err != nil {
			b.Fatal(err)
		}
		byteLoop(b, r, func() { r.Seek(0, io.SeekStart) })
	})
}

var sink byte

// copyAt is ReadAt without the Region: a copy of len(p) bytes from b at off, through a call the
// compiler does not inline, as a method value would be.
//
//go:noinline
func copyAt(p, b []byte, off int) int { return copy(p, b[off:]) }

// indexAt is At without the Region.
//
//go:noinline
func indexAt(b []byte, i int) byte { return b[i] }

func byteLoop(b *testing.B, br io.ByteReader, rewind func()) {
	var sum byte
	for b.Loop() {
		c, err := br.ReadByte()
		if err != nil {
			rewind()
			continue
		}
		sum += c
	}
	sink = sum
}

// BenchmarkCallCostPaired measures the same pairs as BenchmarkCallCost, interleaved: batches of the
// limit and of the Region alternate, and the fastest batch of each gives its time per call, so
// that another process's load, which slows both but not evenly across a run, shows in neither.
// It reports the ratio as "x" (Region time over the limit's) beside both times. ReadRune, over
// random bytes (mostly invalid UTF-8), has no target of its own.
func BenchmarkCallCostPaired(b *testing.B) {
	const size = 1 << 20
	data := randomBytes(size, 9)
	name := filepath.Join(b.TempDir(), "callcost")
	if err := os.WriteFile(name, data, 0o644); err != nil {
		b.Fatal(err)
	}
	r, err := mmap.Open(name)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	mapped := r.Bytes()
	const mask = size/2 - 1
	p := make([]byte, 64)
	br := bytes.NewReader(mapped)
	pairs := []struct {
		name          string
		limit, region func(n int)
	}{
		{"ReadAt64", func(n int) {
			for i, off := 0, 0; i < n; i++ {
				copyAt(p, mapped, off)
				off = (off + 4099) & mask
			}
		}, func(n int) {
			for i, off := 0, 0; i < n; i++ {
				if _, err := r.ReadAt(p, int64(off)); err != nil {
					b.Fatal(err)
				}
				off = (off + 4099) & mask
			}
		}},
		{"At", func(n int) {
			var sum byte
			for i, j := 0, 0; i < n; i++ {
				sum += indexAt(mapped, j)
				j = (j + 4099) & mask
			}
			sink = sum
		}, func(n int) {
			var sum byte
			for i, j := 0, 0; i < n; i++ {
				sum += r.At(j)
				j = (j + 4099) & mask
			}
			sink = sum
		}},
		{"ReadByte", func(n int) {
			br.Seek(0, io.SeekStart)
			var sum byte
			for range n {
				c, _ := br.ReadByte()
				sum += c
			}
			sink = sum
		}, func(n int) {
			r.Seek(0, io.SeekStart)
			var sum byte
			for range n {
				c, _ := r.ReadByte()
				sum += c
			}
			sink = sum
		}},
		{"ReadRune", func(n int) {
			br.Seek(0, io.SeekStart)
			var sum rune
			for range n {
				c, _, _ := br.ReadRune()
				sum += c
			}
			sink = byte(sum)
		}, func(n int) {
			r.Seek(0, io.SeekStart)
			var sum rune
			for range n {
				c, _, _ := r.ReadRune()
				sum += c
			}
			sink = byte(sum)
		}},
	}
	for _, pair := range pairs {
		b.Run(pair.name, func(b *testing.B) {
			const batch = 4096
			best := [2]time.Duration{1 << 62, 1 << 62}
			for b.Loop() {
				for k, f := range []func(int){pair.limit, pair.region} {
					start := time.Now()
					f(batch)
					best[k] = min(best[k], time.Since(start))
				}
			}
			b.ReportMetric(float64(best[0].Nanoseconds())/batch, "limit-ns/op")
			b.ReportMetric(float64(best[1].Nanoseconds())/batch, "region-ns/op")
			b.ReportMetric(float64(best[1])/float64(best[0]), "x")
		})
	}
}
