package pipeline_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
)

// Every version folder holds entities.csv: one row per entity of
// entities.jsonl.gz, in id order, recorded in the manifest's outputs.
func TestEntitiesCSV(t *testing.T) {
	st := newStore(t)
	res := runFrom(t, st, newClock(), "us_ofac_cons", filepath.Join(testdata, "us_ofac_cons/2018-04-06"))
	if res.Outcome != pipeline.Published {
		t.Fatalf("%s %v", res.Outcome, res.Err)
	}
	b, err := os.ReadFile(filepath.Join(st.Location(), filepath.FromSlash(layout.Object("us_ofac_cons", res.Version, layout.EntitiesCSVName))))
	if err != nil {
		t.Fatal(err)
	}
	body, ok := bytes.CutPrefix(b, []byte("\ufeff"))
	if !ok {
		t.Fatal("entities.csv does not start with the UTF-8 BOM")
	}
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	lines := entityLines(t, st, "us_ofac_cons", res.Version)
	if len(rows) != len(lines)+1 || rows[0][0] != "id" {
		t.Fatalf("%d rows for %d entities", len(rows), len(lines))
	}
	for i, line := range lines {
		if e := decode(t, line); rows[i+1][0] != e.ID || rows[i+1][3] != e.Name {
			t.Fatalf("row %d: %q %q, entity %s %q", i+1, rows[i+1][0], rows[i+1][3], e.ID, e.Name)
		}
	}
	sum := sha256.Sum256(b)
	m := manifest(t, st, "us_ofac_cons", res.Version)
	found := false
	for _, o := range m.Outputs {
		found = found || (o.Name == layout.EntitiesCSVName && o.SHA256 == hex.EncodeToString(sum[:]) && o.Bytes == int64(len(b)))
	}
	if !found {
		t.Errorf("manifest outputs %+v lack entities.csv with its checksum", m.Outputs)
	}
}
