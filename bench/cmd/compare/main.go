// Command compare runs the workloads of package bench for package mmap, its Go peers, os.File,
// the heap limit, Python's mmap, grep and ripgrep, and prints a Markdown table of medians, each
// as a ratio to a baseline measured in the same round, with the targets and whether they are met.
//
// Run it from the bench module:
//
//	cd bench && go run ./cmd/compare
//
// It generates the data files in a temporary directory (removed afterwards), builds the
// benchmark binary once, and then, for each of -count rounds, runs every implementation of every
// workload in a process of its own (so that its peak memory is its own), Python's script, and the
// fresh-process regexp counts. Progress goes to standard error, the report to standard output,
// or with -o to a file: the bench module's README.md is written this way.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "embed"

	"github.com/mmapio/mmap"
	"github.com/mmapio/mmap/bench"
)

//go:embed python.py
var pythonScript []byte

var (
	count      = flag.Int("count", 7, "rounds; every figure is the median over them")
	benchtime  = flag.String("benchtime", "300ms", "-test.benchtime of each warm benchmark")
	sizeMiB    = flag.Int("size", 256, "size of the big text file in MiB (the others are a quarter)")
	dirFlag    = flag.String("dir", "", "data directory to use and keep (generated when it has no data of -size); default a temporary one")
	runFlag    = flag.String("run", "", "only the workloads whose names match this regexp")
	clock      = flag.String("clock", "cpu", "cpu: time warm single-threaded work by the CPU time of its process (steadier on a shared machine); wall: wall time everywhere")
	python     = flag.String("python", "python3", "Python 3 interpreter; empty to skip Python")
	mmgrep     = flag.String("mmgrep", "", "path of an mmgrep binary to time on the regexp count (optional)")
	mmgrepArgs = flag.String("mmgrep-args", "-c {pattern} {file}", "mmgrep's arguments; {pattern} and {file} are replaced")
	output     = flag.String("o", "", "write the report, with its title, to this file (the bench module's README.md) instead of standard output")
	child      = flag.String("child", "", "internal: run one fresh-process regexp count (region, region-prefilter or readfile) over -file")
	childFile  = flag.String("file", "", "internal: the file of -child")
)

// A measurement is one implementation's figures in one round, by unit: ns/op, MB/s, B/op,
// allocs/op, peak-RSS-MiB, file-RSS-MiB. A missing unit is unknown.
type measurement map[string]float64

// round holds one round's measurements: workload -> implementation -> figures.
type round map[string]map[string]measurement

func (r round) put(w, impl string, m measurement) {
	if r[w] == nil {
		r[w] = map[string]measurement{}
	}
	r[w][impl] = m
}

func main() {
	flag.Parse()
	if *child != "" {
		if err := runChild(*child, *childFile); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
}

func run() error {
	start := time.Now()
	filter, err := regexp.Compile(*runFlag)
	if err != nil {
		return err
	}
	if *clock != "cpu" && *clock != "wall" {
		return fmt.Errorf("-clock %q: cpu or wall", *clock)
	}
	var workloads []bench.Workload
	for _, w := range bench.Workloads {
		if filter.MatchString(w.Name) {
			workloads = append(workloads, w)
		}
	}
	if len(workloads) == 0 {
		return fmt.Errorf("no workload matches %q", *runFlag)
	}

	// The module root: the benchmark binary is built from it.
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return fmt.Errorf("go env GOMOD: %w", err)
	}
	modDir := filepath.Dir(strings.TrimSpace(string(out)))
	if _, err := os.Stat(filepath.Join(modDir, "workloads.go")); err != nil {
		return errors.New("run compare from the bench module: cd bench && go run ./cmd/compare")
	}

	tmp, err := os.MkdirTemp("", "mmap-compare-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	dataDir := *dirFlag
	if dataDir == "" {
		dataDir = filepath.Join(tmp, "data")
		if err := os.Mkdir(dataDir, 0o755); err != nil {
			return err
		}
	}
	size := int64(*sizeMiB) << 20
	meta, err := bench.LoadMeta(dataDir)
	if err != nil || meta.TextSize != size {
		logf("generating %d MiB of data in %s", *sizeMiB, dataDir)
		if meta, err = bench.Generate(dataDir, size); err != nil {
			return err
		}
	}
	if isTmpfs(dataDir) {
		logf("warning: %s is on tmpfs: the cold rows cannot drop pages there; set TMPDIR or -dir to a disk", dataDir)
	}

	testBin := filepath.Join(tmp, "bench.test")
	logf("building the benchmarks")
	build := exec.Command("go", "test", "-c", "-o", testBin, ".")
	build.Dir = modDir
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("go test -c: %w", err)
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	pyPath := filepath.Join(tmp, "python.py")
	if err := os.WriteFile(pyPath, pythonScript, 0o644); err != nil {
		return err
	}
	py := *python
	if py != "" {
		if _, err := exec.LookPath(py); err != nil {
			logf("no %s: the Python rows are skipped", py)
			py = ""
		}
	}
	tools := externalTools(dataDir)

	mach := machine()
	mach.loadStart = loadAverage()
	var rounds []round
	for i := range *count {
		logf("round %d of %d (%s so far)", i+1, *count, time.Since(start).Round(time.Second))
		r := round{}
		for _, w := range workloads {
			// Each round starts a workload at a different implementation, so that none is
			// always the first (or the last) to run.
			for k := range w.Impls {
				im := w.Impls[(k+i)%len(w.Impls)]
				m, err := runBenchmark(testBin, dataDir, w, im.Name)
				if err != nil {
					return err
				}
				r.put(w.Name, im.Name, m)
			}
		}
		if py != "" {
			if err := runPython(r, py, pyPath, dataDir, meta, mach); err != nil {
				return err
			}
		}
		if filter.MatchString("FindAllRegexp") {
			path := filepath.Join(dataDir, bench.TextFile)
			for _, t := range []tool{
				{name: "proc-region", args: []string{self, "-child", "region", "-file", path}, goChild: true},
				{name: "proc-readfile", args: []string{self, "-child", "readfile", "-file", path}, goChild: true},
				{name: "proc-region-prefilter", args: []string{self, "-child", "region-prefilter", "-file", path}, goChild: true},
			} {
				if err := t.run(r, meta); err != nil {
					return err
				}
			}
			for _, t := range tools {
				if err := t.run(r, meta); err != nil {
					return err
				}
			}
		}
		rounds = append(rounds, r)
	}
	mach.elapsed = time.Since(start)
	mach.loadEnd = loadAverage()
	if *output == "" {
		report(os.Stdout, workloads, rounds, mach, meta, tools)
		return nil
	}
	var buf bytes.Buffer
	buf.WriteString(readmeTitle)
	report(&buf, workloads, rounds, mach, meta, tools)
	return os.WriteFile(*output, buf.Bytes(), 0o644)
}

// readmeTitle starts the report when it is written to a file: the bench module's README.md is
// this command's output, so that its figures never disagree with the code that measured them.
const readmeTitle = `# Benchmarks against the peers

How package mmap compares with reading the file (os.File, bufio), with the other Go mmap packages
(golang.org/x/exp/mmap, github.com/edsrzf/mmap-go), with Python's mmap, with GNU grep and ripgrep,
and with the limit of the machine (the same work over a heap []byte that holds the same bytes).
This file is written by ` + "`cd bench && go run ./cmd/compare -o README.md`" + `: edit the command, not
the file. ` + "`-count`" + ` sets the rounds, ` + "`-benchtime`" + ` each benchmark's time, ` + "`-size`" + ` the big file in MiB,
` + "`-run`" + ` a regexp of workloads, ` + "`-clock wall`" + ` times everything by the wall clock, and ` + "`-mmgrep PATH`" + `
adds an mmgrep binary to the regexp count. The benchmarks are ordinary testing.B functions:
` + "`cd bench && go test -bench .`" + ` runs them on small generated data.

`

// runBenchmark runs one implementation of one workload in a process of its own.
func runBenchmark(testBin, dataDir string, w bench.Workload, impl string) (measurement, error) {
	bt := *benchtime
	if w.BenchTime != "" {
		bt = w.BenchTime
	}
	pattern := "^Benchmark" + w.Name + "$/^" + regexp.QuoteMeta(impl) + "$"
	cmd := exec.Command(testBin, "-test.run", "^$", "-test.bench", pattern, "-test.benchtime", bt, "-test.count", "1", "-test.benchmem")
	cmd.Env = append(os.Environ(), "MMAP_BENCH_DIR="+dataDir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s/%s: %v\n%s%s", w.Name, impl, err, out, stderr.Bytes())
	}
	for line := range strings.Lines(string(out)) {
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark"+w.Name+"/") {
			continue
		}
		m := measurement{}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("%s/%s: cannot parse %q", w.Name, impl, line)
			}
			m[f[i+1]] = v
		}
		if cpu, ok := m["cpu-ns/op"]; ok && useCPU(w) {
			perOp := m["MB/s"] * m["ns/op"] / 1e3 // bytes per operation
			m["wall-ns/op"] = m["ns/op"]
			m["ns/op"] = cpu
			if perOp > 0 {
				m["MB/s"] = perOp / cpu * 1e3
			}
		}
		return m, nil
	}
	if bytes.Contains(out, []byte("SKIP")) {
		logf("%s/%s skipped: %s", w.Name, impl, out)
		return nil, nil
	}
	return nil, fmt.Errorf("%s/%s: no result in\n%s", w.Name, impl, out)
}

// useCPU reports whether w's figures are CPU time.
func useCPU(w bench.Workload) bool { return *clock == "cpu" && !w.Wall }

// pythonWorkloads are the workloads the Python script measures, with the bytes of one operation.
func pythonBytes(meta *bench.Meta) map[string]float64 {
	return map[string]float64{
		"SeqReadAt64K": float64(meta.TextSize), "RandReadAt4K": 4096, "ReadByte": 1,
		"ReadLine": float64(meta.LinesSize), "FindRare": float64(meta.TextSize),
		"FindCommon": float64(meta.TextSize), "FindAllRegexp": float64(meta.TextSize),
	}
}

func runPython(r round, py, script, dataDir string, meta *bench.Meta, mach *machineInfo) error {
	cmd := exec.Command(py, script, dataDir, bench.RareNeedle, bench.CommonNeedle, bench.Pattern, *clock)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("python: %v\n%s", err, stderr.Bytes())
	}
	var res map[string]any
	if err := json.Unmarshal(out, &res); err != nil {
		return fmt.Errorf("python: %v in %q", err, out)
	}
	if v, ok := res["version"].(string); ok {
		mach.python = "Python " + v
	}
	for w, n := range pythonBytes(meta) {
		ns, ok := res[w].(float64)
		if !ok {
			continue
		}
		r.put(w, "python", measurement{"ns/op": ns, "MB/s": n / ns * 1e3})
	}
	return nil
}

// A tool is a whole process timed on the regexp count of the big file.
type tool struct {
	name    string
	args    []string
	env     []string
	goChild bool // prints a childResult
	version string
}

func externalTools(dataDir string) []tool {
	path := filepath.Join(dataDir, bench.TextFile)
	grepPattern := strings.ReplaceAll(bench.Pattern, `\d`, "[0-9]")
	var tools []tool
	if p, err := exec.LookPath("grep"); err == nil {
		tools = append(tools, tool{name: "grep", args: []string{p, "-c", "-E", grepPattern, path}, env: []string{"LC_ALL=C"}, version: firstLine(p, "--version")})
	} else {
		logf("no grep: its row is skipped")
	}
	if p, err := exec.LookPath("rg"); err == nil {
		tools = append(tools, tool{name: "rg", args: []string{p, "-c", bench.Pattern, path}, version: firstLine(p, "--version")})
	} else {
		logf("no rg (apt-get install ripgrep): its row is skipped")
	}
	if *mmgrep != "" {
		var args []string
		for _, a := range strings.Fields(*mmgrepArgs) {
			a = strings.ReplaceAll(a, "{pattern}", bench.Pattern)
			args = append(args, strings.ReplaceAll(a, "{file}", path))
		}
		tools = append(tools, tool{name: "mmgrep", args: append([]string{*mmgrep}, args...)})
	}
	return tools
}

func firstLine(name string, args ...string) string {
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		return ""
	}
	line, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimSpace(line)
}

// run times the tool once and checks its count.
func (t tool) run(r round, meta *bench.Meta) error {
	cmd := exec.Command(t.args[0], t.args[1:]...)
	cmd.Env = append(os.Environ(), t.env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	begin := time.Now()
	err := cmd.Run()
	wall := time.Since(begin)
	if err != nil {
		return fmt.Errorf("%s: %v\n%s", t.name, err, stderr.Bytes())
	}
	ns := float64(wall.Nanoseconds())
	m := measurement{}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m["peak-RSS-MiB"] = float64(ru.Maxrss) / 1024
		if *clock == "cpu" {
			ns = float64(time.Duration(ru.Utime.Nano() + ru.Stime.Nano()))
		}
	}
	m["ns/op"], m["MB/s"] = ns, float64(meta.TextSize)/ns*1e3
	var n int
	if t.goChild {
		var res childResult
		if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
			return fmt.Errorf("%s: %v", t.name, err)
		}
		n = res.Count
		m["B/op"], m["allocs/op"] = float64(res.TotalAlloc), float64(res.Mallocs)
		m["peak-heap"] = float64(res.PeakHeap)
	} else {
		fields := strings.Fields(stdout.String())
		if len(fields) > 0 {
			n, _ = strconv.Atoi(fields[len(fields)-1])
		}
	}
	if n != meta.PatternCount {
		return fmt.Errorf("%s counted %d matches, want %d", t.name, n, meta.PatternCount)
	}
	r.put("FindAllRegexp", t.name, m)
	return nil
}

// childResult is what a fresh-process regexp count prints.
type childResult struct {
	Count      int
	TotalAlloc uint64 // bytes allocated by the count, from before opening the file
	Mallocs    uint64
	PeakHeap   uint64 // the most heap held by objects (live or not yet collected), sampled every millisecond
}

// runChild counts the matches of bench.Pattern in file, with the region or with os.ReadFile, as
// a program that does only that would.
func runChild(mode, file string) error {
	re := regexp.MustCompile(bench.Pattern)
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var res childResult
	stop, peak := samplePeakHeap()
	switch mode {
	case "region-prefilter":
		r, err := mmap.Open(file)
		if err != nil {
			return err
		}
		res.Count = bench.PrefilterCount(r, re)
		if err := r.Close(); err != nil {
			return err
		}
	case "region":
		r, err := mmap.Open(file)
		if err != nil {
			return err
		}
		for range r.FindAll(re) {
			res.Count++
		}
		if err := r.Close(); err != nil {
			return err
		}
	case "readfile":
		b, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		res.Count = len(re.FindAllIndex(b, -1))
	default:
		return fmt.Errorf("unknown -child %q", mode)
	}
	close(stop)
	res.PeakHeap = <-peak
	runtime.ReadMemStats(&after)
	res.TotalAlloc = after.TotalAlloc - before.TotalAlloc
	res.Mallocs = after.Mallocs - before.Mallocs
	return json.NewEncoder(os.Stdout).Encode(res)
}

// samplePeakHeap samples the bytes of heap objects until stop is closed, then sends the highest.
func samplePeakHeap() (stop chan struct{}, peak chan uint64) {
	stop, peak = make(chan struct{}), make(chan uint64, 1)
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func(high uint64) uint64 {
		metrics.Read(sample)
		return max(high, sample[0].Value.Uint64())
	}
	go func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		var high uint64
		for {
			select {
			case <-stop:
				peak <- read(high)
				return
			case <-t.C:
				high = read(high)
			}
		}
	}()
	return stop, peak
}

type machineInfo struct {
	cpu, kernel, mem, goVersion, python string
	loadStart, loadEnd                  string // the 1-minute load average when the rounds start and end
	cores                               int
	elapsed                             time.Duration
}

func machine() *machineInfo {
	m := &machineInfo{cores: runtime.NumCPU(), goVersion: runtime.Version(), cpu: "unknown CPU", kernel: runtime.GOOS}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.kernel = "Linux " + strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		f := strings.Fields(string(b))
		if len(f) > 1 {
			if kb, err := strconv.ParseFloat(f[1], 64); err == nil {
				m.mem = fmt.Sprintf("%.0f GiB", kb/(1<<20))
			}
		}
	}
	return m
}

// loadAverage returns the 1-minute load average: other work on the machine makes figures noisy.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return "?"
	}
	return f[0]
}

func isTmpfs(dir string) bool {
	var st syscall.Statfs_t
	return syscall.Statfs(dir, &st) == nil && st.Type == 0x01021994
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// values returns the per-round values of f(round), skipping the rounds where it is unknown.
func values(rounds []round, f func(r round) (float64, bool)) []float64 {
	var out []float64
	for _, r := range rounds {
		if v, ok := f(r); ok && !math.IsNaN(v) && !math.IsInf(v, 0) {
			out = append(out, v)
		}
	}
	return out
}

func get(r round, w, impl, unit string) (float64, bool) {
	m, ok := r[w][impl]
	if !ok || m == nil {
		return 0, false
	}
	v, ok := m[unit]
	return v, ok
}

// ratio is the per-round ratio of impl's unit to base's, for the median of ratios.
func ratio(w, impl, base, unit string) func(r round) (float64, bool) {
	return func(r round) (float64, bool) {
		a, ok1 := get(r, w, impl, unit)
		b, ok2 := get(r, w, base, unit)
		return a / b, ok1 && ok2 && b != 0
	}
}

// A target is one of the targets: a per-round figure compared with a bound.
type target struct {
	desc   string
	value  func(r round) (float64, bool)
	atMost bool // the figure must be <= bound (else >=)
	bound  float64
	unit   string // how the figure prints: "x" for a ratio, "B" for bytes
}

func targets() []target {
	thr := func(w, impl, base string) func(round) (float64, bool) { return ratio(w, impl, base, "MB/s") }
	scaling := func(impl string) func(round) (float64, bool) {
		return thr("ParallelReadAt4K", impl+"-g2", impl+"-g1")
	}
	return []target{
		{desc: "SeqReadAt64K: region ≥ 0.8× the copy() limit", value: thr("SeqReadAt64K", "region", "limit"), bound: 0.8, unit: "x"},
		{desc: "SeqReadAt64K: region ≥ 1.5× os.File.ReadAt", value: thr("SeqReadAt64K", "region", "osfile"), bound: 1.5, unit: "x"},
		{desc: "SeqReadAt64K: region ≥ 1× x/exp/mmap", value: thr("SeqReadAt64K", "region", "xexp"), bound: 1, unit: "x"},
		{desc: "RandReadAt4K: region ≥ 3× os.File.ReadAt", value: thr("RandReadAt4K", "region", "osfile"), bound: 3, unit: "x"},
		{desc: "RandReadAt4KSmall (the quarter-size file): region ≥ 3× os.File.ReadAt", value: thr("RandReadAt4KSmall", "region", "osfile"), bound: 3, unit: "x"},
		{desc: "RandReadAt4K: region ≥ 1× x/exp/mmap", value: thr("RandReadAt4K", "region", "xexp"), bound: 1, unit: "x"},
		{desc: "RandReadAt4K: region ≥ 1× edsrzf/mmap-go", value: thr("RandReadAt4K", "region", "edsrzf"), bound: 1, unit: "x"},
		{desc: "RandReadAt4KSmall: region ≥ 1× x/exp/mmap", value: thr("RandReadAt4KSmall", "region", "xexp"), bound: 1, unit: "x"},
		{desc: "RandReadAt4KSmall: region ≥ 1× edsrzf/mmap-go", value: thr("RandReadAt4KSmall", "region", "edsrzf"), bound: 1, unit: "x"},
		{desc: "ParallelReadAt4K: region's 1→2 goroutine scaling ≥ 0.95× that of copy() (interleaved batches)", value: func(r round) (float64, bool) {
			return get(r, "ParallelReadAt4K", "scaling", "scaling-ratio")
		}, bound: 0.95, unit: "x"},
		{desc: "ParallelReadAt4K: the same from separate processes (gN rows)", value: func(r round) (float64, bool) {
			a, ok1 := scaling("region")(r)
			b, ok2 := scaling("limit")(r)
			return a / b, ok1 && ok2
		}, bound: 0.95, unit: "x"},
		{desc: "ReadByte: region ns/op ≤ 5× bytes.Reader's", value: ratio("ReadByte", "region", "limit", "ns/op"), atMost: true, bound: 5, unit: "x"},
		{desc: "Gunzip: gzip.NewReader(region) ≥ 0.7× gzip.NewReader(os.File)", value: thr("Gunzip", "region", "osfile"), bound: 0.7, unit: "x"},
		{desc: "RandReadAt4K: region ≥ 0.97× x/exp/mmap (the lock-free read path's target)", value: thr("RandReadAt4K", "region", "xexp"), bound: 0.97, unit: "x"},
		{desc: "ReadLine: region ≥ 2× Python's mm.readline() loop", value: thr("ReadLine", "region", "python"), bound: 2, unit: "x"},
		{desc: "FindRare: region ≥ 5× Python's mm.find loop", value: thr("FindRare", "region", "python"), bound: 5, unit: "x"},
		{desc: "FindCommon: region ≥ 5× Python's mm.find loop", value: thr("FindCommon", "region", "python"), bound: 5, unit: "x"},
		{desc: "FindRare: region ≥ 0.7× the IndexByte scan limit", value: thr("FindRare", "region", "limit"), bound: 0.7, unit: "x"},
		{desc: "FindCommon: region ≥ 0.7× the IndexByte scan limit", value: thr("FindCommon", "region", "limit"), bound: 0.7, unit: "x"},
		{desc: "FindAllRegexp: region ≥ 3× Python's re.finditer over its mmap", value: thr("FindAllRegexp", "region", "python"), bound: 3, unit: "x"},
		{desc: "FindAllRegexp, fresh process: mmap.Open+FindAll ≥ 1.5× os.ReadFile+regexp", value: thr("FindAllRegexp", "proc-region", "proc-readfile"), bound: 1.5, unit: "x"},
		{desc: "FindAllRegexp, fresh process: peak heap of mmap.Open+FindAll < 1 MiB", value: func(r round) (float64, bool) {
			return get(r, "FindAllRegexp", "proc-region", "peak-heap")
		}, atMost: true, bound: 1 << 20, unit: "B"},
		{desc: "(prototype) FindAllRegexp: literal-prefix prefilter ≥ 3× Python's re.finditer", value: thr("FindAllRegexp", "region-prefilter", "python"), bound: 3, unit: "x"},
		{desc: "(prototype) FindAllRegexp, fresh process: prefilter ≥ 1.5× os.ReadFile+regexp", value: thr("FindAllRegexp", "proc-region-prefilter", "proc-readfile"), bound: 1.5, unit: "x"},
		{desc: "(prototype) ReadLine: a slab-allocated line copy ≥ 2× Python's mm.readline() loop", value: thr("ReadLine", "region-slab", "python"), bound: 2, unit: "x"},
		{desc: "OpenClose4K: mmap.Open+Close ns/op ≤ 2× os.ReadFile's", value: ratio("OpenClose4K", "region", "readfile", "ns/op"), atMost: true, bound: 2, unit: "x"},
	}
}

func report(w io.Writer, workloads []bench.Workload, rounds []round, m *machineInfo, meta *bench.Meta, tools []tool) {
	fmt.Fprintf(w, "Measured on %s with %d cores, %s memory, %s, %s", m.cpu, m.cores, m.mem, m.kernel, m.goVersion)
	if m.python != "" {
		fmt.Fprintf(w, ", %s", m.python)
	}
	for _, t := range tools {
		if t.version != "" {
			fmt.Fprintf(w, ", %s", t.version)
		}
	}
	fmt.Fprintf(w, "; %s (UTC), %d rounds in %s, load average %s at the start and %s at the end (the machine is shared). Big file %d MiB, quarter-size files %d MiB.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04"), len(rounds), m.elapsed.Round(time.Second), m.loadStart, m.loadEnd, meta.TextSize>>20, meta.LinesSize>>20)
	fmt.Fprintf(w, "Reproduce with `cd bench && go run ./cmd/compare%s` (it prints this section).\n\n", flagsUsed())
	fmt.Fprintln(w, "Every figure is the median over the rounds; every ratio is the median of the per-round ratios to the")
	fmt.Fprintln(w, "baseline measured in the same round. Each implementation runs in a process of its own.")
	if *clock == "cpu" {
		fmt.Fprintln(w, "Times are the CPU time (user and system) of the measuring process per operation, Python's and the")
		fmt.Fprintln(w, "whole processes' included, which other load on the machine disturbs less than wall time; the")
		fmt.Fprintln(w, "workloads marked (wall) wait for the disk or run on both cores and are timed by the wall clock.")
	}
	fmt.Fprintln(w)

	fmt.Fprintln(w, "## Targets")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| target | measured (median) | range over rounds | met |")
	fmt.Fprintln(w, "| --- | ---: | ---: | :---: |")
	for _, t := range targets() {
		v := values(rounds, t.value)
		if len(v) == 0 {
			fmt.Fprintf(w, "| %s | not measured | | |\n", t.desc)
			continue
		}
		med := median(v)
		met := med >= t.bound
		if t.atMost {
			met = med <= t.bound
		}
		mark := "**missed**"
		if met {
			mark = "yes"
		}
		f := func(x float64) string {
			if t.unit == "B" {
				return bytesStr(x)
			}
			return fmt.Sprintf("%.2f×", x)
		}
		fmt.Fprintf(w, "| %s | %s | %s – %s | %s |\n", t.desc, f(med), f(slices.Min(v)), f(slices.Max(v)), mark)
	}
	fmt.Fprintln(w)

	fmt.Fprintln(w, "## All results")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Each cell: the median, then (in brackets) its ratio to the workload's **baseline** row. Throughput is")
	fmt.Fprintln(w, "bytes handled per second; peak RSS is the process's (file-backed pages of a mapping, shared with")
	fmt.Fprintln(w, "the page cache and reclaimable, in brackets where known; for the fresh processes, the peak of the Go heap).")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| workload | implementation | throughput | ns/op | B/op | allocs/op | peak RSS |")
	fmt.Fprintln(w, "| --- | --- | ---: | ---: | ---: | ---: | ---: |")
	docs := map[string]string{}
	for _, wl := range workloads {
		impls := implNames(wl, rounds)
		for _, impl := range impls {
			if impl == "scaling" {
				continue // its figures are in the targets
			}
			med := func(unit string) (float64, bool) {
				v := values(rounds, func(r round) (float64, bool) { return get(r, wl.Name, impl, unit) })
				return median(v), len(v) > 0
			}
			rat := func(unit string) string {
				v := values(rounds, ratio(wl.Name, impl, wl.Baseline, unit))
				if len(v) == 0 || impl == wl.Baseline {
					return ""
				}
				return fmt.Sprintf(" (%.2f×)", median(v))
			}
			cell := func(unit string, format func(float64) string) string {
				v, ok := med(unit)
				if !ok {
					return "—"
				}
				return format(v) + rat(unit)
			}
			name := impl
			if impl == wl.Baseline {
				name = "**" + impl + "**"
			}
			rss := cell("peak-RSS-MiB", func(v float64) string { return fmt.Sprintf("%.0f MiB", v) })
			if h, ok := med("peak-heap"); ok {
				rss += fmt.Sprintf(", heap %s", bytesStr(h))
			}
			if f, ok := med("file-RSS-MiB"); ok && rss != "—" {
				rss = fmt.Sprintf("%.0f MiB [%.0f]", must(med("peak-RSS-MiB")), f) + rat("peak-RSS-MiB")
			}
			label := wl.Name
			if *clock == "cpu" && wl.Wall {
				label += " (wall)"
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", label, name,
				cell("MB/s", throughputStr), cell("ns/op", nsStr), cell("B/op", bytesStr),
				cell("allocs/op", func(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) }), rss)
		}
		for _, im := range wl.Impls {
			docs[wl.Name+"/"+im.Name] = im.Doc
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "The workloads (one operation) and the implementations:")
	fmt.Fprintln(w)
	extra := map[string]string{
		"python":                "Python's mmap, timed inside the script",
		"proc-region":           "a fresh process: mmap.Open, counting Region.FindAll, Close (whole process timed)",
		"proc-readfile":         "a fresh process: os.ReadFile, regexp FindAllIndex (whole process timed)",
		"proc-region-prefilter": "a fresh process: mmap.Open, bench.PrefilterCount (the prototype), Close (whole process timed)",
		"grep":                  "GNU grep -c -E, LC_ALL=C (whole process timed)",
		"rg":                    "ripgrep -c (whole process timed)",
		"mmgrep":                "mmgrep (whole process timed)",
	}
	for _, wl := range workloads {
		var parts []string
		for _, impl := range implNames(wl, rounds) {
			d := docs[wl.Name+"/"+impl]
			if d == "" {
				d = extra[impl]
			}
			parts = append(parts, fmt.Sprintf("%s: %s", impl, d))
		}
		fmt.Fprintf(w, "- **%s**: %s. %s.\n", wl.Name, wl.Doc, strings.Join(parts, "; "))
	}
}

func must(v float64, _ bool) float64 { return v }

// implNames lists a workload's implementations in table order, including the ones measured
// outside testing.B (Python, the processes).
func implNames(wl bench.Workload, rounds []round) []string {
	var names []string
	for _, im := range wl.Impls {
		names = append(names, im.Name)
	}
	for _, extra := range []string{"python", "proc-readfile", "proc-region", "proc-region-prefilter", "grep", "rg", "mmgrep"} {
		for _, r := range rounds {
			if _, ok := r[wl.Name][extra]; ok {
				names = append(names, extra)
				break
			}
		}
	}
	return names
}

func flagsUsed() string {
	var s string
	flag.Visit(func(f *flag.Flag) {
		if f.Name != "dir" && f.Name != "o" {
			s += fmt.Sprintf(" -%s=%s", f.Name, f.Value)
		}
	})
	return s
}

func throughputStr(mbs float64) string {
	switch {
	case mbs >= 1000:
		return fmt.Sprintf("%.1f GB/s", mbs/1000)
	case mbs >= 1:
		return fmt.Sprintf("%.0f MB/s", mbs)
	}
	return fmt.Sprintf("%.2f MB/s", mbs)
}

func nsStr(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.2f s", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.1f ms", ns/1e6)
	case ns >= 1e4:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	case ns >= 100:
		return fmt.Sprintf("%.0f ns", ns)
	}
	return fmt.Sprintf("%.1f ns", ns)
}

func bytesStr(b float64) string {
	switch {
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1f KiB", b/(1<<10))
	}
	return fmt.Sprintf("%.0f B", b)
}
