// Package cputime reads the CPU time this process has used. On a shared
// machine the benchmarks report it next to wall time, which other load
// inflates; it is one place so that every package's benchmarks measure it
// alike.
package cputime
