package search

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"regexp"
	"regexp/syntax"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mmapio/mmap/internal/regexgen"
)

// findAll runs a Searcher over the window text[start:] as Region.FindAll does: from the end of
// each match, one character past an empty one, dropping an empty match that touches the previous.
func findAll(p *Plan, text []byte, start int) [][]int {
	s := p.Searcher()
	var out [][]int
	for prevEnd, at := -1, start; at <= len(text); {
		loc := s.Next(text, start, at)
		if loc == nil {
			break
		}
		accept := true
		if loc[1] == at {
			accept = loc[0] != prevEnd
			if at < len(text) {
				_, w := utf8.DecodeRune(text[at:])
				at += w
			} else {
				at++
			}
		} else {
			at = loc[1]
		}
		prevEnd = loc[1]
		if accept {
			out = append(out, loc)
		}
	}
	return out
}

// want is what findAll must return: regexp's own FindAll over the window, shifted.
func want(re *regexp.Regexp, text []byte, start int) [][]int {
	locs := re.FindAllSubmatchIndex(text[start:], -1)
	for _, loc := range locs {
		shift(loc, start)
	}
	return locs
}

// The patterns of the issue, and the strategy each must get: a change that silently drops a
// strategy fails here, not only in the benchmark.
var strategyTests = []struct {
	pattern  string
	strategy int
}{
	{`needle\d+`, useShape},
	{`the \w+`, useShape},
	{`water|world|work`, useShape},
	{`(?i)country`, useShape},
	{`ERROR|WARN`, useShape},
	{`[A-Z][a-z]+`, useShape},
	{`\d{3}-\d{4}`, useShape},
	{`\w+ing\b`, useInner},
	{`[a-z]+@[a-z]+\.com`, useInner},
	{`\bERROR (\d)\d*`, useShape},
	{`GET /[^ ]* HTTP/1\.[01]" 404`, useShape},
	{`\d+\.\d+\.\d+\.\d+`, useInner},
	{`a*`, useRegexp},
	{`\w+`, useRegexp},
	{`(?m)^`, useLines},
	{`(?m)^(\w+):`, useLines},
	{`(?m)^ERROR`, useShape}, // the literal is rarer than lines
	{`.*`, useRegexp},
}

func TestStrategy(t *testing.T) {
	for _, tt := range strategyTests {
		p := Compile(regexp.MustCompile(tt.pattern))
		if p.static.strategy != tt.strategy {
			t.Errorf("Compile(%q).static.strategy = %d; want %d", tt.pattern, p.static.strategy, tt.strategy)
		}
	}
	for _, tt := range []struct {
		pattern string
		linear  bool
	}{
		{`the \w+`, true}, {`\d{3}-\d{4}`, true}, {`\w+ing\b`, true}, {`(?i)country`, true}, {`a*?b`, true},
		{`(the) \w+`, true}, {`(a(b)?)c`, false}, {`(a)+`, false}, {`(?i)k`, false}, {`é+`, false}, {`a|bc`, false}, {`^a`, true}, {`(?m)^\w+:$`, true}, {`[^a]b`, true},
	} {
		if p := Compile(regexp.MustCompile(tt.pattern)); (p.linear != nil) != tt.linear {
			t.Errorf("Compile(%q).linear = %v; want linear %v", tt.pattern, p.linear, tt.linear)
		}
	}
	// A long shape of large sets skips by its last byte instead of stopping at every byte, unless
	// a few of its positions together are rare enough for the vector set scan.
	for _, tt := range []struct {
		pattern string
		set     bool
	}{
		{`\b\w{14,}\b`, false},
		{`[a-z]{3}[0-9]{3}`, haveSetScanVector},
	} {
		p := Compile(regexp.MustCompile(tt.pattern))
		if c := p.static; c.strategy != useShape || (c.set != nil) != tt.set || (c.skip != nil) == tt.set {
			t.Errorf("Compile(%q): strategy %d, set scan %v, skip %v; want a shape with a set scan %v, else a skip table",
				tt.pattern, c.strategy, c.set != nil, c.skip != nil, tt.set)
		}
	}
	// (?i) literals and shapes of common sets, whose single positions are all common, scan for
	// their sets.
	for _, pat := range []string{`(?i)country`, `s[a-z]+ s[a-z]+`} {
		if p := Compile(regexp.MustCompile(pat)); haveSetScanVector && p.static.set == nil {
			t.Errorf("Compile(%q): no set scan", pat)
		}
	}
	for _, compile := range []func(string) *regexp.Regexp{regexp.MustCompilePOSIX, longestOf} {
		if p := Compile(compile("abc")); p.strategy != useEager {
			t.Errorf("Compile(leftmost-longest abc).strategy = %d; want %d", p.strategy, useEager)
		}
	}
}

// TestSampledStrategy checks that a large text's own bytes choose the strategy: in a log where
// every line holds "GET /", the rarer ".php" is the one to scan for.
func TestSampledStrategy(t *testing.T) {
	var b bytes.Buffer
	for i := 0; b.Len() < 2*sampleMin; i++ {
		path := "/index.html"
		if i%100 == 0 {
			path = "/admin/login.php"
		}
		fmt.Fprintf(&b, "10.0.%d.%d - - \"GET %s HTTP/1.1\" 200 %d\n", i%256, i%200, path, i%5000)
	}
	text := b.Bytes()
	re := regexp.MustCompile(`GET /[a-z/]*\.php`)
	p := Compile(re)
	if p.static.strategy != useShape {
		t.Fatalf("static strategy = %d; want useShape", p.static.strategy)
	}
	s := p.Searcher()
	if loc, want := s.Next(text, 0, 0), re.FindSubmatchIndex(text); !reflect.DeepEqual(loc, want) {
		t.Fatalf("Next = %v; want %v", loc, want)
	}
	if s.c.strategy != useInner {
		t.Errorf("strategy over a log = %d; want useInner", s.c.strategy)
	}
	if got, want := len(findAll(p, text, 0)), len(re.FindAllIndex(text, -1)); got != want {
		t.Errorf("%d matches; want %d", got, want)
	}
}

// TestLinearScan checks that the linear matcher tries each start itself where matches are
// dense, and leaves a text where they are rare to the dfa; and that it finds what regexp finds.
func TestLinearScan(t *testing.T) {
	var b bytes.Buffer
	for i := 0; b.Len() < 2*sampleMin; i++ {
		fmt.Fprintf(&b, "Some words, %d of them: and more words here. Then (another) line\n", i)
	}
	text := b.Bytes()
	for _, tt := range []struct {
		pattern string
		linear  bool
	}{
		{`\w+ \w+`, true},
		{`(\w+) (\w+)`, true},
		{`[a-z]+ [a-z]+`, true},
		{`[a-z]+[A-Z]`, false},  // a word's every start is tried, for no match
		{`\b[a-z]{3}\b`, false}, // the dfa's stops cost less than a try at every word
		{`\d+:?`, false},        // rare enough for regexp
	} {
		re := regexp.MustCompile(tt.pattern)
		p := Compile(re)
		s := p.Searcher()
		if loc, want := s.Next(text, 0, 0), re.FindSubmatchIndex(text); !reflect.DeepEqual(loc, want) {
			t.Fatalf("Next(%q) = %v; want %v", tt.pattern, loc, want)
		}
		if (s.c.strategy == useLinear) != tt.linear {
			t.Errorf("%q: strategy %d; want the linear scan %v", tt.pattern, s.c.strategy, tt.linear)
		}
		if got, want := findAll(p, text, 0), re.FindAllSubmatchIndex(text, -1); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: %d matches; want %d", tt.pattern, len(got), len(want))
		}
	}
}

// TestLinearScanGivesUp runs the linear scan where starts backtrack far, or cost many steps
// each: it must leave the text to regexp, and find what regexp finds.
func TestLinearScanGivesUp(t *testing.T) {
	for _, tt := range []struct{ pattern, text string }{
		{`\w*\w*\w*x`, strings.Repeat("a", 5000) + " x"}, // one start backtracks past findBudget
		{`\B[ab]*c`, strings.Repeat("ab", 20000)},        // every start reads the rest
	} {
		re := regexp.MustCompile(tt.pattern)
		p := Compile(re)
		s := p.Searcher()
		s.c, s.chosen = choice{strategy: useLinear}, true
		text := []byte(tt.text)
		if got, want := s.Next(text, 0, 0), re.FindSubmatchIndex(text); !reflect.DeepEqual(got, want) {
			t.Errorf("%q: Next = %v; want %v", tt.pattern, got, want)
		}
		if !s.off {
			t.Errorf("%q: the linear scan went on", tt.pattern)
		}
	}
}

func longestOf(s string) *regexp.Regexp {
	re := regexp.MustCompile(s)
	re.Longest()
	return re
}

// TestAgainstRegexp compares every strategy with regexp over texts made to defeat them: planted
// candidates that fail verification, matches at both ends and across lines, multi-byte and
// invalid UTF-8 around candidates, windows that start inside words.
func TestAgainstRegexp(t *testing.T) {
	patterns := []string{
		`\bERROR\b`, `\Bing`, `(?m)^the`, `(?m)ing$`, `ing\z`, `ing$`, `\Aab`, `é+ing`, `[^a]ing`,
		`\x{FFFD}ab`, `a\x{FFFD}`, `(?i)kelvin`, `(?i)ſs`, `(?s)a.c`, `a.c`, `(a)(b)?c|abd`, `(?U)a+b`,
		`\d{2}-\d`, `[^\n]*ing\b`, `\w*com`, `x*ab|cd`, `.com`, `(?i)abc|xyz`, `[é-ü]b`, `ab|b`,
		`\x{FFFD}{2}`, `\x{FFFD}[\x{FFFD}x]`, // a candidate inside a valid character must be skipped
		`a.{3}ing`, `.{2}ing\b`, `[a-z]{2,4}ing`, `(.)x{2}(.)ing`,
		`\w{6,}\b`, `[a-c]{4}`, `[a-c]{2}[abc\d]{3}`, `\b[a-z]{4,}ing`, `[ab]{3}(c)`,
		`\w*\w*\w*ing`, `a*?b+?c??`, `\B\w+\b`, `(?i)ab\d{0,2}c`, `[a-c]{2,3}?ing`,
	}
	for _, tt := range strategyTests {
		patterns = append(patterns, tt.pattern)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "b", "c", "ab", "abc", "ing", "ING", "ERROR", "WARN", "the ", "The", " ", "\n", "-",
		"@", ".com", "é", "ü", "\xff", "\xc3", "\x80", "\u212a", "ſ", "needle", "12", "345", "6789",
		"water", "world", "work", "country", "COUNTRY", "s", "x", "\ufffd", "kelvin", "Kelvin"}
	trials := 300
	if raceEnabled {
		trials = 40 // the race detector slows regexp tenfold; the fuzz target goes further
	}
	for trial := range trials {
		var b []byte
		for n := rng.IntN(400); len(b) < n; {
			b = append(b, pieces[rng.IntN(len(pieces))]...)
		}
		for _, pat := range patterns {
			re := regexp.MustCompile(pat)
			p := Compile(re)
			for _, start := range []int{0, rng.IntN(len(b) + 1)} {
				end := start + rng.IntN(len(b)-start+1)
				if trial%2 == 0 {
					end = len(b)
				}
				text := b[:end]
				if got, want := findAll(p, text, start), want(re, text, start); !reflect.DeepEqual(got, want) {
					t.Fatalf("findAll(%q) over %q from %d = %v; want %v", pat, text, start, got, want)
				}
			}
		}
	}
}

// TestGiveUp runs each prefilter where its candidates keep failing: it must hand over to the
// regexp (and still find the one match at the end).
func TestGiveUp(t *testing.T) {
	for _, tt := range []struct {
		pattern, filler, match string
		off                    bool
	}{
		{`needle\d+(x|y+z)`, "needle1 ", "needle1x", true},
		{`needle\d+(x|yz)`, "needle1 ", "needle1x", false},
		{`\w+(ing)(x|yz)?\b`, "ingy ", "sing", true},
		{`([a-z]+|_)@[a-z]+\.com`, "@.com ", "a@b.com", true},
		{`needle\d+(x)`, "needle1 ", "needle1x", false},
		{`([a-z]+)@([a-z]+)\.com`, "@.com ", "a@b.com", false},
		// The linear matcher's misses cost less than the regexp's own search.
		{`needle\d+x`, "needle1 ", "needle1x", false},
		{`[a-z]+@[a-z]+\.com`, "@.com ", "a@b.com", false},
		{`\w*\w*\w*x`, "ab", " x", false}, // the linear matcher's budget runs out: regexp decides
	} {
		text := []byte(strings.Repeat(tt.filler, 4000) + tt.match)
		re := regexp.MustCompile(tt.pattern)
		p := Compile(re)
		s := p.Searcher()
		loc := s.Next(text, 0, 0)
		if want := re.FindSubmatchIndex(text); !reflect.DeepEqual(loc, want) {
			t.Errorf("Next(%q) = %v; want %v", tt.pattern, loc, want)
		}
		if s.off != tt.off {
			t.Errorf("Next(%q) over %d failing candidates kept its prefilter: %v (%d misses)", tt.pattern, len(text)/len(tt.filler), !s.off, s.misses)
		}
	}
}

// FuzzSearch compares the searches with regexp for patterns from the grammar over texts with
// planted matches.
func FuzzSearch(f *testing.F) {
	f.Add([]byte("pattern choices"), []byte("text choices"), uint16(0))
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, []byte{9, 8, 7, 6, 5, 4, 3, 2, 1}, uint16(3))
	saved := dfaMinText
	f.Fuzz(func(t *testing.T, patChoices, textChoices []byte, start uint16) {
		pat := regexgen.Pattern(regexgen.NewSource(patChoices))
		re, err := regexp.Compile(pat)
		if err != nil {
			return
		}
		text := regexgen.Text(regexgen.NewSource(textChoices), pat, 2*len(textChoices))
		st := int(start) % (len(text) + 1)
		// A search that takes minutes over a few kilobytes has gone quadratic or loops: crash the
		// worker so that the fuzzer keeps the input.
		watchdog := time.AfterFunc(time.Minute, func() { panic(fmt.Sprintf("search for %q over %d bytes did not end", pat, len(text))) })
		defer watchdog.Stop()
		p := Compile(re)
		want := want(re, text, st)
		for _, minText := range []int{math.MaxInt, 0} { // regexp alone, and the dfa first
			dfaMinText = minText
			if got := findAll(p, text, st); !reflect.DeepEqual(got, want) {
				t.Fatalf("findAll(%q) over %q from %d, dfaMinText %d = %v; want %v", pat, text, st, minText, got, want)
			}
		}
		dfaMinText = saved
		linearScanAlways = true
		defer func() { linearScanAlways = false }()
		if got := findAll(p, text, st); !reflect.DeepEqual(got, want) {
			t.Fatalf("findAll(%q) over %q from %d, by the linear scan = %v; want %v", pat, text, st, got, want)
		}
	})
}

func TestIndexTable(t *testing.T) {
	var set [256]bool
	set['x'], set[0xff] = true, true
	for n := range 40 {
		b := bytes.Repeat([]byte("a"), n)
		if got := indexTable(b, &set); got != -1 {
			t.Fatalf("indexTable(%d×a) = %d; want -1", n, got)
		}
		for i := range n {
			b[i] = 'x'
			if got := indexTable(b, &set); got != i {
				t.Fatalf("indexTable(%q) = %d; want %d", b, got, i)
			}
			b[i] = 'a'
		}
	}
}

func ExampleCompile() {
	p := Compile(regexp.MustCompile(`\w+ing\b`))
	s := p.Searcher()
	text := []byte("nothing is something")
	fmt.Println(s.Next(text, 0, 0))
	fmt.Println(s.Next(text, 0, 7))
	// Output:
	// [0 7]
	// [11 20]
}

// TestIndexPair compares the SWAR pair scan with a byte-by-byte model, at every distance and
// alignment, with bytes that differ from the pair's in one bit (where a borrow could mislead).
func TestIndexPair(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	alphabet := []byte{'a', 'b', 'a' ^ 1, 'b' ^ 0x80, 0, 0xff, 'a' - 1}
	for trial := range 2000 {
		n := 1 + rng.IntN(80)
		text := make([]byte, n)
		for i := range text {
			text[i] = alphabet[rng.IntN(len(alphabet))]
		}
		d := 1 + rng.IntN(min(n, 9))
		if d >= n {
			continue
		}
		from := rng.IntN(n - d)
		to := from + rng.IntN(n-d-from+1)
		want := -1
		for i := from; i < to; i++ {
			if text[i] == 'a' && text[i+d] == 'b' {
				want = i
				break
			}
		}
		if got := indexPair(text, from, to, 'a', 'b', d); got != want {
			t.Fatalf("trial %d: indexPair(%q, %d, %d, a, b, %d) = %d; want %d", trial, text, from, to, d, got, want)
		}
	}
}

// TestInnerPair runs an inner literal whose every byte is common in the text, so that the
// Searcher scans for several of them at once (by pairs, or with the vector set scan), against
// regexp.
func TestInnerPair(t *testing.T) {
	words := []string{"gin", "inn", "nag", "gig", "in", "sign", "go", "an", "big", "ring", "dig", "nine", "gnat", "tin", "zing", "fig", "bin", "ign", "gang", "snag"}
	rng := rand.New(rand.NewPCG(7, 8))
	var b []byte
	for len(b) < 2*sampleMin {
		b = append(b, words[rng.IntN(len(words))]...)
		b = append(b, " \n"[rng.IntN(2)])
	}
	re := regexp.MustCompile(`\w+ing\b`)
	for _, vector := range []bool{false, true} {
		if vector && !haveSetScanVector {
			continue
		}
		noSetScan = !vector
		p := Compile(re)
		s := p.Searcher()
		if loc, want := s.Next(b, 0, 0), re.FindSubmatchIndex(b); !reflect.DeepEqual(loc, want) {
			t.Fatalf("vector %v: Next = %v; want %v", vector, loc, want)
		}
		if s.c.strategy != useInner || vector && s.c.litSet == nil || !vector && s.c.litPairDist == 0 {
			t.Fatalf("vector %v: strategy %d, pair distance %d, set scan %v; want an inner literal scanned by several bytes",
				vector, s.c.strategy, s.c.litPairDist, s.c.litSet != nil)
		}
		if got, want := findAll(p, b, 0), want(re, b, 0); !reflect.DeepEqual(got, want) {
			t.Errorf("vector %v: findAll: %d matches; want %d", vector, len(got), len(want))
		}
	}
	noSetScan = false
}

// TestIndex compares Index and LastIndex with package bytes over haystacks large enough for
// Index to count bytes past its first probe, made of few bytes so that every needle byte is common
// and the scans for several bytes at once run (by pairs, and with the vector set scan).
func TestIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	defer func() { noSetScan = false }()
	for trial := range 300 {
		noSetScan = trial%3 == 0
		alphabet := []byte("the ab\n")[:2+rng.IntN(6)]
		hay := make([]byte, 2*probeSize+rng.IntN(3*sampleSize))
		for i := range hay {
			hay[i] = alphabet[rng.IntN(len(alphabet))]
		}
		needle := make([]byte, 1+rng.IntN(12))
		for i := range needle {
			needle[i] = alphabet[rng.IntN(len(alphabet))]
		}
		if trial%2 == 0 {
			copy(hay[rng.IntN(len(hay)-len(needle)):], needle)
		}
		if got, want := Index(hay, needle), bytes.Index(hay, needle); got != want {
			t.Fatalf("trial %d: Index(%d bytes, %q) = %d; want %d", trial, len(hay), needle, got, want)
		}
		if got, want := LastIndex(hay, needle), bytes.LastIndex(hay, needle); got != want {
			t.Fatalf("trial %d: LastIndex(%d bytes, %q) = %d; want %d", trial, len(hay), needle, got, want)
		}
	}
}

// TestForLongestLater calls Longest on a regexp whose Plan is cached: the next Plan must be
// leftmost-longest.
func TestForLongestLater(t *testing.T) {
	re := regexp.MustCompile(`a|ab`)
	text := []byte("xxab")
	if loc := For(re).Searcher().Next(text, 0, 0); !reflect.DeepEqual(loc, []int{2, 3}) {
		t.Fatalf("leftmost-first Next = %v; want [2 3]", loc)
	}
	re.Longest()
	if loc := For(re).Searcher().Next(text, 0, 0); !reflect.DeepEqual(loc, []int{2, 4}) {
		t.Fatalf("after Longest, Next = %v; want [2 4]", loc)
	}
}

// TestShapeSkip compares, over many short random texts, the patterns that take the Horspool-like
// skip through shapes of large sets, and linear patterns with lazy repetitions, with regexp.
func TestShapeSkip(t *testing.T) {
	patterns := []string{`\w{6,}`, `[a-z]{3}[0-9]{3}`, `\w{4}[a-c]{2}`, `x[a-c]+?b`, `ab[a-c]*?c`, `\d[a-z]{2,4}?[a-c]`}
	rng := rand.New(rand.NewPCG(13, 14))
	alphabet := []byte("abcx19 .")
	for trial := range 3000 {
		text := make([]byte, rng.IntN(120))
		for i := range text {
			text[i] = alphabet[rng.IntN(len(alphabet))]
		}
		for _, pat := range patterns {
			re := regexp.MustCompile(pat)
			if got, want := findAll(Compile(re), text, 0), want(re, text, 0); !reflect.DeepEqual(got, want) {
				t.Fatalf("trial %d: findAll(%q) over %q = %v; want %v", trial, pat, text, got, want)
			}
		}
	}
}

// TestLinearMatch checks the linear matcher against regexp at every position of random texts,
// for patterns whose repetitions are possessive (followed by a set they do not share) and ones
// that must backtrack, and that a start after a miss skips only starts that cannot match.
func TestLinearMatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for _, tt := range []struct {
		pattern    string
		possessive []bool // of each item
		skipRun    int
	}{
		{`s[a-z]+ s[a-z]+`, []bool{false, true, true, true}, 1}, // " s" is one literal item; nothing follows the last
		{`ab+abc`, []bool{true, true, false}, -1},               // b+ before "abc", which starts with a: possessive
		{`x[ab]*abab`, []bool{false, false, false}, -1},         // [ab]* shares a with "abab"
		{`the \w+`, []bool{false, true}, -1},
		{`the \w+?`, []bool{false, false}, -1},
		{`a+b`, []bool{true, false}, 0},
		{`a+?b`, []bool{true, false}, 0},
		{`[ab]+b`, []bool{false, false}, 0},       // shares b: must give back
		{`a*b?c`, []bool{false, true, false}, 0},  // b? may match nothing: a* must give back
		{`a+\bb`, []bool{false, false, false}, 0}, // an assertion follows
		{`a{2,3}b{1,2}c`, []bool{true, true, false}, -1},
		{`[ab]{2,}?c+a`, []bool{true, true, false}, 0},
		{`aa+b`, []bool{false, true, false}, 1},
		{`[ab]ba+c`, []bool{false, true, true, false}, -1},               // b is not in a+'s set
		{`ab[a-z]+ s`, []bool{false, true, false}, 1},                    // the literal "ab" leads up to [a-z]+
		{`\ba[a-z]+ `, []bool{false, false, true, false}, -1},            // an assertion comes first
		{`(?m)^[a-z]+ \w+$`, []bool{false, true, true, true, false}, -1}, // \w lacks '\n'
		{`(?m)^[a-z\n]+$`, []bool{false, false, false}, -1},              // this set has it
		{`\Ab+\z`, []bool{false, true, false}, -1},
		{`(?m)^$`, []bool{false, false}, -1},
	} {
		re := regexp.MustCompile(tt.pattern)
		p := Compile(re)
		if p.linear == nil {
			t.Fatalf("Compile(%q) is not linear", tt.pattern)
		}
		var got []bool
		for _, it := range p.linear.items {
			got = append(got, it.possessive)
		}
		if !reflect.DeepEqual(got, tt.possessive) || p.linear.skipRun != tt.skipRun {
			t.Errorf("Compile(%q): possessive items %v, skipRun %d; want %v, %d", tt.pattern, got, p.linear.skipRun, tt.possessive, tt.skipRun)
		}
		for range 300 {
			text := randomText(rng, "aabbcs zthe\n", 24)
			for q := range len(text) + 1 {
				want := p.regexpAt(text, 0, q)
				end, _, next := p.linear.match(text, 0, q, nil)
				if end == tooLong {
					t.Fatalf("%q at %d in %q: the budget ran out", tt.pattern, q, text)
				}
				if (end == noMatch) != (want == nil) || want != nil && end != want[1] {
					t.Fatalf("%q at %d in %q: linear match ends at %d; regexp %v", tt.pattern, q, text, end, want)
				}
				if end == noMatch {
					if next <= q {
						t.Fatalf("%q at %d in %q: resume %d", tt.pattern, q, text, next)
					}
					for r := q + 1; r < next; r++ {
						if loc := p.regexpAt(text, 0, r); loc != nil {
							t.Fatalf("%q in %q: a miss at %d resumes at %d, past the match %v", tt.pattern, text, q, next, loc)
						}
					}
				}
				end, _, _ = p.quickMatch(text, 0, q, nil)
				if end != tooLong && (end == noMatch) != (want == nil) || want != nil && end >= 0 && end != want[1] {
					t.Fatalf("%q at %d in %q: quickMatch ends at %d; regexp %v", tt.pattern, q, text, end, want)
				}
			}
		}
	}
}

// TestAlternation checks the alternation verifier against regexp at every position of random
// texts, and that patterns it cannot expand exactly are left to regexp.
func TestAlternation(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 17))
	for _, pattern := range []string{
		`water|world|work`, `a|ab`, `ab|a`, `x(?:a|b)y|xa`, `POST|PUT|DELETE`, `[ab]c|a`, `(?:foo|fo)o`,
		`b(?:a|ab)(?:c|bc)`, `[a-c][a-c]x|ab`, `colou?r|gray`, `(?i)ab|c`, `(?i)po(?:ut|t)|get`, `ab??c|a`, `x(?:ab)?(?:a|ax)`, `(?:ab)??a|b`, `(?U)ab?c|a`, `(?U)ab??c|a`,
	} {
		p := Compile(regexp.MustCompile(pattern))
		if p.alternation == nil {
			t.Fatalf("Compile(%q): no alternation", pattern)
		}
		for range 300 {
			text := randomText(rng, "abcxyfoWPSTUDEwrkdlgu", 20)
			for q := range len(text) + 1 {
				want := p.regexpAt(text, 0, q)
				end, _ := p.alternation.match(text, q)
				if (end == noMatch) != (want == nil) || want != nil && end != want[1] {
					t.Fatalf("%q at %d in %q: alternation ends at %d; regexp %v", pattern, q, text, end, want)
				}
			}
		}
	}
	for _, pattern := range []string{`(?i)kb|c`, `é|a`, `a*|b`, `(a)|b`, `a|`, `[a-z]x|y`, `\bab|c`, `a?|b`} {
		if p := Compile(regexp.MustCompile(pattern)); p.alternation != nil {
			t.Errorf("Compile(%q): an alternation %q; want none", pattern, p.alternation.lits)
		}
	}
}

// randomText returns up to maxLen-1 bytes drawn from alphabet.
// TestLinearWide checks the linear matcher's classes that hold every non-ASCII character
// ([^"], \S, .) against regexp, over texts of multi-byte characters and invalid bytes: at every
// character boundary, and find from every one. Patterns where counting bytes would differ from
// counting characters are not linear.
func TestLinearWide(t *testing.T) {
	for _, pat := range []string{`x.?y`, `[^ ]{2,}x`, `.{2,3}x`, `[^a]{2,}?b`} {
		if Compile(regexp.MustCompile(pat)).linear != nil {
			t.Errorf("Compile(%q) is linear", pat)
		}
	}
	tokens := []string{"a", "b", " ", `"`, "é", "\xff", "\xc3", "x", "y", "\n", "(", ")", "日"}
	rng := rand.New(rand.NewPCG(17, 19))
	for _, pat := range []string{`"[^"]*"`, `a[^ ]+ `, `\([^)]*\)`, `x.+`, `[^a]+`, `\b[^ ]+`, `\B[^ ]+ `, `(?s:.)*`, `\S+ \S+\n`, `(?m)x.*$`, `a.*\z`,
		// Counted in characters: a fixed count, or a possessive bounded run.
		// Giving characters back, to character boundaries.
		`[^a]*[^b]`, `([^a]*)([^b])`, `(x.*)(.)`, `[^ ]+?x`, `\S+\b`, `"[^"]*(b|ab)[^"]*"`, `x.*y`, `.+?x`, `a.b`,
		`[^"]{2}`, `(?s).{3}`, `x.{2}y`, `[^"]{9}`, `(?s).{12}`, `a[^x]{8,}x`, `.{9}`, `"[^"]{1,3}"`, `[^ ]{2,}`, `(.{2})(\S{0,2}) `, `a[^x]{3,}x`} {
		re := regexp.MustCompile(pat)
		p := Compile(re)
		if p.linear == nil {
			t.Fatalf("Compile(%q) is not linear", pat)
		}
		for range 400 {
			var b strings.Builder
			for range rng.IntN(16) {
				b.WriteString(tokens[rng.IntN(len(tokens))])
			}
			text := []byte(b.String())
			for q := 0; q <= len(text); q++ {
				if q < len(text) && !boundary(text, 0, q) {
					continue
				}
				want := p.regexpAt(text, 0, q)
				end, _, _ := p.linear.match(text, 0, q, nil)
				if (end == noMatch) != (want == nil) || want != nil && end != want[1] {
					t.Fatalf("%q at %d in %q: linear match ends at %d; regexp %v", pat, q, text, end, want)
				}
				if !p.linear.nonEmpty {
					continue // find is for patterns whose matches are never empty
				}
				got, ok, _ := p.linear.find(text, 0, q, len(text), nil)
				if want := p.from(text, 0, q, nil); ok && !reflect.DeepEqual(got, want) {
					t.Fatalf("%q from %d in %q: linear find %v; regexp %v", pat, q, text, got, want)
				}
			}
		}
	}
}

// TestLinearCaptures checks the capture spans the linear matcher gives against regexp's, at
// every start of random texts: literals split at a capture's edges, nested and empty captures,
// and captures around runs that give bytes back.
func TestLinearCaptures(t *testing.T) {
	// Where the order of an alternation's strings decides the match.
	for _, tt := range []struct{ pat, text string }{
		{`(a(?:bc)??)(b?)c`, "abcc"}, {`(?:ab|a)(bc|c)d`, "abcd"}, {`(a|ab)(c|bcd)`, "abcd"},
		{`(a?)(?:ab)?(b?)c`, "abc"}, {`x(?:a|ab)??(b)`, "xab"}, {`(?:(?:ab|a)(?:b|cd)|x)(.)`, "abcdz"},
	} {
		p := Compile(regexp.MustCompile(tt.pat))
		if p.linear == nil {
			t.Fatalf("Compile(%q) is not linear", tt.pat)
		}
		text := []byte(tt.text)
		got, _, _ := p.linear.find(text, 0, 0, len(text), &locs{})
		if want := p.from(text, 0, 0, nil); !reflect.DeepEqual(got, want) {
			t.Errorf("%q over %q: linear find %v; regexp %v", tt.pat, tt.text, got, want)
		}
	}
	rng := rand.New(rand.NewPCG(23, 29))
	for _, pat := range []string{
		`(the) (\w+)`, `a(bc)d`, `(a)(b)(c)`, `((a)b)c`, `x()y`, `()a`, `a()`, `(ab+)(b*)c`,
		`(a*?)(a*)b`, `(\w+) (\w+)`, `(?m)^(\w+):( *)$`, `(?:(a)b)c`, `(s[^ ]*) `, `\b(\w)\w*\b`,
		`(?i)(th)e`, `(a{1,2})(a{1,2})`, `(a?)(a?)ab`,
		// Alternations of sequences, each tried in turn at a start.
		`(a+)b|(c)`, `(?m)\bthe\b \w+|\w+\.$`, `(x)|y(z)|(s+)`, `a*|b`, `[ab]+c|a(b)`, `(\w+) |(\w)\b`,
		// Alternations of strings, tried in order.
		`(the|a) (\w+)`, `(a|ab)(c|bcd)(d*)`, `\b(?:a|an|the)\s+(\w+)`, `(x)(?:ab)?y`, `(a(?:bc)??)(b?)c`, `(?:ab|a)(bc|c)d`, `(?:(?:a|b)c)?(x)`, `(?i)(ab|cd)e`, `s(ab|a)(b?)`, `(\w+) (?:th|e )`,
	} {
		re := regexp.MustCompile(pat)
		p := Compile(re)
		if p.linear == nil {
			t.Fatalf("Compile(%q) is not linear", pat)
		}
		for range 300 {
			text := randomText(rng, "aabbcsx ythe\n:é", 24)
			for q := 0; q <= len(text); q++ {
				if q < len(text) && !boundary(text, 0, q) {
					continue
				}
				want := p.regexpAt(text, 0, q)
				end, _, _ := p.linear.match(text, 0, q, nil)
				if (end == noMatch) != (want == nil) {
					t.Fatalf("%q at %d in %q: linear match ends at %d; regexp %v", pat, q, text, end, want)
				}
				if want != nil {
					if got := p.linear.loc(text, 0, q, end, nil); !reflect.DeepEqual(got, want) {
						t.Fatalf("%q at %d in %q: linear match %v; regexp %v", pat, q, text, got, want)
					}
				}
				if re.MatchString("") {
					continue // find is for patterns whose matches are never empty
				}
				got, ok, _ := p.linear.find(text, 0, q, len(text), &locs{})
				if want := p.from(text, 0, q, nil); ok && !reflect.DeepEqual(got, want) {
					t.Fatalf("%q from %d in %q: linear find %v; regexp %v", pat, q, text, got, want)
				}
			}
		}
	}
}

func randomText(rng *rand.Rand, alphabet string, maxLen int) []byte {
	text := make([]byte, rng.IntN(maxLen))
	for i := range text {
		text[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return text
}

// TestDFA checks, for random patterns and texts, that the dfa's earliest end lets regexp start
// late enough to skip text and early enough to find the match that regexp finds from every
// position, and that a program too large is refused.
func TestDFA(t *testing.T) {
	for pat, want := range map[string]bool{
		`\b(?:north|south|east)\b`: true, `[a-z]+ing`: true, `(\w+)@(\w+)\.com`: true, `\w+\.$`: true,
		`(?m)^[A-Z]\w* \w+`: true, `x*`: true, `a.b`: true, `[^a]b`: true, `(?i)k`: true, `é`: true,
		`(?i)abc`: true, strings.Repeat(`[^a]{1000}`, 5): false,
	} {
		if got := compileDFA(mustParse(t, pat), "") != nil; got != want {
			t.Errorf("compileDFA(%q) != nil is %v; want %v", pat, got, want)
		}
	}
	// The earliest end is one that only the match that regexp prefers reaches: regexp must
	// start early enough to find that match.
	defer func(old int) { dfaMinText = old }(dfaMinText)
	dfaMinText = 0
	for _, tt := range []struct{ pat, text string }{
		{`ab|b`, "xab"}, {`abcd|c`, "abcd"}, {`\bab|b`, " ab"}, {`a{3}|a`, "aaaa"}, {`(x)(y)|y`, "xy"},
		{`\w+\.$`, "ab. cd.\nef."}, {`(?m)^\w+$`, "ab cd\nef"}, {`a*`, "ébaa"}, {`\B`, "é a"},
		// A character from U+0080 up: a run of bytes that ends at any of them.
		{`a.b`, "aéb"}, {`a.{2}b`, "a日éb a\xffxb"}, {`[^a]{2}x`, "é日x"}, {`(?i)k+`, "xKk"},
		{`é|\xff`, "aé"}, {`\b.\b`, "éaé"}, {`x[^\n]*$`, "x日\nx\xc3"}, {`^.$`, "é"},
		{`\A[^a]\z`, "日"}, {`^(?i)k$`, "K"}, {`[xy].{2}z`, "x日éz"}, {`[xy][^a]\z`, "y\xff"},
	} {
		re := regexp.MustCompile(tt.pat)
		p := Compile(re)
		text := []byte(tt.text)
		for at := 0; at <= len(text); at++ {
			if at < len(text) && !boundary(text, 0, at) {
				continue
			}
			if got, want := p.Searcher().regexpFrom(text, 0, at), p.from(text, 0, at, nil); !reflect.DeepEqual(got, want) {
				t.Errorf("%q over %q from %d: regexpFrom %v; regexp %v", tt.pat, text, at, got, want)
			}
		}
	}
	// Assertions hold the dfa back as they hold regexp back.
	for _, tt := range []struct{ pat, text string }{
		{`\bx\b`, "axa"}, {`\Bx`, " x"}, {`^a`, "ba"}, {`a$`, "ab"}, {`(?m)^b`, "ab"}, {`a\z`, "a\n"},
		{`é\b`, "éé"}, {`a.b`, "a\nb"}, {`.\z`, "é\n"},
	} {
		if e, _ := newDFA(compileDFA(mustParse(t, tt.pat), "")).earliestEnd([]byte(tt.text), 0, 0); e >= 0 {
			t.Errorf("%q over %q: earliest end %d; want none", tt.pat, tt.text, e)
		}
	}
	rng := rand.New(rand.NewPCG(3, 5))
	ran, patterns := 0, 2000
	if raceEnabled {
		patterns = 400 // the race detector slows regexp tenfold; FuzzSearch goes further
	}
	for range patterns {
		src := make([]byte, 16+rng.IntN(48))
		for i := range src {
			src[i] = byte(rng.Uint32())
		}
		pat := regexgen.Pattern(regexgen.NewSource(src))
		re, err := regexp.Compile(pat)
		if err != nil {
			continue
		}
		p := Compile(re)
		if p.dfaProg == nil {
			continue
		}
		ran++
		text := regexgen.Text(regexgen.NewSource(src[len(src)/2:]), pat, 200)
		if ran%2 == 0 {
			for i, c := range text {
				text[i] = c & 0x7f // where the dfa must find no match that regexp does not
			}
		}
		d := newDFA(p.dfaProg)
		for at := 0; at <= len(text); at++ {
			if !utf8.FullRune(text[at:]) && at < len(text) || at > 0 && at < len(text) && !boundary(text, 0, at) {
				continue
			}
			want := p.from(text, 0, at, nil)
			e, ok := d.earliestEnd(text, 0, at)
			if !ok {
				t.Fatalf("%q over %q from %d: the dfa gave up", pat, text, at)
			}
			if want == nil {
				if e >= 0 && isASCII(text) {
					t.Fatalf("%q over %q from %d: earliest end %d; regexp finds no match", pat, text, at, e)
				}
				continue // an end found inside a multi-byte character is allowed
			}
			if e < 0 || isASCII(text) && e < want[0] || e > want[1] || p.earliestStart(text, 0, at, e) > want[0] {
				t.Fatalf("%q over %q from %d: earliest end %d, start from %d; regexp finds %v", pat, text, at, e, p.earliestStart(text, 0, at, max(e, 0)), want)
			}
		}
	}
	if ran < patterns/8 {
		t.Errorf("only %d of the random patterns ran on the dfa", ran)
	}
}

// TestDFASkip checks the dfa's skips over the bytes that keep it in its start state, to the
// next byte of a rare set, or the next occurrence of the literal prefix, against the earliest
// end found by brute force, with and without the vector scan.
func TestDFASkip(t *testing.T) {
	defer func() { noSetScan = false }()
	rng := rand.New(rand.NewPCG(31, 37))
	for _, vector := range []bool{haveSetScanVector, false} {
		noSetScan = !vector
		for _, tt := range []struct {
			pat  string
			skip string // "byte", "scan" (by the vector scan), or "" (none)
		}{
			{`the.{2}s`, "scan"},
			{`ab[cd]`, "scan"},
			{`z+y`, "byte"},
			{`[xq]\d`, "scan"},
			{`[a-z ]+s`, ""}, // the bytes that leave are common
			{`\bzy`, ""},     // an assertion: start states differ by the byte before
		} {
			re := regexp.MustCompile(tt.pat)
			prefix, _ := re.LiteralPrefix()
			whole := regexp.MustCompile(`\A(?:` + tt.pat + `)\z`)
			d := newDFA(compileDFA(mustParse(t, tt.pat), prefix))
			for range 300 {
				text := randomText(rng, "thesabcdxqz0123 .\n\xc3\xa9", 80)
				// first[s]: the least end of a match that starts at s, or -1.
				first := make([]int, len(text)+1)
				for s := range first {
					first[s] = -1
					for end := s; end <= len(text); end++ {
						if whole.Match(text[s:end]) {
							first[s] = end
							break
						}
					}
				}
				for at := 0; at <= len(text); at++ {
					e, ok := d.earliestEnd(text, 0, at)
					want := -1
					for s := at; s <= len(text); s++ {
						if first[s] >= 0 && (want < 0 || first[s] < want) {
							want = first[s]
						}
					}
					// Over ASCII text the dfa is exact; otherwise it may find an end too early.
					if !ok || e != want && (isASCII(text) || e < 0 || want >= 0 && e > want) {
						t.Fatalf("%q over %q from %d (vector %v): earliest end %d; want %d", tt.pat, text, at, vector, e, want)
					}
				}
			}
			got := ""
			switch {
			case d.skipRow < 0:
			case d.skipByte >= 0:
				got = "byte"
			case d.skipScan != nil:
				got = "scan"
			case d.skipPrefix != nil:
				got = "prefix"
			default:
				got = "table"
			}
			want := tt.skip
			if want == "scan" && !vector {
				// Without the vector scan: bytes.Index for a prefix, a table for a set.
				want = "table"
				if len(prefix) >= 2 {
					want = "prefix"
				}
			}
			if got != want {
				t.Errorf("%q (vector %v): skips by %q; want %q", tt.pat, vector, got, want)
			}
		}
	}
}

// TestInnerBounded checks the inner literal's search for linear patterns of bounded width,
// which tries only the starts within maxWidth bytes of each occurrence of the literal, over
// random texts where matches of the greatest width abound.
func TestInnerBounded(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 43))
	for _, pat := range []string{`[a-d]{2,4}ing`, `x[a-c]{1,3}yz`, `\b[a-d]{3}ing\b`, `(.{2})ing`, `[^ i]{1,2}ing`} {
		re := regexp.MustCompile(pat)
		p := Compile(re)
		if p.linear == nil || p.maxWidth < 0 {
			t.Fatalf("%q: linear %v, maxWidth %d", pat, p.linear != nil, p.maxWidth)
		}
		var lit *innerLit
		for i := range p.lits {
			if l := string(p.lits[i].lit); l == "ing" || l == "yz" {
				lit = &p.lits[i]
			}
		}
		if lit == nil {
			t.Fatalf("%q: no inner literal to scan for", pat)
		}
		tokens := []string{"a", "b", "c", "d", "x", "y", "yz", "ing", "é", " "}
		for range 500 {
			var b strings.Builder
			for range rng.IntN(30) {
				b.WriteString(tokens[rng.IntN(len(tokens))])
			}
			text := []byte(b.String())
			s := p.Searcher()
			s.c, s.chosen = choice{strategy: useInner, lit: lit, litRare: Rarest(lit.lit, nil)}, true
			var got [][]int
			for at := 0; at <= len(text); {
				loc := s.Next(text, 0, at)
				if loc == nil {
					break
				}
				got = append(got, loc)
				at = loc[1]
			}
			if want := re.FindAllSubmatchIndex(text, -1); !reflect.DeepEqual(got, want) {
				t.Fatalf("%q over %q: %v; want %v", pat, text, got, want)
			}
			if s.off {
				t.Fatalf("%q over %q: the inner literal's search gave up", pat, text)
			}
		}
	}
}

// TestDFACache fills a small cache: a text that fills it slowly has it emptied and rebuilt, and
// the earliest end stays right; one that fills it every few bytes makes the dfa give up.
func TestDFACache(t *testing.T) {
	defer func(n int) { dfaMaxStates = n }(dfaMaxStates)
	dfaMaxStates = 8
	const pat = `[ab]*a[ab]{4}c`
	prog := compileDFA(mustParse(t, pat), "")
	rng := rand.New(rand.NewPCG(23, 29))
	randomAB := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = "ab"[rng.IntN(2)]
		}
		return b
	}
	var sparse []byte
	for range 300 {
		sparse = append(sparse, bytes.Repeat([]byte("x"), 200)...)
		sparse = append(sparse, randomAB(8)...)
	}
	sparse = append(sparse, "aabbac"...)
	d := newDFA(prog)
	e, ok := d.earliestEnd(sparse, 0, 0)
	want := regexp.MustCompile(pat).FindIndex(sparse)[1]
	if !ok || e != want || d.flushes == 0 {
		t.Errorf("sparse text: earliest end %d, ok %v, after %d emptyings; want %d, true, some", e, ok, d.flushes, want)
	}
	if e, ok := d.earliestEnd(sparse, 0, 100); !ok || e != want { // on the rebuilt cache
		t.Errorf("sparse text again: earliest end %d, ok %v; want %d, true", e, ok, want)
	}
	d = newDFA(prog)
	if _, ok := d.earliestEnd(append(randomAB(1<<16), 'c'), 0, 0); ok {
		t.Errorf("dense text: the dfa did not give up (%d emptyings)", d.flushes)
	}
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func mustParse(t *testing.T, pat string) *syntax.Regexp {
	t.Helper()
	tree, err := syntax.Parse(pat, syntax.Perl)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}
