#include "textflag.h"

// hiBits0 maps a high nibble h to 1<<h for h < 8, and to 0 for h >= 8; hiBits1 the other half.
DATA hiBits0<>+0(SB)/8, $0x8040201008040201
DATA hiBits0<>+8(SB)/8, $0x0000000000000000
GLOBL hiBits0<>(SB), RODATA|NOPTR, $16
DATA hiBits1<>+0(SB)/8, $0x0000000000000000
DATA hiBits1<>+8(SB)/8, $0x8040201008040201
GLOBL hiBits1<>(SB), RODATA|NOPTR, $16

// MEMBER sets OUT to non-zero bytes (a high nibble's bit, not 0xff) where the bytes of V are in the set whose tables are A and
// B (low nibble → bits of high nibbles 0-7 and 8-15). Clobbers Y10-Y12.
#define MEMBER(V, A, B, OUT) \
	VPSRLW $4, V, Y10 \
	VPAND Y15, Y10, Y10 \
	VPAND Y15, V, Y11 \
	VPSHUFB Y11, A, OUT \
	VPSHUFB Y10, Y13, Y12 \
	VPAND Y12, OUT, OUT \
	VPSHUFB Y11, B, Y11 \
	VPSHUFB Y10, Y14, Y12 \
	VPAND Y12, Y11, Y11 \
	VPOR Y11, OUT, OUT

// func setScanBlocks(p *byte, blocks, k int, tables *[setScanMax][2][16]byte) (block int, mask uint32)
TEXT ·setScanBlocks(SB), NOSPLIT, $0-44
	MOVQ p+0(FP), SI
	MOVQ blocks+8(FP), CX
	MOVQ k+16(FP), DX
	MOVQ tables+24(FP), DI
	MOVQ $0x0f, AX
	MOVQ AX, X15
	VPBROADCASTB X15, Y15
	VBROADCASTI128 hiBits0<>(SB), Y13
	VBROADCASTI128 hiBits1<>(SB), Y14
	VBROADCASTI128 0(DI), Y1
	VBROADCASTI128 16(DI), Y2
	VBROADCASTI128 32(DI), Y3
	VBROADCASTI128 48(DI), Y4
	VBROADCASTI128 64(DI), Y5
	VBROADCASTI128 80(DI), Y6
	VPXOR Y0, Y0, Y0
	XORQ BX, BX

loop:
	CMPQ BX, CX
	JAE none
	// Y8 collects, for each start, 0xff if some position's byte is not in its set.
	VMOVDQU (SI), Y7
	MEMBER(Y7, Y1, Y2, Y9)
	VPCMPEQB Y0, Y9, Y8
	CMPQ DX, $1
	JEQ test
	VMOVDQU 1(SI), Y7
	MEMBER(Y7, Y3, Y4, Y9)
	VPCMPEQB Y0, Y9, Y9
	VPOR Y9, Y8, Y8
	CMPQ DX, $2
	JEQ test
	VMOVDQU 2(SI), Y7
	MEMBER(Y7, Y5, Y6, Y9)
	VPCMPEQB Y0, Y9, Y9
	VPOR Y9, Y8, Y8
	CMPQ DX, $3
	JEQ test
	// The fourth set's tables have no register left: they come from memory, into registers
	// that MEMBER's steps have done with.
	VMOVDQU 3(SI), Y7
	VPSRLW $4, Y7, Y10
	VPAND Y15, Y10, Y10
	VPAND Y15, Y7, Y11
	VBROADCASTI128 96(DI), Y9
	VPSHUFB Y11, Y9, Y9
	VPSHUFB Y10, Y13, Y12
	VPAND Y12, Y9, Y9
	VBROADCASTI128 112(DI), Y7
	VPSHUFB Y11, Y7, Y11
	VPSHUFB Y10, Y14, Y12
	VPAND Y12, Y11, Y11
	VPOR Y11, Y9, Y9
	VPCMPEQB Y0, Y9, Y9
	VPOR Y9, Y8, Y8

test:
	VPMOVMSKB Y8, AX
	NOTL AX
	TESTL AX, AX
	JNZ found
	ADDQ $32, SI
	INCQ BX
	JMP loop

found:
	VZEROUPPER
	MOVQ BX, block+32(FP)
	MOVL AX, mask+40(FP)
	RET

none:
	VZEROUPPER
	MOVQ CX, block+32(FP)
	MOVL $0, mask+40(FP)
	RET

// func litScanBlocks(p *byte, blocks, k int, lit *[setScanMax]byte) (block int, mask uint32)
TEXT ·litScanBlocks(SB), NOSPLIT, $0-44
	MOVQ p+0(FP), SI
	MOVQ blocks+8(FP), CX
	MOVQ k+16(FP), DX
	MOVQ lit+24(FP), DI
	VPBROADCASTB 0(DI), Y1
	VPBROADCASTB 1(DI), Y2
	VPBROADCASTB 2(DI), Y3
	VPBROADCASTB 3(DI), Y4
	XORQ BX, BX

litloop:
	CMPQ BX, CX
	JAE litnone
	VPCMPEQB (SI), Y1, Y8
	CMPQ DX, $1
	JEQ littest
	VPCMPEQB 1(SI), Y2, Y9
	VPAND Y9, Y8, Y8
	CMPQ DX, $2
	JEQ littest
	VPCMPEQB 2(SI), Y3, Y9
	VPAND Y9, Y8, Y8
	CMPQ DX, $3
	JEQ littest
	VPCMPEQB 3(SI), Y4, Y9
	VPAND Y9, Y8, Y8

littest:
	VPMOVMSKB Y8, AX
	TESTL AX, AX
	JNZ litfound
	ADDQ $32, SI
	INCQ BX
	JMP litloop

litfound:
	VZEROUPPER
	MOVQ BX, block+32(FP)
	MOVL AX, mask+40(FP)
	RET

litnone:
	VZEROUPPER
	MOVQ CX, block+32(FP)
	MOVL $0, mask+40(FP)
	RET

// func pairScanBlocks(p *byte, blocks, k int, lit, alt *[setScanMax]byte) (block int, mask uint32)
TEXT ·pairScanBlocks(SB), NOSPLIT, $0-52
	MOVQ p+0(FP), SI
	MOVQ blocks+8(FP), CX
	MOVQ k+16(FP), DX
	MOVQ lit+24(FP), DI
	MOVQ alt+32(FP), R8
	VPBROADCASTB 0(DI), Y1
	VPBROADCASTB 1(DI), Y2
	VPBROADCASTB 2(DI), Y3
	VPBROADCASTB 0(R8), Y4
	VPBROADCASTB 1(R8), Y5
	VPBROADCASTB 2(R8), Y6
	VPBROADCASTB 3(DI), Y11
	VPBROADCASTB 3(R8), Y12
	XORQ BX, BX

pairloop:
	CMPQ BX, CX
	JAE pairnone
	VMOVDQU (SI), Y7
	VPCMPEQB Y7, Y1, Y8
	VPCMPEQB Y7, Y4, Y9
	VPOR Y9, Y8, Y8
	CMPQ DX, $1
	JEQ pairtest
	VMOVDQU 1(SI), Y7
	VPCMPEQB Y7, Y2, Y9
	VPCMPEQB Y7, Y5, Y10
	VPOR Y10, Y9, Y9
	VPAND Y9, Y8, Y8
	CMPQ DX, $2
	JEQ pairtest
	VMOVDQU 2(SI), Y7
	VPCMPEQB Y7, Y3, Y9
	VPCMPEQB Y7, Y6, Y10
	VPOR Y10, Y9, Y9
	VPAND Y9, Y8, Y8
	CMPQ DX, $3
	JEQ pairtest
	VMOVDQU 3(SI), Y7
	VPCMPEQB Y7, Y11, Y9
	VPCMPEQB Y7, Y12, Y10
	VPOR Y10, Y9, Y9
	VPAND Y9, Y8, Y8

pairtest:
	VPMOVMSKB Y8, AX
	TESTL AX, AX
	JNZ pairfound
	ADDQ $32, SI
	INCQ BX
	JMP pairloop

pairfound:
	VZEROUPPER
	MOVQ BX, block+40(FP)
	MOVL AX, mask+48(FP)
	RET

pairnone:
	VZEROUPPER
	MOVQ CX, block+40(FP)
	MOVL $0, mask+48(FP)
	RET
