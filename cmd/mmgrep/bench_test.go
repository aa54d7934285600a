package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// benchSize is the size of the text file the command benchmarks search: 1 GiB, or
// MMGREP_BENCH_MIB mebibytes.
func benchSize(b *testing.B) int {
	if s := os.Getenv("MMGREP_BENCH_MIB"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			b.Fatalf("MMGREP_BENCH_MIB=%q: want a positive number", s)
		}
		return n << 20
	}
	return 1 << 30
}

// writeBenchLog writes size bytes of a web server's log to name: one line in 500 is an ERROR
// that ends in "timeout".
func writeBenchLog(b *testing.B, name string, size int) {
	f, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	for line, written := 0, 0; written < size; line++ {
		var n int
		if line%500 == 250 {
			n, _ = fmt.Fprintf(w, "2026-11-25T20:%02d:%02d.%03d ERROR %d request id=%d failed: upstream timeout\n", line/60%60, line%60, line%1000, 500+line/500%4, line)
		} else {
			n, _ = fmt.Fprintf(w, "2026-11-25T20:%02d:%02d.%03d INFO request id=%d path=/api/v1/items/%d status=200 bytes=%d\n", line/60%60, line%60, line%1000, line, line%977, line%65536)
		}
		written += n
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkCountVsGrep runs `mmgrep -c`, GNU `grep -c` and ripgrep's `rg -c` over the same 1 GiB
// log file (in the page cache: every tool runs once before timing), for a literal and for a
// regexp with a literal prefix. Each iteration runs every tool once; the metrics are the fastest
// wall-clock time and the least CPU time (user+system) of each, and their ratios:
// grep/mmgrep (the target is >= 1), mmgrep/rg (the targets are <= 1.3 for the literal and <= 2
// for the regexp). A tool that is not installed is left out. Run it with
//
//	go test -run '^$' -bench CountVsGrep -benchtime 5x ./cmd/mmgrep
func BenchmarkCountVsGrep(b *testing.B) {
	dir := tempDir(b)
	bin := filepath.Join(dir, "mmgrep")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	data := filepath.Join(dir, "log.txt")
	writeBenchLog(b, data, benchSize(b))

	type tool struct {
		name string
		argv []string
	}
	for _, bc := range []struct {
		name    string
		pattern string
		tools   []tool
	}{
		{"literal", "timeout", []tool{
			{"mmgrep", []string{bin, "-c"}}, {"grep", []string{"grep", "-c"}}, {"rg", []string{"rg", "-c"}},
		}},
		{"regexp", `ERROR 50[13] request id=[0-9]+`, []tool{
			{"mmgrep", []string{bin, "-c"}}, {"grep", []string{"grep", "-E", "-c"}}, {"rg", []string{"rg", "-c"}},
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var tools []tool
			for _, t := range bc.tools {
				if _, err := exec.LookPath(t.argv[0]); err == nil {
					tools = append(tools, t)
				}
			}
			wall := map[string]time.Duration{}
			cpu := map[string]time.Duration{}
			counts := map[string]string{}
			runOnce := func(t tool) (time.Duration, time.Duration, string) {
				cmd := exec.Command(t.argv[0], append(t.argv[1:], bc.pattern, data)...)
				cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
				var out bytes.Buffer
				cmd.Stdout = &out
				start := time.Now()
				if err := cmd.Run(); err != nil {
					b.Fatalf("%s: %v", t.name, err)
				}
				return time.Since(start), cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime(), out.String()
			}
			for _, t := range tools { // warm the page cache and check the counts agree
				_, _, counts[t.name] = runOnce(t)
				if counts[t.name] != counts["mmgrep"] {
					b.Fatalf("%s counted %q, mmgrep %q", t.name, counts[t.name], counts["mmgrep"])
				}
			}
			for b.Loop() {
				for _, t := range tools {
					w, c, _ := runOnce(t)
					if old, ok := wall[t.name]; !ok || w < old {
						wall[t.name] = w
					}
					if old, ok := cpu[t.name]; !ok || c < old {
						cpu[t.name] = c
					}
				}
			}
			ms := func(d time.Duration) float64 { return float64(d) / 1e6 }
			for _, t := range tools {
				b.ReportMetric(ms(wall[t.name]), t.name+"-ms")
				b.ReportMetric(ms(cpu[t.name]), t.name+"-cpu-ms")
			}
			if g, ok := wall["grep"]; ok {
				b.ReportMetric(float64(g)/float64(wall["mmgrep"]), "grep/mmgrep")
				b.ReportMetric(float64(cpu["grep"])/float64(cpu["mmgrep"]), "grep/mmgrep-cpu")
			}
			if r, ok := wall["rg"]; ok {
				b.ReportMetric(float64(wall["mmgrep"])/float64(r), "mmgrep/rg")
				b.ReportMetric(float64(cpu["mmgrep"])/float64(cpu["rg"]), "mmgrep/rg-cpu")
			}
			b.Logf("count %s", bytes.TrimSpace([]byte(counts["mmgrep"])))
		})
	}
}
