//go:build unix

package graph_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used: on a shared machine the
// benchmarks report it next to wall time, which other load inflates.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
