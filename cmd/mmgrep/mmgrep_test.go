package main

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/mmapio/mmap/internal/testdir"
)

// gnuGrep returns the path of GNU grep, or skips the test.
func gnuGrep(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("grep")
	if err != nil {
		t.Skip("grep is not installed")
	}
	out, err := exec.Command(path, "--version").Output()
	if err != nil || !bytes.Contains(out, []byte("GNU grep")) {
		t.Skip("grep is not GNU grep")
	}
	return path
}

// grepEnv is the environment both run in: a UTF-8 locale (mmgrep's semantics) and the default
// colors.
func grepEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "LC_") && !strings.HasPrefix(kv, "LANG") && !strings.HasPrefix(kv, "GREP_") {
			env = append(env, kv)
		}
	}
	return append(env, "LC_ALL=C.UTF-8")
}

// makeCorpus writes the generated and real files the comparison runs over into dir.
func makeCorpus(t *testing.T, dir string) {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"the", "The", "THE", "func", "Func", "foo", "bar", "baz", "foobar", "is", "this", "his",
		"isn't", "ab", "abc", "abab", "x", "xx", "12", "345", "6789", "a_b", "é", "café", "Éclair", "日本", "-", "(", ")", "@", ".", "  "}
	var text bytes.Buffer
	for i := range 400 {
		n := rng.IntN(9)
		if i%37 == 0 {
			n = 0 // empty lines
		}
		for k := range n {
			if k > 0 {
				text.WriteByte(" \t"[rng.IntN(2)])
			}
			text.WriteString(words[rng.IntN(len(words))])
		}
		text.WriteByte('\n')
	}
	files := map[string][]byte{
		"text.txt":           text.Bytes(),
		"empty":              nil,
		"noeol.txt":          []byte("first foo\nsecond bar\nlast line without newline foo"),
		"utf8.txt":           []byte("héllo wörld\nÉCOLE école\n日本語のテキスト foo\nnaïve café bar\n"),
		"invalid.txt":        []byte("good foo line\nbad \xff\xfe foo line\nanother foo\nbad bar \xc3\n"),
		"binary.bin":         append([]byte("foo\x00bar baz\nthe\x00\x01\x02 foo\n"), bytes.Repeat([]byte("abc foo\n"), 10)...),
		"sub/dir/nested.go":  []byte("package nested\n\nfunc Foo() int { return 12 }\n// foo bar\n"),
		"sub/space name.txt": []byte("the foo with spaces\nis this\n"),
		"sub/only.txt":       []byte("\n\n\nfoo\n"),
	}
	// Real files: a few sources of the Go toolchain, which every machine that runs this test has.
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		t.Skipf("no go command to find the toolchain's sources: %v", err)
	}
	goroot := strings.TrimSpace(string(out))
	for _, src := range []string{"src/bytes/bytes.go", "src/fmt/print.go", "src/regexp/regexp.go", "LICENSE"} {
		b, err := os.ReadFile(filepath.Join(goroot, src))
		if err != nil {
			t.Logf("skipping real file %s: %v", src, err)
			continue
		}
		files["real/"+filepath.Base(src)] = b
	}
	// A link to a directory: -r follows it as an operand, and skips it inside a directory.
	if err := os.Symlink("sub", filepath.Join(dir, "sublink")); err != nil {
		t.Logf("no symbolic link: %v", err)
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

type result struct {
	stdout, stderr string
	code           int
}

func runGNU(t *testing.T, grepPath, dir string, args []string) result {
	// grep -E, unless -F is among the options: GNU grep refuses both.
	opts := args
	if i := slices.Index(args, "--"); i >= 0 {
		opts = args[:i]
	}
	fixed := slices.ContainsFunc(opts, func(a string) bool {
		return a == "--fixed-strings" || len(a) > 1 && a[0] == '-' && a[1] != '-' && strings.Contains(a, "F")
	})
	if !fixed {
		args = append([]string{"-E"}, args...)
	}
	cmd := exec.Command(grepPath, args...)
	cmd.Args[0] = "grep" // GNU grep names itself by argv[0] in messages
	cmd.Dir = dir
	cmd.Env = grepEnv()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	stderr := errb.String()
	if strings.HasPrefix(stderr, "grep: ") {
		stderr = progName + ": " + stderr[len("grep: "):]
	}
	return result{out.String(), strings.ReplaceAll(stderr, "\ngrep: ", "\n"+progName+": "), code}
}

func runMM(args []string) result {
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errb)
	return result{out.String(), errb.String(), code}
}

// sortLines sorts the lines of s: grep -r lists a directory in its own order, mmgrep in
// lexical order.
func sortLines(s string) string {
	lines := strings.SplitAfter(s, "\n")
	slices.Sort(lines)
	return strings.Join(lines, "")
}

// flagSets are the option sets the comparisons run: every option alone, and combined.
var flagSets = [][]string{
	{}, {"-c"}, {"-n"}, {"-o"}, {"-i"}, {"-v"}, {"-l"}, {"-F"}, {"-w"}, {"-x"}, {"-H"}, {"-h"},
	{"--color=always"}, {"--color=never"}, {"-m", "2"}, {"-q"}, {"-s"},
	{"-in"}, {"-cv"}, {"-on"}, {"-ow"}, {"-iw"}, {"-vn"}, {"-c", "-m", "3"}, {"-ln"}, {"-vc", "-m2"},
	{"-Fx"}, {"-Fw"}, {"-oi", "--color=always"}, {"-nw", "--color=always"}, {"-Hc"}, {"-hn"},
	{"-vl"}, {"-ovn"}, {"-xi"}, {"-Fio"}, {"-cHm1"}, {"--count", "--ignore-case"}, {"-n", "--max-count=4"},
	{"-l", "--color=always"}, {"-c", "--color=always"}, {"-wo", "--color=always", "-n"},
}

// TestCompareWithGNUGrep runs mmgrep and grep -E with the same flags, patterns and files, and
// compares standard output, standard error and the exit status.
func TestCompareWithGNUGrep(t *testing.T) {
	grepPath := gnuGrep(t)
	dir := tempDir(t)
	makeCorpus(t, dir)
	t.Chdir(dir)
	// Map every file, however small: the mapped path is the one to check against grep;
	// TestReadAndMapAgree checks the read path against it.
	defer func(old int64, oldMin int) { readBelow, parallelMin = old, oldMin }(readBelow, parallelMin)
	readBelow = 0
	parallelMin = 0 // -c counts every file in parts, however small

	patterns := []string{
		`foo`, `the`, `é`, `[0-9]+`, `[A-Z][a-z]*`, `foo|bar|baz`, `(ab)+c?`, `^func`,
		`foo$`, `^$`, `\bis\b`, `is\B`, `a.b`, ``, `x*`, `(Foo|foo)\(\)`, `-`, `日本`, `[a-z]+ [a-z]+`,
	}
	fileSets := [][]string{
		{"text.txt"},
		{"text.txt", "empty", "noeol.txt", "utf8.txt", "invalid.txt", "binary.bin", "real/print.go", "real/LICENSE"},
		{"real/bytes.go", "real/regexp.go", "sub/dir/nested.go"},
	}
	failures := 0
	for fi, files := range fileSets {
		pats := patterns
		if fi != 1 || raceEnabled {
			// The multi-file set runs every pattern; the others, and every set under the race
			// detector (which makes each run far slower), a few of each kind.
			pats = []string{`foo`, `é`, `foo|bar|baz`, `^func`, `\bis\b`, ``, `x*`, `[a-z]+ [a-z]+`}
		}
		if raceEnabled && fi != 1 {
			continue
		}
		for _, flags := range flagSets {
			for _, pat := range pats {
				args := append(append(slices.Clone(flags), "--", pat), files...)
				want, got := runGNU(t, grepPath, dir, args), runMM(args)
				if got != want {
					failures++
					t.Errorf("mmgrep %q: status %d, grep %d; stdout %s; stderr %q, grep %q",
						args, got.code, want.code, firstDiff(got.stdout, want.stdout), clip(got.stderr), clip(want.stderr))
					if failures > 10 {
						t.Fatal("too many failures")
					}
				}
			}
		}
	}

	// Recursion, error operands and option forms, with -r output compared as sorted lines.
	cases := [][]string{
		{"-r", "foo"}, {"-r", "foo", "sub"}, {"-r", "foo", "sub/"}, {"-r", "foo", "."}, {"-rc", "foo", "sub"},
		{"-rl", "the"}, {"-rh", "foo", "sub"}, {"-rH", "foo", "sub/only.txt"}, {"-r", "foo", "sub/only.txt"},
		{"-rn", "--color=always", "foo", "sub", "text.txt"}, {"-r", "-v", "-c", "x", "sub"},
		{"foo", "nonexistent", "text.txt"}, {"foo", "sub"}, {"-s", "foo", "nonexistent", "text.txt"},
		{"-q", "foo", "nonexistent", "text.txt"}, {"-q", "zzzz", "nonexistent", "text.txt"},
		{"-sq", "foo", "text.txt", "nonexistent"}, {"zzzz", "nonexistent"}, {"-m", "0", "foo", "text.txt"},
		{"-e", "-", "text.txt"}, {"-e", "foo", "-e", "bar", "-c", "text.txt"}, {"-c", "foo\nbar", "text.txt"},
		{"text.txt", "-n", "foo"}, {"-n", "--", "-", "text.txt"}, {"-l", "foo", "binary.bin", "text.txt"},
		{"-c", "^the", "binary.bin"}, {"-c", "^bar", "binary.bin"}, {"-vc", "foo", "binary.bin"},
		{"-r", "foo", "sublink"}, {"-rc", "foo", "sublink/"}, {"-E", "-F", "foo", "text.txt"},
		{"-bogus", "foo", "text.txt"}, {"--bogus", "foo", "text.txt"}, {"-m"}, {},
	}
	for _, args := range cases {
		want, got := runGNU(t, grepPath, dir, args), runMM(args)
		if slices.Contains(args, "-bogus") || slices.Contains(args, "--bogus") || len(args) <= 1 {
			// Usage errors: the status, and the program's own name in the message.
			if got.code != want.code || !strings.Contains(got.stderr, "Usage: "+progName) {
				t.Errorf("mmgrep %q: status %d, stderr %q; grep: %d, %q", args, got.code, got.stderr, want.code, want.stderr)
			}
			continue
		}
		if slices.ContainsFunc(args, func(a string) bool { return strings.HasPrefix(a, "-r") }) {
			got.stdout, want.stdout = sortLines(got.stdout), sortLines(want.stdout)
			got.stderr, want.stderr = sortLines(got.stderr), sortLines(want.stderr)
		}
		if got != want {
			t.Errorf("mmgrep %q:\n got status %d, stdout:\n%s\nstderr:\n%s\nwant status %d, stdout:\n%s\nstderr:\n%s",
				args, got.code, clip(got.stdout), got.stderr, want.code, clip(want.stdout), want.stderr)
		}
	}
}

// clip shortens long output for a failure message.
func clip(s string) string {
	if len(s) > 600 {
		return s[:600] + fmt.Sprintf("... (%d bytes)", len(s))
	}
	return s
}

// firstDiff describes where two outputs part.
func firstDiff(got, want string) string {
	g, w := strings.SplitAfter(got, "\n"), strings.SplitAfter(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d: got %q, want %q", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}

// TestReadAndMapAgree runs every flag set over the corpus with small files read into memory and
// with every file mapped: the output must not change.
func TestReadAndMapAgree(t *testing.T) {
	dir := tempDir(t)
	makeCorpus(t, dir)
	t.Chdir(dir)
	defer func(old int64) { readBelow = old }(readBelow)
	files := []string{"text.txt", "empty", "noeol.txt", "utf8.txt", "invalid.txt", "binary.bin", "real/print.go"}
	for _, flags := range flagSets {
		for _, pat := range []string{`foo`, `^func`, `x*`, `[a-z]+ [a-z]+`} {
			args := append(append(slices.Clone(flags), "--", pat), files...)
			readBelow = 1 << 30
			read := runMM(args)
			readBelow = 0
			if mapped := runMM(args); mapped != read {
				t.Errorf("mmgrep %q: mapped and read differ: status %d, %d; stdout %s", args, mapped.code, read.code, firstDiff(mapped.stdout, read.stdout))
			}
		}
	}
}

// TestShrinkingFile truncates a file between mapping and searching it: mmgrep reports the fault
// as an error (status 2) instead of crashing, for the literal and the regexp paths.
func TestShrinkingFile(t *testing.T) {
	switch runtime.GOOS {
	case "windows", "js", "wasip1", "plan9":
		t.Skipf("%s cannot truncate a file under a live mapping", runtime.GOOS)
	}
	dir := tempDir(t)
	name := filepath.Join(dir, "f")
	data := bytes.Repeat([]byte("some text line\n"), 100000)
	copy(data[len(data)-20:], "needle at the end\n")
	t.Cleanup(func() { beforeSearch = nil })
	defer func(old int) { parallelMin = old }(parallelMin)
	for i, pat := range []string{"needle", "need[l]e", `\bneedle`, "needle", "need[l]e", `\bneedle`} {
		size := int64(4096) // the fault comes while looking for NUL bytes
		if i >= 3 {
			// Past that check, on the goroutines that count parts of the file.
			parallelMin, size = 0, 1<<20 // past the middle, where the parts meet
		}
		if err := os.WriteFile(name, data, 0o644); err != nil {
			t.Fatal(err)
		}
		beforeSearch = func(path string) {
			if err := os.Truncate(path, size); err != nil {
				t.Error(err)
			}
		}
		got := runMM([]string{"-c", pat, name})
		if got.code != 2 || !strings.Contains(got.stderr, name+": ") || !strings.Contains(got.stderr, "fault") {
			t.Errorf("mmgrep -c %s over a file truncated under it: status %d, stdout %q, stderr %q; want status 2 and a fault message", pat, got.code, got.stdout, got.stderr)
		}
	}
}

// TestStdin reads standard input when no file is given.
func TestStdin(t *testing.T) {
	var out, errb bytes.Buffer
	code := run([]string{"-n", "b"}, strings.NewReader("a\nb\nab\n"), &out, &errb)
	if code != 0 || out.String() != "2:b\n3:ab\n" || errb.Len() != 0 {
		t.Errorf("mmgrep -n b < 'a b ab' = %d, %q, %q", code, out.String(), errb.String())
	}
}

// tempDir returns a new temporary directory that is removed at cleanup, also under Wine.
func tempDir(t testing.TB) string { return testdir.New(t, "mmgrep-test-") }
