//go:build !linux

package embedded

import bolt "go.etcd.io/bbolt"

// dropMapped is a no-op where madvise is not used.
func dropMapped(*bolt.DB) {}
