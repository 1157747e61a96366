package embedded

import (
	"fmt"
	"testing"
)

func TestIDTable(t *testing.T) {
	tab := newIDTable(5000)
	for i := range 5000 {
		if !tab.put(fmt.Sprintf("person:%d", i), int32(i)) {
			t.Fatalf("put %d reported a clash", i)
		}
	}
	for i := range 5000 {
		if n, ok := tab.get(fmt.Sprintf("person:%d", i)); !ok || n != int32(i) {
			t.Fatalf("get %d = %d, %v", i, n, ok)
		}
	}
	if _, ok := tab.get("person:none"); ok {
		t.Errorf("found an id never put")
	}
	if tab.put("person:7", 99) {
		t.Errorf("putting an id twice did not report a clash")
	}
}
