package embedded

import (
	"syscall"

	bolt "go.etcd.io/bbolt"
)

// dropMapped removes the pages of bbolt's read-only shared mapping of the
// file from the process (MADV_DONTNEED). They stay in the page cache, so a
// later read of a record faults its page back in without touching the
// disk; the process's resident size stops counting the whole file that
// loading read once. Failure only leaves the pages mapped.
func dropMapped(db *bolt.DB) {
	var size int64
	_ = db.View(func(tx *bolt.Tx) error { size = tx.Size(); return nil })
	if size <= 0 {
		return
	}
	_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, db.Info().Data, uintptr(size), syscall.MADV_DONTNEED)
}
