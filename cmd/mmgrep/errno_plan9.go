package main

// errnoText returns the text of the OS error number inside err: Plan 9 has none, its errors are
// strings.
func errnoText(err error) (string, bool) { return "", false }
