package formats

import (
	"bytes"
	"context"
	"math/rand"
	"os"
	"testing"
	"time"
)

func TestZZHang(t *testing.T) {
	f := Format(os.Getenv("ZZF"))
	base := encode(t, f, crafted())
	r := rand.New(rand.NewSource(33))
	specials := []byte("{}[],:\"\\ \n<>&;/=0a\r\x00")
	for i := 0; i < 200000; i++ {
		d := append([]byte(nil), base...)
		for k := 0; k < 1+r.Intn(4); k++ {
			p := r.Intn(len(d))
			switch r.Intn(3) {
			case 0:
				d[p] = specials[r.Intn(len(specials))]
			case 1:
				d = append(d[:p], d[p+1:]...)
			case 2:
				d = append(d[:p], append([]byte{specials[r.Intn(len(specials))]}, d[p:]...)...)
			}
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			b, err := Decode(context.Background(), f, bytes.NewReader(d))
			if err == nil {
				var buf bytes.Buffer
				if err := Encode(context.Background(), f, b, &buf); err != nil {
					panic(err)
				}
				again, err := Decode(context.Background(), f, &buf)
				if err != nil {
					os.WriteFile("/tmp/rt.bin", d, 0o644)
					panic(err)
				}
				if jsonString(canonical(t, b)) != jsonString(canonical(t, again)) {
					os.WriteFile("/tmp/rt.bin", d, 0o644)
					panic("round trip differs:\n" + jsonString(canonical(t, b)) + "\n" + jsonString(canonical(t, again)))
				}
			}
		}()
		select {
		case <-done:
		case <-time.After(3 * time.Second):
			os.WriteFile("/tmp/hang.bin", d, 0o644)
			t.Fatalf("hang at %d", i)
		}
	}
}
