package platform

import "errors"

// Classify sorts an error from this package by its cause; see the other platforms' Classify.
func Classify(err error) Class {
	switch {
	case errors.Is(err, errors.ErrUnsupported):
		return Unsupported
	case errors.Is(err, errInvalid):
		return Invalid
	}
	return Other
}

// IsFault reports whether err says a system call met memory it could not reach.
func IsFault(err error) bool { return false }
