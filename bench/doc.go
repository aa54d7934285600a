// Package bench measures package mmap against its peers (golang.org/x/exp/mmap,
// github.com/edsrzf/mmap-go, os.File, Python's mmap, grep and ripgrep) and against the limit of
// the machine (the same work over a heap []byte holding the same bytes), on identical work.
//
// Generate writes the data files; Workloads lists every workload and its implementations, and the
// package's Benchmark functions run them with testing.B. The command in cmd/compare generates the
// data, runs each implementation in its own process for several rounds, and prints a Markdown
// table of medians, each as a ratio to a baseline measured in the same round.
//
// The benchmarks read their data from the directory named by the MMAP_BENCH_DIR environment
// variable; without it, they generate small files in a temporary directory first.
package bench
