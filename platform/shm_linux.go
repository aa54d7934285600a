package platform

import (
	"os"

	"golang.org/x/sys/unix"
)

// sharedMemoryDir is where Linux keeps named POSIX shared memory (glibc's shm_open opens files
// there): a tmpfs, so the memory never goes to disk.
const sharedMemoryDir = "/dev/shm/"

// SharedMemory returns a descriptor of shared memory at least size bytes long: the object called
// name in /dev/shm, created if it does not exist (and grown to size, never shrunk), or for name ""
// a new memfd sealed against shrinking (F_SEAL_SHRINK), so that no process it is handed to can
// take pages away from under a mapping of it. The caller owns the descriptor.
func SharedMemory(name string, size int64) (uintptr, error) {
	if name == "" {
		fd, err := unix.MemfdCreate("mmap", unix.MFD_CLOEXEC|unix.MFD_ALLOW_SEALING)
		if err != nil {
			return NoFile, os.NewSyscallError("memfd_create", err)
		}
		if err := unix.Ftruncate(fd, size); err != nil {
			unix.Close(fd)
			return NoFile, os.NewSyscallError("ftruncate", err)
		}
		if _, err := unix.FcntlInt(uintptr(fd), unix.F_ADD_SEALS, unix.F_SEAL_SHRINK); err != nil {
			unix.Close(fd)
			return NoFile, os.NewSyscallError("fcntl(F_ADD_SEALS)", err)
		}
		return uintptr(fd), nil
	}
	return openSharedFile(sharedMemoryDir+name, size)
}

// RemoveSharedMemory removes the name of the shared memory object name; memory mapped from it
// stays valid until unmapped.
func RemoveSharedMemory(name string) error {
	return os.Remove(sharedMemoryDir + name)
}
