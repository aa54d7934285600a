//go:build !linux

package bench

import (
	"errors"
	"os"
	"testing"
)

func dropCache(string) error { return errors.ErrUnsupported }

func fdatasync(f *os.File) error { return f.Sync() }

func reportMemory(*testing.B) {}
