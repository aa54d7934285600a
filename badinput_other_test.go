//go:build !unix

package mmap_test

// extraBadInputs: the FIFO and device cases need a Unix file system.
var extraBadInputs []badInput
