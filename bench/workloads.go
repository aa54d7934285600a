package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	mmapgo "github.com/edsrzf/mmap-go"
	"github.com/mmapio/mmap"
	xmmap "golang.org/x/exp/mmap"
)

// An Impl is one implementation of a workload: one sub-benchmark.
type Impl struct {
	Name string // the sub-benchmark's name
	Doc  string // what it does, for the table
	Run  func(b *testing.B, d *Data)
}

// A Workload is one piece of work done by several implementations on the same bytes.
type Workload struct {
	Name      string // the Benchmark function is "Benchmark" + Name
	Doc       string // what one operation is
	Baseline  string // the Impl (or external implementation) every ratio in the table is taken against
	BenchTime string // -test.benchtime for it; empty for the default
	// Wall says that wall time is the figure even where CPU time is preferred: the workload waits
	// for the disk, or runs on several cores.
	Wall  bool
	Impls []Impl
}

// Data is the generated data of a benchmark process, with heap copies loaded on first use.
type Data struct {
	Dir string
	Meta

	textOnce, linesOnce sync.Once
	text, lines         []byte
	textErr, linesErr   error
}

// NewData opens the data Generate wrote into dir.
func NewData(dir string) (*Data, error) {
	m, err := LoadMeta(dir)
	if err != nil {
		return nil, err
	}
	return &Data{Dir: dir, Meta: *m}, nil
}

// Path returns the path of the named data file.
func (d *Data) Path(name string) string { return filepath.Join(d.Dir, name) }

// TextHeap returns TextFile read into the heap: the limit's copy of the same bytes, every page of it
// written (faulted in) by the read.
func (d *Data) TextHeap(b *testing.B) []byte {
	d.textOnce.Do(func() { d.text, d.textErr = os.ReadFile(d.Path(TextFile)) })
	if d.textErr != nil {
		b.Fatal(d.textErr)
	}
	return d.text
}

// LinesHeap returns LinesFile read into the heap.
func (d *Data) LinesHeap(b *testing.B) []byte {
	d.linesOnce.Do(func() { d.lines, d.linesErr = os.ReadFile(d.Path(LinesFile)) })
	if d.linesErr != nil {
		b.Fatal(d.linesErr)
	}
	return d.lines
}

// Lookup returns the workload of that name, or nil.
func Lookup(name string) *Workload {
	for i := range Workloads {
		if Workloads[i].Name == name {
			return &Workloads[i]
		}
	}
	return nil
}

// Run runs every implementation of the named workload as a sub-benchmark of b.
func Run(b *testing.B, d *Data, name string) {
	w := Lookup(name)
	if w == nil {
		b.Fatalf("no workload %q", name)
	}
	for _, im := range w.Impls {
		b.Run(im.Name, func(b *testing.B) {
			b.ReportAllocs()
			im.Run(b, d)
			reportMemory(b)
		})
	}
}

const (
	seqChunk  = 64 << 10
	randChunk = 4 << 10
)

// readAtFunc is the one shape every ReadAt-like implementation is called through, so that the
// limit and the peers pay the same indirect call.
type readAtFunc func(p []byte, off int64) (int, error)

func heapReadAt(h []byte) readAtFunc {
	return func(p []byte, off int64) (int, error) { return copy(p, h[off:]), nil }
}

// seqPass reads [0, size) in 64 KiB chunks.
func seqPass(b *testing.B, readAt readAtFunc, buf []byte, size int64) {
	var total int64
	for off := int64(0); off < size; off += seqChunk {
		n, err := readAt(buf, off)
		if err != nil && err != io.EOF {
			b.Fatal(err)
		}
		total += int64(n)
	}
	if total != size {
		b.Fatalf("read %d bytes, want %d", total, size)
	}
}

// offsets returns n pseudo-random 4 KiB-aligned offsets at which a 4 KiB read fits in size.
func offsets(n int, size int64, seed uint64) []int64 {
	out := make([]int64, n)
	x := seed*0x9E3779B97F4A7C15 | 1
	pages := uint64(size / randChunk)
	for i := range out {
		x ^= x >> 12
		x ^= x << 25
		x ^= x >> 27
		out[i] = int64((x*2685821657736338717)%pages) * randChunk
	}
	return out
}

const offsetCount = 1 << 16 // a power of two

// opener opens path for one implementation and returns its read function and closer.
type opener func(b *testing.B, path string) (readAtFunc, func())

func openRegion(advice int) opener {
	return func(b *testing.B, path string) (readAtFunc, func()) {
		r, err := mmap.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if advice >= 0 {
			if err := r.Madvise(advice); err != nil {
				b.Fatal(err)
			}
		}
		return r.ReadAt, func() { r.Close() }
	}
}

func openFile(b *testing.B, path string) (readAtFunc, func()) {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	return f.ReadAt, func() { f.Close() }
}

func openXExp(b *testing.B, path string) (readAtFunc, func()) {
	r, err := xmmap.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	return r.ReadAt, func() { r.Close() }
}

func openEdsrzf(b *testing.B, path string) (readAtFunc, func()) {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	m, err := mmapgo.Map(f, mmapgo.RDONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	return func(p []byte, off int64) (int, error) {
			if off >= int64(len(m)) {
				return 0, io.EOF
			}
			n := copy(p, m[off:])
			if n < len(p) {
				return n, io.EOF
			}
			return n, nil
		}, func() {
			m.Unmap()
			f.Close()
		}
}

// The implementations of the ReadAt workloads, by name.
var readers = []struct {
	name, doc string
	open      opener
}{
	{"region", "mmap.Open, Region.ReadAt", openRegion(-1)},
	{"osfile", "os.File.ReadAt (pread)", openFile},
	{"xexp", "golang.org/x/exp/mmap ReaderAt.ReadAt", openXExp},
	{"edsrzf", "github.com/edsrzf/mmap-go, copy from the MMap", openEdsrzf},
}

var limitSeq = Impl{"limit", "copy() from a heap []byte of the same bytes", func(b *testing.B, d *Data) {
	h := d.TextHeap(b)
	buf := make([]byte, seqChunk)
	b.SetBytes(int64(len(h)))
	for next := cpuLoop(b); next(); {
		seqPass(b, heapReadAt(h), buf, int64(len(h)))
	}
}}

func seqImpls() []Impl {
	impls := []Impl{limitSeq}
	for _, r := range readers {
		impls = append(impls, Impl{r.name, r.doc, func(b *testing.B, d *Data) {
			readAt, done := r.open(b, d.Path(TextFile))
			b.Cleanup(done)
			buf := make([]byte, seqChunk)
			b.SetBytes(d.TextSize)
			for next := cpuLoop(b); next(); {
				seqPass(b, readAt, buf, d.TextSize)
			}
		}})
	}
	return impls
}

// openPerOpImpls open the file for each operation: with cold set, after dropping it from the page
// cache. The extra implementation region-advised passes advice (a MADV_* name) to Madvise first.
// One operation handles perOp bytes.
func openPerOpImpls(cold bool, advice string, perOp func(d *Data) int64, pass func(b *testing.B, readAt readAtFunc, size int64)) []Impl {
	adv := mmap.MADV_SEQUENTIAL
	if advice == "MADV_RANDOM" {
		adv = mmap.MADV_RANDOM
	}
	list := append(readers[:len(readers):len(readers)], struct {
		name, doc string
		open      opener
	}{"region-advised", "mmap.Open, Region.Madvise(" + advice + "), Region.ReadAt", openRegion(adv)})
	var impls []Impl
	for _, r := range list {
		impls = append(impls, Impl{r.name, r.doc, func(b *testing.B, d *Data) {
			path := d.Path(LinesFile)
			open := r.open
			b.SetBytes(perOp(d))
			for next := cpuLoop(b); next(); {
				if cold {
					b.StopTimer()
					if err := dropCache(path); err != nil {
						b.Skip("cannot drop the page cache:", err)
					}
					b.StartTimer()
				}
				readAt, done := open(b, path)
				pass(b, readAt, d.LinesSize)
				done()
			}
		}})
	}
	return impls
}

func linesSize(d *Data) int64 { return d.LinesSize }

func seqColdPass(b *testing.B, readAt readAtFunc, size int64) {
	buf := make([]byte, seqChunk)
	seqPass(b, readAt, buf, size)
}

// randColdReads is how many random 4 KiB reads one cold operation makes.
const randColdReads = 256

func randColdPass(b *testing.B, readAt readAtFunc, size int64) {
	var buf [randChunk]byte
	for _, off := range offsets(randColdReads, size, 7) {
		if n, err := readAt(buf[:], off); err != nil || n != randChunk {
			b.Fatal(n, err)
		}
	}
}

// randImpls read 4 KiB at random pages of the big file, or of the quarter-size one when small is
// set (a working set that the CPU caches hold a good part of).
func randImpls(small bool) []Impl {
	file, heap := TextFile, (*Data).TextHeap
	if small {
		file, heap = LinesFile, (*Data).LinesHeap
	}
	pass := func(b *testing.B, readAt readAtFunc, size int64) {
		offs := offsets(offsetCount, size, 5)
		buf := make([]byte, randChunk)
		b.SetBytes(randChunk)
		i := 0
		for next := cpuLoop(b); next(); {
			if n, err := readAt(buf, offs[i&(offsetCount-1)]); err != nil || n != randChunk {
				b.Fatal(n, err)
			}
			i++
		}
	}
	impls := []Impl{{"limit", "copy() from a heap []byte of the same bytes", func(b *testing.B, d *Data) {
		h := heap(d, b)
		pass(b, heapReadAt(h), int64(len(h)))
	}}}
	for _, r := range readers {
		impls = append(impls, Impl{r.name, r.doc, func(b *testing.B, d *Data) {
			readAt, done := r.open(b, d.Path(file))
			b.Cleanup(done)
			fi, err := os.Stat(d.Path(file))
			if err != nil {
				b.Fatal(err)
			}
			pass(b, readAt, fi.Size())
		}})
	}
	return impls
}

// parallelImpls read 4 KiB at random offsets from g goroutines; one operation is one read,
// whichever goroutine makes it.
func parallelImpls() []Impl {
	pass := func(b *testing.B, readAt readAtFunc, size int64, g int) {
		offs := offsets(offsetCount, size, 9)
		b.SetBytes(randChunk)
		b.ResetTimer()
		var wg sync.WaitGroup
		for k := range g {
			n := b.N / g
			if k == 0 {
				n += b.N % g
			}
			wg.Go(func() {
				buf := make([]byte, randChunk)
				for i := range n {
					if n, err := readAt(buf, offs[(i*g+k)&(offsetCount-1)]); err != nil || n != randChunk {
						panic(fmt.Sprint(n, err))
					}
				}
			})
		}
		wg.Wait()
	}
	var impls []Impl
	for _, g := range []int{1, 2} {
		impls = append(impls, Impl{fmt.Sprintf("limit-g%d", g), fmt.Sprintf("copy() from a heap []byte, %d goroutine(s)", g), func(b *testing.B, d *Data) {
			h := d.TextHeap(b)
			pass(b, heapReadAt(h), int64(len(h)), g)
		}})
		for _, r := range readers[:3] {
			impls = append(impls, Impl{fmt.Sprintf("%s-g%d", r.name, g), fmt.Sprintf("%s, %d goroutine(s)", r.doc, g), func(b *testing.B, d *Data) {
				readAt, done := r.open(b, d.Path(TextFile))
				b.Cleanup(done)
				pass(b, readAt, d.TextSize, g)
			}})
		}
	}
	return append(impls, Impl{"scaling", "the 1→2 goroutine scaling of copy() from the heap and of Region.ReadAt, measured in alternating batches in one process; reports limit-scaling, region-scaling and their ratio (medians over the batches)", scaling})
}

// scaling times batches of random 4 KiB reads from 1 and from 2 goroutines, from the heap copy and
// from the region, in alternating order, so that all four see the same moments of a shared
// machine; one operation is one set of the four batches.
func scaling(b *testing.B, d *Data) {
	h := d.TextHeap(b)
	r := openRegionB(b, d.Path(TextFile))
	offs := offsets(offsetCount, d.TextSize, 13)
	const reads = 1 << 13
	batch := func(readAt readAtFunc, g int) float64 {
		start := time.Now()
		var wg sync.WaitGroup
		for k := range g {
			wg.Go(func() {
				buf := make([]byte, randChunk)
				for i := range reads / g {
					if n, err := readAt(buf, offs[(i*g+k)&(offsetCount-1)]); err != nil || n != randChunk {
						panic(fmt.Sprint(n, err))
					}
				}
			})
		}
		wg.Wait()
		return float64(time.Since(start))
	}
	heap := heapReadAt(h)
	var limitS, regionS, ratios []float64
	set := 0
	for b.Loop() {
		var l1, l2, r1, r2 float64
		if set%2 == 0 {
			l1, l2, r1, r2 = batch(heap, 1), batch(heap, 2), batch(r.ReadAt, 1), batch(r.ReadAt, 2)
		} else {
			r2, r1, l2, l1 = batch(r.ReadAt, 2), batch(r.ReadAt, 1), batch(heap, 2), batch(heap, 1)
		}
		set++
		limitS = append(limitS, l1/l2)
		regionS = append(regionS, r1/r2)
		ratios = append(ratios, (r1/r2)/(l1/l2))
	}
	b.ReportMetric(median(limitS), "limit-scaling")
	b.ReportMetric(median(regionS), "region-scaling")
	b.ReportMetric(median(ratios), "scaling-ratio")
}

// cpuLoop returns a function to use in place of b.Loop that also measures the CPU time (user and
// system, all threads) the process spends over the iterations, and reports it per operation as
// cpu-ns/op. On a machine that other processes share, CPU time varies much less than wall time.
func cpuLoop(b *testing.B) func() bool {
	var start time.Duration
	started := false
	return func() bool {
		if !started {
			started = true
			start = cpuTime()
		}
		if b.Loop() {
			return true
		}
		if used := cpuTime() - start; used > 0 && b.N > 0 {
			b.ReportMetric(float64(used)/float64(b.N), "cpu-ns/op")
		}
		return false
	}
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// readPass reads r to the end with a 4 KiB buffer.
func readPass(b *testing.B, r io.Reader, buf []byte, size int64) {
	var total int64
	for {
		n, err := r.Read(buf)
		total += int64(n)
		if err == io.EOF {
			break
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	if total != size {
		b.Fatalf("read %d bytes, want %d", total, size)
	}
}

func readImpls() []Impl {
	return []Impl{
		{"limit", "bytes.Reader.Read over a heap []byte", func(b *testing.B, d *Data) {
			h := d.TextHeap(b)
			buf := make([]byte, randChunk)
			b.SetBytes(d.TextSize)
			for next := cpuLoop(b); next(); {
				readPass(b, bytes.NewReader(h), buf, d.TextSize)
			}
		}},
		{"region", "Region.Read", func(b *testing.B, d *Data) {
			r := openRegionB(b, d.Path(TextFile))
			buf := make([]byte, randChunk)
			b.SetBytes(d.TextSize)
			for next := cpuLoop(b); next(); {
				r.Seek(0, io.SeekStart)
				readPass(b, r, buf, d.TextSize)
			}
		}},
		{"osfile", "os.File.Read (read)", func(b *testing.B, d *Data) {
			f := openFileB(b, d.Path(TextFile))
			buf := make([]byte, randChunk)
			b.SetBytes(d.TextSize)
			for next := cpuLoop(b); next(); {
				f.Seek(0, io.SeekStart)
				readPass(b, f, buf, d.TextSize)
			}
		}},
		{"xexp", "io.SectionReader over x/exp/mmap", func(b *testing.B, d *Data) {
			r, err := xmmap.Open(d.Path(TextFile))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { r.Close() })
			buf := make([]byte, randChunk)
			b.SetBytes(d.TextSize)
			for next := cpuLoop(b); next(); {
				readPass(b, io.NewSectionReader(r, 0, int64(r.Len())), buf, d.TextSize)
			}
		}},
	}
}

func openRegionB(b *testing.B, path string) *mmap.Region {
	r, err := mmap.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { r.Close() })
	return r
}

func openFileB(b *testing.B, path string) *os.File {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { f.Close() })
	return f
}

// byteLoop calls ReadByte once per operation, rewinding at the end.
func byteLoop(b *testing.B, r io.ByteReader, rewind func()) {
	b.SetBytes(1)
	var sum byte
	for next := cpuLoop(b); next(); {
		c, err := r.ReadByte()
		if err != nil {
			rewind()
			continue
		}
		sum += c
	}
	runtime.KeepAlive(sum)
}

func readByteImpls() []Impl {
	return []Impl{
		{"limit", "bytes.Reader.ReadByte over a heap []byte", func(b *testing.B, d *Data) {
			r := bytes.NewReader(d.LinesHeap(b))
			byteLoop(b, r, func() { r.Seek(0, io.SeekStart) })
		}},
		{"region", "Region.ReadByte", func(b *testing.B, d *Data) {
			r := openRegionB(b, d.Path(LinesFile))
			byteLoop(b, r, func() { r.Seek(0, io.SeekStart) })
		}},
		{"region-bufio", "bufio.NewReader(region).ReadByte", func(b *testing.B, d *Data) {
			r := openRegionB(b, d.Path(LinesFile))
			br := bufio.NewReader(r)
			byteLoop(b, br, func() { r.Seek(0, io.SeekStart); br.Reset(r) })
		}},
		{"osfile-bufio", "bufio.NewReader(os.File).ReadByte", func(b *testing.B, d *Data) {
			f := openFileB(b, d.Path(LinesFile))
			br := bufio.NewReader(f)
			byteLoop(b, br, func() { f.Seek(0, io.SeekStart); br.Reset(f) })
		}},
	}
}

func readLineImpls() []Impl {
	check := func(b *testing.B, lines, total int, d *Data) {
		if lines != d.Lines || int64(total) != d.LinesSize {
			b.Fatalf("%d lines, %d bytes; want %d, %d", lines, total, d.Lines, d.LinesSize)
		}
	}
	bufioPass := func(b *testing.B, d *Data, br *bufio.Reader) {
		lines, total := 0, 0
		for {
			line, err := br.ReadBytes('\n')
			if len(line) > 0 {
				lines++
				total += len(line)
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
		}
		check(b, lines, total, d)
	}
	return []Impl{
		{"limit", "bytes.IndexByte and a copy of each line from a heap []byte", func(b *testing.B, d *Data) {
			h := d.LinesHeap(b)
			b.SetBytes(d.LinesSize)
			for next := cpuLoop(b); next(); {
				lines, total := 0, 0
				for rest := h; len(rest) > 0; {
					n := bytes.IndexByte(rest, '\n') + 1
					if n == 0 {
						n = len(rest)
					}
					line := make([]byte, n)
					copy(line, rest)
					rest = rest[n:]
					lines++
					total += len(line)
				}
				check(b, lines, total, d)
			}
		}},
		{"region", "Region.ReadLine", func(b *testing.B, d *Data) {
			r := openRegionB(b, d.Path(LinesFile))
			b.SetBytes(d.LinesSize)
			for next := cpuLoop(b); next(); {
				r.Seek(0, io.SeekStart)
				lines, total := 0, 0
				for {
					line, err := r.ReadLine()
					if err == io.EOF {
						break
					}
					if err != nil {
						b.Fatal(err)
					}
					lines++
					total += len(line)
				}
				check(b, lines, total, d)
			}
		}},
		{"region-slab", "a prototype, not the library's ReadLine: each line copied from Bytes() into a slice carved from a 64 KiB slab (one allocation per 64 KiB), without the per-call guard", func(b *testing.B, d *Data) {
			r := openRegionB(b, d.Path(LinesFile))
			b.SetBytes(d.LinesSize)
			for next := cpuLoop(b); next(); {
				lines, total := 0, 0
				var slab []byte
				for rest := r.Bytes(); len(rest) > 0; {
					n := bytes.IndexByte(rest, '\n') + 1
					if n == 0 {
						n = len(rest)
					}
					if n > len(slab) {
						slab = make([]byte, max(n, seqChunk))
					}
					line := slab[:n:n]
					slab = slab[n:]
					copy(line, rest)
					rest = rest[n:]
					lines++
					total += len(line)
				}
				check(b, lines, total, d)
			}
		}},
		{"region-bufio", "bufio.NewReader(region).ReadBytes('\\n')", func(b *testing.B, d *Data) {
			r := openRegionB(b, d.Path(LinesFile))
			br := bufio.NewReaderSize(r, seqChunk)
			b.SetBytes(d.LinesSize)
			for next := cpuLoop(b); next(); {
				r.Seek(0, io.SeekStart)
				br.Reset(r)
				bufioPass(b, d, br)
			}
		}},
		{"osfile-bufio", "bufio.NewReader(os.File).ReadBytes('\\n')", func(b *testing.B, d *Data) {
			f := openFileB(b, d.Path(LinesFile))
			br := bufio.NewReaderSize(f, seqChunk)
			b.SetBytes(d.LinesSize)
			for next := cpuLoop(b); next(); {
				f.Seek(0, io.SeekStart)
				br.Reset(f)
				bufioPass(b, d, br)
			}
		}},
	}
}

func findImpls(needle string, want func(d *Data) int) []Impl {
	sub := []byte(needle)
	check := func(b *testing.B, n int, d *Data) {
		if n != want(d) {
			b.Fatalf("found %d, want %d", n, want(d))
		}
	}
	return []Impl{
		{"limit", "bytes.IndexByte of an absent byte over a heap []byte: the scan limit", func(b *testing.B, d *Data) {
			h := d.TextHeap(b)
			b.SetBytes(d.TextSize)
			for next := cpuLoop(b); next(); {
				if bytes.IndexByte(h, Absent) >= 0 {
					b.Fatal("the absent byte is there")
				}
			}
		}},
		{"bytes.Index", "a bytes.Index loop over a heap []byte (or Bytes(), or a peer's slice)", func(b *testing.B, d *Data) {
			h := d.TextHeap(b)
			b.SetBytes(d.TextSize)
			for next := cpuLoop(b); next(); {
				n := 0
				for i := 0; ; n++ {
					j := bytes.Index(h[i:], sub)
					if j < 0 {
						break
					}
					i += j + 1
				}
				check(b, n, d)
			}
		}},
		{"region", "a Region.Find loop", func(b *testing.B, d *Data) {
			r := openRegionB(b, d.Path(TextFile))
			b.SetBytes(d.TextSize)
			for next := cpuLoop(b); next(); {
				n := 0
				for i := 0; ; n++ {
					j := r.Find(sub, i)
					if j < 0 {
						break
					}
					i = j + 1
				}
				check(b, n, d)
			}
		}},
	}
}

func findAllImpls() []Impl {
	re := regexp.MustCompile(Pattern)
	return []Impl{
		{"limit", "regexp FindAllIndex over a heap []byte", func(b *testing.B, d *Data) {
			h := d.TextHeap(b)
			b.SetBytes(d.TextSize)
			for next := cpuLoop(b); next(); {
				if n := len(re.FindAllIndex(h, -1)); n != d.PatternCount {
					b.Fatalf("%d matches, want %d", n, d.PatternCount)
				}
			}
		}},
		{"region", "counting Region.FindAll", func(b *testing.B, d *Data) {
			r := openRegionB(b, d.Path(TextFile))
			b.SetBytes(d.TextSize)
			for next := cpuLoop(b); next(); {
				n := 0
				for range r.FindAll(re) {
					n++
				}
				if n != d.PatternCount {
					b.Fatalf("%d matches, want %d", n, d.PatternCount)
				}
			}
		}},
		{"region-prefilter", "a prototype, not the library's FindAll: PrefilterCount over the region", func(b *testing.B, d *Data) {
			r := openRegionB(b, d.Path(TextFile))
			b.SetBytes(d.TextSize)
			for next := cpuLoop(b); next(); {
				if n := PrefilterCount(r, re); n != d.PatternCount {
					b.Fatalf("%d matches, want %d", n, d.PatternCount)
				}
			}
		}},
	}
}

// PrefilterCount counts the matches of re in the region as a FindAll with a literal-prefix
// prefilter would: Region.Find (a vector scan for the prefix's rarest byte) jumps to each
// occurrence of re's literal prefix, and a copy of re anchored with ^ is tried there; every match
// starts with the prefix, so the first place where the anchored copy matches is the leftmost
// match. It is a measurement of that design for patterns without look-behind assertions
// (^, \b), not a replacement for FindAll.
func PrefilterCount(r *mmap.Region, re *regexp.Regexp) int {
	prefix, _ := re.LiteralPrefix()
	if prefix == "" {
		n := 0
		for range r.FindAll(re) {
			n++
		}
		return n
	}
	anchored := regexp.MustCompile(`^(?:` + re.String() + `)`)
	p := []byte(prefix)
	data := r.Bytes()
	n := 0
	for at := 0; ; {
		i := r.Find(p, at)
		if i < 0 {
			return n
		}
		loc := anchored.FindIndex(data[i:])
		if loc == nil {
			at = i + 1
			continue
		}
		n++
		at = i + max(loc[1], 1)
	}
}

// writeOps is how many random 4 KiB writes one WriteAtFlush operation makes before its flush.
const writeOps = 64

func writeImpls() []Impl {
	pass := func(b *testing.B, d *Data, writeAt func(p []byte, off int64) (int, error), flush func() error) {
		offs := offsets(offsetCount, d.LinesSize, 11)
		buf := bytes.Repeat([]byte("written by WriteAt\n"), randChunk/19+1)[:randChunk]
		b.SetBytes(writeOps * randChunk)
		i := 0
		for next := cpuLoop(b); next(); {
			for range writeOps {
				if _, err := writeAt(buf, offs[i&(offsetCount-1)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
			if err := flush(); err != nil {
				b.Fatal(err)
			}
		}
	}
	openRW := func(b *testing.B, d *Data) *os.File {
		f, err := os.OpenFile(d.Path(WriteFile), os.O_RDWR, 0)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { f.Close() })
		return f
	}
	return []Impl{
		{"osfile", "os.File.WriteAt, then File.Sync (fsync)", func(b *testing.B, d *Data) {
			f := openRW(b, d)
			pass(b, d, f.WriteAt, f.Sync)
		}},
		{"osfile-datasync", "os.File.WriteAt, then fdatasync", func(b *testing.B, d *Data) {
			f := openRW(b, d)
			pass(b, d, f.WriteAt, func() error { return fdatasync(f) })
		}},
		{"region", "Region.WriteAt (AccessWrite), then Region.Flush (msync)", func(b *testing.B, d *Data) {
			r, err := mmap.OpenFile(d.Path(WriteFile), mmap.AccessWrite)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { r.Close() })
			pass(b, d, r.WriteAt, func() error { return r.Flush() })
		}},
		{"edsrzf", "copy into an edsrzf/mmap-go RDWR MMap, then MMap.Flush", func(b *testing.B, d *Data) {
			f := openRW(b, d)
			m, err := mmapgo.Map(f, mmapgo.RDWR, 0)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { m.Unmap() })
			pass(b, d, func(p []byte, off int64) (int, error) { return copy(m[off:], p), nil }, m.Flush)
		}},
	}
}

// onlyReader and onlyWriter hide io.WriterTo and io.ReaderFrom, so that io.CopyBuffer uses its buffer.
type onlyReader struct{ io.Reader }
type onlyWriter struct{ io.Writer }

func copyImpls(toFile bool) []Impl {
	name := TextFile
	if toFile {
		name = LinesFile
	}
	size := func(d *Data) int64 {
		if toFile {
			return d.LinesSize
		}
		return d.TextSize
	}
	heap := func(b *testing.B, d *Data) []byte { return d.LinesHeap(b) }
	// dst returns the writer and what rewinds it.
	dst := func(b *testing.B, d *Data) (io.Writer, func()) {
		if !toFile {
			return io.Discard, func() {}
		}
		f, err := os.CreateTemp(d.Dir, "copy-*.dat")
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { f.Close(); os.Remove(f.Name()) })
		return f, func() {
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				b.Fatal(err)
			}
		}
	}
	pass := func(b *testing.B, d *Data, src io.Reader, rewind func(), buf []byte) {
		w, wrewind := dst(b, d)
		b.SetBytes(size(d))
		for next := cpuLoop(b); next(); {
			rewind()
			wrewind()
			var n int64
			var err error
			if buf != nil {
				n, err = io.CopyBuffer(onlyWriter{w}, onlyReader{src}, buf)
			} else {
				n, err = io.Copy(w, src)
			}
			if err != nil || n != size(d) {
				b.Fatal(n, err)
			}
		}
	}
	osDoc := "io.Copy from os.File (io.Discard reads it in 8 KiB)"
	var impls []Impl
	if toFile {
		// To io.Discard a bytes.Reader's WriteTo reads nothing: there is no limit to compare with.
		osDoc = "io.Copy from os.File to os.File (copy_file_range)"
		impls = append(impls, Impl{"limit", "bytes.Reader.WriteTo from a heap []byte (write)", func(b *testing.B, d *Data) {
			r := bytes.NewReader(heap(b, d))
			pass(b, d, r, func() { r.Seek(0, io.SeekStart) }, nil)
		}})
	}
	impls = append(impls, []Impl{
		{"region", "io.Copy from the region: Region.WriteTo hands the mapping to the writer (io.Discard touches no byte of it)", func(b *testing.B, d *Data) {
			r := openRegionB(b, d.Path(name))
			pass(b, d, r, func() { r.Seek(0, io.SeekStart) }, nil)
		}},
		{"osfile", osDoc, func(b *testing.B, d *Data) {
			f := openFileB(b, d.Path(name))
			pass(b, d, f, func() { f.Seek(0, io.SeekStart) }, nil)
		}},
	}...)
	if toFile {
		impls = append(impls, Impl{"osfile-buf", "io.CopyBuffer from os.File with a 64 KiB buffer (read, write)", func(b *testing.B, d *Data) {
			f := openFileB(b, d.Path(name))
			pass(b, d, f, func() { f.Seek(0, io.SeekStart) }, make([]byte, seqChunk))
		}})
	} else {
		impls = append(impls, Impl{"xexp", "io.Copy from an io.SectionReader over x/exp/mmap", func(b *testing.B, d *Data) {
			r, err := xmmap.Open(d.Path(name))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { r.Close() })
			var sr *io.SectionReader
			pass(b, d, readerFunc(func(p []byte) (int, error) { return sr.Read(p) }), func() { sr = io.NewSectionReader(r, 0, int64(r.Len())) }, nil)
		}})
	}
	return impls
}

type readerFunc func(p []byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

func sum(p []byte) byte {
	var s byte
	for _, c := range p {
		s += c
	}
	return s
}

func openCloseImpls() []Impl {
	pass := func(b *testing.B, d *Data, op func(path string) (byte, error)) {
		path := d.Path(SmallFile)
		want, err := op(path)
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(SmallSize)
		for next := cpuLoop(b); next(); {
			if s, err := op(path); err != nil || s != want {
				b.Fatal(s, err)
			}
		}
	}
	return []Impl{
		{"readfile", "os.ReadFile, then a sum of the bytes", func(b *testing.B, d *Data) {
			pass(b, d, func(path string) (byte, error) {
				p, err := os.ReadFile(path)
				return sum(p), err
			})
		}},
		{"osfile", "os.Open, File.ReadAt into a reused 4 KiB buffer, Close, a sum", func(b *testing.B, d *Data) {
			buf := make([]byte, SmallSize)
			pass(b, d, func(path string) (byte, error) {
				f, err := os.Open(path)
				if err != nil {
					return 0, err
				}
				defer f.Close()
				n, err := f.ReadAt(buf, 0)
				if err == io.EOF {
					err = nil
				}
				return sum(buf[:n]), err
			})
		}},
		{"region", "mmap.Open, a sum over Bytes(), Close", func(b *testing.B, d *Data) {
			pass(b, d, func(path string) (byte, error) {
				r, err := mmap.Open(path)
				if err != nil {
					return 0, err
				}
				s := sum(r.Bytes())
				return s, r.Close()
			})
		}},
		{"xexp", "x/exp/mmap Open, ReadAt into a reused buffer, Close, a sum", func(b *testing.B, d *Data) {
			buf := make([]byte, SmallSize)
			pass(b, d, func(path string) (byte, error) {
				r, err := xmmap.Open(path)
				if err != nil {
					return 0, err
				}
				n, err := r.ReadAt(buf, 0)
				if err == io.EOF {
					err = nil
				}
				r.Close()
				return sum(buf[:n]), err
			})
		}},
		{"edsrzf", "os.Open, edsrzf/mmap-go Map, a sum, Unmap, Close", func(b *testing.B, d *Data) {
			pass(b, d, func(path string) (byte, error) {
				f, err := os.Open(path)
				if err != nil {
					return 0, err
				}
				defer f.Close()
				m, err := mmapgo.Map(f, mmapgo.RDONLY, 0)
				if err != nil {
					return 0, err
				}
				s := sum(m)
				return s, m.Unmap()
			})
		}},
	}
}

// Workloads lists every workload, in the order of the table.
var Workloads = []Workload{
	{Name: "SeqReadAt64K", Doc: "the big file read with ReadAt in 64 KiB chunks, warm page cache", Baseline: "limit", Impls: seqImpls()},
	{Name: "SeqReadAt64KOpen", Doc: "a quarter-size file opened (mapped), read in 64 KiB chunks and closed each time, warm page cache", Baseline: "osfile",
		Impls: openPerOpImpls(false, "MADV_SEQUENTIAL", linesSize, seqColdPass)},
	{Name: "SeqReadAt64KCold", Doc: "as SeqReadAt64KOpen, after posix_fadvise(DONTNEED): cold page cache", Baseline: "osfile", BenchTime: "4x", Wall: true,
		Impls: openPerOpImpls(true, "MADV_SEQUENTIAL", linesSize, seqColdPass)},
	{Name: "RandReadAt4K", Doc: "one 4 KiB ReadAt at a random page of the big file, warm", Baseline: "osfile", Impls: randImpls(false)},
	{Name: "RandReadAt4KSmall", Doc: "one 4 KiB ReadAt at a random page of a quarter-size file, warm", Baseline: "osfile", Impls: randImpls(true)},
	{Name: "RandReadAt4KCold", Doc: "open, 256 random 4 KiB ReadAt over a quarter-size file, close; cold page cache", Baseline: "osfile", BenchTime: "4x", Wall: true,
		Impls: openPerOpImpls(true, "MADV_RANDOM", func(*Data) int64 { return randColdReads * randChunk }, randColdPass)},
	{Name: "ParallelReadAt4K", Doc: "random 4 KiB ReadAt from 1 and 2 goroutines (gN), warm", Baseline: "limit-g1", Wall: true, Impls: parallelImpls()},
	{Name: "Read4K", Doc: "the big file read to the end with Read and a 4 KiB buffer, warm", Baseline: "osfile", Impls: readImpls()},
	{Name: "ReadByte", Doc: "one ReadByte", Baseline: "limit", Impls: readByteImpls()},
	{Name: "Gunzip", Doc: "gzip.NewReader over a file of at least 16 MiB of compressed text, decompressed to io.Discard (MB/s of compressed input)", Baseline: "osfile", Impls: gunzipImpls()},
	{Name: "ReadLine", Doc: "every line of a quarter-size text file, each a new []byte with its '\\n'", Baseline: "python", Impls: readLineImpls()},
	{Name: "FindRare", Doc: "count the " + fmt.Sprintf("%q", RareNeedle) + " in the big file (first byte rare)", Baseline: "limit",
		Impls: findImpls(RareNeedle, func(d *Data) int { return d.RareCount })},
	{Name: "FindCommon", Doc: "count the " + fmt.Sprintf("%q", CommonNeedle) + " in the big file (first byte common)", Baseline: "limit",
		Impls: findImpls(CommonNeedle, func(d *Data) int { return d.CommonCount })},
	{Name: "FindAllRegexp", Doc: "count the matches of `" + Pattern + "` in the big file", Baseline: "python", Impls: findAllImpls()},
	{Name: "WriteAtFlush", Doc: "64 WriteAt of 4 KiB at random pages of a quarter-size file, then a flush to disk", Baseline: "osfile", Wall: true, Impls: writeImpls()},
	{Name: "CopyDiscard", Doc: "io.Copy of the big file to io.Discard, warm", Baseline: "osfile", Impls: copyImpls(false)},
	{Name: "CopyFile", Doc: "io.Copy of a quarter-size file into a file (overwritten in place), warm", Baseline: "osfile", Impls: copyImpls(true)},
	{Name: "OpenClose4K", Doc: "open a 4 KiB file, read all of it, close", Baseline: "readfile", Impls: openCloseImpls()},
}
