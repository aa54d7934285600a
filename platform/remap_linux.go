package platform

import "golang.org/x/sys/unix"

const mremapMayMove = unix.MREMAP_MAYMOVE
