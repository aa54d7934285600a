#include "textflag.h"

// func lines(first, last uintptr)
TEXT ·lines(SB), NOSPLIT|NOFRAME, $0-16
	MOVQ	first+0(FP), AX
	MOVQ	last+8(FP), BX
	PREFETCHT0	(AX)
	PREFETCHT0	(BX)
	RET
