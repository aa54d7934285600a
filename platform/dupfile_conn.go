//go:build unix || windows

package platform

import "os"

// DupFile duplicates the descriptor (on Windows, the handle) behind f, so that a mapping and the
// calls that need the file (FileSize, Resize, Sync) keep working after the caller closes f.
func DupFile(f *os.File) (uintptr, error) {
	sc, err := f.SyscallConn()
	if err != nil {
		return NoFile, err
	}
	fd, dupErr := NoFile, error(nil)
	if err := sc.Control(func(sysfd uintptr) { fd, dupErr = Dup(sysfd) }); err != nil {
		return NoFile, err
	}
	return fd, dupErr
}
