package search

import (
	"os"
	"regexp"
	"testing"
)

func TestDbg(t *testing.T) {
	text, _ := os.ReadFile("/work/bdata/rx/text.txt")
	log, _ := os.ReadFile("/work/bdata/rx/log.txt")
	for _, pat := range []string{`the \w+`, `water|world|work`, `s[a-z]+ s[a-z]+`, `[A-Z][a-z]+`, `\w+ing\b`, `[a-z]+@[a-z]+\.com`, `\b\w{14,}\b`, "L" + `" 50[0-9] `, "L" + `GET /[a-z/]*\.php`, "L" + `\[\d{2}/[A-Z][a-z]{2}/\d{4}`, "L" + `\d+\.\d+\.\d+\.\d+`} {
		tx := text
		if pat[0] == 'L' {
			pat, tx = pat[1:], log
		}
		p := Compile(regexp.MustCompile(pat))
		s := p.Searcher()
		s.choose(tx, 0)
		c := s.c
		t.Logf("%-28s strategy %d scanAt %d set %v pair %d bytes %q skip %v lit %v litpair %d litset %v", pat, c.strategy, c.scanAt, c.set != nil, c.pairDist, c.scanBytes, c.skip != nil, c.lit != nil, c.litPairDist, c.litSet != nil)
	}
}
