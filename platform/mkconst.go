//go:build ignore

// mkconst writes the zconst_*.go files: the MAP_*, PROT_*, MADV_* and MS_* constants of every OS,
// from the one table below, as golang.org/x/sys generates its own. Run it with go generate.
//
// A name the OS defines is taken from golang.org/x/sys/unix, never written out, since the values
// differ between systems (MS_SYNC is 4 on Linux and 0x10 on macOS). A MAP_* flag the OS lacks is
// 0, so that or-ing it in changes nothing; advice it lacks gets a negative value of its own, which
// Advise reports as unsupported.
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"log"
	"os"
	"slices"
)

// A group is one const block: names of one kind, documented once.
type group struct {
	doc     string // for Unix systems; %s is the OS
	names   []string
	missing string // "zero" or "negative": what a name the OS lacks becomes
}

var groups = []group{
	{
		doc:     "Mapping flags and protections, as %s defines them; a MAP_* flag it lacks is 0.",
		names:   []string{"MAP_SHARED", "MAP_PRIVATE", "MAP_ANON", "MAP_ANONYMOUS", "MAP_POPULATE", "MAP_DENYWRITE", "MAP_EXECUTABLE", "MAP_NORESERVE", "MAP_HUGETLB", "PROT_READ", "PROT_WRITE", "PROT_EXEC"},
		missing: "zero",
	},
	{
		doc: "Advice for Advise, as %s defines it; one that it lacks is negative.",
		names: []string{"MADV_NORMAL", "MADV_RANDOM", "MADV_SEQUENTIAL", "MADV_WILLNEED", "MADV_DONTNEED",
			"MADV_REMOVE", "MADV_DONTFORK", "MADV_DOFORK", "MADV_HWPOISON", "MADV_MERGEABLE", "MADV_UNMERGEABLE",
			"MADV_SOFT_OFFLINE", "MADV_HUGEPAGE", "MADV_NOHUGEPAGE", "MADV_DONTDUMP", "MADV_DODUMP", "MADV_FREE",
			"MADV_NOSYNC", "MADV_AUTOSYNC", "MADV_NOCORE", "MADV_CORE", "MADV_PROTECT", "MADV_FREE_REUSABLE",
			"MADV_FREE_REUSE"},
		missing: "negative",
	},
	{
		doc:     "Flags of msync, as %s defines them. Sync uses MS_SYNC and SyncAsync MS_ASYNC.",
		names:   []string{"MS_SYNC", "MS_ASYNC", "MS_INVALIDATE"},
		missing: "zero",
	},
}

var common = []string{"MAP_SHARED", "MAP_PRIVATE", "MAP_ANON", "PROT_READ", "PROT_WRITE", "PROT_EXEC",
	"MADV_NORMAL", "MADV_RANDOM", "MADV_SEQUENTIAL", "MADV_WILLNEED", "MADV_DONTNEED",
	"MS_SYNC", "MS_ASYNC", "MS_INVALIDATE"}

// unixHas lists, beyond common, the names golang.org/x/sys/unix defines for each Unix system.
var unixHas = map[string][]string{
	"aix":    {"MAP_ANONYMOUS"},
	"darwin": {"MAP_ANONYMOUS", "MAP_NORESERVE", "MADV_FREE", "MADV_FREE_REUSABLE", "MADV_FREE_REUSE"},
	"dragonfly": {"MAP_ANONYMOUS", "MAP_NORESERVE", "MADV_FREE", "MADV_NOSYNC", "MADV_AUTOSYNC", "MADV_NOCORE",
		"MADV_CORE"},
	"freebsd": {"MAP_ANONYMOUS", "MADV_FREE", "MADV_NOSYNC", "MADV_AUTOSYNC", "MADV_NOCORE",
		"MADV_CORE", "MADV_PROTECT"},
	"linux": {"MAP_ANONYMOUS", "MAP_POPULATE", "MAP_DENYWRITE", "MAP_EXECUTABLE", "MAP_NORESERVE", "MAP_HUGETLB", "MADV_REMOVE",
		"MADV_DONTFORK", "MADV_DOFORK", "MADV_HWPOISON", "MADV_MERGEABLE", "MADV_UNMERGEABLE",
		"MADV_HUGEPAGE", "MADV_NOHUGEPAGE", "MADV_DONTDUMP", "MADV_DODUMP", "MADV_FREE"},
	"netbsd":  {"MAP_NORESERVE", "MADV_FREE"},
	"openbsd": {"MAP_ANONYMOUS", "MAP_NORESERVE", "MADV_FREE"},
	"solaris": {"MAP_ANONYMOUS", "MAP_NORESERVE", "MADV_FREE"},
}

// literal gives the value of a name that golang.org/x/sys/unix does not define but the OS has.
var literal = map[string]map[string]string{
	"linux": {"MADV_SOFT_OFFLINE": "101 // <linux/mman.h>"},
}

func main() {
	for goos, has := range unixHas {
		has = append(slices.Clone(common), has...)
		var b bytes.Buffer
		header(&b, "", true)
		for _, g := range groups {
			fmt.Fprintf(&b, "\n// %s\nconst (\n", fmt.Sprintf(g.doc, goos))
			neg := 0
			for _, name := range g.names {
				switch v, ok := literal[goos][name]; {
				case ok:
					fmt.Fprintf(&b, "%s = %s\n", name, v)
				case slices.Contains(has, name):
					fmt.Fprintf(&b, "%s = unix.%s\n", name, name)
				case g.missing == "zero":
					fmt.Fprintf(&b, "%s = 0\n", name)
				default:
					neg--
					fmt.Fprintf(&b, "%s = %d\n", name, neg)
				}
			}
			b.WriteString(")\n")
		}
		write("zconst_"+goos+".go", &b)
	}

	// Without mmap (Windows, and the emulated mappings of js, wasip1 and plan9), the flags and
	// protections take Python's (and Linux's) values: only MAP_SHARED, MAP_PRIVATE and PROT_*
	// change anything there.
	var b bytes.Buffer
	header(&b, "!unix", false)
	b.WriteString(`
// Mapping flags and protections where the OS has no mmap (Windows, and the emulated mappings of
// js, wasip1 and plan9): Python's (and Linux's) values. Only MAP_SHARED, MAP_PRIVATE and the PROT_*
// bits change anything; Windows translates them to page protections and view access (see
// protections in platform_windows.go). The other MAP_* flags are 0.
const (
	MAP_SHARED     = 0x1
	MAP_PRIVATE    = 0x2
	MAP_ANON       = 0
	MAP_ANONYMOUS  = 0
	MAP_POPULATE   = 0
	MAP_DENYWRITE  = 0
	MAP_EXECUTABLE = 0
	MAP_NORESERVE  = 0
	MAP_HUGETLB    = 0
	PROT_READ      = 0x1
	PROT_WRITE     = 0x2
	PROT_EXEC      = 0x4
)

// Flags of msync where the OS has none: Python's (and Linux's) values. Sync is the MS_SYNC kind of
// flush and SyncAsync the MS_ASYNC kind.
const (
	MS_ASYNC      = 0x1
	MS_INVALIDATE = 0x2
	MS_SYNC       = 0x4
)
`)
	write("zconst_nommap.go", &b)

	// Advice without mmap: Windows has counterparts for MADV_WILLNEED and MADV_DONTNEED, which
	// take POSIX's values; an emulated mapping takes none.
	for _, file := range []struct{ name, build, doc string }{
		{"zconst_windows.go", "", "Advice for Advise. Windows has counterparts for MADV_WILLNEED (PrefetchVirtualMemory) and\n// MADV_DONTNEED (see advise), which take POSIX's values; the rest are negative: unsupported."},
		{"zconst_emul.go", "!unix && !windows", "Advice for Advise: an emulated mapping takes none, so every one is negative (unsupported)."},
	} {
		var b bytes.Buffer
		header(&b, file.build, false)
		fmt.Fprintf(&b, "\n// %s\nconst (\n", file.doc)
		neg := 0
		for _, name := range groups[1].names {
			switch {
			case file.build == "" && name == "MADV_WILLNEED":
				b.WriteString("MADV_WILLNEED = 3\n")
			case file.build == "" && name == "MADV_DONTNEED":
				b.WriteString("MADV_DONTNEED = 4\n")
			default:
				neg--
				fmt.Fprintf(&b, "%s = %d\n", name, neg)
			}
		}
		b.WriteString(")\n")
		write(file.name, &b)
	}
}

func header(b *bytes.Buffer, build string, unix bool) {
	b.WriteString("// Code generated by mkconst.go; DO NOT EDIT.\n\n")
	if build != "" {
		fmt.Fprintf(b, "//go:build %s\n\n", build)
	}
	b.WriteString("package platform\n")
	if unix {
		b.WriteString("\nimport \"golang.org/x/sys/unix\"\n")
	}
}

func write(name string, b *bytes.Buffer) {
	src, err := format.Source(b.Bytes())
	if err != nil {
		log.Fatalf("%s: %v\n%s", name, err, b.Bytes())
	}
	if err := os.WriteFile(name, src, 0o644); err != nil {
		log.Fatal(err)
	}
}
