//go:build unix

package store

import (
	"os"
	"strconv"
	"syscall"
)

// fileID identifies the database file on its file system by inode: a copy,
// a restored backup or a file moved in from elsewhere has another one. The
// device number is left out, since it can change across boots (btrfs
// subvolumes, USB disks) while the file stays the same.
func fileID(path string) string {
	fi, err := os.Stat(path)
	if err != nil {
		return ""
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	return "ino:" + strconv.FormatUint(uint64(st.Ino), 10)
}
