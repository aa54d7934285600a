package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"unicode/utf8"

	"github.com/mmapio/mmap"
)

// binaryProbe is how much of a file's start is checked for a NUL byte, which makes it binary. GNU
// grep checks its first read buffer, 96 KiB.
const binaryProbe = 96 << 10

// chunkSize is how much output a file's search gathers before handing it to the printer.
const chunkSize = 64 << 10

// Colors, as GNU grep's default GREP_COLORS has them.
const (
	colorMatch = "\x1b[01;31m\x1b[K"
	colorName  = "\x1b[35m\x1b[K"
	colorLine  = "\x1b[32m\x1b[K"
	colorSep   = "\x1b[36m\x1b[K"
	colorEnd   = "\x1b[m\x1b[K"
)

type grep struct {
	o              *options
	m              *matcher
	stdin          io.Reader
	stdout, stderr io.Writer
	stop           atomic.Bool // -q has its answer: workers stop
}

func newGrep(o *options, m *matcher, stdin io.Reader, stdout, stderr io.Writer) *grep {
	return &grep{o: o, m: m, stdin: stdin, stdout: stdout, stderr: stderr}
}

// job is one file to search. Its output comes in chunks on out, which is closed when the search
// is over; the fields after it are set before that.
type job struct {
	path     string // to open
	name     string // to print
	withName bool
	stdin    bool
	out      chan []byte

	selected int64
	binary   bool     // print "binary file matches"
	errs     []string // messages for standard error
	failed   bool     // an error: exit status 2
}

func (g *grep) run() int {
	jobs := make(chan *job, 64)
	work := make(chan *job, 64)
	go func() {
		g.listJobs(func(j *job) {
			j.out = make(chan []byte, 16)
			jobs <- j
			work <- j
		})
		close(jobs)
		close(work)
	}()
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var scratch []byte
			for j := range work {
				g.searchJob(j, &scratch)
			}
		}()
	}
	selected, failed := false, false
	for j := range jobs {
		for chunk := range j.out {
			if !g.stop.Load() {
				g.stdout.Write(chunk)
			}
		}
		if g.stop.Load() {
			continue // drain
		}
		for _, msg := range j.errs {
			fmt.Fprintf(g.stderr, "%s: %s\n", progName, msg)
		}
		if j.binary {
			fmt.Fprintf(g.stderr, "%s: %s: binary file matches\n", progName, j.name)
		}
		failed = failed || j.failed
		if j.selected > 0 {
			selected = true
			if g.o.quiet {
				g.stop.Store(true)
			}
		}
	}
	wg.Wait()
	switch {
	case selected && g.o.quiet:
		return 0
	case failed:
		return 2
	case selected:
		return 0
	}
	return 1
}

// listJobs calls add for every file to search, in order: the operands, each directory's files
// sorted by name under -r.
func (g *grep) listJobs(add func(*job)) {
	o := g.o
	ops := o.operands
	implicitDot := false
	if len(ops) == 0 {
		if !o.recursive {
			add(&job{name: "(standard input)", stdin: true, withName: o.withName == 1})
			return
		}
		ops, implicitDot = []string{"."}, true
	}
	for _, op := range ops {
		if g.stop.Load() {
			return
		}
		withName := o.withName == 1 || o.withName == -1 && len(ops) > 1
		if op == "-" {
			add(&job{name: "(standard input)", stdin: true, withName: withName})
			continue
		}
		info, err := os.Stat(op)
		if err != nil || !info.IsDir() || !o.recursive {
			// Errors, directories without -r included, are the search's to report.
			add(&job{path: op, name: op, withName: withName})
			continue
		}
		// A directory's files carry their names, unless -h, even when it is the only operand.
		withName = o.withName != 0
		root := op
		if li, err := os.Lstat(op); err == nil && li.Mode()&fs.ModeSymlink != 0 {
			// -r follows a link given as an operand, though not the links inside; WalkDir
			// follows a root only when a trailing separator makes the OS resolve it.
			root = op + string(filepath.Separator)
		}
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if g.stop.Load() {
				return filepath.SkipAll
			}
			name := displayName(op, p, implicitDot)
			if err != nil {
				j := &job{path: p, name: name, withName: withName, failed: true}
				if !o.noMessages {
					j.errs = []string{describe(name, unwrapPath(err))}
				}
				add(j)
				return nil
			}
			if d.Type().IsRegular() {
				add(&job{path: p, name: name, withName: withName})
			}
			// Symbolic links, devices, sockets and pipes met while recursing are skipped, as -r
			// does; directories are entered.
			return nil
		})
	}
}

// displayName is how grep -r names a file found under the operand op: "dir/f" for "dir" and
// "dir/", "./f" for ".", and "f" when -r searches the working directory by default.
func displayName(op, p string, implicitDot bool) string {
	rel, err := filepath.Rel(op, p)
	switch {
	case err != nil:
		return p
	case implicitDot:
		return filepath.ToSlash(rel)
	case rel == ".":
		return op
	}
	return strings.TrimSuffix(op, "/") + "/" + filepath.ToSlash(rel)
}

// unwrapPath drops a *fs.PathError's operation and path, which describe replaces with the name.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// describe formats err as GNU grep does: "NAME: Strerror text".
func describe(name string, err error) string {
	if msg, ok := errnoText(err); ok {
		if msg != "" && 'a' <= msg[0] && msg[0] <= 'z' {
			msg = string(msg[0]-'a'+'A') + msg[1:]
		}
		return name + ": " + msg
	}
	return name + ": " + err.Error()
}

// searchJob opens, maps (or reads) and searches one file. scratch is the worker's buffer for the
// files it reads.
func (g *grep) searchJob(j *job, scratch *[]byte) {
	defer close(j.out)
	if j.failed || g.stop.Load() {
		return
	}
	fail := func(err error) {
		j.failed = true
		if !g.o.noMessages {
			j.errs = append(j.errs, describe(j.name, unwrapPath(err)))
		}
	}
	if j.stdin {
		b, err := io.ReadAll(g.stdin)
		if err != nil {
			fail(err)
			return
		}
		g.search(j, b, unguarded)
		return
	}
	f, err := os.Open(j.path)
	if err != nil {
		fail(err)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		fail(err)
		return
	}
	if info.IsDir() {
		fail(syscall.EISDIR)
		return
	}
	if !info.Mode().IsRegular() {
		// A pipe or a device has no size to map: read it.
		b, err := io.ReadAll(f)
		if err != nil {
			fail(err)
			return
		}
		g.search(j, b, unguarded)
		return
	}
	if info.Size() < readBelow {
		// A small file costs less to copy than to map: unmapping makes the kernel flush the
		// TLB of every CPU the process runs on, and a tree of source files is mostly small
		// files.
		b, err := readInto((*scratch)[:0], f)
		*scratch = b
		if err != nil {
			fail(err)
			return
		}
		g.search(j, b, unguarded)
		return
	}
	r, err := mmap.New(f, 0, &mmap.Options{Access: mmap.AccessRead})
	if err != nil {
		fail(err)
		return
	}
	defer r.Close()
	if beforeSearch != nil {
		beforeSearch(j.path)
	}
	// Guard turns a fault (the file shrank under the mapping) into an error.
	guard := func(f func()) error {
		return r.Guard(func([]byte) error { f(); return nil })
	}
	err = r.Guard(func(b []byte) error { return g.search(j, b, guard) })
	if err != nil {
		j.binary = false
		fail(err)
	}
}

// unguarded runs f: memory read from a file needs no fault protection.
func unguarded(f func()) error { f(); return nil }

// beforeSearch, when set (by tests), runs between mapping a file and searching it.
var beforeSearch func(path string)

// readBelow is the size under which a regular file is read into memory rather than mapped.
var readBelow int64 = 256 << 10

// readInto appends everything f holds to buf.
func readInto(buf []byte, f *os.File) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// sink gathers a file's output into chunks for the printer.
type sink struct {
	buf []byte
	out chan []byte
}

func (s *sink) flush() {
	if len(s.buf) > 0 {
		s.out <- s.buf
		s.buf = nil
	}
}

func (s *sink) grow() {
	if len(s.buf) >= chunkSize {
		s.flush()
	}
	if s.buf == nil {
		// Small at first: most files print a line or two, or nothing.
		s.buf = make([]byte, 0, 512)
	}
}

// search runs the search over one file's bytes b: it counts, lists or prints the selected lines.
//
// guard runs a function under the protection the caller's goroutine has (the Region's Guard for
// a mapped file), for the goroutines that count a large file's parts in parallel; its error
// (a fault) is search's.
func (g *grep) search(j *job, b []byte, guard func(func()) error) error {
	o, m := g.o, g.m
	find := m.plan.Searcher()
	w := &sink{out: j.out}
	defer w.flush()
	if bytes.IndexByte(b[:min(len(b), binaryProbe)], 0) >= 0 {
		g.searchBinary(j, b, w)
		return nil
	}
	if o.count && !o.list && !o.quiet && o.maxCount < 0 {
		n, err := g.countParallel(b, guard)
		if err != nil {
			return err
		}
		j.selected = n
		g.printCount(w, j)
		return nil
	}
	lineNo, counted := int64(1), 0 // lineNo is the number of the line at counted
	encodingErrors := false
	// emit handles one selected line and reports whether the search is over.
	emit := func(ls, le int) bool {
		j.selected++
		switch {
		case o.quiet || o.list:
			return true
		case !o.count:
			line := b[ls:le]
			if bytes.IndexByte(line, 0) >= 0 {
				// A NUL past the probe: binary from here on, as GNU grep's next buffer would be.
				j.binary = true
				return true
			}
			if o.lineNum {
				lineNo += int64(bytes.Count(b[counted:ls], []byte{'\n'}))
				counted = ls
			}
			if !g.printLine(w, j, lineNo, line) {
				encodingErrors = true
			}
		}
		return o.maxCount >= 0 && j.selected >= o.maxCount || g.stop.Load()
	}
	for pos := 0; pos < len(b); {
		ls, le := m.next(b, find, pos)
		if !o.invert {
			if ls < 0 || emit(ls, le) {
				break
			}
			pos = le + 1
			continue
		}
		end := ls
		if ls < 0 {
			end = len(b)
		}
		if g.emitRange(b, pos, end, emit) || ls < 0 {
			break
		}
		pos = le + 1
	}
	if o.list && j.selected > 0 {
		g.printName(w, j)
		w.buf = append(w.buf, '\n')
	}
	if o.count && !o.list && !o.quiet {
		g.printCount(w, j)
	}
	j.binary = j.binary || encodingErrors && !o.quiet && !o.list && !o.count
	return nil
}

// parallelMin is the size from which -c counts parts of a file on several goroutines: below it,
// starting them costs more than they save.
var parallelMin = 32 << 20

// countParallel counts the selected lines of b, split at line boundaries into one part per CPU
// when b is large. Each part runs under guard, since a fault is caught only on the goroutine that
// armed the recovery.
func (g *grep) countParallel(b []byte, guard func(func()) error) (int64, error) {
	parts := runtime.GOMAXPROCS(0)
	if len(b) < parallelMin || parts < 2 {
		return g.countSelected(b), nil
	}
	bounds := []int{0}
	for i := 1; i < parts; i++ {
		at := max(bounds[len(bounds)-1], i*(len(b)/parts))
		nl := bytes.IndexByte(b[at:], '\n')
		if nl < 0 {
			break
		}
		bounds = append(bounds, at+nl+1)
	}
	bounds = append(bounds, len(b))
	counts := make([]int64, len(bounds)-1)
	errs := make([]error, len(bounds)-1)
	var wg sync.WaitGroup
	for i := range counts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = guard(func() { counts[i] = g.countSelected(b[bounds[i]:bounds[i+1]]) })
		}()
	}
	wg.Wait()
	var n int64
	for i, c := range counts {
		if errs[i] != nil {
			return 0, errs[i]
		}
		n += c
	}
	return n, nil
}

// countSelected counts the selected lines of b, which holds whole lines.
func (g *grep) countSelected(b []byte) (n int64) {
	find := g.m.plan.Searcher()
	for pos := 0; pos < len(b); {
		ls, le := g.m.next(b, find, pos)
		if !g.o.invert {
			if ls < 0 {
				break
			}
			n++
			pos = le + 1
			continue
		}
		end := ls
		if ls < 0 {
			end = len(b)
		}
		n += int64(bytes.Count(b[pos:end], []byte{'\n'}))
		if end > pos && b[end-1] != '\n' {
			n++ // the last line, without its '\n'
		}
		if ls < 0 || g.stop.Load() {
			break
		}
		pos = le + 1
	}
	return n
}

// emitRange emits each line in b[from:to], both line starts (or to the end of b), and reports
// whether emit ended the search.
func (g *grep) emitRange(b []byte, from, to int, emit func(ls, le int) bool) bool {
	for p := from; p < to; {
		e := bytes.IndexByte(b[p:to], '\n')
		if e < 0 {
			e = to
		} else {
			e += p
		}
		if emit(p, e) {
			return true
		}
		p = e + 1
	}
	return false
}

// searchBinary searches a file with NUL bytes: NUL ends a line too, as in GNU grep, and the first
// selected line ends the search unless -c counts them all.
func (g *grep) searchBinary(j *job, b []byte, w *sink) {
	o, m := g.o, g.m
	nul := -1 // the next NUL at or after p, once known
	for p := 0; p < len(b); {
		if nul < p {
			if nul = bytes.IndexByte(b[p:], 0); nul < 0 {
				nul = len(b)
			} else {
				nul += p
			}
		}
		e := bytes.IndexByte(b[p:nul], '\n')
		if e < 0 {
			e = nul
		} else {
			e += p
		}
		if m.matchLine(b[p:e]) != o.invert {
			j.selected++
			if !o.count || o.maxCount >= 0 && j.selected >= o.maxCount || g.stop.Load() {
				break
			}
		}
		p = e + 1
	}
	switch {
	case o.quiet || j.selected == 0 && !o.count:
	case o.list:
		g.printName(w, j)
		w.buf = append(w.buf, '\n')
	case o.count:
		g.printCount(w, j)
	default:
		j.binary = true
	}
}

func (g *grep) printName(w *sink, j *job) {
	w.grow()
	if g.o.color {
		w.buf = append(w.buf, colorName...)
		w.buf = append(w.buf, j.name...)
		w.buf = append(w.buf, colorEnd...)
		return
	}
	w.buf = append(w.buf, j.name...)
}

func (g *grep) printSep(w *sink) {
	if g.o.color {
		w.buf = append(w.buf, colorSep+":"+colorEnd...)
		return
	}
	w.buf = append(w.buf, ':')
}

func (g *grep) printCount(w *sink, j *job) {
	if j.withName {
		g.printName(w, j)
		g.printSep(w)
	}
	w.grow()
	w.buf = strconv.AppendInt(w.buf, j.selected, 10)
	w.buf = append(w.buf, '\n')
}

// printHead prints the file name and line number that come before a line or a part of it.
func (g *grep) printHead(w *sink, j *job, lineNo int64) {
	w.grow()
	if j.withName {
		g.printName(w, j)
		g.printSep(w)
	}
	if g.o.lineNum {
		if g.o.color {
			w.buf = append(w.buf, colorLine...)
		}
		w.buf = strconv.AppendInt(w.buf, lineNo, 10)
		if g.o.color {
			w.buf = append(w.buf, colorEnd...)
		}
		g.printSep(w)
	}
}

// printLine prints a selected line, or with -o its matching parts. It returns false if it left
// something out because it is not valid UTF-8, which GNU grep reports as a binary file.
func (g *grep) printLine(w *sink, j *job, lineNo int64, line []byte) bool {
	o := g.o
	if o.only {
		if o.invert {
			return true // the selected lines hold no match to print
		}
		ok := true
		g.m.parts(line, func(s, e int) {
			if !utf8.Valid(line[s:e]) {
				ok = false
				return
			}
			g.printHead(w, j, lineNo)
			if o.color {
				w.buf = append(w.buf, colorMatch...)
			}
			w.buf = append(w.buf, line[s:e]...)
			if o.color {
				w.buf = append(w.buf, colorEnd...)
			}
			w.buf = append(w.buf, '\n')
		})
		return ok
	}
	if !utf8.Valid(line) {
		return false
	}
	g.printHead(w, j, lineNo)
	if !o.color || o.invert {
		w.buf = append(w.buf, line...)
		w.buf = append(w.buf, '\n')
		return true
	}
	last := 0
	g.m.parts(line, func(s, e int) {
		w.buf = append(w.buf, line[last:s]...)
		w.buf = append(w.buf, colorMatch...)
		w.buf = append(w.buf, line[s:e]...)
		w.buf = append(w.buf, colorEnd...)
		last = e
	})
	w.buf = append(w.buf, line[last:]...)
	w.buf = append(w.buf, '\n')
	return true
}
