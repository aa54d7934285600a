package mmap_test

import (
	"errors"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mmapio/mmap"
)

// TestMapTimeOptions checks each of Options.Populate, NoReserve and Lock from outside the
// process's view: mincore for Populate, and /proc/self/smaps for the others.
func TestMapTimeOptions(t *testing.T) {
	page := mmap.PageSize
	const pages = 32

	t.Run("Populate", func(t *testing.T) {
		name := writeFile(t, randomBytes(pages*page, 9))
		dropCache(t, name)
		cold, err := mmap.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		if n, err := cold.Resident(); err != nil || n != 0 {
			cold.Close()
			t.Skipf("the file's pages stay in the page cache: Resident() = %d, %v", n, err)
		}
		cold.Close()
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		r, err := mmap.New(f, 0, &mmap.Options{Access: mmap.AccessRead, Populate: true})
		if err != nil {
			t.Fatalf("New with Populate: %v", err)
		}
		defer r.Close()
		if n, err := r.Resident(); err != nil || n != pages {
			t.Errorf("Resident() after New with Populate = %d, %v; want all %d pages", n, err, pages)
		}
	})

	t.Run("Populate anonymous", func(t *testing.T) {
		r, err := mmap.Anonymous(pages*page, &mmap.Options{Populate: true})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if v := smapsAt(t, addrOf(r, 0)); v.kB(t, "Rss") < pages*page/1024 {
			t.Errorf("Rss: %d kB after Anonymous with Populate; want the %d kB mapped", v.kB(t, "Rss"), pages*page/1024)
		}
	})

	t.Run("NoReserve", func(t *testing.T) {
		for _, noReserve := range []bool{false, true} {
			r, err := mmap.Anonymous(pages*page, &mmap.Options{Flags: mmap.MAP_PRIVATE, NoReserve: noReserve})
			if err != nil {
				t.Fatal(err)
			}
			flags := strings.Fields(smapsAt(t, addrOf(r, 0)).fields["VmFlags"])
			r.Close()
			if has := contains(flags, "nr"); has != noReserve {
				t.Errorf("NoReserve %v: VmFlags %v; want the nr flag %v", noReserve, flags, noReserve)
			}
		}
	})

	t.Run("Lock", func(t *testing.T) {
		name := writeFile(t, randomBytes(pages*page, 10))
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		r, err := mmap.New(f, 0, &mmap.Options{Access: mmap.AccessRead, Lock: true})
		if err != nil {
			t.Fatalf("New with Lock: %v", err)
		}
		defer r.Close()
		if got := smapsAt(t, addrOf(r, 0)).kB(t, "Locked"); got != pages*page/1024 {
			t.Errorf("Locked: %d kB after New with Lock; want %d", got, pages*page/1024)
		}
	})

}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// thpMode returns the kernel's transparent huge page mode for anonymous memory ("always",
// "madvise" or "never"), or "" if it has none.
func thpMode() string {
	b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil {
		return ""
	}
	_, rest, _ := strings.Cut(string(b), "[")
	mode, _, _ := strings.Cut(rest, "]")
	return mode
}

// TestHugePages: Options.HugePages marks the mapping for transparent huge pages (the hg flag in
// smaps), also the part Resize adds, and where the kernel grants them on advice, touching the
// memory gives it huge pages.
func TestHugePages(t *testing.T) {
	const mib = 1 << 20
	for _, huge := range []bool{false, true} {
		r, err := mmap.Anonymous(8*mib, &mmap.Options{Flags: mmap.MAP_PRIVATE, HugePages: huge})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		flags := strings.Fields(smapsAt(t, addrOf(r, 4*mib)).fields["VmFlags"])
		if contains(flags, "hg") != huge {
			t.Errorf("HugePages %v: VmFlags %v; want the hg flag %v", huge, flags, huge)
		}
		if !huge {
			continue
		}
		if err := r.Resize(16 * mib); err != nil {
			t.Fatal(err)
		}
		if flags := strings.Fields(smapsAt(t, addrOf(r, 12*mib)).fields["VmFlags"]); !contains(flags, "hg") {
			t.Errorf("after Resize(16 MiB): VmFlags %v of the grown part; want hg", flags)
		}
		if mode := thpMode(); mode != "always" && mode != "madvise" {
			t.Logf("transparent huge pages are %q here: not checking that the kernel grants them", mode)
			continue
		}
		b := r.Bytes()
		for i := 0; i < len(b); i += mmap.PageSize {
			b[i] = 1
		}
		if got := smapsAt(t, addrOf(r, 4*mib)).kB(t, "AnonHugePages"); got == 0 {
			t.Logf("AnonHugePages: 0 kB after touching 16 MiB with HugePages (the kernel may lack free huge pages)")
		} else {
			t.Logf("AnonHugePages: %d kB", got)
		}
	}
}

// BenchmarkHugePages reads 64 bytes at random offsets of a 512 MiB private anonymous region with
// and without Options.HugePages; the ratio sub-benchmark alternates the two and reports
// huge/plain, the time with huge pages as a share of the time without.
func BenchmarkHugePages(b *testing.B) {
	const size = 512 << 20
	const reads = 1 << 16
	regions := map[bool]*mmap.Region{}
	for _, huge := range []bool{false, true} {
		r, err := mmap.Anonymous(size, &mmap.Options{Flags: mmap.MAP_PRIVATE, HugePages: huge, Populate: true})
		if err != nil {
			b.Fatal(err)
		}
		defer r.Close()
		regions[huge] = r
	}
	offsets := make([]int64, reads)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range offsets {
		offsets[i] = rng.Int64N(size - 64)
	}
	buf := make([]byte, 64)
	pass := func(b *testing.B, r *mmap.Region) {
		for _, off := range offsets {
			if _, err := r.ReadAt(buf, off); err != nil {
				b.Fatal(err)
			}
		}
	}
	for _, huge := range []bool{false, true} {
		name := "plain"
		if huge {
			name = "huge"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				pass(b, regions[huge])
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*reads), "ns/read")
		})
	}
	b.Run("ratio", func(b *testing.B) {
		var times [2]time.Duration // plain, huge
		for b.Loop() {
			for i, huge := range []bool{false, true} {
				start := time.Now()
				pass(b, regions[huge])
				times[i] += time.Since(start)
			}
		}
		b.ReportMetric(float64(times[1])/float64(times[0]), "huge/plain")
	})
}

// hugePagesFree returns HugePages_Free from /proc/meminfo.
func hugePagesFree(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/meminfo")
	if err != nil {
		t.Skip(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "HugePages_Free:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(rest))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Skip("no HugePages_Free in /proc/meminfo")
	return 0
}

// TestHugeTLB reserves a few huge pages for the test (vm.nr_hugepages, as root; it skips
// otherwise, and gives them back at the end): Anonymous with HugePages takes its memory from the
// pool when its length is a whole number of huge pages and the pool has them, cannot be resized,
// and gives them back at Close; otherwise it falls back to transparent huge pages.
func TestHugeTLB(t *testing.T) {
	const sysctl = "/proc/sys/vm/nr_hugepages"
	old, err := os.ReadFile(sysctl)
	if err != nil {
		t.Skip(err)
	}
	reserved, _ := strconv.Atoi(strings.TrimSpace(string(old)))
	if err := os.WriteFile(sysctl, []byte(strconv.Itoa(reserved+4)), 0); err != nil {
		t.Skipf("cannot reserve huge pages: %v", err)
	}
	t.Cleanup(func() { os.WriteFile(sysctl, old, 0) })
	free := hugePagesFree(t)
	if free < 2 {
		t.Skipf("the kernel reserved only %d free huge pages", free)
	}
	const huge = 2 << 20
	var hps int
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "Hugepagesize:"); ok {
				kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
				hps = kb << 10
			}
		}
	}
	if hps != huge {
		t.Skipf("huge pages of %d bytes; the test is written for 2 MiB", hps)
	}

	r, err := mmap.Anonymous(2*huge, &mmap.Options{HugePages: true})
	if err != nil {
		t.Fatal(err)
	}
	v := smapsAt(t, addrOf(r, 0))
	if flags := strings.Fields(v.fields["VmFlags"]); !contains(flags, "ht") || v.kB(t, "KernelPageSize") != huge>>10 {
		t.Fatalf("Anonymous(4 MiB, HugePages) with %d free huge pages: VmFlags %v, KernelPageSize %s; want ht and 2048 kB", free, flags, v.fields["KernelPageSize"])
	}
	copy(r.Bytes(), "first")
	copy(r.Bytes()[huge+5:], "in a huge page")
	if got := string(r.Bytes()[huge+5 : huge+19]); got != "in a huge page" {
		t.Errorf("read back %q", got)
	}
	if got := hugePagesFree(t); got != free-2 {
		t.Errorf("HugePages_Free %d after touching the region; want %d", got, free-2)
	}
	if err := r.Resize(3 * huge); !errors.Is(err, errors.ErrUnsupported) || !strings.Contains(err.Error(), "MAP_HUGETLB") {
		t.Errorf("Resize of pool memory = %v; want ErrUnsupported naming MAP_HUGETLB", err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if got := hugePagesFree(t); got != free {
		t.Errorf("HugePages_Free %d after Close; want %d back", got, free)
	}

	// A length that is not a whole number of huge pages, or more than the pool holds, falls back
	// to transparent huge pages.
	for _, length := range []int{huge + mmap.PageSize, (free + 2) * huge} {
		r, err := mmap.Anonymous(length, &mmap.Options{Flags: mmap.MAP_PRIVATE, HugePages: true})
		if err != nil {
			t.Fatal(err)
		}
		flags := strings.Fields(smapsAt(t, addrOf(r, 0)).fields["VmFlags"])
		if contains(flags, "ht") || !contains(flags, "hg") {
			t.Errorf("Anonymous(%d, HugePages): VmFlags %v; want hg, not ht", length, flags)
		}
		if err := r.Resize(length + mmap.PageSize); err != nil {
			t.Errorf("Resize of transparent huge page memory: %v", err)
		}
		r.Close()
	}
}
