package search

import "golang.org/x/sys/cpu"

// haveSetScanVector reports whether setScanBlocks runs here: it needs AVX2.
var haveSetScanVector = cpu.X86.HasAVX2

// setScanBlocks looks at blocks of 32 starts from p and returns the first block holding a start
// where the k sets fit, with the mask of those starts in it, or blocks and 0. It reads
// p[0 : 32*blocks+k-1].
//
//go:noescape
func setScanBlocks(p *byte, blocks, k int, tables *[setScanMax][2][16]byte) (block int, mask uint32)

// litScanBlocks is setScanBlocks for sets of one byte each, lit[:k]: a comparison a position.
//
//go:noescape
func litScanBlocks(p *byte, blocks, k int, lit *[setScanMax]byte) (block int, mask uint32)

// pairScanBlocks is setScanBlocks for sets of one or two bytes each: position i holds lit[i] or
// alt[i] (equal to lit[i] for a set of one byte).
//
//go:noescape
func pairScanBlocks(p *byte, blocks, k int, lit, alt *[setScanMax]byte) (block int, mask uint32)
