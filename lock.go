package mmap

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// lockShards is how many reader counters a regionLock spreads its readers over. A plain
// sync.RWMutex keeps one counter, and two cores doing 4 KiB ReadAt calls spend more time passing
// its cache line back and forth than copying.
const lockShards = 1 << lockShardBits

// lockShardBits is log2 of lockShards: rlock takes that many top bits of a hash.
const lockShardBits = 3

// regionLock is a reader-writer lock for the mapping: the methods that write, or run the OS's or
// the caller's code, hold it shared (and, where the OS cannot retire a range, the readers too),
// and Close and Resize hold it exclusively, so that a write is never cut short and memory is
// never unmapped under a call that holds it. Readers announce themselves on one of several padded counters (a "big-reader"
// lock); a writer raises a flag, then waits for every counter to drain. Readers that meet the
// flag fall back to the RWMutex, which the writer holds.
type regionLock struct {
	writer  atomic.Bool // read by every reader, written only by writers
	mu      sync.RWMutex
	_       [64]byte // keep the counters off the line that holds writer
	readers [lockShards]struct {
		n atomic.Int32
		_ [64 - 4]byte // one cache line each
	}
}

// slowReader is the token rlock returns when the reader took the RWMutex.
const slowReader = -1

// rlock takes the lock shared and returns the token for runlock. Its fast path is small enough
// for the compiler to inline into every method.
func (l *regionLock) rlock() int {
	// Goroutines run on separate stacks, so a stack address spreads concurrent readers over the
	// counters without any shared state; the same goroutine tends to land on the same counter.
	var probe byte
	i := uint32(uintptr(unsafe.Pointer(&probe))>>11) * 0x9E3779B1 >> (32 - lockShardBits)
	l.readers[i].n.Add(1)
	if l.writer.Load() {
		return l.rlockSlow(int(i))
	}
	return int(i)
}

// rlockSlow backs out of counter i and waits on the RWMutex, which a writer holds.
func (l *regionLock) rlockSlow(i int) int {
	l.readers[i].n.Add(-1)
	l.mu.RLock()
	return slowReader
}

// runlock releases what rlock took. It is small enough to inline: leave, which runs at the end of
// every method, calls it.
func (l *regionLock) runlock(token int) {
	if token == slowReader {
		l.runlockSlow()
		return
	}
	l.readers[token&(lockShards-1)].n.Add(-1)
}

func (l *regionLock) runlockSlow() { l.mu.RUnlock() }

// lock takes the lock exclusively. It waits for readers in flight, which hold it for one call
// (or, in WriteTo, ReadFrom and Guard, for one call of the caller's code).
func (l *regionLock) lock() {
	l.mu.Lock()
	l.writer.Store(true)
	for i := range l.readers {
		for spin := 0; l.readers[i].n.Load() != 0; spin++ {
			if spin < 100 {
				runtime.Gosched()
			} else {
				time.Sleep(20 * time.Microsecond)
			}
		}
	}
}

func (l *regionLock) unlock() {
	l.writer.Store(false)
	l.mu.Unlock()
}
