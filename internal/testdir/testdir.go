// Package testdir gives the tests of this module temporary directories that every platform they
// run on can remove.
package testdir

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// New returns a new temporary directory, named after prefix, that is removed when the test ends.
// It stands in for t.TempDir, whose cleanup removes the tree with one recursive call that Wine
// (where the windows tests run in CI) does not implement: this one removes the entries one by one,
// deepest first, and reports any it cannot remove.
func New(t testing.TB, prefix string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		var paths []string
		filepath.WalkDir(dir, func(path string, _ fs.DirEntry, err error) error {
			paths = append(paths, path)
			return nil
		})
		for i := len(paths) - 1; i >= 0; i-- {
			if err := os.Remove(paths[i]); err != nil && !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("removing the temporary %s: %v", paths[i], err)
			}
		}
	})
	return dir
}
