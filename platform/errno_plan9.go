package platform

// classifyErrno is Classify for what Plan 9 returned: its errors are strings, none of them sorted.
func classifyErrno(err error) Class { return Other }

// IsFault reports whether err says a system call met memory it could not reach.
func IsFault(err error) bool { return false }
