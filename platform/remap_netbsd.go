package platform

// NetBSD's mremap moves the mapping when it must unless MAP_FIXED is given.
const mremapMayMove = 0
