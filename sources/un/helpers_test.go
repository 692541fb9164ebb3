package un

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

const testdata = "../../testdata/un_sc"

// publications are the dates of the real publications in testdata.
var publications = []string{
	"2018-06-07", "2018-06-21", "2018-08-24", "2018-10-29", "2020-03-20",
	"2020-10-02", "2023-03-09", "2024-11-30", "2026-02-27",
}

// readPublication returns the XML of the publication of date.
func readPublication(t testing.TB, date string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(testdata, date, FileName+".gz"))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s: %v", date, err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("%s: %v", date, err)
	}
	return data
}

// inputOf writes data as consolidated.xml into a temporary folder and
// returns it as an acquired input.
func inputOf(t testing.TB, data []byte) *sources.Input {
	t.Helper()
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return &sources.Input{Format: "xml", Files: []*fetch.File{{Name: FileName, Path: path, Bytes: int64(len(data))}}}
}

// parsed is the outcome of one Parse.
type parsed struct {
	entities []*entity.Entity
	byID     map[string]*entity.Entity
	meta     sources.Meta
	issues   []sources.Issue
	err      error
}

func parseBytes(t testing.TB, data []byte) parsed {
	t.Helper()
	var p parsed
	var issues sources.Issues
	p.byID = map[string]*entity.Entity{}
	p.meta, p.err = New(Config{}).Parse(context.Background(), inputOf(t, data), func(e *entity.Entity) error {
		e.Canonicalize()
		p.entities = append(p.entities, e)
		p.byID[e.SourceID] = e
		return nil
	}, &issues)
	p.issues = issues.List()
	return p
}

func mustParse(t testing.TB, data []byte) parsed {
	t.Helper()
	p := parseBytes(t, data)
	if p.err != nil {
		t.Fatalf("parse: %v", p.err)
	}
	return p
}

// entity returns the entity with DATAID id or fails.
func (p parsed) entity(t testing.TB, id string) *entity.Entity {
	t.Helper()
	e := p.byID[id]
	if e == nil {
		t.Fatalf("no entity with DATAID %s", id)
	}
	return e
}

var (
	individualTag = regexp.MustCompile(`<INDIVIDUAL(\s[^>]*)?>`)
	entityTag     = regexp.MustCompile(`<ENTITY(\s[^>]*)?>`)
	dataIDElem    = regexp.MustCompile(`<DATAID>\s*([^<\s]+)\s*</DATAID>`)
)

// countRecords counts the INDIVIDUAL and ENTITY start tags of an XML file
// by a byte scan, independently of the parser: "<INDIVIDUAL>" or
// "<INDIVIDUAL attr...>", never the self-closed "<INDIVIDUAL/>" (an empty
// record) nor "<INDIVIDUAL_ALIAS>".
func countRecords(data []byte) (individuals, entities int) {
	count := func(re *regexp.Regexp) int {
		n := 0
		for _, m := range re.FindAll(data, -1) {
			if !bytes.HasSuffix(m, []byte("/>")) {
				n++
			}
		}
		return n
	}
	return count(individualTag), count(entityTag)
}

// dataIDs returns the set of DATAID values of an XML file, by a byte scan.
func dataIDs(data []byte) map[string]bool {
	ids := map[string]bool{}
	for _, m := range dataIDElem.FindAllSubmatch(data, -1) {
		ids[string(m[1])] = true
	}
	return ids
}

// issueString prints an issue as file:line:record: problem.
func issueString(is sources.Issue) string {
	return fmt.Sprintf("%s:%d:%s: %s", is.File, is.Line, is.Record, is.Problem)
}

func join(s []string) string { return "\t" + strings.Join(s, "\n\t") }
