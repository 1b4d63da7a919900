//go:build unix

package app

import "golang.org/x/sys/unix"

// freeBytes is the space left for unprivileged writes on the file system
// holding dir.
func freeBytes(dir string) (uint64, error) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return 0, err
	}
	return st.Bavail * uint64(st.Bsize), nil // #nosec G115 -- block size is positive
}
