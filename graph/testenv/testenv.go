package testenv

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// CI reports whether the tests run under CI (CI=true), where nothing a
// test needs may be missing.
func CI() bool { return os.Getenv("CI") == "true" }

// Missing ends the test because what it needs is missing: under CI=true a
// failure, elsewhere a skip, each naming what is missing and the hint
// (how to install or start it).
func Missing(t testing.TB, what, hint string) {
	t.Helper()
	if CI() {
		t.Fatalf("needs %s, which is missing; under CI=true this fails instead of skipping. To fix: %s", what, hint)
	}
	t.Skipf("needs %s, which is missing. To run it: %s", what, hint)
}

// Executable returns the path of the program name found on PATH, or ends
// the test through Missing.
func Executable(t testing.TB, name, hint string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		Missing(t, "the program "+name, hint)
	}
	return path
}

// PythonModule returns the path of a python3 that imports module, or ends
// the test through Missing with Python's own complaint.
func PythonModule(t testing.TB, module, hint string) string {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		Missing(t, "python3 with the module "+module, hint)
		return ""
	}
	if out, err := exec.Command(py, "-c", "import "+module).CombinedOutput(); err != nil {
		Missing(t, "python3 with the module "+module+" ("+lastLine(out, err)+")", hint)
	}
	return py
}

// Getenv returns the environment variable name, or ends the test through
// Missing when it is unset or empty.
func Getenv(t testing.TB, name, hint string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		Missing(t, "the environment variable "+name, hint)
	}
	return v
}

// lastLine is the last line a failed command printed (a Python traceback
// ends with the error), or the error itself.
func lastLine(out []byte, err error) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if l := strings.TrimSpace(lines[len(lines)-1]); l != "" {
		return l
	}
	return err.Error()
}
