package platform

import (
	"os"

	"golang.org/x/sys/unix"
)

// Allocate reserves disk blocks for n bytes of the file fd from off (F_PREALLOCATE, which
// allocates past the file's physical end without changing its size), so that writing there later
// through a mapping cannot meet a full disk. A full disk is an error wrapping ENOSPC.
func Allocate(fd uintptr, off, n int64) error {
	// F_PREALLOCATE counts from the physical end of the file: ask for all the room up to off+n.
	var st unix.Stat_t
	if err := unix.Fstat(int(fd), &st); err != nil {
		return os.NewSyscallError("fstat", err)
	}
	want := off + n - st.Blocks*512
	if want <= 0 {
		return nil
	}
	fs := unix.Fstore_t{Flags: unix.F_ALLOCATECONTIG | unix.F_ALLOCATEALL, Posmode: unix.F_PEOFPOSMODE, Length: want}
	if err := unix.FcntlFstore(fd, unix.F_PREALLOCATE, &fs); err != nil {
		fs.Flags = unix.F_ALLOCATEALL // contiguous space is a wish, not a need
		if err := unix.FcntlFstore(fd, unix.F_PREALLOCATE, &fs); err != nil {
			return os.NewSyscallError("fcntl(F_PREALLOCATE)", err)
		}
	}
	return nil
}
