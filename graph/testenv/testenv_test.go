package testenv

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// childEnv, when set, makes TestMissing the child that needs the tool.
const childEnv = "SKEIN_TESTENV_CHILD"

const (
	fakeTool   = "skein-testenv-no-such-tool"
	fakeModule = "skein_testenv_no_such_module"
	fakeVar    = "SKEIN_TESTENV_NO_SUCH_VARIABLE"
	hint       = "apt-get install skein-testenv-hint"
)

// TestMissing runs this test binary again as a child that needs a tool,
// a Python module or a variable that does not exist: under CI=true the
// child must fail and print the hint; without CI it must skip and print
// the hint, and pass.
func TestMissing(t *testing.T) {
	if what := os.Getenv(childEnv); what != "" {
		switch what {
		case "program":
			Executable(t, fakeTool, hint)
		case "module":
			PythonModule(t, fakeModule, hint)
		case "env":
			Getenv(t, fakeVar, hint)
		}
		t.Fatal("Missing returned: the test went on without its tool")
	}
	for _, what := range []string{"program", "module", "env"} {
		for _, ci := range []string{"true", ""} {
			cmd := exec.Command(os.Args[0], "-test.run=^TestMissing$", "-test.v", "-test.count=1")
			cmd.Env = append(os.Environ(), childEnv+"="+what, "CI="+ci, fakeVar+"=")
			out, err := cmd.CombinedOutput()
			var exit *exec.ExitError
			failed := errors.As(err, &exit)
			if err != nil && !failed {
				t.Fatal(err)
			}
			text := string(out)
			if !strings.Contains(text, hint) {
				t.Errorf("%s, CI=%q: the output does not give the hint %q:\n%s", what, ci, hint, text)
			}
			if ci == "true" {
				if !failed || !strings.Contains(text, "--- FAIL: TestMissing") || !strings.Contains(text, "CI=true") {
					t.Errorf("%s, CI=true: want a loud failure, got (%v):\n%s", what, err, text)
				}
			} else if failed || !strings.Contains(text, "--- SKIP: TestMissing") {
				t.Errorf("%s, CI unset: want a skip, got (%v):\n%s", what, err, text)
			}
		}
	}
}

// TestFound checks the other side: what exists is returned, not refused.
func TestFound(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", filepath.Dir(exe))
	if got := Executable(t, filepath.Base(exe), hint); got != exe {
		t.Errorf("Executable = %q, want %q", got, exe)
	}
	t.Setenv(fakeVar, "set")
	if got := Getenv(t, fakeVar, hint); got != "set" {
		t.Errorf("Getenv = %q", got)
	}
}
