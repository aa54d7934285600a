package mmap_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"reflect"
	"testing"

	"github.com/mmapio/mmap"
)

// TestPythonDifferential runs the same random operation scripts on Python's mmap (the reference
// this package ports) and on a Region over a copy of the same file: every operation must return the
// same value or the same class of error, and the file must end up with the same bytes. The places
// where the package follows Go's io contracts instead are mapped explicitly in goResult.
func TestPythonDifferential(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	type scenario struct {
		Path   string  `json:"path"`
		Access string  `json:"access"`
		Ops    [][]any `json:"ops"`
	}
	accesses := []string{"default", "write", "copy", "read"}
	var pyScenarios, goScenarios []scenario
	for seed := range 48 {
		rng := rand.New(rand.NewPCG(uint64(seed), 77))
		size := 1 + rng.IntN(3*mmap.PageSize)
		if seed%4 == 0 {
			size = 1 + rng.IntN(64)
		}
		data := randomText(rng, size)
		dir := tempDir(t)
		access := accesses[seed%len(accesses)]
		ops := randomScript(rng, 120, access)
		for who, list := range map[string]*[]scenario{"py": &pyScenarios, "go": &goScenarios} {
			name := fmt.Sprintf("%s/%s-%s", dir, who, access)
			if err := os.WriteFile(name, data, 0o644); err != nil {
				t.Fatal(err)
			}
			*list = append(*list, scenario{name, access, ops})
		}
	}
	input, _ := json.Marshal(pyScenarios)
	cmd := exec.Command(python, "testdata/pymmap.py")
	cmd.Stdin = bytes.NewReader(input)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python3 testdata/pymmap.py: %v", err)
	}
	var pyResults [][][2]any
	if err := json.Unmarshal(out, &pyResults); err != nil {
		t.Fatal(err)
	}
	for i, sc := range goScenarios {
		goRes := runGoScript(t, sc.Path, sc.Access, sc.Ops)
		for j := range sc.Ops {
			if !reflect.DeepEqual(normalize(goRes[j]), normalize(pyResults[i][j])) {
				t.Fatalf("scenario %d (%s), op %d %v: Go %.80v, Python %.80v\nops so far: %.2000v", i, sc.Access, j, sc.Ops[j], goRes[j], pyResults[i][j], sc.Ops[:j+1])
			}
		}
		if last := len(sc.Ops); !reflect.DeepEqual(goRes[last], pyResults[i][last]) {
			t.Fatalf("scenario %d (%s): region bytes differ at the end", i, sc.Access)
		}
		goFile, _ := os.ReadFile(sc.Path)
		pyFile, _ := os.ReadFile(pyScenarios[i].Path)
		if !bytes.Equal(goFile, pyFile) {
			t.Fatalf("scenario %d (%s): files differ after the script (%d vs %d bytes)", i, sc.Access, len(goFile), len(pyFile))
		}
	}
}

// normalize makes JSON numbers from Python and ints from Go compare equal.
func normalize(r [2]any) [2]any {
	b, _ := json.Marshal(r)
	var out [2]any
	json.Unmarshal(b, &out)
	return out
}

func randomText(rng *rand.Rand, n int) []byte {
	const alphabet = "ab\nc"
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return b
}

func randomScript(rng *rand.Rand, n int, access string) [][]any {
	hexOf := func(max int) string {
		return hex.EncodeToString(randomText(rng, rng.IntN(max+1)))
	}
	pos := func() int { return rng.IntN(3*mmap.PageSize+10) - 5 }
	var ops [][]any
	for range n {
		var op []any
		switch k := rng.IntN(16); k {
		case 0:
			op = []any{"read", rng.IntN(40)}
		case 1:
			op = []any{"read_byte"}
		case 2:
			op = []any{"readline"}
		case 3:
			op = []any{"seek", pos(), rng.IntN(3)}
		case 4:
			op = []any{"tell"}
		case 5:
			op = []any{"write", hexOf(8)}
		case 6:
			op = []any{"write_byte", rng.IntN(256)}
		case 7, 8:
			name := []string{"find", "rfind"}[k-7]
			switch rng.IntN(3) {
			case 0:
				op = []any{name, hexOf(3)}
			case 1:
				op = []any{name, hexOf(3), pos()}
			default:
				op = []any{name, hexOf(3), pos(), pos()}
			}
		case 9:
			op = []any{"move", pos(), pos(), rng.IntN(20) - 2}
		case 10:
			if access == "write" || access == "default" {
				op = []any{"resize", 1 + rng.IntN(3*mmap.PageSize)}
			} else {
				op = []any{"resize", 1 + rng.IntN(100)}
			}
		case 11:
			op = []any{"flush"}
		case 12:
			a := pos()
			op = []any{"slice", a, a + rng.IntN(20)}
		case 13:
			op = []any{"len"}
		case 14:
			op = []any{"size"}
		default:
			op = []any{"seek", 0, 0}
		}
		ops = append(ops, op)
	}
	return ops
}

// runGoScript runs ops on a Region and returns Python-shaped results.
func runGoScript(t *testing.T, path, access string, ops [][]any) [][2]any {
	acc := map[string]mmap.Access{"default": mmap.AccessDefault, "read": mmap.AccessRead, "write": mmap.AccessWrite, "copy": mmap.AccessCopy}[access]
	r, err := mmap.OpenFile(path, acc)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	num := func(v any) int { return int(v.(int)) }
	unhex := func(v any) []byte { b, _ := hex.DecodeString(v.(string)); return b }
	var out [][2]any
	for _, op := range ops {
		var val any
		var err error
		args := op[1:]
		switch op[0] {
		case "read":
			buf := make([]byte, num(args[0]))
			var n int
			n, err = r.Read(buf)
			if err == io.EOF || len(buf) == 0 {
				err = nil // Python returns b'' where Go returns io.EOF
			}
			val = hex.EncodeToString(buf[:n])
		case "read_byte":
			var c byte
			c, err = r.ReadByte()
			if err == io.EOF {
				err = mmap.ErrOutOfRange // Python: ValueError
			}
			val = int(c)
		case "readline":
			var line []byte
			line, err = r.ReadLine()
			if err == io.EOF {
				err = nil
			}
			val = hex.EncodeToString(line)
		case "seek":
			_, err = r.Seek(int64(num(args[0])), num(args[1]))
			val = int(r.Tell())
		case "tell":
			val = int(r.Tell())
		case "write":
			val, err = r.Write(unhex(args[0]))
		case "write_byte":
			err = r.WriteByte(byte(num(args[0])))
		case "find", "rfind":
			bounds := make([]int, len(args)-1)
			for i := range bounds {
				bounds[i] = num(args[i+1])
			}
			if op[0] == "find" {
				val = r.Find(unhex(args[0]), bounds...)
			} else {
				val = r.RFind(unhex(args[0]), bounds...)
			}
		case "move":
			err = r.Move(num(args[0]), num(args[1]), num(args[2]))
		case "resize":
			err = r.Resize(num(args[0]))
		case "flush":
			err = r.Flush()
		case "slice":
			val = hex.EncodeToString(pySlice(r.Bytes(), num(args[0]), num(args[1])))
		case "len":
			val = r.Len()
		case "size":
			var size int64
			size, err = r.Size()
			val = int(size)
		}
		if err != nil {
			out = append(out, [2]any{pyClass(err), nil})
		} else {
			out = append(out, [2]any{"ok", val})
		}
	}
	out = append(out, [2]any{"ok", hex.EncodeToString(r.Bytes())})
	return out
}

// pySlice is Python's b[a:b] with negative and out-of-range indices.
func pySlice(b []byte, lo, hi int) []byte {
	fix := func(i int) int {
		if i < 0 {
			i += len(b)
		}
		return max(0, min(i, len(b)))
	}
	lo, hi = fix(lo), fix(hi)
	if hi < lo {
		return nil
	}
	return b[lo:hi]
}

// pyClass names the Python exception class an error corresponds to.
func pyClass(err error) string {
	switch {
	case errors.Is(err, mmap.ErrReadOnly):
		return "TypeError"
	case errors.Is(err, mmap.ErrOutOfRange), errors.Is(err, mmap.ErrInvalid), errors.Is(err, mmap.ErrClosed):
		return "ValueError"
	}
	return "OSError: " + err.Error()
}
