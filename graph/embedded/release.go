package embedded

import (
	"runtime/debug"

	bolt "go.etcd.io/bbolt"
)

// releaseLoadMemory hands back to the operating system what loading used
// and the graph does not keep: the heap freed by decoding (returned at once
// rather than over minutes by the scavenger) and the file's pages that the
// scan mapped into the process (dropMapped). Without it the process stays
// at about twice the size of the graph it holds after opening.
func releaseLoadMemory(db *bolt.DB) {
	debug.FreeOSMemory()
	dropMapped(db)
}
