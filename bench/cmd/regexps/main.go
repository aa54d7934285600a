// Command regexps times regular-expression searches over two generated corpora, an English-like
// text and a web server's log, for patterns of every class the search package treats apart
// (literal prefixes, alternations of literals, (?i) literals, rare first bytes, inner literals,
// none of these), and prints a Markdown table of ratios measured in the same run:
//
//   - Region.FindAll over a fresh mapping, counting matches;
//   - os.ReadFile then regexp.FindAllIndex, the plain Go way;
//   - Region.FindAll again over a mapping whose pages are already mapped in, against Python's
//     re.finditer over its mmap, timed inside the interpreter, which maps the file once and
//     touches every page before its rounds: the two engines, not the kernel's page faults;
//   - mmgrep -c, GNU grep -c and ripgrep's rg -c, each a fresh process (wall time).
//
// Each figure is the best of -count rounds, all in one run: the machine may be shared, and only
// ratios between figures of the same run mean anything. A tool that is not installed is left out.
// Run it from the bench module:
//
//	cd bench && go run ./cmd/regexps -size 64
//
// The default size is small so that CI can run it once quickly.
package main

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/mmapio/mmap"
)

//go:embed finditer.py
var pythonScript []byte

var (
	sizeMiB  = flag.Int("size", 4, "size of each corpus in MiB")
	count    = flag.Int("count", 3, "rounds; every figure is the best of them")
	python   = flag.String("python", "python3", "Python 3 interpreter; empty to skip Python")
	mmgrep   = flag.String("mmgrep", "", "mmgrep binary; default: built from ../cmd/mmgrep")
	runFlag  = flag.String("run", "", "only the patterns whose Go form matches this regexp")
	keepData = flag.String("dir", "", "directory for the corpora, kept afterwards; default a temporary one")
)

// A pattern in Go's syntax, the same in GNU grep's -E syntax (with -i for (?i)), and the
// corpus it runs on.
type pattern struct {
	corpus string // "text" or "log"
	class  string
	re     string
	ere    string
	fold   bool // grep needs -i
}

var patterns = []pattern{
	{"text", "literal prefix", `needle\d+`, `needle[0-9]+`, false},
	{"text", "literal prefix", `the \w+`, `the \w+`, false},
	{"text", "alternation", `water|world|work`, `water|world|work`, false},
	{"text", "(?i) literal", `(?i)country`, `country`, true},
	{"text", "alternation", `ERROR|WARN`, `ERROR|WARN`, false},
	{"text", "first-byte set", `[A-Z][a-z]+`, `[A-Z][a-z]+`, false},
	{"text", "inner literal", `s[a-z]+ s[a-z]+`, `s[a-z]+ s[a-z]+`, false},
	{"text", "inner literal", `\w+ing\b`, `\w+ing\b`, false},
	{"text", "first-byte set", `\d{3}-\d{4}`, `[0-9]{3}-[0-9]{4}`, false},
	{"text", "inner literal", `[a-z]+@[a-z]+\.com`, `[a-z]+@[a-z]+\.com`, false},
	{"text", "none", `\b\w{14,}\b`, `\b\w{14,}\b`, false},
	{"text", "word list", `\b(?:north|south|east|west|money|science|language|element)\b`, `\b(north|south|east|west|money|science|language|element)\b`, false},
	{"text", "line start", `(?m)^[A-Z]\w* \w+`, `^[A-Z]\w* \w+`, false},
	{"log", "literal prefix", `" 50[0-9] `, `" 50[0-9] `, false},
	{"log", "inner literal", `\d+\.\d+\.\d+\.\d+`, `[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+`, false},
	{"log", "inner literal", `GET /[a-z/]*\.php`, `GET /[a-z/]*\.php`, false},
	{"log", "(?i) literal", `(?i)googlebot`, `googlebot`, true},
	{"log", "first-byte set", `\[\d{2}/[A-Z][a-z]{2}/\d{4}`, `\[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}`, false},
	{"log", "alternation", `POST|PUT|DELETE`, `POST|PUT|DELETE`, false},
	{"log", "none", `[a-z]+=[0-9]+&`, `[a-z]+=[0-9]+&`, false},
	{"log", "negated class", `"[^"]*"`, `"[^"]*"`, false},
	{"log", "negated class", `Mozilla/5\.0 \([^)]*\)`, `Mozilla/5\.0 \([^)]*\)`, false},
	{"text", "dense, captures", `(\w+) (\w+)`, `(\w+) (\w+)`, false},
	{"log", "captures", `"([A-Z]+) (/[^ ]*) HTTP`, `"([A-Z]+) (/[^ ]*) HTTP`, false},
}

func main() {
	flag.Parse()
	sel := regexp.MustCompile(*runFlag)
	dir := *keepData
	if dir == "" {
		tmp, err := os.MkdirTemp("", "regexps")
		check(err)
		defer os.RemoveAll(tmp)
		dir = tmp
	} else {
		check(os.MkdirAll(dir, 0o755))
	}
	size := *sizeMiB << 20
	files := map[string]string{"text": filepath.Join(dir, "text.txt"), "log": filepath.Join(dir, "log.txt")}
	check(writeFile(files["text"], size, englishLine))
	check(writeFile(files["log"], size, logLine))

	mmgrepPath := *mmgrep
	if mmgrepPath == "" {
		mmgrepPath = filepath.Join(dir, "mmgrep")
		build := exec.Command("go", "build", "-o", mmgrepPath, "./cmd/mmgrep")
		build.Dir = ".."
		build.Stderr = os.Stderr
		check(build.Run())
	}
	tools := map[string]string{"mmgrep": mmgrepPath}
	if p, err := exec.LookPath("grep"); err == nil {
		if out, _ := exec.Command(p, "--version").Output(); bytes.Contains(out, []byte("GNU grep")) {
			tools["grep"] = p
		}
	}
	if p, err := exec.LookPath("rg"); err == nil {
		tools["rg"] = p
	}
	var pyOK bool
	if *python != "" {
		_, err := exec.LookPath(*python)
		pyOK = err == nil
	}

	type row struct {
		p                     pattern
		matches, lines        int
		findAll, readFile, py time.Duration
		warm                  time.Duration // FindAll over a mapping already faulted in
		mmgrep, grep, rg      time.Duration
		pyCount               int
		mmgrepN, grepN, rgN   int
		pyErr                 string
	}
	var rows []*row
	for _, p := range patterns {
		if sel.MatchString(p.re) {
			rows = append(rows, &row{p: p, py: -1, grep: -1, rg: -1, mmgrepN: -1, grepN: -1, rgN: -1})
		}
	}
	best := func(d *time.Duration, t time.Duration) {
		if *d <= 0 || t < *d {
			*d = t
		}
	}
	for round := range *count {
		fmt.Fprintf(os.Stderr, "round %d/%d\n", round+1, *count)
		for _, r := range rows {
			re := regexp.MustCompile(r.p.re)
			name := files[r.p.corpus]
			// FindAll over a fresh mapping of a file in the page cache, with the heap of a
			// program that holds little: a collection every few megabytes allocated, as the
			// matches' slices are.
			runtime.GC()
			start := time.Now()
			n := countFindAll(name, re)
			best(&r.findAll, time.Since(start))
			start = time.Now()
			data, err := os.ReadFile(name)
			check(err)
			m := len(re.FindAllIndex(data, -1))
			best(&r.readFile, time.Since(start))
			if n != m {
				fail("FindAll(%s) counted %d matches; regexp.FindAllIndex %d", r.p.re, n, m)
			}
			r.matches = n
			r.lines = countLines(data, re)
			data = nil
			best(&r.warm, timeWarmFindAll(name, re, n))

			for tool, path := range tools {
				args := []string{"-c", r.p.re, name}
				switch tool {
				case "grep":
					args = []string{"-c", "-E", r.p.ere, name}
					if r.p.fold {
						args = []string{"-c", "-i", "-E", r.p.ere, name}
					}
				}
				cmd := exec.Command(path, args...)
				cmd.Env = append(os.Environ(), "LC_ALL=C")
				start := time.Now()
				out, err := cmd.Output()
				d := time.Since(start)
				if err != nil && !(isExit1(err) && (len(bytes.TrimSpace(out)) == 0 || strings.TrimSpace(string(out)) == "0")) {
					fail("%s %q: %v", tool, args, err)
				}
				c, _ := strconv.Atoi(strings.TrimSpace(string(out)))
				switch tool {
				case "mmgrep":
					best(&r.mmgrep, d)
					r.mmgrepN = c
				case "grep":
					best(&r.grep, d)
					r.grepN = c
				case "rg":
					best(&r.rg, d)
					r.rgN = c
				}
			}
		}
		if pyOK {
			for corpus, name := range files {
				var pats []string
				var idx []*row
				for _, r := range rows {
					if r.p.corpus == corpus {
						pats = append(pats, r.p.re)
						idx = append(idx, r)
					}
				}
				if len(pats) == 0 {
					continue
				}
				res, err := runPython(name, pats)
				if err != nil {
					fmt.Fprintf(os.Stderr, "python: %v; leaving Python out\n", err)
					pyOK = false
					break
				}
				for i, r := range idx {
					if res[i].Error != "" {
						r.pyErr = res[i].Error
						continue
					}
					best(&r.py, time.Duration(res[i].NS))
					r.pyCount = res[i].Count
				}
			}
		}
	}

	fmt.Printf("Corpora: %d MiB each (English-like text; web server log), in the page cache. Best of %d rounds.\n\n", *sizeMiB, *count)
	fmt.Println("FindAll ms maps the file afresh, as ReadFile+regexp reads it; warm FindAll ms searches a")
	fmt.Println("mapping already faulted in, as Python's rounds search theirs.")
	fmt.Println()
	fmt.Println("| corpus | class | pattern | matches | FindAll ms | ReadFile+regexp ms | vs ReadFile (≥3) | warm FindAll ms | Python re ms | vs Python (≥1; ≥5 with a 3-byte literal) |")
	fmt.Println("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		py, vsPy := "–", "–"
		switch {
		case r.pyErr != "":
			py = "error: " + r.pyErr
		case r.py > 0:
			py = ms(r.py)
			vsPy = ratio(r.py, r.warm)
			if r.pyCount != r.matches {
				vsPy += fmt.Sprintf(" (Python counts %d)", r.pyCount)
			}
		}
		fmt.Printf("| %s | %s | `%s` | %d | %s | %s | %s | %s | %s | %s |\n", r.p.corpus, r.p.class, strings.ReplaceAll(r.p.re, "|", `\|`),
			r.matches, ms(r.findAll), ms(r.readFile), ratio(r.readFile, r.findAll), ms(r.warm), py, vsPy)
	}
	fmt.Println()
	fmt.Println("| corpus | pattern | lines | mmgrep -c ms | grep -c ms | grep/mmgrep (≥1) | rg -c ms | rg/mmgrep (≥0.67) |")
	fmt.Println("|---|---|---:|---:|---:|---:|---:|---:|")
	for _, r := range rows {
		g, vg, rg, vrg := "–", "–", "–", "–"
		if r.grep > 0 {
			g, vg = ms(r.grep), ratio(r.grep, r.mmgrep)
			if r.grepN != r.lines {
				vg += fmt.Sprintf(" (grep counts %d)", r.grepN)
			}
		}
		if r.rg > 0 {
			rg, vrg = ms(r.rg), ratio(r.rg, r.mmgrep)
			if r.rgN != r.lines {
				vrg += fmt.Sprintf(" (rg counts %d)", r.rgN)
			}
		}
		mm := ms(r.mmgrep)
		if r.mmgrepN != r.lines {
			fail("mmgrep -c %s counted %d lines; regexp finds matches in %d", r.p.re, r.mmgrepN, r.lines)
		}
		fmt.Printf("| %s | `%s` | %d | %s | %s | %s | %s | %s |\n", r.p.corpus, strings.ReplaceAll(r.p.re, "|", `\|`), r.lines, mm, g, vg, rg, vrg)
	}
}

func countFindAll(name string, re *regexp.Regexp) int {
	r, err := mmap.Open(name)
	check(err)
	defer r.Close()
	n := 0
	for range r.FindAll(re) {
		n++
	}
	check(r.Err())
	return n
}

// timeWarmFindAll maps name, faults its pages in, and returns the time of a FindAll over it that
// must count want matches.
func timeWarmFindAll(name string, re *regexp.Regexp, want int) time.Duration {
	r, err := mmap.Open(name)
	check(err)
	defer r.Close()
	bytes.IndexByte(r.Bytes(), 1) // every page, as Python's mm.find(b"\x01")
	runtime.GC()                  // the ReadFile buffer before this is garbage, not a live heap
	start := time.Now()
	n := 0
	for range r.FindAll(re) {
		n++
	}
	d := time.Since(start)
	check(r.Err())
	if n != want {
		fail("FindAll(%s) over a warm mapping counted %d matches; %d before", re, n, want)
	}
	return d
}

// countLines counts the lines of data that hold a match of re, as grep -c does.
func countLines(data []byte, re *regexp.Regexp) int {
	n := 0
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		line := data
		if i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if re.Match(line) {
			n++
		}
	}
	return n
}

type pyResult struct {
	Count int     `json:"count"`
	NS    float64 `json:"ns"`
	Error string  `json:"error"`
}

func runPython(name string, pats []string) ([]pyResult, error) {
	args := append([]string{"-c", string(pythonScript), name}, pats...)
	out, err := exec.Command(*python, args...).Output()
	if err != nil {
		return nil, err
	}
	var res []pyResult
	if err := json.Unmarshal(out, &res); err != nil {
		return nil, err
	}
	if len(res) != len(pats) {
		return nil, fmt.Errorf("%d results for %d patterns", len(res), len(pats))
	}
	return res, nil
}

func isExit1(err error) bool {
	ee, ok := err.(*exec.ExitError)
	return ok && ee.ExitCode() == 1
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d)/1e6) }

// ratio is base/d: how many times faster d is.
func ratio(base, d time.Duration) string {
	if d <= 0 || base <= 0 {
		return "–"
	}
	return fmt.Sprintf("%.2fx", float64(base)/float64(d))
}

func writeFile(name string, size int, line func(*rand.Rand, *bufio.Writer, int) int) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	for written, i := 0, 0; written < size; i++ {
		written += line(rng, w, i)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// words is an English vocabulary, most common first; englishLine draws from it with a Zipf-like
// law, so that "the" and "of" are everywhere and "country" is rare.
var words = strings.Fields(`the of and to a in is it you that he was for on are with as his they be at one have
this from or had by hot word but what some we can out other were all there when up use your how said an each
she which do their time if will way about many then them write would like so these her long make thing see him
two has look more day could go come did number sound no most people my over know water than call first who may
down side been now find any new work part take get place made live where after back little only round man year
came show every good me give our under name very through just form sentence great think say help low line
differ turn cause much mean before move right boy old too same tell does set three want air well also play
small end put home read hand port large spell add even land here must big high such follow act why ask men
change went light kind off need house picture try us again animal point mother world near build self earth
father head stand own page should country found answer school grow study still learn plant cover food sun
four between state keep eye never last let thought city tree cross farm hard start might story saw far sea
draw left late run while press close night real life few north open seem together next white children begin
got walk example ease paper group always music those both mark often letter until mile river car feet care
second book carry took science eat room friend began idea fish mountain stop once base hear horse cut sure
watch color face wood main enough plain girl usual young ready above ever red list though feel talk bird
soon body dog family direct pose leave song measure door product black short numeral class wind question
happen complete ship area half rock order fire south problem piece told knew pass since top whole king space
heard best hour better true during hundred five remember step early hold west ground interest reach fast
verb sing listen six table travel less morning ten simple several vowel toward war lay against pattern slow
center love person money serve appear road map rain rule govern pull cold notice voice unit power town fine
certain fly fall lead cry dark machine note wait plan figure star box noun field rest correct able pound done
beauty drive stood contain front teach week final gave green quick develop ocean warm free minute strong
special mind behind clear tail produce fact street inch multiply nothing course stay wheel full force blue
object decide surface deep moon island foot system busy test record boat common gold possible plane stead
dry wonder laugh thousand ago ran check game shape equate miss brought heat snow tire bring yes distant fill
east paint language among grand ball yet wave drop heart present heavy dance engine position arm wide sail
material size vary settle speak weight general ice matter circle pair include divide syllable felt perhaps
pick sudden count square reason length represent art subject region energy hunt probable bed brother egg
ride cell believe fraction forest sit race window store summer train sleep prove lone leg exercise wall
catch mount wish sky board joy winter sat written wild instrument kept glass grass cow job edge sign visit
past soft fun bright gas weather month million bear finish happy hope flower clothe strange gone jump baby
eight village meet root buy raise solve metal whether push seven paragraph third shall held hair describe
cook floor either result burn hill safe cat century consider type law bit coast copy phrase silent tall sand
soil roll temperature finger industry value fight lie beat excite natural view sense ear else quite broke
case middle kill son lake moment scale loud spring observe child straight consonant nation dictionary milk
speed method organ pay age section dress cloud surprise quiet stone tiny climb cool design poor lot
experiment bottom key iron single stick flat twenty skin smile crease hole trade melody trip office receive
row mouth exact symbol die least trouble shout except wrote seed tone join suggest clean break lady yard rise
bad blow oil blood touch grew cent mix team wire cost lost brown wear garden equal sent choose fell fit flow
fair bank collect save control decimal gentle woman captain practice separate difficult doctor please protect
noon whose locate ring character insect caught period indicate radio spoke atom human history effect electric
expect crop modern element hit student corner party supply bone rail imagine provide agree thus capital won't
chair danger fruit rich thick soldier process operate guess necessary sharp wing create neighbor wash bat
rather crowd corn compare poem string bell depend meat rub tube famous dollar stream fear sight thin triangle
planet hurry chief colony clock mine tie enter major fresh search send yellow gun allow print dead spot desert
suit current lift rose continue block chart hat sell success company subtract event particular deal swim term
opposite wife shoe shoulder spread arrange camp invent cotton born determine quart nine truck noise level
chance gather shop stretch throw shine property column molecule select wrong gray repeat require broad prepare
salt nose plural anger claim continent oxygen sugar death pretty skill women season solution magnet silver
thank branch match suffix especially fig afraid huge sister steel discuss forward similar guide experience
score apple bought led pitch coat mass card band rope slip win dream evening condition feed tool total basic
smell valley nor double seat arrive master track parent shore division sheet substance favor connect post
spend chord fat glad original share station dad bread charge proper bar offer segment slave duck instant
market degree populate chick dear enemy reply drink occur support speech nature range steam motion path liquid
log meant quotient teeth shell neck working singing bringing morning evening nothing something thing`)

// englishLine writes one line of English-like text: sentences of Zipf-distributed words, the
// first word capitalised; now and then a number, a phone number, an e-mail address or
// "needle" and digits.
func englishLine(rng *rand.Rand, w *bufio.Writer, i int) int {
	n := 0
	sentences := 1 + rng.IntN(3)
	for s := range sentences {
		if s > 0 {
			n += mustWrite(w, " ")
		}
		nw := 4 + rng.IntN(12)
		for k := range nw {
			word := words[zipf(rng, len(words))]
			if k == 0 {
				word = strings.ToUpper(word[:1]) + word[1:]
			} else {
				n += mustWrite(w, " ")
			}
			n += mustWrite(w, word)
			switch r := rng.IntN(4000); {
			case r == 0:
				n += mustWrite(w, fmt.Sprintf(" needle%d", rng.IntN(100000)))
			case r == 1:
				n += mustWrite(w, fmt.Sprintf(" %03d-%04d", rng.IntN(1000), rng.IntN(10000)))
			case r == 2:
				n += mustWrite(w, " "+words[rng.IntN(200)]+"@"+words[rng.IntN(200)]+".com")
			case r < 40:
				n += mustWrite(w, " "+strconv.Itoa(rng.IntN(2000)))
			}
		}
		n += mustWrite(w, ".")
	}
	return n + mustWrite(w, "\n")
}

// zipf draws an index in [0, n) with probability about proportional to 1/(index+1).
func zipf(rng *rand.Rand, n int) int {
	// Inverse of the continuous CDF of 1/x over [1, n+1].
	u := rng.Float64()
	x := math.Pow(float64(n+1), u)
	return min(n-1, int(x)-1)
}

var methods = []string{"GET", "GET", "GET", "GET", "GET", "GET", "POST", "POST", "HEAD", "PUT", "DELETE"}
var statuses = []int{200, 200, 200, 200, 200, 200, 200, 304, 304, 301, 404, 404, 403, 500, 502, 503}
var agents = []string{
	"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
	"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
	"curl/8.4.0",
	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
}
var paths = []string{"/", "/index.html", "/static/app.js", "/static/style.css", "/api/v1/items", "/api/v1/users",
	"/images/logo.png", "/login", "/search", "/wp-login.php", "/admin/index.php", "/blog/post", "/favicon.ico"}
var months = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// logLine writes one line of a web server's combined log.
func logLine(rng *rand.Rand, w *bufio.Writer, i int) int {
	path := paths[zipf(rng, len(paths))]
	if rng.IntN(4) == 0 {
		path += fmt.Sprintf("?id=%d&page=%d", rng.IntN(100000), rng.IntN(50))
	}
	s := fmt.Sprintf("%d.%d.%d.%d - - [%02d/%s/2026:%02d:%02d:%02d +0000] \"%s %s HTTP/1.1\" %d %d \"-\" \"%s\"\n",
		10+rng.IntN(200), rng.IntN(256), rng.IntN(256), 1+rng.IntN(254), 1+i/86400%28, months[i/2419200%12],
		i/3600%24, i/60%60, i%60, methods[rng.IntN(len(methods))], path, statuses[rng.IntN(len(statuses))],
		rng.IntN(50000), agents[zipf(rng, len(agents))])
	return mustWrite(w, s)
}

func mustWrite(w *bufio.Writer, s string) int {
	n, err := w.WriteString(s)
	check(err)
	return n
}

func check(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "regexps: "+format+"\n", args...)
	os.Exit(1)
}
