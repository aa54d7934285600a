package bench

import (
	"bufio"
	"bytes"
	"os"
	"strconv"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// dropCache drops the file's pages from the page cache. Pages that are dirty or mapped by a
// process stay: the data files are synced when written, and the cold benchmarks map per operation.
func dropCache(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED)
}

// cpuTime returns the user and system CPU time of the process so far.
func cpuTime() time.Duration {
	var ru unix.Rusage
	if unix.Getrusage(unix.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func fdatasync(f *os.File) error {
	return unix.Fdatasync(int(f.Fd()))
}

// reportMemory reports the process's peak resident set (VmHWM) and its file-backed part now
// (RssFile: mapped page-cache pages, shared with the page cache and reclaimable), in MiB.
func reportMemory(b *testing.B) {
	st, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return
	}
	sc := bufio.NewScanner(bytes.NewReader(st))
	for sc.Scan() {
		f := bytes.Fields(sc.Bytes())
		if len(f) < 2 {
			continue
		}
		kb, err := strconv.ParseFloat(string(f[1]), 64)
		if err != nil {
			continue
		}
		switch string(f[0]) {
		case "VmHWM:":
			b.ReportMetric(kb/1024, "peak-RSS-MiB")
		case "RssFile:":
			b.ReportMetric(kb/1024, "file-RSS-MiB")
		}
	}
}
