package search

import (
	"bytes"
	"regexp/syntax"
	"slices"
	"unicode"
	"unicode/utf8"
)

// A dfa finds where the earliest match of a pattern ends, a byte a step, building its states
// from the pattern's program as the text needs them (a lazy DFA): the search for patterns that
// offer no bytes to scan for, which regexp's NFA runs at tens of nanoseconds a byte. It answers
// "where does the first match end", not which match regexp prefers; the caller turns that end into
// a place from which regexp finds the match a few bytes later (see Searcher.regexpFrom).
//
// Over ASCII bytes it is exact. A byte from 0x80 up is part of a character that a rune
// instruction may or may not match; the dfa does not decode it, but lets each instruction that
// matches some character from U+0080 up (., [^a], é, (?i)k with its Kelvin sign) take any run
// of such bytes, ending the character after each one. That is more than regexp matches, never
// less: a character of several bytes, and an invalid byte (one character to regexp), are such
// runs, and assertions see each of their bytes as regexp sees the character, as neither a word
// character nor a newline. So every match regexp finds is a match here, ending at the same
// byte; matches here that regexp would not report only end earlier, which the caller allows
// (and which, over ASCII text, are empty ones inside a multi-byte character).
//
// A state is the set of program instructions waiting to read the next byte (a new thread at
// every position: the search is unanchored), with what the byte before was: assertions between
// two bytes are resolved when the second is read. An instruction in the middle of a run of
// bytes from 0x80 up is in the set as pc+len(prog.Inst). Each state's transitions are filled in
// as the text takes them; a cache that grows past dfaMaxStates is emptied and rebuilt, and a
// text that keeps emptying it is left to regexp.
type dfa struct {
	*dfaProg
	states []dfaState
	index  map[string]int32     // a state's key → its index
	start  [prevOther + 1]int32 // the start state after each class of byte, or -1 until built
	// trans[nclass*i+class[b]] is state i's transition on b: nclass times the next state's
	// index, times two, plus one if a match ends before b; -1 when not yet known.
	trans   []int32
	flushes int
	scanned int // bytes read, all told
	// skipRow is the row of the start state when few bytes leave it (and no assertion looks at
	// the byte before, which would tell start states apart): there the search skips to the
	// next of them, skipBytes, with skipScan or skipByte (-1 unless one byte). -1 otherwise.
	skipRow    int32
	skipBytes  [256]bool
	skipScan   *setScan
	skipByte   int
	skipPrefix []byte // or the literal prefix every match starts with, if it has two bytes or more
	// Scratch space for building a state: seen[pc] == mark says pc is in the set being built,
	// visited[pc] == mark that the closure has followed pc.
	stack, pcs    []uint32
	seen, visited []uint32
	mark          uint32
}

// dfaProg is what the dfas of one pattern share: its program, and its bytes' classes.
type dfaProg struct {
	prog *syntax.Prog
	// match[pc] for a rune instruction: the ASCII bytes it matches, and every byte from 0x80 up
	// if it matches some character from U+0080 up.
	match [][256]bool
	// class[b] is b's class: bytes of a class are matched by the same instructions and are the
	// same to assertions, so a state needs a transition a class, not a byte (fewer, and closer
	// together in memory). nclass is how many classes there are.
	class  [256]byte
	nclass int
	// noAssert: the program has no assertion, so a state need not know the byte before.
	noAssert bool
	prefix   []byte // a literal that every match starts with, if any
}

type dfaState struct {
	pcs  []uint32 // rune and match instructions, and those that follow assertions, in no order
	prev byte     // what the byte before was: prevStart, prevWord, prevNewline or prevOther
}

const (
	prevStart = iota
	prevWord
	prevNewline
	prevOther

	dfaMaxInsts = 4096
)

// dfaMaxStates is how many states a dfa keeps (at most 4 MiB of transitions); a variable for
// the tests of its emptying.
var dfaMaxStates = 4096

// compileDFA returns the program of tree, with its byte classes, if a dfa can run it, or nil.
// prefix is a literal that every match starts with, or empty.
func compileDFA(tree *syntax.Regexp, prefix string) *dfaProg {
	prog, err := syntax.Compile(tree.Simplify())
	if err != nil || len(prog.Inst) > dfaMaxInsts {
		return nil
	}
	p := &dfaProg{prog: prog, match: make([][256]bool, len(prog.Inst)), noAssert: true, prefix: []byte(prefix)}
	for pc := range prog.Inst {
		inst := &prog.Inst[pc]
		switch inst.Op {
		case syntax.InstEmptyWidth:
			p.noAssert = false
		case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
			for b := range rune(utf8.RuneSelf) {
				p.match[pc][b] = inst.MatchRune(b)
			}
			if inst.Op != syntax.InstRune && inst.Op != syntax.InstRune1 || !asciiOnly(inst) {
				for b := utf8.RuneSelf; b < 256; b++ {
					p.match[pc][b] = true
				}
			}
		}
	}
	// Bytes from 0x80 up are one class: step treats them alike.
	classes := make(map[string]byte)
	for b := range 256 {
		sig := []byte{prevClass(byte(b)), byte(b >> 7)}
		for pc := range p.match {
			if p.match[pc][b] && b < utf8.RuneSelf {
				sig = append(sig, byte(pc), byte(pc>>8))
			}
		}
		c, ok := classes[string(sig)]
		if !ok {
			c = byte(len(classes))
			classes[string(sig)] = c
		}
		p.class[b] = c
	}
	p.nclass = len(classes)
	return p
}

// asciiOnly reports whether the rune instruction matches no character from U+0080 up.
func asciiOnly(inst *syntax.Inst) bool {
	if len(inst.Rune) == 1 {
		if inst.Rune[0] >= utf8.RuneSelf {
			return false
		}
	} else {
		for i := 1; i < len(inst.Rune); i += 2 {
			if inst.Rune[i] >= utf8.RuneSelf {
				return false
			}
		}
	}
	if syntax.Flags(inst.Arg)&syntax.FoldCase != 0 {
		for b := range rune(utf8.RuneSelf) {
			if !inst.MatchRune(b) {
				continue
			}
			for f := unicode.SimpleFold(b); f != b; f = unicode.SimpleFold(f) {
				if f >= utf8.RuneSelf {
					return false
				}
			}
		}
	}
	return true
}

func newDFA(p *dfaProg) *dfa {
	n := len(p.prog.Inst)
	d := &dfa{dfaProg: p, seen: make([]uint32, 2*n), visited: make([]uint32, 2*n)}
	d.reset()
	return d
}

func (d *dfa) reset() {
	d.states = d.states[:0]
	d.trans = d.trans[:0]
	d.index = make(map[string]int32)
	d.start = [...]int32{-1, -1, -1, -1}
	d.skipRow = -1
}

// skipThreshold is how often at most the bytes that leave the start state may come for the
// search to skip to them: each skip costs some 20 nanoseconds, a step of the dfa 2 or 3.
const skipThreshold = 1.0 / 16

// startState returns the start state after a byte of class prev, building it if need be; a new
// start state of a program without assertions gets its transitions at once, and the search
// skips over the bytes that keep it there if the others are rare.
func (d *dfa) startState(prev byte) int32 {
	if d.noAssert {
		prev = prevOther // one start state, built and weighed once
	}
	if d.start[prev] >= 0 {
		return d.start[prev]
	}
	i := d.state([]uint32{uint32(d.prog.Start)}, prev)
	d.start[prev] = i
	if !d.noAssert {
		return i
	}
	nc := int32(d.nclass)
	var leave [256]bool // by class
	var rep [256]int    // a byte of each class
	for b := 255; b >= 0; b-- {
		rep[d.class[b]] = b
	}
	for c := range d.nclass {
		b := rep[c]
		next, matched := d.step(i, byteRune(byte(b)), b)
		t := 2 * nc * next
		if matched {
			t++
		}
		d.trans[nc*i+int32(c)] = t
		leave[c] = next != i || matched
	}
	d.skipBytes = [256]bool{}
	var set byteSet
	f := 0.0
	for b := range 256 {
		if leave[d.class[b]] {
			d.skipBytes[b] = true
			set.add(byte(b))
			f += byteFreq(byte(b))
		}
	}
	d.skipByte, d.skipScan, d.skipPrefix = -1, nil, nil
	switch {
	case len(d.prefix) >= 2:
		// No match starts before the next occurrence of the prefix, which the vector scan for
		// its first bytes (or bytes.Index) finds several bytes at a time.
		d.skipRow = nc * i
		if haveSetScanVector && !noSetScan {
			scan := litScan(d.prefix[:min(setScanMax, len(d.prefix))])
			d.skipScan = &scan
		} else {
			d.skipPrefix = d.prefix
		}
		return i
	case f > skipThreshold:
		return i
	}
	d.skipRow = nc * i
	if l := set.list(); len(l) == 1 {
		d.skipByte = int(l[0])
	} else if haveSetScanVector && !noSetScan {
		d.skipScan = newSetScan([]byteSet{set})
	}
	return i
}

// skip returns the first position from pos on of a byte that leaves the start state, or
// len(text).
func (d *dfa) skip(text []byte, pos int) int {
	var i int
	switch {
	case d.skipPrefix != nil:
		if i = bytes.Index(text[pos:], d.skipPrefix); i >= 0 {
			i += pos
		}
	case d.skipByte >= 0:
		if i = bytes.IndexByte(text[pos:], byte(d.skipByte)); i >= 0 {
			i += pos
		}
	case d.skipScan != nil:
		// A start q needs text[q : q+k].
		if i = -1; pos <= len(text)-d.skipScan.k {
			i = d.skipScan.index(text, pos, len(text)-d.skipScan.k+1)
		}
	default:
		if i = indexTable(text[pos:], &d.skipBytes); i >= 0 {
			i += pos
		}
	}
	if i < 0 {
		return len(text)
	}
	return i
}

// state returns the index of the state with pcs and prev, adding it if new; it sorts pcs.
func (d *dfa) state(pcs []uint32, prev byte) int32 {
	if d.noAssert {
		prev = prevOther
	}
	slices.Sort(pcs)
	key := make([]byte, 0, 1+4*len(pcs))
	key = append(key, prev)
	for _, pc := range pcs {
		key = append(key, byte(pc), byte(pc>>8), byte(pc>>16), byte(pc>>24))
	}
	if i, ok := d.index[string(key)]; ok {
		return i
	}
	i := int32(len(d.states))
	d.states = append(d.states, dfaState{pcs: append([]uint32(nil), pcs...), prev: prev})
	d.index[string(key)] = i
	for range d.nclass {
		d.trans = append(d.trans, -1)
	}
	return i
}

// prevClass is what a byte is to the assertions after it.
func prevClass(b byte) byte {
	switch {
	case b == '\n':
		return prevNewline
	case b < utf8.RuneSelf && syntax.IsWordChar(rune(b)):
		return prevWord
	}
	return prevOther
}

// classRune is a character of the class, as syntax.EmptyOpContext takes it.
var classRune = [...]rune{prevStart: -1, prevWord: 'a', prevNewline: '\n', prevOther: ' '}

// byteRune is b as a character to the assertions before it: a byte from 0x80 up stands for a
// character that is neither a word character nor a newline.
func byteRune(b byte) rune {
	if b < utf8.RuneSelf {
		return rune(b)
	}
	return utf8.RuneError
}

// step computes state i's transition on the next character r (-1 at the end of the text): the
// rune instructions that the assertions between the two let through take r, if it is a byte
// b >= 0, into the next state; matched says a match ends before r.
func (d *dfa) step(i int32, r rune, b int) (next int32, matched bool) {
	st := &d.states[i]
	flags := syntax.EmptyOpContext(classRune[st.prev], r)
	d.mark++
	if d.mark == 0 {
		clear(d.seen)
		clear(d.visited)
		d.mark = 1
	}
	d.pcs = d.pcs[:0]
	if b >= 0 {
		// A new thread starts at the next byte: the search is unanchored.
		d.add(uint32(d.prog.Start))
	}
	d.stack = append(d.stack[:0], st.pcs...)
	n := uint32(len(d.prog.Inst))
	for len(d.stack) > 0 {
		pc := d.stack[len(d.stack)-1]
		d.stack = d.stack[:len(d.stack)-1]
		if d.visited[pc] == d.mark {
			continue
		}
		d.visited[pc] = d.mark
		if pc >= n {
			// In a run of bytes from 0x80 up: another such byte goes on with it, or ends it.
			if b >= utf8.RuneSelf {
				d.add(pc)
				d.add(d.prog.Inst[pc-n].Out)
			}
			continue
		}
		inst := &d.prog.Inst[pc]
		switch inst.Op {
		case syntax.InstAlt, syntax.InstAltMatch:
			d.stack = append(d.stack, inst.Out, inst.Arg)
		case syntax.InstNop, syntax.InstCapture:
			d.stack = append(d.stack, inst.Out)
		case syntax.InstEmptyWidth:
			if syntax.EmptyOp(inst.Arg)&^flags == 0 {
				d.stack = append(d.stack, inst.Out)
			}
		case syntax.InstMatch:
			matched = true
		case syntax.InstRune, syntax.InstRune1, syntax.InstRuneAny, syntax.InstRuneAnyNotNL:
			if b >= 0 && d.match[pc][b] {
				d.add(inst.Out)
				if b >= utf8.RuneSelf {
					d.add(pc + n)
				}
			}
		}
	}
	if b < 0 {
		return -1, matched
	}
	return d.state(d.pcs, prevClass(byte(b))), matched
}

// add puts pc in the set being built, once.
func (d *dfa) add(pc uint32) {
	if d.seen[pc] != d.mark {
		d.seen[pc] = d.mark
		d.pcs = append(d.pcs, pc)
	}
}

// earliestEnd returns the least e >= at such that a match of the program in the window
// text[start:] that starts at or after at ends at e, or -1 if none does; ok is false if the
// cache would not hold the states this text takes, and the caller must search without it.
func (d *dfa) earliestEnd(text []byte, start, at int) (e int, ok bool) {
	prev := byte(prevStart)
	if at > start {
		prev = prevClass(text[at-1])
	}
	nc := int32(d.nclass)
	row := nc * d.startState(prev)
	trans, class := d.trans, &d.class
	for pos := at; pos < len(text); pos++ {
		if row == d.skipRow {
			if pos = d.skip(text, pos); pos == len(text) {
				break
			}
		}
		b := text[pos]
		t := trans[row+int32(class[b])]
		if t&1 == 0 {
			row = t >> 1
			continue
		}
		if t < 0 {
			cur := row / nc
			if len(d.states) >= dfaMaxStates {
				// Empty the cache and go on from the current state, unless the texts keep
				// filling it faster than one state in 16 bytes read.
				d.flushes++
				if d.scanned+pos-at < 16*dfaMaxStates*d.flushes {
					return 0, false
				}
				st := d.states[cur]
				d.reset()
				cur = d.state(st.pcs, st.prev)
			}
			next, matched := d.step(cur, byteRune(b), int(b))
			t = 2 * nc * next
			if matched {
				t++
			}
			trans = d.trans
			trans[nc*cur+int32(class[b])] = t
			if t&1 == 0 {
				row = t >> 1
				continue
			}
		}
		d.scanned += pos - at
		return pos, true
	}
	d.scanned += len(text) - at
	if _, matched := d.step(row/nc, -1, -1); matched {
		return len(text), true
	}
	return -1, true
}
