package formats

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// TestBadRowsAreBounded reproduces the amplification of bad input: a zip
// of a few KB holding millions of bad rows, and an FtM file of bad lines.
// The error lists MaxRows rows, counts the rest, and stays small.
func TestBadRowsAreBounded(t *testing.T) {
	const n = 300_000
	var csvZip bytes.Buffer
	zw := zip.NewWriter(&csvZip)
	w, err := zw.Create(csvNodes)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("id:ID,:LABEL,kind,name\n" + strings.Repeat("p,Entity;Person,ALIEN,x\n", n))); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	ftm := []byte(strings.Repeat("not json\n", n))
	for _, tc := range []struct {
		f    Format
		data []byte
	}{{CSV, csvZip.Bytes()}, {FtM, ftm}, {JSON, []byte(`{"entities":[` + strings.Repeat(`{"id":"p","kind":"ALIEN","name":"x"},`, 100_000) + `{"id":"p","kind":"ALIEN","name":"x"}]}`)}} {
		t.Run(string(tc.f), func(t *testing.T) {
			_, derr := Decode(context.Background(), tc.f, bytes.NewReader(tc.data))
			var ie *ImportError
			if !errors.As(derr, &ie) {
				t.Fatalf("error %v, want an *ImportError", derr)
			}
			if len(ie.Rows) != MaxRows || ie.More == 0 || ie.Total() < 100_000 {
				t.Errorf("%d rows listed and %d more, want %d listed and the rest counted", len(ie.Rows), ie.More, MaxRows)
			}
			body, err := json.Marshal(map[string]any{"error": derr.Error(), "rows": ie.Rows, "more": ie.More})
			if err != nil {
				t.Fatal(err)
			}
			if len(body) > MaxRows*(maxRowMessage+100) {
				t.Errorf("error of %d bytes for a %d-byte file", len(body), len(tc.data))
			}
			if !strings.Contains(derr.Error(), "more") {
				t.Errorf("message %.200q does not say how many more", derr.Error())
			}
		})
	}
}

// TestInvalidUTF8IsRefused checks that a file with bytes that are not
// UTF-8 is refused with their line, in every readable format, rather than
// imported with U+FFFD in place of the bytes.
func TestInvalidUTF8IsRefused(t *testing.T) {
	bad := "Krasniq\xff"
	for _, tc := range []struct {
		f    Format
		data []byte
		line int
		file string
	}{
		{JSON, []byte("{\"entities\":[\n{\"id\":\"p1\",\"kind\":\"PERSON\",\"name\":\"" + bad + "\"}\n]}"), 2, ""},
		{FtM, []byte("{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A\"]}}\n\n{\"id\":\"b\",\"schema\":\"Person\",\"properties\":{\"name\":[\"" + bad + "\"]}}\n"), 3, ""},
		{GraphML, []byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n<key id=\"n\" for=\"node\" attr.name=\"name\" attr.type=\"string\"/>\n<graph edgedefault=\"directed\">\n<node id=\"p1\"><data key=\"n\">" + bad + "</data></node>\n</graph>\n</graphml>"), 5, ""},
		{CSV, zipOf(t, map[string]string{csvNodes: "id:ID,:LABEL,kind,name\np1,Entity;Person,PERSON,A\np2,Entity;Person,PERSON," + bad + "\n"}), 3, csvNodes},
	} {
		t.Run(string(tc.f), func(t *testing.T) {
			rows := badRows(t, tc.f, tc.data)
			if len(rows) != 1 || rows[0].Line != tc.line || rows[0].File != tc.file || !strings.Contains(rows[0].Message, "UTF-8") {
				t.Fatalf("rows %+v, want one at %s line %d about UTF-8", rows, tc.file, tc.line)
			}
		})
	}
}
