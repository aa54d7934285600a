package mmap_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/mmapio/mmap"
)

// rePatterns are the patterns every differential test runs: literal, class, alternation,
// submatch, anchored (text, line, word boundaries) and empty-matching ones. The fuzz target picks
// from the same table.
var rePatterns = []string{
	`func`,
	`ab`,
	`[0-9]+`,
	`[[:upper:]][a-z]*`,
	`\d{2,}`,
	`cat|dog|bird`,
	`a|ab|abc`,
	`(\w+)@(\w+)\.com`,
	`(a)|(b)`,
	`(?P<key>\w+)=(?P<val>[^;\n]*)`,
	`^\w+`,
	`(?m)^\w+`,
	`(?m)^`,
	`(?m)$`,
	`(?m)^$`,
	`\A.`,
	`.\z`,
	`\bis\b`,
	`\Bis\B`,
	`\b`,
	`\B`,
	`x*`,
	`a*`,
	`(a*)(b*)`,
	`|`,
	``,
	`(?i)é+`,
	`.`,
	`(?s).{3}`,
	`[^a-z\n]+`,
	`\x{FFFD}`,
	`\bé`,
	`(?m)^\QAB(\E`,
}

// reTexts are the inputs of the differential tests: ASCII, multi-byte and invalid UTF-8, lines,
// and the empty file.
var reTexts = []string{
	"",
	"a",
	"\n",
	"ab abc abab\nabc\n",
	"This is his island; is it? is.\nthis\nis\n",
	"the cat, the dog and the bird. catdog\n12 345 6789\n",
	"mail bob@example.com and eve@corp.com\nkey=value; k2=v2\n",
	"aaa baaa b ab\n\n\naab",
	"héllo wörld ééé Élan\n日本語 テキスト\n",
	"bad \xff\xfe utf8 \xe2\x82 cut \xf0\x9f\x98 emoji \xf0\x9f\x98\x80 end",
	"\xe2\x82\xac\xe2\x82",
	"AB(\nAB(AB(\n x AB(",
	"func main() {}\nfunc Foo(x int) {}\n\tfunc bar()\n",
}

// collect runs FindAll to the end.
func collect(r *mmap.Region, re *regexp.Regexp, bounds ...int) [][]int {
	var got [][]int
	for loc := range r.FindAll(re, bounds...) {
		got = append(got, loc)
	}
	return got
}

// wantWindow is what FindAll(re, pos, end) must yield: regexp over the window, shifted.
func wantWindow(re *regexp.Regexp, data []byte, pos, end int) [][]int {
	pos, end = max(0, min(pos, len(data))), max(0, min(end, len(data)))
	if end < pos {
		return nil
	}
	all := re.FindAllSubmatchIndex(data[pos:end], -1)
	for _, loc := range all {
		for i := range loc {
			if loc[i] >= 0 {
				loc[i] += pos
			}
		}
	}
	return all
}

func TestFindAllMatchesRegexp(t *testing.T) {
	for ti, text := range reTexts {
		r, name := mapFile(t, []byte(text), mmap.AccessRead)
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, pat := range rePatterns {
			for _, compile := range []func(string) *regexp.Regexp{regexp.MustCompile, regexp.MustCompilePOSIX, mustLongest} {
				re, ok := tryCompile(compile, pat)
				if !ok {
					continue
				}
				want := re.FindAllSubmatchIndex(data, -1)
				if got := collect(r, re); !equalLocs(got, want) {
					t.Errorf("text %d %q: FindAll(%s) = %v; want %v", ti, text, re, got, want)
				}
				if got, want := r.Search(re), re.FindSubmatchIndex(data); !slices.Equal(got, want) {
					t.Errorf("text %d %q: Search(%s) = %v; want %v", ti, text, re, got, want)
				}
				for _, w := range [][2]int{{1, len(data)}, {2, len(data) - 1}, {len(data) / 2, len(data)}, {-3, 4}, {3, 2}, {0, len(data) + 5}} {
					want := wantWindow(re, data, w[0], w[1])
					if got := collect(r, re, w[0], w[1]); !equalLocs(got, want) {
						t.Errorf("text %d %q: FindAll(%s, %d, %d) = %v; want %v", ti, text, re, w[0], w[1], got, want)
					}
					var wantS []int
					if len(want) > 0 {
						wantS = want[0]
					}
					if got := r.Search(re, w[0], w[1]); !slices.Equal(got, wantS) {
						t.Errorf("text %d %q: Search(%s, %d, %d) = %v; want %v", ti, text, re, w[0], w[1], got, wantS)
					}
				}
			}
		}
		if r.Tell() != 0 {
			t.Errorf("text %d: Search and FindAll moved the cursor to %d", ti, r.Tell())
		}
		if err := r.Err(); err != nil {
			t.Errorf("text %d: Err() = %v", ti, err)
		}
	}
}

func mustLongest(pat string) *regexp.Regexp {
	re := regexp.MustCompile(pat)
	re.Longest()
	return re
}

// tryCompile compiles pat, reporting false for a pattern that this syntax (POSIX) rejects.
func tryCompile(compile func(string) *regexp.Regexp, pat string) (re *regexp.Regexp, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return compile(pat), true
}

func equalLocs(a, b [][]int) bool {
	return slices.EqualFunc(a, b, func(x, y []int) bool { return slices.Equal(x, y) })
}

// TestRegexpPythonDifferences pins where Search and FindAll differ from Python's re, as their doc
// comments say: the text starts at pos, and Go's empty-match rules.
func TestRegexpPythonDifferences(t *testing.T) {
	const text = "abc def\nxy xy\naaa"
	r, _ := mapFile(t, []byte(text), mmap.AccessRead)
	tests := []struct {
		pat    string
		bounds []int
		search []int   // Python's Pattern.search gives what the comment says
		all    [][]int // Python's finditer gives what the comment says
	}{
		// Python: None; ^ matches only at the real start.
		{`^def`, []int{4}, []int{4, 7}, [][]int{{4, 7}}},
		// Python: None; \b sees the 'd' before pos.
		{`\bef`, []int{5}, []int{5, 7}, [][]int{{5, 7}}},
		// Python: None; \B sees the 'd' before pos, so pos is not a boundary.
		{`\Bef`, []int{5}, nil, nil},
		// Python: (8, 9) alone as well; the x at 11 follows a space in both.
		{`(?m)^x`, []int{8}, []int{8, 9}, [][]int{{8, 9}}},
		// Python: None from pos 9; Go takes pos as a line start.
		{`(?m)^y`, []int{9}, []int{9, 10}, [][]int{{9, 10}}},
		// Python 3.7+: (14, 17) and (17, 17); Go drops the empty match right after a match.
		{`a*`, []int{14}, []int{14, 17}, [][]int{{14, 17}}},
		// Python: the same two empty matches: before the '\n' and at endpos.
		{`(?m)$`, []int{5, 9}, []int{7, 7}, [][]int{{7, 7}, {9, 9}}},
	}
	for _, tt := range tests {
		re := regexp.MustCompile(tt.pat)
		if got := r.Search(re, tt.bounds...); !slices.Equal(got, tt.search) {
			t.Errorf("Search(%s, %v) = %v; want %v", tt.pat, tt.bounds, got, tt.search)
		}
		if got := collect(r, re, tt.bounds...); !equalLocs(got, tt.all) {
			t.Errorf("FindAll(%s, %v) = %v; want %v", tt.pat, tt.bounds, got, tt.all)
		}
	}
}

func TestFindAllStopsEarly(t *testing.T) {
	r, _ := mapFile(t, []byte(strings.Repeat("ab ", 1000)), mmap.AccessRead)
	re := regexp.MustCompile(`ab`)
	n := 0
	for loc := range r.FindAll(re) {
		if loc[0] != 3*n {
			t.Fatalf("match %d at %d; want %d", n, loc[0], 3*n)
		}
		if n++; n == 5 {
			break
		}
	}
	if n != 5 {
		t.Fatalf("got %d matches before break; want 5", n)
	}
}

func TestFindAllCloseInLoop(t *testing.T) {
	r, _ := mapFile(t, []byte(strings.Repeat("ab ", 100)), mmap.AccessRead)
	n := 0
	for range r.FindAll(regexp.MustCompile(`\bab`)) {
		n++
		if n == 3 {
			if err := r.Close(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n != 3 {
		t.Fatalf("FindAll yielded %d matches with Close after the 3rd; want 3", n)
	}
	if got := r.Search(regexp.MustCompile(`ab`)); got != nil {
		t.Errorf("Search after Close = %v; want nil", got)
	}
	if got := collect(r, regexp.MustCompile(`ab`)); got != nil {
		t.Errorf("FindAll after Close = %v; want nothing", got)
	}
	if err := r.Guard(func([]byte) error { t.Error("Guard ran fn after Close"); return nil }); !errors.Is(err, mmap.ErrClosed) {
		t.Errorf("Guard after Close = %v; want ErrClosed", err)
	}
}

// TestFindAllResizeInLoop resizes the region from the loop body: growing it leaves the window,
// and the iteration, as they were, although FindAll finds matches ahead in batches on the view
// before the Resize; shrinking it below the window's end ends the iteration.
func TestFindAllResizeInLoop(t *testing.T) {
	re := regexp.MustCompile(`c?ab`)
	long := []byte(strings.Repeat("ab cab ", 200))
	short := []byte(strings.Repeat("ab cab ", 3)) // the third batch holds the last two matches
	for _, tt := range []struct {
		name    string
		data    []byte
		newSize int
		want    [][]int
	}{
		{"grow", long, 2 * len(long), re.FindAllSubmatchIndex(long, -1)},
		{"grow at the last batch", short, 2 * len(short), re.FindAllSubmatchIndex(short, -1)},
		{"shrink", long, len(long) / 2, re.FindAllSubmatchIndex(long, 5)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.data
			r, _ := mapFile(t, data, mmap.AccessWrite)
			var got [][]int
			for loc := range r.FindAll(re) {
				got = append(got, loc)
				if len(got) == 5 {
					if err := r.Resize(tt.newSize); err != nil {
						t.Fatal(err)
					}
				}
			}
			if !equalLocs(got, tt.want) {
				t.Errorf("FindAll with Resize(%d) after the 5th match yielded %d matches; want %d", tt.newSize, len(got), len(tt.want))
			}
		})
	}
}

// TestFindAllSlicesOwned checks that each yielded slice is the caller's: appending to one, or
// writing to it, changes no other, though FindAll carves slices of two ints from shared chunks.
func TestFindAllSlicesOwned(t *testing.T) {
	data := []byte(strings.Repeat("the cat the dog ", 500))
	for _, pat := range []string{`the \w+`, `(the) (\w+)`, `d?og|cat`} {
		re := regexp.MustCompile(pat)
		r, _ := mapFile(t, data, mmap.AccessRead)
		var kept, copies [][]int
		for loc := range r.FindAll(re) {
			kept = append(kept, loc)
			copies = append(copies, slices.Clone(loc))
			_ = append(loc, -7, -7, -7) // overwrites a neighbour if loc's capacity reaches it
		}
		if !equalLocs(kept, copies) {
			t.Errorf("FindAll(%s): a yielded slice changed after an append to another", pat)
		}
		for i := range kept {
			kept[i][0] = -1
		}
		if want := re.FindAllSubmatchIndex(data, -1); !equalLocs(copies, want) {
			t.Errorf("FindAll(%s) yielded %d matches, not regexp's %d", pat, len(copies), len(want))
		}
	}
}

func TestSearchBadBounds(t *testing.T) {
	r, _ := mapFile(t, []byte("abc"), mmap.AccessRead)
	re := regexp.MustCompile(`b`)
	if got := r.Search(re, 0, 3, 1); got != nil {
		t.Errorf("Search with 3 bounds = %v; want nil", got)
	}
	if got := collect(r, re, 0, 3, 1); got != nil {
		t.Errorf("FindAll with 3 bounds = %v; want nothing", got)
	}
}

// TestRegexpFault truncates the file under the mapping: Search, FindAll and Guard report ErrFault
// instead of crashing, and the part still backed stays searchable.
func TestRegexpFault(t *testing.T) {
	needTruncationFaults(t)
	size := 4 * mmap.PageSize
	data := bytes.Repeat([]byte("x"), size)
	copy(data[size-3:], "END")
	r, name := mapFile(t, data, mmap.AccessRead)
	if err := os.Truncate(name, int64(mmap.PageSize)); err != nil {
		t.Fatal(err)
	}
	end := regexp.MustCompile(`END`)
	if got := r.Search(end); got != nil {
		t.Errorf("Search over a truncated file = %v; want nil", got)
	}
	if err := r.Err(); !errors.Is(err, mmap.ErrFault) {
		t.Fatalf("Err() after Search = %v; want ErrFault", err)
	}
	if got := collect(r, regexp.MustCompile(`x{100}`)); len(got) != mmap.PageSize/100 {
		t.Errorf("FindAll over a truncated file yielded %d matches; want the %d in the page still there", len(got), mmap.PageSize/100)
	}
	// The prefilters read ahead further than regexp does (a rare byte, the end of a run): that
	// must not cost the matches in the page still there.
	for _, tt := range []struct {
		pattern string
		want    int
	}{
		{`(?i)xx`, mmap.PageSize / 2},               // IndexByte for 'x' and for 'X'
		{`x{3}\w{0,5}`, mmap.PageSize / 8},          // a shape, bounded by the run of \w
		{`[a-z]{1,3}xx`, (mmap.PageSize - 1) / 5},   // an inner literal and its run
		{`(?:a|x)(?:b|x)x{10}`, mmap.PageSize / 12}, // a shape with sets
	} {
		if got := collect(r, regexp.MustCompile(tt.pattern)); len(got) != tt.want {
			t.Errorf("FindAll(%s) over a truncated file yielded %d matches; want the %d in the page still there", tt.pattern, len(got), tt.want)
		}
	}
	err := r.Guard(func(b []byte) error {
		_ = bytes.Count(b, []byte("END"))
		return nil
	})
	if !errors.Is(err, mmap.ErrFault) {
		t.Errorf("Guard(bytes.Count) over a truncated file = %v; want ErrFault", err)
	}
	want := errors.New("fn's own error")
	if err := r.Guard(func(b []byte) error { _ = b[0]; return want }); err != want {
		t.Errorf("Guard = %v; want fn's error", err)
	}
}

// TestReadRuneRegexp runs regexp's reader functions over the region from the cursor, on
// multi-byte and invalid UTF-8, against regexp over the bytes from the same offset.
func TestReadRuneRegexp(t *testing.T) {
	text := "añb €x \xff\xfe y 😀z \xe2\x82 w日本\n"
	r, name := mapFile(t, []byte(text), mmap.AccessRead)
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	pats := []string{`[^\x00-\x7f]+`, `\x{FFFD}+`, `日本`, `z`, `\s\S`, `w.*$`, `^.`, `nomatch`}
	for off := 0; off <= len(data); off++ {
		for _, pat := range pats {
			re := regexp.MustCompile(pat)
			if _, err := r.Seek(int64(off), 0); err != nil {
				t.Fatal(err)
			}
			got := re.FindReaderIndex(r)
			want := re.FindIndex(data[off:])
			if !slices.Equal(got, want) {
				t.Errorf("FindReaderIndex(%s) from %d = %v; want %v", pat, off, got, want)
			}
			if _, err := r.Seek(int64(off), 0); err != nil {
				t.Fatal(err)
			}
			if got, want := re.MatchReader(r), re.Match(data[off:]); got != want {
				t.Errorf("MatchReader(%s) from %d = %v; want %v", pat, off, got, want)
			}
		}
	}
	// ReadRune's own decoding agrees with utf8.DecodeRune at every offset, and UnreadRune undoes it.
	for off := 0; off < len(data); off++ {
		r.Seek(int64(off), 0)
		c, size, err := r.ReadRune()
		wc, wsize := utf8.DecodeRune(data[off:])
		if err != nil || c != wc || size != wsize {
			t.Fatalf("ReadRune at %d = %q, %d, %v; want %q, %d, nil", off, c, size, err, wc, wsize)
		}
		if err := r.UnreadRune(); err != nil || r.Tell() != int64(off) {
			t.Fatalf("UnreadRune after ReadRune at %d: %v, Tell %d", off, err, r.Tell())
		}
		if err := r.UnreadRune(); !errors.Is(err, mmap.ErrInvalid) {
			t.Fatalf("second UnreadRune at %d = %v; want ErrInvalid", off, err)
		}
	}
}

// TestFindAllAllocs maps a 64 MiB file with thousands of matches: FindAll allocates per match
// (the yielded slice), never in proportion to the file.
func TestFindAllAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector adds allocations of its own")
	}
	const size = 64 << 20
	data := bytes.Repeat([]byte("lorem ipsum dolor sit amet, consectetur\n"), size/40)
	const every = 400 * 40 // one "ERROR 1234" every 400 lines, after "lorem "
	matches := 0
	for off := 6; off+10 < len(data); off += every {
		copy(data[off:], fmt.Sprintf("ERROR %04d", matches%10000))
		matches++
	}
	r, _ := mapFile(t, data, mmap.AccessRead)
	for _, pat := range []string{`ERROR \d+`, `\bERROR (\d)\d*`} {
		re := regexp.MustCompile(pat)
		want := matches // every inserted "ERROR 1234", and nothing else, matches
		n := 0
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		allocs := testing.AllocsPerRun(1, func() { // a warm-up run, then the measured one
			n = 0
			for range r.FindAll(re) {
				n++
			}
		})
		runtime.ReadMemStats(&after)
		bytesAlloc := (after.TotalAlloc - before.TotalAlloc) / 2
		t.Logf("%s: %d matches, %.0f allocations (%.2f per match), %d bytes", pat, n, allocs, allocs/float64(n), bytesAlloc)
		if n != want {
			t.Errorf("FindAll(%s) yielded %d matches; want %d", pat, n, want)
		}
		if allocs > 2*float64(n)+50 {
			t.Errorf("FindAll(%s): %.0f allocations for %d matches; want at most 2 per match", pat, allocs, n)
		}
		if bytesAlloc > uint64(n)*256+1<<20 {
			t.Errorf("FindAll(%s) allocated %d bytes for %d matches over %d bytes", pat, bytesAlloc, n, size)
		}
	}
}

// FuzzFindAll compares FindAll and Search with regexp's FindAllSubmatchIndex and
// FindSubmatchIndex over random text, for the patterns of rePatterns and every compile mode.
func FuzzFindAll(f *testing.F) {
	for i, text := range reTexts {
		f.Add([]byte(text), uint8(i), 0, len(text), uint8(i%3))
	}
	f.Fuzz(func(t *testing.T, data []byte, pat uint8, pos, end int, mode uint8) {
		compile := []func(string) *regexp.Regexp{regexp.MustCompile, regexp.MustCompilePOSIX, mustLongest}[int(mode)%3]
		re, ok := tryCompile(compile, rePatterns[int(pat)%len(rePatterns)])
		if !ok {
			return
		}
		r, err := mmap.Anonymous(len(data), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		copy(r.Bytes(), data)
		if got, want := collect(r, re), re.FindAllSubmatchIndex(data, -1); !equalLocs(got, want) {
			t.Fatalf("FindAll(%s) over %q = %v; want %v", re, data, got, want)
		}
		want := wantWindow(re, data, pos, end)
		if got := collect(r, re, pos, end); !equalLocs(got, want) {
			t.Fatalf("FindAll(%s, %d, %d) over %q = %v; want %v", re, pos, end, data, got, want)
		}
		var wantS []int
		if len(want) > 0 {
			wantS = want[0]
		}
		if got := r.Search(re, pos, end); !slices.Equal(got, wantS) {
			t.Fatalf("Search(%s, %d, %d) over %q = %v; want %v", re, pos, end, data, got, wantS)
		}
	})
}
