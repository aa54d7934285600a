// Command mmgrep searches files for lines that match a regular expression, the way grep -E does,
// reading every regular file through a read-only memory mapping: the pattern runs over the mapped
// bytes in place, with no read buffer and no copy.
//
// Usage:
//
//	mmgrep [OPTION]... PATTERN [FILE|DIR]...
//
// PATTERN is Go regexp syntax, which reads like grep -E's (plus \d, \s, \w and friends); a newline
// in it separates alternatives, as in grep. With no FILE, mmgrep reads standard input, or with -r
// the working directory. Options, which may be combined (-in) and may follow the operands:
//
//	-c, --count                print only a count of selected lines per file
//	-n, --line-number          prefix each line with its line number
//	-o, --only-matching        print only the matched parts, one per line
//	-i, --ignore-case          ignore case (Unicode simple folding)
//	-v, --invert-match         select non-matching lines
//	-l, --files-with-matches   print only the names of files with selected lines
//	-F, --fixed-strings        PATTERN is a literal string (one per line)
//	-w, --word-regexp          match only whole words
//	-x, --line-regexp          match only whole lines
//	-r, --recursive            search directories recursively (symbolic links inside them are not followed)
//	-H, --with-filename        print the file name for each match
//	-h, --no-filename          never print file names
//	-m, --max-count=NUM        stop after NUM selected lines per file
//	-q, --quiet, --silent      print nothing; exit 0 at the first selected line
//	-s, --no-messages          suppress messages about unreadable files
//	-e, --regexp=PATTERN       use PATTERN (for patterns that start with '-'); may be repeated
//	-E, --extended-regexp      accepted for compatibility: patterns are always extended (not with -F)
//	--color[=WHEN]             highlight matches: never, always or auto (the default with no WHEN)
//
// Output and exit status follow GNU grep -E in a UTF-8 locale: the status is 0 if a line was
// selected, 1 if none was, and 2 if an error occurred (even with matches elsewhere, unless -q
// found one). A file with a NUL byte in its first 96 KiB is binary: its lines are matched (with
// NUL ending a line too), but instead of them mmgrep prints "mmgrep: FILE: binary file matches" to
// standard error; a line that would be printed but is not valid UTF-8 is likewise left out and
// reported by that message at the end of the file.
//
// Files are searched concurrently, one per CPU, and their output comes in the order of the
// operands (and in lexical order within a directory, where GNU grep uses the directory's own
// order). A file that shrinks while it is searched is reported as an error, never a crash.
//
// Differences from GNU grep: the syntax is Go's (no back-references; character classes such as
// [[:upper:]] and \w are ASCII-only; "." and negated classes match a byte that is not valid UTF-8,
// which GNU grep's never do); -o and --color use leftmost-longest matching, as POSIX requires;
// GREP_COLORS is ignored (the default colors are used);
// a NUL byte after the first 96 KiB marks a file binary from the line that holds it on, where GNU
// grep decides per read buffer.
//
// How it searches: the pattern is analysed once by the same search layer as the library's
// FindAll (github.com/mmapio/mmap/internal/search), which scans for the pattern's rarest bytes
// or an inner literal at memory speed and runs the regexp only where they occur. With
// -c, a file of 32 MiB or more is counted in one part per CPU, each under its own Guard, so that a
// file that shrinks mid-search is an error in that part only. Files under 256 KiB are read rather
// than mapped: over a tree of small files, unmapping (which flushes the TLB of every CPU the
// process ran on) costs more than the copy. The benchmark against GNU grep and ripgrep is
// bench/cmd/regexps (cd bench && go run ./cmd/regexps).
package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

const progName = "mmgrep"

// options are the parsed command line.
type options struct {
	count, lineNum, only, ignoreCase, invert, list, fixed, word, lineX bool
	recursive, quiet, noMessages, color, extended                      bool
	withName                                                           int   // 1 -H, 0 -h, -1 unset
	maxCount                                                           int64 // -1: unlimited
	patterns                                                           []string
	havePattern                                                        bool
	operands                                                           []string
}

// usageError is a bad command line: GNU grep's message, then its two-line usage hint.
type usageError string

func (e usageError) Error() string { return string(e) }

// parseArgs reads GNU-style arguments: short options may be combined and take their argument
// attached or as the next word, long ones take "=value" or the next word, "--" ends options, and
// options may follow operands.
func parseArgs(args []string, stdoutIsTerminal func() bool) (*options, error) {
	o := &options{withName: -1, maxCount: -1}
	colorWhen := "never"
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i+1:]...)
			i = len(args)
		case strings.HasPrefix(a, "--"):
			name, val, hasVal := strings.Cut(a[2:], "=")
			needVal := func() (string, error) {
				if hasVal {
					return val, nil
				}
				if i+1 >= len(args) {
					return "", usageError(fmt.Sprintf("option '--%s' requires an argument", name))
				}
				i++
				return args[i], nil
			}
			flag, ok := longFlags[name]
			switch {
			case ok && hasVal:
				return nil, usageError(fmt.Sprintf("option '--%s' doesn't allow an argument", name))
			case ok:
				if err := o.set(flag, ""); err != nil {
					return nil, err
				}
			case name == "color" || name == "colour":
				colorWhen = "auto"
				if hasVal {
					colorWhen = val
				}
			case name == "max-count" || name == "regexp":
				v, err := needVal()
				if err != nil {
					return nil, err
				}
				if err := o.set(map[string]byte{"max-count": 'm', "regexp": 'e'}[name], v); err != nil {
					return nil, err
				}
			default:
				return nil, usageError(fmt.Sprintf("unrecognized option '%s'", a))
			}
		case len(a) > 1 && a[0] == '-':
			for j := 1; j < len(a); j++ {
				c := a[j]
				if c == 'm' || c == 'e' {
					v := a[j+1:]
					if v == "" {
						if i+1 >= len(args) {
							return nil, usageError(fmt.Sprintf("option requires an argument -- '%c'", c))
						}
						i++
						v = args[i]
					}
					if err := o.set(c, v); err != nil {
						return nil, err
					}
					break
				}
				if !strings.ContainsRune(shortFlags, rune(c)) {
					return nil, usageError(fmt.Sprintf("invalid option -- '%c'", c))
				}
				if err := o.set(c, ""); err != nil {
					return nil, err
				}
			}
		default:
			rest = append(rest, a)
		}
	}
	switch colorWhen {
	case "always", "yes", "force":
		o.color = true
	case "never", "no", "none":
	case "auto", "tty", "if-tty":
		o.color = stdoutIsTerminal()
	default:
		return nil, usageError(fmt.Sprintf("invalid argument '%s' for '--color'", colorWhen))
	}
	if o.fixed && o.extended {
		return nil, fmt.Errorf("conflicting matchers specified")
	}
	if !o.havePattern {
		if len(rest) == 0 {
			return nil, usageError("")
		}
		o.patterns = strings.Split(rest[0], "\n")
		rest = rest[1:]
	}
	o.operands = rest
	return o, nil
}

const shortFlags = "cnoivlFwxrHhqsE"

var longFlags = map[string]byte{
	"count": 'c', "line-number": 'n', "only-matching": 'o', "ignore-case": 'i', "invert-match": 'v',
	"files-with-matches": 'l', "fixed-strings": 'F', "word-regexp": 'w', "line-regexp": 'x',
	"recursive": 'r', "with-filename": 'H', "no-filename": 'h', "quiet": 'q', "silent": 'q',
	"no-messages": 's', "extended-regexp": 'E',
}

func (o *options) set(c byte, v string) error {
	switch c {
	case 'c':
		o.count = true
	case 'n':
		o.lineNum = true
	case 'o':
		o.only = true
	case 'i':
		o.ignoreCase = true
	case 'v':
		o.invert = true
	case 'l':
		o.list = true
	case 'F':
		o.fixed = true
	case 'w':
		o.word = true
	case 'x':
		o.lineX = true
	case 'r':
		o.recursive = true
	case 'H':
		o.withName = 1
	case 'h':
		o.withName = 0
	case 'q':
		o.quiet = true
	case 's':
		o.noMessages = true
	case 'E':
		o.extended = true
	case 'm':
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return fmt.Errorf("invalid max count")
		}
		o.maxCount = max(n, -1)
	case 'e':
		o.patterns = append(o.patterns, strings.Split(v, "\n")...)
		o.havePattern = true
	}
	return nil
}

// run is the whole command: it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	o, err := parseArgs(args, func() bool { return isTerminal(stdout) })
	if err != nil {
		if msg := err.Error(); msg != "" {
			fmt.Fprintf(stderr, "%s: %s\n", progName, msg)
		}
		if _, ok := err.(usageError); ok {
			fmt.Fprintf(stderr, "Usage: %s [OPTION]... PATTERNS [FILE]...\nTry '%s --help' for more information.\n", progName, progName)
		}
		return 2
	}
	m, err := compile(o)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", progName, err)
		return 2
	}
	if o.maxCount == 0 || o.invert && len(o.patterns) == 1 && o.patterns[0] == "" && !o.word && !o.lineX {
		// GNU grep sees that nothing can be selected and stops before reading anything.
		return 1
	}
	return newGrep(o, m, stdin, stdout, stderr).run()
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("TERM") == "dumb" {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
