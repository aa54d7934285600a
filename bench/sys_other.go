//go:build !linux

package bench

import (
	"errors"
	"os"
	"testing"
	"time"
)

func dropCache(string) error { return errors.ErrUnsupported }

func cpuTime() time.Duration { return 0 }

func fdatasync(f *os.File) error { return f.Sync() }

func reportMemory(*testing.B) {}
