package mmap_test

import (
	"bufio"
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mmapio/mmap"
)

// The benchmarks come in families: each workload runs over a Region and over its baseline (the
// memory-bandwidth limit: the same bytes on the heap; or os.File), in the same run, so that the
// ratio between them is what counts. The README's Performance section lists the targets.

const benchFileSize = 256 << 20

var benchData struct {
	once       sync.Once
	dir        string
	binPath    string // random bytes
	textPath   string // English-like text with lines
	bin, text  []byte
	setupError error
}

// benchFiles writes the benchmark files once per process.
func benchFiles(b *testing.B) (binPath, textPath string, bin, text []byte) {
	b.Helper()
	d := &benchData
	d.once.Do(func() {
		d.dir, d.setupError = os.MkdirTemp("", "mmap-bench-")
		if d.setupError != nil {
			return
		}
		d.bin = randomBytes(benchFileSize, 1)
		d.text = englishText(benchFileSize)
		d.binPath = filepath.Join(d.dir, "bin")
		d.textPath = filepath.Join(d.dir, "text")
		if d.setupError = os.WriteFile(d.binPath, d.bin, 0o644); d.setupError == nil {
			d.setupError = os.WriteFile(d.textPath, d.text, 0o644)
		}
	})
	if d.setupError != nil {
		b.Fatal(d.setupError)
	}
	return d.binPath, d.textPath, d.bin, d.text
}

// englishText returns n bytes of text made of common English words in lines of 40 to 120 bytes.
func englishText(n int) []byte {
	words := strings.Fields(`the of and to in a is that for it as was with be by on not he this are or his
from at which but have an they you were her she there one all we their been has when who will more no if
out so said what up its about into than them can only other new some could time these two may then do
first any my now such like our over man me even most made after also did many before must through back
years where much your way well down should because each just those people how too little state good very
make world still own see men work long get here between both life being under never day same another know
while last might us great old year off come since against go came right used take three`)
	rng := rand.New(rand.NewPCG(3, 4))
	var buf bytes.Buffer
	buf.Grow(n + 200)
	for buf.Len() < n {
		lineLen := 40 + rng.IntN(80)
		start := buf.Len()
		for buf.Len()-start < lineLen {
			if buf.Len() > start {
				buf.WriteByte(' ')
			}
			buf.WriteString(words[rng.IntN(len(words))])
		}
		buf.WriteByte('\n')
	}
	return buf.Bytes()[:n]
}

func openBench(b *testing.B, name string) *mmap.Region {
	b.Helper()
	r, err := mmap.Open(name)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { r.Close() })
	return r
}

// BenchmarkReadAtSeq64K reads the whole file in 64 KiB chunks: Region vs the copy limit vs os.File.
func BenchmarkReadAtSeq64K(b *testing.B) {
	binPath, _, bin, _ := benchFiles(b)
	const chunk = 64 << 10
	run := func(b *testing.B, readAt func(p []byte, off int64) (int, error)) {
		buf := make([]byte, chunk)
		b.SetBytes(benchFileSize)
		for b.Loop() {
			for off := int64(0); off < benchFileSize; off += chunk {
				if _, err := readAt(buf, off); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.Run("limit=copy", func(b *testing.B) {
		run(b, func(p []byte, off int64) (int, error) { return copy(p, bin[off:]), nil })
	})
	b.Run("Region", func(b *testing.B) { run(b, openBench(b, binPath).ReadAt) })
	b.Run("os.File", func(b *testing.B) {
		f, err := os.Open(binPath)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		run(b, f.ReadAt)
	})
}

// BenchmarkReadAtRandom4K reads 4 KiB at random page-aligned offsets, from one goroutine and from
// two (the "2g" cases), against the same over a heap copy.
func BenchmarkReadAtRandom4K(b *testing.B) {
	binPath, _, bin, _ := benchFiles(b)
	const chunk = 4 << 10
	offsets := make([]int64, 1<<16)
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range offsets {
		offsets[i] = int64(rng.IntN(benchFileSize/chunk)) * chunk
	}
	heapReadAt := func(p []byte, off int64) (int, error) { return copy(p, bin[off:]), nil }
	one := func(b *testing.B, readAt func(p []byte, off int64) (int, error)) {
		buf := make([]byte, chunk)
		b.SetBytes(chunk)
		i := 0
		for b.Loop() {
			if _, err := readAt(buf, offsets[i&(len(offsets)-1)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
	}
	parallel := func(b *testing.B, readAt func(p []byte, off int64) (int, error)) {
		b.SetBytes(chunk)
		b.SetParallelism(1) // GOMAXPROCS goroutines: 2 on a 2-core machine
		b.RunParallel(func(pb *testing.PB) {
			buf := make([]byte, chunk)
			i := rand.IntN(len(offsets))
			for pb.Next() {
				if _, err := readAt(buf, offsets[i&(len(offsets)-1)]); err != nil {
					panic(err)
				}
				i++
			}
		})
	}
	b.Run("limit=copy", func(b *testing.B) { one(b, heapReadAt) })
	b.Run("Region", func(b *testing.B) { one(b, openBench(b, binPath).ReadAt) })
	b.Run("os.File", func(b *testing.B) {
		f, err := os.Open(binPath)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		one(b, f.ReadAt)
	})
	b.Run("limit=copy/2g", func(b *testing.B) { parallel(b, heapReadAt) })
	b.Run("Region/2g", func(b *testing.B) { parallel(b, openBench(b, binPath).ReadAt) })
}

// BenchmarkReadByte reads bytes one call at a time: Region vs bytes.Reader, and through bufio.
func BenchmarkReadByte(b *testing.B) {
	binPath, _, bin, _ := benchFiles(b)
	run := func(b *testing.B, br io.ByteReader, rewind func()) {
		for b.Loop() {
			if _, err := br.ReadByte(); err != nil {
				rewind()
			}
		}
	}
	b.Run("limit=bytes.Reader", func(b *testing.B) {
		br := bytes.NewReader(bin)
		run(b, br, func() { br.Seek(0, io.SeekStart) })
	})
	b.Run("Region", func(b *testing.B) {
		r := openBench(b, binPath)
		run(b, r, func() { r.Seek(0, io.SeekStart) })
	})
	b.Run("bufio(Region)", func(b *testing.B) {
		r := openBench(b, binPath)
		br := bufio.NewReaderSize(r, 64<<10)
		run(b, br, func() { r.Seek(0, io.SeekStart); br.Reset(r) })
	})
}

// BenchmarkReadLine reads the text file line by line: Region.ReadLine vs bufio.Reader.ReadSlice
// over the same bytes on the heap (a copy-free limit) and bufio.Scanner over os.File.
func BenchmarkReadLine(b *testing.B) {
	_, textPath, _, text := benchFiles(b)
	b.Run("limit=bufio(heap)", func(b *testing.B) {
		b.SetBytes(benchFileSize)
		for b.Loop() {
			br := bufio.NewReaderSize(bytes.NewReader(text), 64<<10)
			for {
				if _, err := br.ReadSlice('\n'); err != nil {
					break
				}
			}
		}
	})
	b.Run("Region", func(b *testing.B) {
		r := openBench(b, textPath)
		b.SetBytes(benchFileSize)
		for b.Loop() {
			r.Seek(0, io.SeekStart)
			for {
				if _, err := r.ReadLine(); err != nil {
					break
				}
			}
		}
	})
	b.Run("os.File+Scanner", func(b *testing.B) {
		b.SetBytes(benchFileSize)
		for b.Loop() {
			f, err := os.Open(textPath)
			if err != nil {
				b.Fatal(err)
			}
			s := bufio.NewScanner(f)
			for s.Scan() {
			}
			f.Close()
		}
	})
}

// BenchmarkFind counts a literal over 256 MiB of text: Region.Find vs bytes.IndexByte scanning for
// a byte that never occurs (the scan limit) and a bytes.Index loop, for a needle whose first byte is
// rare and one whose first byte is common.
func BenchmarkFind(b *testing.B) {
	_, textPath, _, text := benchFiles(b)
	needles := []struct{ name, s string }{
		{"rareFirst", "zygote"},    // absent; 'z' is rare
		{"commonFirst", "equinox"}, // absent; 'e' is the commonest letter, 'q' and 'x' are rare
		{"allCommon", "ethyl"},     // absent; every letter is common in this text: the prefilter's worst case
	}
	b.Run("limit=IndexByte", func(b *testing.B) {
		b.SetBytes(benchFileSize)
		for b.Loop() {
			if bytes.IndexByte(text, '#') >= 0 {
				b.Fatal("found the absent byte")
			}
		}
	})
	for _, nd := range needles {
		needle := []byte(nd.s)
		b.Run("bytes.Index/"+nd.name, func(b *testing.B) {
			b.SetBytes(benchFileSize)
			for b.Loop() {
				if i := bytes.Index(text, needle); i >= 0 {
					b.Fatalf("found the absent needle at %d", i)
				}
			}
		})
		b.Run("Region/"+nd.name, func(b *testing.B) {
			r := openBench(b, textPath)
			b.SetBytes(benchFileSize)
			for b.Loop() {
				if r.Find(needle, 0) >= 0 {
					b.Fatal("found the absent needle")
				}
			}
		})
	}
}
