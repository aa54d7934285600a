package search

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/bits"
	"reflect"
	"regexp"
	"regexp/syntax"
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// How a Plan finds the next match.
const (
	useRegexp = iota // the regexp's own search
	useShape         // scan for the rarest of the sets the first bytes of a match come from
	useInner         // scan for a literal every match holds, and search the run of bytes around it
	useEager         // leftmost-longest: every match found in one pass, the first time
	useLines         // (?m)^ leads every match: try each line's start
	useLinear        // matches are dense: the linear matcher tries each start itself
)

// Plan is how to search for one regexp, chosen once from its syntax tree. A Plan is immutable and
// safe for concurrent use; the state of one search lives in a [Searcher].
type Plan struct {
	re       *regexp.Regexp
	strategy int            // useEager, or useRegexp when the regexp can be searched from any position
	lookBack bool           // re has ^, \A, \b or \B: the character before a position matters
	anchored *regexp.Regexp // \A(?:re): the match that starts at a position, if any
	// For lookBack: the same with the character before the position consumed as context.
	withCtx, anchoredCtx *regexp.Regexp // (?s:.)(re) and \A(?s:.)(re)
	// giveUp weighs a failed verification in bytes of text that the regexp's own search would
	// scan in the same time; see Searcher.miss.
	giveUp int
	// maxShape and maxInner are the thresholds of the strategies, in candidates expected per
	// byte of text: above them the verifications cost more than regexp's own search saves.
	maxShape, maxInner float64
	// maxWidth is the most bytes a match spans, or -1 if unbounded: how far a failed
	// verification may have looked.
	maxWidth int

	// shape: every match is at least len(shape) bytes long and its byte i is in shape[i].
	shape []byteSet
	// lits are the literals every match holds.
	lits []innerLit

	static choice // the strategy chosen by ByteRank, for texts too small to sample
	// linear, if not nil, verifies a candidate instead of anchored: the pattern is a
	// concatenation of repeated ASCII sets, with captures around runs of them.
	linear *linear
	// alternation, if not nil, verifies a candidate instead of anchored: the pattern has no
	// captures and is a list of ASCII literals.
	alternation *alternation

	all     byteSet // the bytes of a whole match
	bounded bool    // a match lies within a run of all's bytes and no $ or \z looks past it
	// lineStart: every match starts where (?m)^ holds, at the window's start or after a '\n'.
	lineStart bool
	// dfaProg, if not nil, is the program a dfa runs to find where regexp's search from a
	// position need start, unless regexp has a rare literal prefix to scan for.
	dfaProg *dfaProg
	prefix  string // regexp's literal prefix
	// rarePrefix: the prefix is expected less often than once in 1/dfaPrefixFreq bytes, so
	// that regexp's scan for it beats the dfa, unless a text's sample says otherwise.
	rarePrefix bool
}

// plans caches the Plan of each regexp seen lately: Search is often called many times with one
// regexp. The cache is emptied when it grows large, so that it does not keep regexps alive.
var (
	plans     sync.Map // *regexp.Regexp → *Plan
	planCount atomic.Int64
)

const maxPlans = 256

// For returns the Plan for re, from a cache or new.
func For(re *regexp.Regexp) *Plan {
	if p, ok := plans.Load(re); ok {
		// Longest may have been called on re since: then its Plan is a new one.
		if p := p.(*Plan); p.strategy == useEager || !longest(re) {
			return p
		}
	}
	p := Compile(re)
	if planCount.Add(1) > maxPlans {
		plans.Clear()
		planCount.Store(0)
	}
	plans.Store(re, p)
	return p
}

// Compile analyses re and returns its Plan. A regexp from CompilePOSIX, or one whose Longest was
// called, gets a Plan that finds all matches at once with re itself: its source cannot be
// recompiled with the same semantics (CompilePOSIX parses ^ as a line start, and has no (?s)).
func Compile(re *regexp.Regexp) *Plan {
	p := &Plan{re: re, strategy: useEager}
	if longest(re) {
		return p
	}
	// regexp.Compile parses with syntax.Perl, so this is the tree re was compiled from.
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return p
	}
	// Wrap the parsed tree rather than the source text: a trailing \Q without \E in the source
	// would swallow a closing parenthesis.
	src := tree.String()
	p.anchored, err = regexp.Compile(`\A(?:` + src + `)`)
	if err != nil || p.anchored.NumSubexp() != re.NumSubexp() {
		return p
	}
	if p.lookBack = looksBack(tree); p.lookBack {
		p.withCtx, err = regexp.Compile(`(?s:.)(` + src + `)`)
		if err != nil || p.withCtx.NumSubexp() != re.NumSubexp()+1 {
			return p
		}
		if p.anchoredCtx, err = regexp.Compile(`\A(?s:.)(` + src + `)`); err != nil {
			return p
		}
	}
	p.strategy = useRegexp
	// regexp's NFA runs at 20-40 ns a byte; a verification by regexp costs about 200 ns, one by
	// the linear matcher a few tens. regexp scans for a literal prefix of its own with
	// bytes.Index, which is much faster than its NFA: then a prefilter must filter harder.
	p.giveUp = 16
	p.maxShape, p.maxInner = 1.0/8, 1.0/16
	if prefix, _ := re.LiteralPrefix(); prefix != "" {
		p.giveUp = 256
		p.maxShape, p.maxInner = 1.0/16, 1.0/64
	}
	p.maxWidth = maxWidth(tree)
	p.prefix, _ = re.LiteralPrefix()
	p.rarePrefix = prefixFreq(p.prefix) <= dfaPrefixFreq
	p.dfaProg = compileDFA(tree, p.prefix)
	bytesOf(tree, &p.all)
	p.bounded = !p.all.full() && !hasOp(tree, syntax.OpEndText)
	p.lineStart = startsWith(tree, syntax.OpBeginLine)
	p.analyse(tree)
	return p
}

// dfaPrefixFreq is how common a literal prefix must be for the dfa to search instead of regexp:
// regexp finds each occurrence of its prefix fast, and then runs its NFA from it, at a cost of a
// hundred nanoseconds or more, which the dfa spends on a hundred bytes.
const dfaPrefixFreq = 1.0 / 256

// prefixFreq is how often a literal prefix is expected at a byte of text: 1 for none.
func prefixFreq(prefix string) float64 {
	f := 1.0
	for i := range len(prefix) {
		f *= byteFreq(prefix[i])
	}
	return f
}

const (
	// Below this a shape's candidates are too rare for an inner literal to save anything: a
	// shape's verification is the cheaper one.
	minShapeDensity = 1e-5
)

// choice is a strategy for one text, with what its scan looks for.
type choice struct {
	strategy  int
	scanAt    int        // useShape: the position whose set is scanned for
	scanBytes []byte     // useShape: shape[scanAt]'s members when few enough for IndexByte each
	scanTable *[256]bool // useShape: shape[scanAt] otherwise
	// useShape, pairDist > 0: scan for pairBytes[0] at scanAt and pairBytes[1] at
	// scanAt+pairDist at once, when every single byte is common.
	pairDist  int
	pairBytes [2]byte
	// useShape, set != nil: scan for the sets of shape[scanAt:] with the vector set scan.
	set *setScan
	// useShape, skip != nil: find candidates with indexShape.
	skip    *[256]uint8
	uniform bool      // every position of the shape has the same set
	lit     *innerLit // useInner: the literal scanned for
	litRare int       // useInner: the byte of lit that IndexByte looks for
	// useInner, litPairDist > 0: scan for the bytes of lit at litPairAt and litPairAt+litPairDist
	// with indexPair.
	litPairAt, litPairDist int
	// useInner, litSet != nil: scan for lit[litSetAt:] with the vector set scan.
	litSet   *setScan
	litSetAt int
}

// setScanCost is the vector set scan's cost for sets, in nanoseconds a byte of text: one
// comparison a position where every set has one byte, two where sets have two, table lookups
// otherwise.
func setScanCost(sets []byteSet) float64 {
	most := 0
	for i := range sets {
		most = max(most, sets[i].count())
	}
	switch most {
	case 1:
		return 0.035
	case 2:
		return 0.05
	}
	return 0.035 * float64(len(sets))
}

// litSetScan returns the vector set scan for the window of up to setScanMax bytes of lit whose
// bytes together are rarest, where it is to be had, with its start in lit and its cost in
// nanoseconds a byte of text, as decide weighs them.
func litSetScan(lit []byte, freq *[256]float64) (at int, set *setScan, cost float64) {
	if !haveSetScanVector || noSetScan || len(lit) < 2 {
		return 0, nil, 0
	}
	at, f := rarestWindow(lit, func(b byte) float64 { return freq[b] })
	set = new(setScan)
	*set = litScan(lit[at : at+min(setScanMax, len(lit))])
	return at, set, 0.035 + 16*f // a comparison a position: as fast as IndexByte
}

// analyse finds the shape and the inner literal of the tree, and the strategy ByteRank suggests.
func (p *Plan) analyse(tree *syntax.Regexp) {
	p.shape, _ = shape(tree)
	p.lits = innerLiterals(tree)
	if p.re.NumSubexp() == 0 {
		p.alternation = compileAlternation(tree)
	}
	if p.alternation == nil {
		p.linear = compileLinear(tree)
	}
	var freq [256]float64
	for b := range freq {
		freq[b] = byteFreq(byte(b))
	}
	p.static = p.decide(&freq, nil)
}

// decide picks the strategy with the fewest expected verifications, if one is rare enough, given
// the frequency of each byte value in the text; sample, if not nil, is a piece of the text.
func (p *Plan) decide(freq *[256]float64, sample []byte) choice {
	c := choice{strategy: useRegexp}
	best := math.Inf(1)
	if len(p.shape) > 0 {
		// Costs in nanoseconds per byte of text: IndexByte runs at memory speed for each of up
		// to three bytes, a table scan at about a byte a nanosecond, the pair scan at a few
		// bytes a nanosecond; each hit costs a call and a check of the shape.
		const hitCost = 16
		density := 1.0
		bestAt, bestCost := 0, math.Inf(1)
		pair, pairF := [2]int{-1, -1}, [2]float64{2, 2} // the two rarest single-byte positions
		for i := range p.shape {
			f := p.shape[i].weigh(freq)
			density *= f
			n := p.shape[i].count()
			cost := 1 + hitCost*f
			if n <= 3 {
				cost = 0.07*float64(n) + hitCost*f
			}
			if cost < bestCost {
				bestAt, bestCost = i, cost
			}
			switch {
			case n != 1:
			case f < pairF[0]:
				pair[1], pairF[1] = pair[0], pairF[0]
				pair[0], pairF[0] = i, f
			case f < pairF[1]:
				pair[1], pairF[1] = i, f
			}
		}
		usePair := pair[1] >= 0 && 0.3+hitCost*pairF[0]*pairF[1] < bestCost && !noPair
		// The vector set scan looks at up to setScanMax consecutive positions at once, at
		// 10-30 bytes a nanosecond: the choice when every single position is common.
		// A wider window finds fewer false candidates, and costs more a position with tables.
		setAt, setK, setCost := -1, 0, math.Inf(1)
		if haveSetScanVector && !noSetScan {
			for k := min(2, len(p.shape)); k <= min(setScanMax, len(p.shape)); k++ {
				for w := 0; w+k <= len(p.shape); w++ {
					f := 1.0
					for i := range k {
						f *= p.shape[w+i].weigh(freq)
					}
					if cost := setScanCost(p.shape[w:w+k]) + hitCost*f; cost < setCost {
						setAt, setK, setCost = w, k, cost
					}
				}
			}
		}
		useSet := setAt >= 0 && setCost < bestCost && (!usePair || setCost < 0.3+hitCost*pairF[0]*pairF[1])
		if sample != nil {
			// The bytes of a match are not independent ("GET /" is on every line of a log):
			// count the candidates instead.
			density = (float64(p.countFits(sample)) + 0.5) / float64(len(sample))
		}
		if density <= p.maxShape {
			best = density
			c.strategy = useShape
			c.scanAt = bestAt
			set := &p.shape[bestAt]
			k := len(p.shape)
			uniform := true
			for i := range p.shape {
				uniform = uniform && p.shape[i] == p.shape[0]
			}
			// Skipping by the shape's last byte reads a fraction of the bytes when it applies,
			// about one in 1+(k-1)(1-w) for a last set of weight w, at a nanosecond each: the
			// set scan must find candidates rare to beat it.
			lastW := p.shape[k-1].weigh(freq)
			skip := !usePair && set.count() > 3 && k >= 4 && (uniform || lastW < 0.5)
			skipCost := 1/(1+float64(k-1)*(1-lastW)) + hitCost*density
			if useSet && (!skip || setCost < skipCost) {
				usePair = false
				c.scanAt = setAt
				c.set = newSetScan(p.shape[setAt : setAt+setK])
			} else if skip {
				// A table scan would stop at nearly every byte: skip instead, as Horspool's
				// search does, by the byte at the shape's last position.
				c.skip = p.skipTable()
				c.uniform = uniform
			} else if usePair {
				a, b := min(pair[0], pair[1]), max(pair[0], pair[1])
				c.scanAt, c.pairDist = a, b-a
				c.pairBytes = [2]byte{p.shape[a].list()[0], p.shape[b].list()[0]}
			} else if set.count() <= 3 {
				c.scanBytes = set.list()
			} else {
				c.scanTable = new([256]bool)
				for _, b := range set.list() {
					c.scanTable[b] = true
				}
			}
		}
	}
	for i, l := range p.lits {
		f := 1.0
		for _, b := range l.lit {
			f *= freq[b]
		}
		if sample != nil {
			f = (float64(bytes.Count(sample, l.lit)) + 0.5) / float64(len(sample))
		}
		// A verification searches a run of text, not one position: it weighs four times more.
		if f <= p.maxInner && 4*f < best && best > minShapeDensity {
			best = 4 * f
			c.strategy = useInner
			c.lit = &p.lits[i]
			c.litRare = Rarest(l.lit, sample)
			c.litPairDist = 0
			c.litSet, c.litSetAt = nil, 0
			if at, set, cost := litSetScan(l.lit, freq); set != nil && cost < 0.035+16*freq[l.lit[c.litRare]] {
				// Scanning for a few of its bytes at once beats scanning for its rarest alone.
				c.litSet, c.litSetAt = set, at
			} else if len(l.lit) >= 2 && freq[l.lit[c.litRare]] > pairMinFreq && !noPair {
				// Every byte of the literal is common: scan for its two rarest at once.
				other := -1
				for j, b := range l.lit {
					if j != c.litRare && (other < 0 || freq[b] < freq[l.lit[other]]) {
						other = j
					}
				}
				c.litPairAt, c.litPairDist = min(c.litRare, other), max(c.litRare, other)-min(c.litRare, other)
			}
		}
	}
	if p.lineStart {
		// Lines are rarer than most single bytes: some 80 bytes long in text and logs.
		f := 1.0 / 80
		if sample != nil {
			f = (float64(bytes.Count(sample, []byte{'\n'})) + 0.5) / float64(len(sample))
		}
		if f <= p.maxShape && f < best {
			c = choice{strategy: useLines}
		}
	}
	return c
}

// startsWith reports whether every match of re starts with the zero-width assertion op.
func startsWith(re *syntax.Regexp, op syntax.Op) bool {
	for {
		switch re.Op {
		case op:
			return true
		case syntax.OpConcat:
			if len(re.Sub) == 0 {
				return false
			}
			re = re.Sub[0]
		case syntax.OpCapture:
			re = re.Sub[0]
		default:
			return false
		}
	}
}

// countFits returns how many positions of b the shape fits.
func (p *Plan) countFits(b []byte) int {
	n := 0
	for i := 0; i+len(p.shape) <= len(b); i++ {
		if p.fits(b[i : i+len(p.shape)]) {
			n++
		}
	}
	return n
}

// pairMinFreq is how common a literal's rarest byte must be for the pair scan to beat IndexByte.
const pairMinFreq = 0.015

// noPair and noSetScan turn the pair scan and the vector set scan off, for benchmarks and
// tests that measure or check the other scans.
var noPair, noSetScan bool

// linearScanAlways has the linear matcher try each start wherever it can, over texts of any
// size, for tests that check that strategy.
var linearScanAlways bool

// sampleMin is the text from which a Searcher counts the bytes of a sample to choose its
// strategy: the same pattern wants a different scan in a log than in prose.
const sampleMin = 1 << 20

// choose replaces the static choice with one from the bytes of text[at:at+sampleSize], if the
// text is large enough to pay for counting them.
func (s *Searcher) choose(text []byte, at int) {
	s.chosen = true
	if s.p.strategy != useRegexp {
		return
	}
	if linearScanAlways && s.c.strategy == useRegexp && s.p.linear != nil && s.p.linear.nonEmpty {
		s.c = choice{strategy: useLinear}
		return
	}
	if len(text)-at < sampleMin {
		return
	}
	sample := text[at : at+sampleSize]
	var count [256]int
	for _, b := range sample {
		count[b]++
	}
	var freq [256]float64
	for b, n := range count {
		freq[b] = (float64(n) + 0.5) / float64(len(sample))
	}
	s.c = s.p.decide(&freq, sample)
	if s.p.prefix != "" {
		// Words are not independent bytes: "the" is in every 60 bytes of English.
		s.noDFA = float64(bytes.Count(sample, []byte(s.p.prefix))) <= dfaPrefixFreq*float64(len(sample))
	}
	if s.c.strategy == useRegexp && s.p.linearWins(sample) {
		s.c = choice{strategy: useLinear}
	}
}

// Costs in nanoseconds that linearWins weighs, fitted to FindAll's times over English text: a
// step of the linear matcher; a byte of the dfa's search, and the stop at each match it
// finds; a byte of regexp's NFA, and a regexp call a match, for a pattern without a dfa.
const (
	linearStepNs           = 6
	dfaByteNs, dfaMatchNs  = 4, 20
	nfaByteNs, regexpMatch = 30, 300
)

// linearWins reports whether the linear matcher, trying each start of sample itself, finds its
// matches for less than the dfa would, whose earliest end of each match leaves the linear
// matcher only the starts before it to try (or regexp's NFA, without a dfa). Where matches are
// dense the dfa stops at every one, and the linear matcher reads the run back to its start.
func (p *Plan) linearWins(sample []byte) bool {
	if p.linear == nil || !p.linear.nonEmpty {
		return false // find needs matches that are never empty
	}
	var a locs
	matches, steps := 0, 0
	for at := 0; at < len(sample); {
		loc, ok, n := p.linear.find(sample, 0, at, len(sample), &a)
		steps += n
		if !ok {
			return false
		}
		if loc == nil {
			break
		}
		matches++
		at = loc[1]
	}
	linearNs := float64(steps * linearStepNs)
	if p.dfaProg == nil {
		return linearNs < float64(len(sample)*nfaByteNs+matches*regexpMatch)
	}
	d := newDFA(p.dfaProg)
	dfaNs := 0.0
	for at := 0; at < len(sample) && dfaNs < linearNs; {
		e, ok := d.earliestEnd(sample, 0, at)
		if !ok {
			return linearNs < float64(len(sample)*nfaByteNs+matches*regexpMatch)
		}
		if e < 0 {
			dfaNs += float64((len(sample) - at) * dfaByteNs)
			break
		}
		loc, _, n := p.linear.find(sample, 0, p.earliestStart(sample, 0, at, e), e, &a)
		dfaNs += float64((e-at)*dfaByteNs + n*linearStepNs + dfaMatchNs)
		if loc == nil {
			at = e + 1 // a match the dfa made up: go on past it
			continue
		}
		at = loc[1]
	}
	return linearNs < dfaNs
}

// Searcher is one search with a Plan: FindAll's, or Search's. It keeps what earlier steps
// learned. A Searcher is not safe for concurrent use.
type Searcher struct {
	p               *Plan
	c               choice
	chosen          bool // c is chosen
	off             bool // the prefilter missed too often: use the regexp alone
	misses, scanned int
	looked          int // bytes that failed verifications may have looked at
	// useShape with scanBytes: next[i] is where scanBytes[i] next occurs at or after the last
	// scan's start (MaxInt: nowhere before nextTo), or -1 when not known.
	next   [3]int
	nextTo int
	// [runFrom, runEnd) holds only bytes in all, and text[runEnd] is not one.
	runFrom, runEnd int
	// [lineFrom, lineEnd) holds no '\n', and text[lineEnd] is one.
	lineFrom, lineEnd int
	eager             [][]int // useEager: the matches not yet returned
	eagerDone         bool
	firstDone         bool // useEager: the first match was found alone
	locs              locs
	dfa               *dfa // built at its first use
	noDFA             bool // the dfa gave up, Off was called, or regexp's prefix is rare
}

// locs hands out the slices of the matches that the linear matcher and the alternation find,
// carved from chunks that double from one match's ints up to locChunkMax: a search that yields
// one match allocates one slice, and one that yields a million allocates a few thousand times
// instead of a million. Each slice has its own memory and a capacity of its length, so it
// belongs to the caller as a fresh one would; one that the caller keeps holds its chunk, at most
// locChunkMax ints, in memory.
type locs struct {
	// chunk[used:] is free. Taking from it writes no pointer, which costs a write barrier
	// while the collector marks.
	chunk []int
	used  int
	pos   []int // where the linear matcher's items started in its last match, for captures
	// The branch of an alternation of sequences whose match from branchAt-1 to branchEnd the
	// linear matcher found last (branchAt 0: none).
	branch, branchAt, branchEnd int
}

const locChunkMax = 128

// take returns a slice of n ints that starts with q and end, from a's chunk, or freshly
// allocated if a is nil.
func (a *locs) take(q, end, n int) []int {
	var loc []int
	if a == nil {
		loc = make([]int, n)
	} else {
		if len(a.chunk)-a.used < n {
			a.chunk = make([]int, max(min(2*len(a.chunk)+n, locChunkMax), n))
			a.used = 0
		}
		loc = a.chunk[a.used : a.used+n : a.used+n]
		a.used += n
	}
	loc[0], loc[1] = q, end
	return loc
}

// Searcher returns a new search with p.
func (p *Plan) Searcher() *Searcher {
	return &Searcher{noDFA: p.rarePrefix, p: p, c: p.static, next: [3]int{-1, -1, -1}, runFrom: -1, runEnd: -1, lineFrom: -1, lineEnd: -1}
}

// Next returns the leftmost match of the regexp that starts at or after at in the window
// text[start:], as submatch index pairs with offsets into text, or nil. The regexp sees the
// window as its whole text: ^ and \A match at start, $ and \z at len(text), and at later
// positions assertions see the text before them. It is the match that re.FindSubmatchIndex
// finds when run over the window from at with that context: repeated from the end of each match
// (and one character past an empty one, dropping an empty match that touches the previous one),
// Next yields exactly re.FindAllSubmatchIndex(text[start:], -1), shifted by start. at must be at a
// character boundary of the window's UTF-8 decoding (regexp's: an invalid byte is one
// character). For a leftmost-longest regexp the first call finds every match; the text must not
// change between calls then, and for the prefilters a change ahead of at may go unseen.
func (s *Searcher) Next(text []byte, start, at int) []int {
	p := s.p
	if p.strategy == useEager {
		return s.nextEager(text, start, at)
	}
	if !s.chosen {
		s.choose(text, at)
	}
	if !s.off && s.c.strategy != useRegexp {
		var loc []int
		var done bool
		switch s.c.strategy {
		case useShape:
			loc, done = s.shapeNext(text, start, at)
		case useLines:
			loc, done = s.lineNext(text, start, at)
		case useLinear:
			// Over text the sample did not foresee, starts that each cost many steps make find
			// give up, and leave the text to the dfa and regexp.
			loc, done, _ = s.p.linear.find(text, start, at, len(text), &s.locs)
		default:
			loc, done = s.innerNext(text, start, at)
		}
		if done {
			return loc
		}
		s.off = true
	}
	return s.regexpFrom(text, start, at)
}

// Off turns the prefilters off: from now on Next runs the regexp alone, which reads no further
// into the text than the match it returns (or, finding none, the end of the text).
func (s *Searcher) Off() { s.off, s.noDFA = true, true }

// dfaMinText is the least text left after at for which regexpFrom runs the dfa: over less,
// regexp's backtracker is about as fast, and builds nothing.
var dfaMinText = 1024

// regexpFrom is p.from, but where the pattern has a dfa it first finds where the earliest match
// from at ends, reading the text at a byte a step, and has regexp start just before that: no
// match starts more than maxWidth bytes before the earliest end, or before the run of bytes of
// all that leads up to it.
func (s *Searcher) regexpFrom(text []byte, start, at int) []int {
	p := s.p
	if p.dfaProg != nil && !s.noDFA && len(text)-at >= dfaMinText {
		if s.dfa == nil {
			s.dfa = newDFA(p.dfaProg)
		}
		e, ok := s.dfa.earliestEnd(text, start, at)
		switch {
		case !ok:
			s.noDFA = true
		case e < 0:
			return nil
		default:
			at = p.earliestStart(text, start, at, e)
			if p.linear != nil && p.linear.nonEmpty {
				// The leftmost match starts in [at, e] (unless the dfa's end is one that a
				// character from U+0080 up made up): the linear matcher tries those starts
				// for a fraction of a regexp call, whose NFA is slow over long repetitions.
				if loc, ok, _ := p.linear.find(text, start, at, e, &s.locs); ok && loc != nil {
					return loc
				}
			}
			if p.bounded && (e == len(text) || boundary(text, start, e)) {
				// The leftmost match starts by e and ends by the end of the run of all's bytes
				// around e, as innerNext's do: over the text cut a byte past that run, regexp
				// runs its backtracker instead of its NFA. An end inside a multi-byte
				// character may have no match behind it (an empty one that regexp would not
				// report), and the cut would split that character: those search on, as does
				// one whose match regexp finds at the cut, where the text seems to end.
				runEnd := s.run(text, e)
				loc := p.from(text[:min(len(text), runEnd+1)], start, at, &s.locs)
				if loc != nil && loc[1] <= runEnd {
					return loc
				}
			}
		}
	}
	return p.from(text, start, at, &s.locs)
}

// earliestStart returns the character boundary in [at, e] before which no match that starts at
// or after at begins, given that none ends before e.
func (p *Plan) earliestStart(text []byte, start, at, e int) int {
	floor := at
	if p.maxWidth >= 0 {
		floor = max(at, e-p.maxWidth)
	}
	l := e
	for l > floor && p.all.has(text[l-1]) {
		l--
	}
	for l > at && l < len(text) && !boundary(text, start, l) {
		l--
	}
	return l
}

func (s *Searcher) nextEager(text []byte, start, at int) []int {
	if !s.eagerDone {
		s.eagerDone = true
		if at == start && !s.firstDone {
			// Search wants only this one; FindAll's second call finds them all.
			s.firstDone, s.eagerDone = true, false
			loc := s.p.re.FindSubmatchIndex(text[start:])
			shift(loc, start)
			return loc
		}
		s.eager = s.p.re.FindAllSubmatchIndex(text[start:], -1)
	}
	// The caller asks from the end of the previous match (or one character past an empty one),
	// where Go's FindAll resumed too: the next match at or after at is the next one.
	for len(s.eager) > 0 {
		loc := s.eager[0]
		s.eager = s.eager[1:]
		shift(loc, start)
		if loc[0] >= at {
			return loc
		}
	}
	return nil
}

// miss counts a verification that failed after the prefilter scanned n bytes and reports
// whether the prefilter should give up: when its failed verifications have cost more than
// scanning the text with the regexp alone would have (with an allowance for a slow start). cost
// is in bytes of the regexp's own search: see regexpCost and linearCost. This keeps the work
// within a small factor of the regexp's even where every verification runs to the end of a long
// line and fails.
func (s *Searcher) miss(n, cost int) bool {
	s.misses++
	s.scanned += n
	s.looked += cost
	return s.looked > s.scanned+64*s.p.giveUp
}

// skip returns next, the next start that can match after a miss at q, and counts the starts
// skipped as scanned.
func (s *Searcher) skip(next, q int) int {
	s.scanned += next - (q + 1)
	return next
}

// regexpCost is the cost of a failed verification by regexp that may have looked at up to looked
// bytes: its set-up, and those bytes.
func (p *Plan) regexpCost(looked int) int {
	if p.maxWidth >= 0 {
		looked = min(looked, p.maxWidth)
	}
	return p.giveUp + looked
}

// linearCost is the cost of a failed verification by the linear matcher that took steps steps.
func linearCost(steps int) int { return 1 + steps/4 }

// shapeNext finds the first candidate at or after at whose bytes fit the shape, and returns the
// match that starts there; done is false if it gave up.
func (s *Searcher) shapeNext(text []byte, start, at int) (loc []int, done bool) {
	p := s.p
	k, j := len(p.shape), s.c.scanAt
	last := len(text) - k // the last possible start of a match
	for from := at; from <= last; {
		var q int
		if s.c.skip != nil {
			q = p.indexShape(text, from, last, s.c.skip, s.c.uniform)
		} else if h := s.scan(text, from+j, last+j+1); h >= 0 {
			q = h - j
		} else {
			q = -1
		}
		if q < 0 {
			return nil, true
		}
		loc, next, giveUp := s.verify(text, start, from, q, true)
		if loc != nil || giveUp {
			return loc, !giveUp
		}
		from = next
	}
	return nil, true
}

// lineNext finds the first line start at or after at, and returns the match that starts there;
// done is false if it gave up. Every match starts at a line start, a character boundary.
func (s *Searcher) lineNext(text []byte, start, at int) (loc []int, done bool) {
	for from := at; from <= len(text); {
		q := from
		if q > start && text[q-1] != '\n' {
			i := bytes.IndexByte(text[q:], '\n')
			if i < 0 {
				return nil, true
			}
			q += i + 1
		}
		loc, next, giveUp := s.verify(text, start, from, q, false)
		if loc != nil || giveUp {
			return loc, !giveUp
		}
		from = next
	}
	return nil, true
}

// verify returns the match that starts at the candidate q, found by a scan from from; or nil,
// with the first start after q that can match, or giveUp if the scan's misses have cost more
// than the regexp's own search would. With shaped, q is a candidate of the shape's scan, which
// only the linear matcher and the alternation check as they go.
func (s *Searcher) verify(text []byte, start, from, q int, shaped bool) (loc []int, next int, giveUp bool) {
	p := s.p
	// The linear matcher and the alternation check the shape as they go, and every match they
	// find starts at an ASCII byte (quickMatch leaves wideFirst patterns to the branch below):
	// they need neither fits nor boundary first.
	end, steps, next := p.quickMatch(text, start, q, &s.locs)
	cost := linearCost(steps)
	switch {
	case end == tooLong:
		if shaped && !(p.fits(text[q:q+len(p.shape)]) && boundary(text, start, q)) {
			return nil, q + 1, false
		}
		// As for useInner, a match that starts at q ends by the first byte after it that no
		// match holds: the verification need not look further, and over a short text regexp
		// runs its backtracker, several times faster than its NFA.
		limit := s.lineLimit(text, q)
		loc, steps, next = p.matchAtSteps(text[:limit], start, q, &s.locs)
		if loc != nil {
			s.scanned += q + 1 - from
			return loc, 0, false
		}
		cost = linearCost(steps)
		if steps < 0 {
			cost = p.regexpCost(limit - q)
		}
	case end != noMatch:
		s.scanned += q + 1 - from
		return p.found(text, start, q, end, &s.locs), 0, false
	}
	if s.miss(q+1-from, cost) {
		return nil, 0, true
	}
	return nil, s.skip(next, q), false
}

// fits reports whether b, len(shape) bytes, fits the shape.
func (p *Plan) fits(b []byte) bool {
	for i, set := range p.shape {
		if !set.has(b[i]) {
			return false
		}
	}
	return true
}

// scan returns the index of the first byte in text[from:to] that is in shape[scanAt], or -1.
func (s *Searcher) scan(text []byte, from, to int) int {
	c := &s.c
	if c.set != nil {
		return c.set.index(text, from, to)
	}
	if c.pairDist > 0 {
		return indexPair(text, from, to, c.pairBytes[0], c.pairBytes[1], c.pairDist)
	}
	switch len(c.scanBytes) {
	case 0:
		if i := indexTable(text[from:to], c.scanTable); i >= 0 {
			return from + i
		}
		return -1
	case 1:
		if i := bytes.IndexByte(text[from:to], c.scanBytes[0]); i >= 0 {
			return from + i
		}
		return -1
	}
	// A few bytes: one IndexByte stream each, remembering where each found its byte, so that a
	// rare byte is not looked for again at every hit of a common one.
	if to != s.nextTo {
		s.next, s.nextTo = [3]int{-1, -1, -1}, to
	}
	best := math.MaxInt
	for i, b := range c.scanBytes {
		n := s.next[i]
		if n < from {
			n = math.MaxInt
			if k := bytes.IndexByte(text[from:to], b); k >= 0 {
				n = from + k
			}
			s.next[i] = n
		}
		best = min(best, n)
	}
	if best == math.MaxInt {
		return -1
	}
	return best
}

// skipTable returns, for each byte value c, how far the next candidate is from one whose last
// position holds c, which its set does not have: the least t with c in shape[k-1-t], else k.
func (p *Plan) skipTable() *[256]uint8 {
	k := len(p.shape)
	var t [256]uint8
	for c := range t {
		t[c] = uint8(k)
		for d := 1; d < k; d++ {
			if p.shape[k-1-d].has(byte(c)) {
				t[c] = uint8(d)
				break
			}
		}
	}
	return &t
}

// indexShape returns the first q in [from, last] where the shape fits text[q:], or -1. It looks
// at the byte under the shape's last position first and skips by it as Horspool's search does;
// for a shape of one set repeated (\w{14}), a byte outside the set rules out every start that
// covers it.
func (p *Plan) indexShape(text []byte, from, last int, skip *[256]uint8, uniform bool) int {
	j := len(p.shape) - 1
	for q := from; q <= last; {
		c := text[q+j]
		if !p.shape[j].has(c) {
			q += int(skip[c])
			continue
		}
		i := j - 1
		for i >= 0 && p.shape[i].has(text[q+i]) {
			i--
		}
		if i < 0 {
			return q
		}
		if uniform {
			q += i + 1
		} else {
			q++
		}
	}
	return -1
}

// indexPair returns the first index i in [from, to) with text[i] == x and text[i+d] == y, or -1;
// text[i+d] must exist for every such i. It tests eight positions at a time in a 64-bit word
// (SWAR): a byte of v = word^x*0x01…01 is zero where x is, and (v-0x01…01)&^v&0x80…80 flags
// every zero byte, and possibly bytes above one, which the check weeds out.
func indexPair(text []byte, from, to int, x, y byte, d int) int {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	bx, by := lo*uint64(x), lo*uint64(y)
	i := from
	// Sixteen positions a step, in two independent words.
	for ; i+16 <= to; i += 16 {
		t := text[i : i+d+16]
		v0 := binary.LittleEndian.Uint64(t) ^ bx
		v1 := binary.LittleEndian.Uint64(t[8:]) ^ bx
		w0 := binary.LittleEndian.Uint64(t[d:]) ^ by
		w1 := binary.LittleEndian.Uint64(t[d+8:]) ^ by
		m0 := (v0 - lo) &^ v0 & (w0 - lo) &^ w0 & hi
		m1 := (v1 - lo) &^ v1 & (w1 - lo) &^ w1 & hi
		if m0|m1 == 0 {
			continue
		}
		for m := m0; m != 0; m &= m - 1 {
			k := i + bits.TrailingZeros64(m)>>3
			if text[k] == x && text[k+d] == y {
				return k
			}
		}
		for m := m1; m != 0; m &= m - 1 {
			k := i + 8 + bits.TrailingZeros64(m)>>3
			if text[k] == x && text[k+d] == y {
				return k
			}
		}
	}
	for ; i < to; i++ {
		if text[i] == x && text[i+d] == y {
			return i
		}
	}
	return -1
}

// indexTable returns the index of the first byte of b that is in set, or -1.
func indexTable(b []byte, set *[256]bool) int {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		c := b[i : i+8 : i+8]
		if set[c[0]] || set[c[1]] || set[c[2]] || set[c[3]] || set[c[4]] || set[c[5]] || set[c[6]] || set[c[7]] {
			break
		}
	}
	for ; i < len(b); i++ {
		if set[b[i]] {
			return i
		}
	}
	return -1
}

// boundary reports whether q starts a character in the UTF-8 decoding of text[start:], where
// regexp tries matches: an ASCII byte or a lead byte always does (valid sequences hold only
// continuation bytes after their lead), a continuation byte unless a valid sequence covers it.
func boundary(text []byte, start, q int) bool {
	if q == start || text[q] < 0x80 || text[q] >= 0xc0 {
		return true
	}
	for b := q - 1; b >= max(start, q-utf8.UTFMax+1); b-- {
		switch c := text[b]; {
		case c < 0x80:
			return true
		case c >= 0xc0:
			_, n := utf8.DecodeRune(text[b:])
			return b+n <= q
		}
	}
	return true
}

// innerNext finds the first occurrence of the literal at or after at, searches the run of bytes
// that a match holding it must lie in, and goes on past that run if none does; done is false if
// it gave up.
func (s *Searcher) innerNext(text []byte, start, at int) (loc []int, done bool) {
	p := s.p
	// No match starts in [at, from).
	for from := at; from < len(text); {
		q := s.indexLit(text, from)
		if q < 0 {
			return nil, true
		}
		// A match that holds the literal at q' >= q starts after the last byte before q that the
		// match's part before its literal cannot hold. That position is a character boundary:
		// it follows an ASCII byte, or before holds every byte from 0x80 up and so does all.
		floor := from
		if p.linear != nil && p.maxWidth >= 0 {
			floor = max(from, q-(p.maxWidth-len(s.c.lit.lit)))
		}
		s0 := q
		for s0 > floor && s.c.lit.before.has(text[s0-1]) {
			s0--
		}
		if p.linear != nil && (!p.bounded || p.maxWidth >= 0) {
			// The linear matcher, which reads no further than a match needs, tries the starts
			// of a match that holds the literal at q: s0 or after, since one that starts
			// before s0 and holds a later occurrence would hold text[s0-1] too, and one that
			// holds this one starts no more than maxWidth bytes before its end. So when no
			// match starts in [s0, q], none starts before q+1.
			loc, ok, steps := p.linear.find(text, start, s0, q, &s.locs)
			if ok {
				if loc != nil {
					s.scanned += q + 1 - from
					return loc, true
				}
				if s.miss(q+1-from, linearCost(steps)) {
					return nil, false
				}
				from = q + 1
				continue
			}
		}
		if !p.bounded {
			// No end to the search but the text's: regexp's result is final.
			return s.regexpFrom(text, start, s0), true
		}
		// Matches that start in [s0, e] end by e: they hold only bytes of all. One more byte lets
		// \b and (?m)$ at e see the byte they would see over the whole text.
		e := s.run(text, q+len(s.c.lit.lit))
		limit := min(len(text), e+1)
		loc, ok, steps := []int(nil), false, 0
		if p.linear != nil {
			loc, ok, steps = p.linear.find(text[:limit], start, s0, limit, &s.locs)
		}
		cost := linearCost(steps)
		if !ok {
			loc = p.from(text[:limit], start, s0, &s.locs)
			cost = p.regexpCost(limit - s0)
		}
		if loc != nil {
			s.scanned += limit - from
			return loc, true
		}
		if s.miss(limit-from, cost) {
			return nil, false
		}
		// text[e] is not in all: if it is not ASCII, no byte from 0x80 up is in before or all,
		// so the next s0 is an ASCII byte or the literal's lead byte, at a character boundary.
		from = e + 1
	}
	return nil, true
}

// lineLimit returns where a verification at q can stop: one byte past the end of the line, if
// no match holds a '\n', found at memory speed; one byte past the run of all's bytes otherwise;
// or len(text) if matches are not bounded.
func (s *Searcher) lineLimit(text []byte, q int) int {
	p := s.p
	switch {
	case !p.bounded:
		return len(text)
	case p.all.has('\n'):
		return min(len(text), s.run(text, q)+1)
	}
	if q < s.lineFrom || q > s.lineEnd || s.lineEnd > len(text) {
		e := len(text)
		if i := bytes.IndexByte(text[q:], '\n'); i >= 0 {
			e = q + i
		}
		s.lineFrom, s.lineEnd = q, e
	}
	return min(len(text), s.lineEnd+1)
}

// run returns the index of the first byte at or after from that is not in all, or len(text).
func (s *Searcher) run(text []byte, from int) int {
	if from < s.runFrom || from > s.runEnd || s.runEnd > len(text) {
		e := from
		for e < len(text) && s.p.all.has(text[e]) {
			e++
		}
		s.runFrom, s.runEnd = from, e
	}
	return s.runEnd
}

// indexLit returns the index of the first instance of the inner literal at or after from, or -1.
func (s *Searcher) indexLit(text []byte, from int) int {
	lit := s.c.lit.lit
	switch {
	case s.c.litSet != nil:
		return indexCandidates(text, lit, from, s.c.litSetAt, false, func(lo, hi int) int { return s.c.litSet.index(text, lo, hi) })
	case s.c.litPairDist > 0:
		a, d := s.c.litPairAt, s.c.litPairDist
		x, y := lit[a], lit[a+d]
		return indexCandidates(text, lit, from, a, false, func(lo, hi int) int { return indexPair(text, lo, hi, x, y, d) })
	}
	if i := indexLiteral(text[from:], lit, s.c.litRare); i >= 0 {
		return from + i
	}
	return -1
}

// indexLiteral returns the index of the first instance of lit in text, or -1.
func indexLiteral(text, lit []byte, rare int) int {
	if len(lit) == 1 {
		return bytes.IndexByte(text, lit[0])
	}
	return IndexRare(text, lit, rare)
}

// matchAt returns the match that starts at q, a character boundary, or nil; a's chunks hold it
// if the linear matcher finds it.
func (p *Plan) matchAt(text []byte, start, q int, a *locs) []int {
	loc, _, _ := p.matchAtSteps(text, start, q, a)
	return loc
}

// found returns the submatch index pairs of the match from q to end that quickMatch found.
func (p *Plan) found(text []byte, start, q, end int, a *locs) []int {
	if p.linear != nil {
		return p.linear.loc(text, start, q, end, a)
	}
	return a.take(q, end, 2)
}

// quickBudget is the linear matcher's budget for quickMatch: enough for most matches and most
// failures, small enough that a pathological candidate costs little before regexp decides.
const quickBudget = budgetOf*256 + 64

// quickMatch is matchAtSteps by the alternation's literals or by the linear matcher alone, over
// the whole text with a small budget: the match's end, noMatch, or tooLong if it cannot decide;
// the steps it took; and, with noMatch, the first start after q that can match. It gives the
// result the shape's verification over text[:s.lineLimit(text, q)] would: a linear pattern's
// items hold only bytes of all, so a match stops by the run's or the line's end, and \b there
// sees the same next byte.
func (p *Plan) quickMatch(text []byte, start, q int, a *locs) (end, steps, next int) {
	switch {
	case p.alternation != nil:
		end, steps = p.alternation.match(text, q)
		return end, steps, q + 1
	case p.linear != nil && !p.linear.wideFirst:
		return p.linear.matchWithin(text, start, q, quickBudget, a)
	}
	return tooLong, 0, q + 1
}

// matchAtSteps is matchAt that also returns the steps the linear matcher took to decide, or -1
// if regexp decided, and, with no match, the first start after q that can match.
func (p *Plan) matchAtSteps(text []byte, start, q int, a *locs) (loc []int, steps, next int) {
	if p.linear != nil {
		switch end, steps, next := p.linear.match(text, start, q, a); end {
		case noMatch:
			return nil, steps, next
		case tooLong:
		default:
			return p.linear.loc(text, start, q, end, a), steps, next
		}
	}
	return p.regexpAt(text, start, q), -1, q + 1
}

// regexpAt is matchAt by regexp.
func (p *Plan) regexpAt(text []byte, start, q int) []int {
	if !p.lookBack || q == start {
		loc := p.anchored.FindSubmatchIndex(text[q:])
		shift(loc, q)
		return loc
	}
	_, back := utf8.DecodeLastRune(text[start:q])
	ctx := p.anchoredCtx.FindSubmatchIndex(text[q-back:])
	if ctx == nil {
		return nil
	}
	loc := ctx[2:]
	shift(loc, q-back)
	return loc
}

// from returns the leftmost match that starts at or after at, a character boundary, with the
// text of the window before at as context: the search that Go's regexp does inside its FindAll,
// which it does not export. a's chunks hold a match that the linear matcher finds.
func (p *Plan) from(text []byte, start, at int, a *locs) []int {
	if !p.lookBack || at == start {
		loc := p.re.FindSubmatchIndex(text[at:])
		shift(loc, at)
		return loc
	}
	// Context matters only to a match that starts at at itself: from there on the search steps
	// over the real text. So: a pattern that consumes the character before at, anchored, says
	// whether a match starts at at (and which); if none does, the plain search is right unless it
	// found one at at, which the missing context made up. Only then does the unanchored context
	// pattern (which loses regexp's literal-prefix scan) search on. DecodeLastRune and the
	// patterns' forward decoding agree on the width of the character before at, because at is a
	// character boundary of the forward decoding from start.
	if loc := p.matchAt(text, start, at, a); loc != nil {
		return loc
	}
	loc := p.re.FindSubmatchIndex(text[at:])
	if loc == nil || loc[0] > 0 {
		shift(loc, at)
		return loc
	}
	_, back := utf8.DecodeLastRune(text[start:at])
	ctx := p.withCtx.FindSubmatchIndex(text[at-back:])
	if ctx == nil {
		return nil
	}
	loc = ctx[2:]
	shift(loc, at-back)
	return loc
}

func shift(loc []int, by int) {
	for i, v := range loc {
		if v >= 0 {
			loc[i] = v + by
		}
	}
}

// longest reports whether re uses leftmost-longest matching (CompilePOSIX, or Longest called). The
// regexp package keeps that in an unexported field and offers no accessor; reading it through
// reflect is read-only and, should the field ever go away, errs on the safe side.
func longest(re *regexp.Regexp) bool {
	f := reflect.ValueOf(re).Elem().FieldByName("longest")
	return !f.IsValid() || f.Kind() != reflect.Bool || f.Bool()
}
