package bench

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
)

// The literals and the regular expression the search workloads look for. The generated text
// never holds the byte Absent, so bytes.IndexByte of it scans the whole file: the scan limit.
const (
	// RareNeedle starts with a byte that is rare in text.
	RareNeedle = "Zyzzyva-77"
	// CommonNeedle starts with the most common byte of text, the space; its other bytes are rarer.
	CommonNeedle = " quokka-9"
	// Pattern is the regular expression of FindAll, with a literal prefix.
	Pattern = `status=5\d\d`
	// Absent is a byte value the generated text never contains.
	Absent = 0x01
)

// The names of the data files inside the data directory.
const (
	TextFile  = "text.txt"  // the big text file (Meta.TextSize bytes)
	LinesFile = "lines.txt" // a quarter of the size: line loops, cold reads, copies
	WriteFile = "write.dat" // a quarter of the size, rewritten by WriteAt
	SmallFile = "small.txt" // 4 KiB
	metaFile  = "meta.json"
)

// SmallSize is the size of SmallFile.
const SmallSize = 4 << 10

// Meta describes generated data: the sizes and the counts every implementation must find.
type Meta struct {
	TextSize     int64 // bytes in TextFile
	LinesSize    int64 // bytes in LinesFile
	Lines        int   // lines in LinesFile
	RareCount    int   // occurrences of RareNeedle in TextFile
	CommonCount  int   // occurrences of CommonNeedle in TextFile
	PatternCount int   // matches of Pattern in TextFile, at most one per line
}

var words = bytes.Fields([]byte(`the of and to in a is that for it as was with be by on not he
this are or his from at which but have an they you were her she there been one all we their has
would when if so no will more can out some what up other into could time only new these two may
first then do any like my now over such our man me even most made after also did many before must
through back years where much your way well down should because each just those people how too
little state good very make world still own see men work long get here between both life being
under never day same another know while last might us great old year off come since against go
came right used take three himself few house use during without again place around however home
small found thought went say part once general high upon school every does got united left number
course war until always away something fact though water less public put think almost hand enough
far took head yet government system better set told nothing night end why called didn't eyes find
going look asked later knew point next city business give group toward young let room president
side social given present several order national possible rather second per face among form often
important things looking early white case john become large big need four within felt along
children saw best church ever least power development light thing seemed family interest want
members mind country area others done turned although open god service certain kind problem began
different door thus help sense means whole matter perhaps itself york times law human line above
name example action company hands local show whether five history gave today either act feet
across taken past quite anything having seen death experience body word half really week car
field words already themselves information tell together college shall money period held keep
sure probably free seems real behind cannot miss political air question making office brought
whose special major heard problems federal became study ago moment available known result street
economic boy position reason change south board individual job areas society west close turn
love community true court force full seem am front policy road sound quickly`))

// Generate writes the data files into dir, textSize bytes of text and a quarter of that for the
// other files, and returns their Meta. The bytes are the same for the same size.
func Generate(dir string, textSize int64) (*Meta, error) {
	m := &Meta{TextSize: textSize, LinesSize: max(textSize/4, 1<<20)}
	var err error
	if m.RareCount, m.CommonCount, m.PatternCount, _, err = writeText(filepath.Join(dir, TextFile), m.TextSize, 1); err != nil {
		return nil, err
	}
	if _, _, _, m.Lines, err = writeText(filepath.Join(dir, LinesFile), m.LinesSize, 2); err != nil {
		return nil, err
	}
	if _, _, _, _, err = writeText(filepath.Join(dir, WriteFile), m.LinesSize, 3); err != nil {
		return nil, err
	}
	if _, _, _, _, err = writeText(filepath.Join(dir, SmallFile), SmallSize, 4); err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(m, "", "\t")
	if err != nil {
		return nil, err
	}
	return m, os.WriteFile(filepath.Join(dir, metaFile), b, 0o644)
}

// LoadMeta reads the Meta that Generate wrote into dir.
func LoadMeta(dir string) (*Meta, error) {
	b, err := os.ReadFile(filepath.Join(dir, metaFile))
	if err != nil {
		return nil, err
	}
	var m Meta
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", metaFile, err)
	}
	return &m, nil
}

// writeText writes size bytes of English-like lines (some with a status=NNN field, as in a log),
// with RareNeedle and CommonNeedle once per MiB each, syncs the file, and counts what it wrote.
func writeText(path string, size int64, seed uint64) (rare, common, matches, lines int, err error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, 0, 0, 0, err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	rng := seed*0x9E3779B97F4A7C15 | 1
	next := func() uint64 { // xorshift64*
		rng ^= rng >> 12
		rng ^= rng << 25
		rng ^= rng >> 27
		return rng * 2685821657736338717
	}
	var line []byte
	var written int64
	nextNeedle := int64(1 << 19)
	re := regexp.MustCompile(Pattern)
	for written < size {
		line = line[:0]
		target := 30 + int(next()%70)
		for first := true; len(line) < target; first = false {
			if !first {
				line = append(line, ' ')
			}
			word := words[next()%uint64(len(words))]
			if first {
				line = append(line, word[0]-'a'+'A')
				word = word[1:]
			}
			line = append(line, word...)
		}
		if written >= nextNeedle {
			nextNeedle += 1 << 20
			if next()%2 == 0 {
				line = append(append(line, ' '), RareNeedle...)
				line = append(line, CommonNeedle...)
			} else {
				line = append(line, CommonNeedle...)
				line = append(append(line, ' '), RareNeedle...)
			}
		}
		switch r := next() % 64; {
		case r < 12:
			line = fmt.Appendf(line, " status=%d", []int{200, 200, 200, 304, 404, 301}[r%6])
		case r == 12:
			line = fmt.Appendf(line, " status=%d", 500+next()%4)
			matches++
		}
		line = append(line, '.', '\n')
		if rest := size - written; int64(len(line)) > rest {
			matches -= len(re.FindAllIndex(line, -1))
			line = line[:rest]
			if rest > 0 {
				line[rest-1] = '\n'
			}
			matches += len(re.FindAllIndex(line, -1))
		}
		if _, err := w.Write(line); err != nil {
			return 0, 0, 0, 0, err
		}
		written += int64(len(line))
		rare += bytes.Count(line, []byte(RareNeedle))
		common += bytes.Count(line, []byte(CommonNeedle))
		lines++
	}
	if err := w.Flush(); err != nil {
		return 0, 0, 0, 0, err
	}
	if err := f.Sync(); err != nil { // clean pages, so that a cold benchmark can drop them
		return 0, 0, 0, 0, err
	}
	return rare, common, matches, lines, f.Close()
}
