package search

import (
	"bytes"
	"os"
	"regexp"
	"testing"
)

// BenchmarkNext counts the matches of each pattern in the file SEARCH_BENCH_FILE (the corpora of
// bench/cmd/regexps, kept with its -dir flag) with a Searcher ("search") and with regexp alone
// over the same bytes ("regexp"), side by side, for profiles of one strategy at a time:
//
//	SEARCH_BENCH_FILE=corpus/text.txt go test -run '^$' -bench Next -count 3 ./internal/search
func BenchmarkNext(b *testing.B) {
	name := os.Getenv("SEARCH_BENCH_FILE")
	if name == "" {
		b.Skip("SEARCH_BENCH_FILE is not set")
	}
	text, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	pats := []string{`needle\d+`, `the \w+`, `water|world|work`, `(?i)country`, `ERROR|WARN`, `[A-Z][a-z]+`,
		`s[a-z]+ s[a-z]+`, `\w+ing\b`, `\d{3}-\d{4}`, `[a-z]+@[a-z]+\.com`, `\b\w{14,}\b`, `" 50[0-9] `,
		`\d+\.\d+\.\d+\.\d+`, `GET /[a-z/]*\.php`, `(?i)googlebot`, `\[\d{2}/[A-Z][a-z]{2}/\d{4}`,
		`POST|PUT|DELETE`, `[a-z]+=[0-9]+&`}
	if p := os.Getenv("SEARCH_BENCH_PATTERN"); p != "" {
		pats = []string{p}
	}
	for _, pat := range pats {
		re := regexp.MustCompile(pat)
		want := len(re.FindAllIndex(text, -1))
		b.Run(pat+"/search", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				if n := len(findAll(Compile(re), text, 0)); n != want {
					b.Fatalf("%d matches; want %d", n, want)
				}
			}
		})
		b.Run(pat+"/search-nopair", func(b *testing.B) {
			noPair = true
			defer func() { noPair = false }()
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				if n := len(findAll(Compile(re), text, 0)); n != want {
					b.Fatalf("%d matches; want %d", n, want)
				}
			}
		})
		b.Run(pat+"/regexp", func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				re.FindAllIndex(text, -1)
			}
		})
	}
}

// BenchmarkIndex counts the instances of needles of every class in SEARCH_BENCH_FILE with a loop
// of Index (as Region.Find is used) and of bytes.Index, side by side with the limit, one
// bytes.IndexByte pass for a byte that is absent: a rare needle ("zebra"), one whose bytes are
// all common in prose ("ethyl"), a frequent one ("the "), and one that is planted ("needle").
//
//	SEARCH_BENCH_FILE=corpus/text.txt go test -run '^$' -bench Index -count 3 ./internal/search
func BenchmarkIndex(b *testing.B) {
	name := os.Getenv("SEARCH_BENCH_FILE")
	if name == "" {
		b.Skip("SEARCH_BENCH_FILE is not set")
	}
	text, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	count := func(index func(h, n []byte) int, needle []byte) int {
		n := 0
		for i := 0; ; n++ {
			j := index(text[i:], needle)
			if j < 0 {
				return n
			}
			i += j + 1
		}
	}
	for _, needle := range []string{"zebra", "ethyl", "needle", "the "} {
		want := count(bytes.Index, []byte(needle))
		for _, impl := range []struct {
			name  string
			index func(h, n []byte) int
		}{{"Index", Index}, {"bytes.Index", bytes.Index}} {
			b.Run(needle+"/"+impl.name, func(b *testing.B) {
				b.SetBytes(int64(len(text)))
				for b.Loop() {
					if n := count(impl.index, []byte(needle)); n != want {
						b.Fatalf("%d instances; want %d", n, want)
					}
				}
			})
		}
	}
	b.Run("limit/IndexByte", func(b *testing.B) {
		b.SetBytes(int64(len(text)))
		for b.Loop() {
			bytes.IndexByte(text, 0)
		}
	})
}
