//go:build !amd64

package search

// haveSetScanVector reports whether setScanBlocks runs here: only on amd64 with AVX2.
const haveSetScanVector = false

// The vector loops are never called here: every call is behind haveSetScanVector.

func setScanBlocks(p *byte, blocks, k int, tables *[setScanMax][2][16]byte) (block int, mask uint32) {
	panic("setScanBlocks without vectors")
}

func litScanBlocks(p *byte, blocks, k int, lit *[setScanMax]byte) (block int, mask uint32) {
	panic("litScanBlocks without vectors")
}

func pairScanBlocks(p *byte, blocks, k int, lit, alt *[setScanMax]byte) (block int, mask uint32) {
	panic("pairScanBlocks without vectors")
}
