//go:build !plan9

package main

import (
	"errors"
	"syscall"
)

// errnoText returns the text of the OS error number inside err, if there is one.
func errnoText(err error) (string, bool) {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno.Error(), true
	}
	return "", false
}
