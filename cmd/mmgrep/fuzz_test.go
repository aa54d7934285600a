package main

import (
	"bytes"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/mmapio/mmap"
	"github.com/mmapio/mmap/internal/regexgen"
)

// FuzzGrammar generates a pattern from a grammar (literals, classes, alternation, repetition,
// anchors, flags, captures) and a text with pieces of its literals planted, and compares with Go's
// regexp over the same bytes: Region.FindAll over the whole region and over a window, Region.Search
// over the window, and the number of lines mmgrep -c counts, which must be the lines regexp finds
// a match in. Every regression found is kept in testdata/fuzz/FuzzGrammar.
func FuzzGrammar(f *testing.F) {
	f.Add([]byte("pattern"), []byte("text choices"), uint16(0), uint16(100))
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, []byte{9, 8, 7, 6, 5, 4, 3, 2, 1}, uint16(3), uint16(7))
	f.Add([]byte{9, 200, 7, 31, 4, 77, 2, 1, 0, 13, 5}, []byte("the quick brown fox"), uint16(1), uint16(9))
	f.Fuzz(func(t *testing.T, patChoices, textChoices []byte, pos, end uint16) {
		pat := regexgen.Pattern(regexgen.NewSource(patChoices))
		re, err := regexp.Compile(pat)
		if err != nil {
			return
		}
		text := regexgen.Text(regexgen.NewSource(textChoices), pat, 2*len(textChoices))
		// A search that takes a minute over a few kilobytes has gone quadratic or loops: crash
		// the worker so that the fuzzer keeps the input.
		watchdog := time.AfterFunc(time.Minute, func() { panic(fmt.Sprintf("search for %q over %d bytes did not end", pat, len(text))) })
		defer watchdog.Stop()

		r, err := mmap.Anonymous(len(text), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		copy(r.Bytes(), text)
		if got, want := slices.Collect(r.FindAll(re)), re.FindAllSubmatchIndex(text, -1); !equalLocs(got, want) {
			t.Fatalf("FindAll(%q) over %q = %v; want %v", pat, text, got, want)
		}
		p, e := int(pos)%(len(text)+1), int(end)%(len(text)+1)
		var want [][]int
		if e >= p {
			want = re.FindAllSubmatchIndex(text[p:e], -1)
			for _, loc := range want {
				for i := range loc {
					if loc[i] >= 0 {
						loc[i] += p
					}
				}
			}
		}
		if got := slices.Collect(r.FindAll(re, p, e)); !equalLocs(got, want) {
			t.Fatalf("FindAll(%q, %d, %d) over %q = %v; want %v", pat, p, e, text, got, want)
		}
		var first []int
		if len(want) > 0 {
			first = want[0]
		}
		if got := r.Search(re, p, e); !slices.Equal(got, first) {
			t.Fatalf("Search(%q, %d, %d) over %q = %v; want %v", pat, p, e, text, got, first)
		}
		if err := r.Err(); err != nil {
			t.Fatal(err)
		}

		if bytes.IndexByte(text, 0) >= 0 {
			return // binary: mmgrep prints "binary file matches" instead
		}
		o := &options{patterns: []string{pat}, count: true, withName: -1, maxCount: -1}
		m, err := compile(o)
		if err != nil {
			t.Fatalf("mmgrep could not compile %q: %v", pat, err)
		}
		g := newGrep(o, m, nil, nil, nil)
		wantLines := int64(0)
		lines := bytes.Split(text, []byte("\n"))
		if len(text) > 0 && text[len(text)-1] == '\n' {
			lines = lines[:len(lines)-1]
		}
		for _, line := range lines {
			if len(text) > 0 && re.Match(line) {
				wantLines++
			}
		}
		if got := g.countSelected(text); got != wantLines {
			t.Fatalf("mmgrep -c %q over %q = %d; want %d", pat, text, got, wantLines)
		}
	})
}

func equalLocs(got, want [][]int) bool {
	if len(got) == 0 && len(want) == 0 {
		return true
	}
	return reflect.DeepEqual(got, want)
}
