package bench

import (
	"fmt"
	"os"
	"testing"
)

// data is what the benchmarks read: MMAP_BENCH_DIR's files, or small ones made by TestMain.
var data *Data

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	dir := os.Getenv("MMAP_BENCH_DIR")
	if dir == "" {
		tmp, err := os.MkdirTemp("", "mmap-bench-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(tmp)
		if _, err := Generate(tmp, 4<<20); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		dir = tmp
	}
	d, err := NewData(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	data = d
	return m.Run()
}

// TestWorkloads checks that every workload has a Benchmark function here and a baseline among its
// implementations (or run by cmd/compare).
func TestWorkloads(t *testing.T) {
	benchmarks := map[string]func(*testing.B){
		"SeqReadAt64K": BenchmarkSeqReadAt64K, "SeqReadAt64KOpen": BenchmarkSeqReadAt64KOpen,
		"SeqReadAt64KCold": BenchmarkSeqReadAt64KCold, "RandReadAt4K": BenchmarkRandReadAt4K, "RandReadAt4KSmall": BenchmarkRandReadAt4KSmall,
		"RandReadAt4KCold": BenchmarkRandReadAt4KCold, "ParallelReadAt4K": BenchmarkParallelReadAt4K,
		"Read4K": BenchmarkRead4K, "ReadByte": BenchmarkReadByte, "Gunzip": BenchmarkGunzip, "ReadLine": BenchmarkReadLine,
		"FindRare": BenchmarkFindRare, "FindCommon": BenchmarkFindCommon,
		"FindAllRegexp": BenchmarkFindAllRegexp, "WriteAtFlush": BenchmarkWriteAtFlush,
		"CopyDiscard": BenchmarkCopyDiscard, "CopyFile": BenchmarkCopyFile, "OpenClose4K": BenchmarkOpenClose4K,
	}
	for _, w := range Workloads {
		if benchmarks[w.Name] == nil {
			t.Errorf("workload %s has no Benchmark%s", w.Name, w.Name)
		}
		found := w.Baseline == "python"
		for _, im := range w.Impls {
			found = found || im.Name == w.Baseline
		}
		if !found {
			t.Errorf("workload %s: baseline %s is not one of its implementations", w.Name, w.Baseline)
		}
	}
	if len(benchmarks) != len(Workloads) {
		t.Errorf("%d benchmarks, %d workloads", len(benchmarks), len(Workloads))
	}
}

func BenchmarkSeqReadAt64K(b *testing.B)      { Run(b, data, "SeqReadAt64K") }
func BenchmarkSeqReadAt64KOpen(b *testing.B)  { Run(b, data, "SeqReadAt64KOpen") }
func BenchmarkSeqReadAt64KCold(b *testing.B)  { Run(b, data, "SeqReadAt64KCold") }
func BenchmarkRandReadAt4K(b *testing.B)      { Run(b, data, "RandReadAt4K") }
func BenchmarkRandReadAt4KSmall(b *testing.B) { Run(b, data, "RandReadAt4KSmall") }
func BenchmarkRandReadAt4KCold(b *testing.B)  { Run(b, data, "RandReadAt4KCold") }
func BenchmarkParallelReadAt4K(b *testing.B)  { Run(b, data, "ParallelReadAt4K") }
func BenchmarkRead4K(b *testing.B)            { Run(b, data, "Read4K") }
func BenchmarkReadByte(b *testing.B)          { Run(b, data, "ReadByte") }
func BenchmarkGunzip(b *testing.B)            { Run(b, data, "Gunzip") }
func BenchmarkReadLine(b *testing.B)          { Run(b, data, "ReadLine") }
func BenchmarkFindRare(b *testing.B)          { Run(b, data, "FindRare") }
func BenchmarkFindCommon(b *testing.B)        { Run(b, data, "FindCommon") }
func BenchmarkFindAllRegexp(b *testing.B)     { Run(b, data, "FindAllRegexp") }
func BenchmarkWriteAtFlush(b *testing.B)      { Run(b, data, "WriteAtFlush") }
func BenchmarkCopyDiscard(b *testing.B)       { Run(b, data, "CopyDiscard") }
func BenchmarkCopyFile(b *testing.B)          { Run(b, data, "CopyFile") }
func BenchmarkOpenClose4K(b *testing.B)       { Run(b, data, "OpenClose4K") }
