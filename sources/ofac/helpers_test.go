package ofac

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

const testdata = "../../testdata"

// readTestdata returns a testdata file's bytes, gunzipped when its name
// ends in .gz.
func readTestdata(t testing.TB, rel string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(testdata, rel))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(rel, ".gz") {
		return raw
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return data
}

// inputOf writes files (official name -> bytes) into a temporary folder
// and returns them as an acquired input of format.
func inputOf(t testing.TB, format string, files map[string][]byte) *sources.Input {
	t.Helper()
	dir := t.TempDir()
	in := &sources.Input{Format: format}
	for name, data := range files {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		in.Files = append(in.Files, &fetch.File{Name: name, Path: path, Bytes: int64(len(data))})
	}
	return in
}

// testdataInput reads testdata files into an input: official name ->
// testdata path.
func testdataInput(t testing.TB, format string, files map[string]string) *sources.Input {
	t.Helper()
	data := map[string][]byte{}
	for name, rel := range files {
		data[name] = readTestdata(t, rel)
	}
	return inputOf(t, format, data)
}

// parsed is the outcome of one Parse.
type parsed struct {
	entities []*entity.Entity
	byID     map[string]*entity.Entity
	meta     sources.Meta
	issues   []sources.Issue
	err      error
}

func parse(t testing.TB, src sources.Source, in *sources.Input) parsed {
	t.Helper()
	var p parsed
	var issues sources.Issues
	p.byID = map[string]*entity.Entity{}
	p.meta, p.err = src.Parse(context.Background(), in, func(e *entity.Entity) error {
		e.Canonicalize()
		p.entities = append(p.entities, e)
		p.byID[e.ID] = e
		return nil
	}, &issues)
	p.issues = issues.List()
	return p
}

// mustParse parses and fails the test on an error.
func mustParse(t testing.TB, src sources.Source, in *sources.Input) parsed {
	t.Helper()
	p := parse(t, src, in)
	if p.err != nil {
		t.Fatalf("parse: %v", p.err)
	}
	return p
}

func canonical(t testing.TB, e *entity.Entity) string {
	t.Helper()
	b, err := e.MarshalCanonical()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Test inputs from testdata.

func sdnCSV20210707(t testing.TB) *sources.Input {
	return testdataInput(t, "csv", map[string]string{
		"SDN.CSV":          "us_ofac_sdn/2021-07-07/sdn.csv.gz",
		"ADD.CSV":          "us_ofac_sdn/2021-07-07/add.csv.gz",
		"ALT.CSV":          "us_ofac_sdn/2021-07-07/alt.csv.gz",
		"SDN_COMMENTS.CSV": "us_ofac_sdn/2021-07-07/sdn_comments.csv.gz",
	})
}

func cons20180406CSV(t testing.TB) *sources.Input {
	return testdataInput(t, "csv", map[string]string{
		"CONS_PRIM.CSV": "us_ofac_cons/2018-04-06/cons_prim.csv.gz",
		"CONS_ADD.CSV":  "us_ofac_cons/2018-04-06/cons_add.csv.gz",
		"CONS_ALT.CSV":  "us_ofac_cons/2018-04-06/cons_alt.csv.gz",
	})
}

func cons20180406XML(t testing.TB) *sources.Input {
	return testdataInput(t, "xml", map[string]string{
		"CONSOLIDATED.XML": "us_ofac_cons/2018-04-06/consolidated.xml.gz",
	})
}
