//go:build !unix

package cputime

import "time"

// Process is 0: the CPU time is read only on Unix.
func Process() time.Duration { return 0 }
