package ofac

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

const testdata = "../../testdata"

// readTestdata returns a testdata file's bytes, gunzipped when its name
// ends in .gz.
func readTestdata(t testing.TB, rel string) []byte {
	t.Helper()
	return sourcetest.ReadFile(t, filepath.Join(testdata, rel))
}

// testdataInput reads testdata files into an input: official name ->
// testdata path.
func testdataInput(t testing.TB, format string, files map[string]string) *sources.Input {
	t.Helper()
	data := map[string][]byte{}
	for name, rel := range files {
		data[name] = readTestdata(t, rel)
	}
	return sourcetest.InputOf(t, format, data)
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

// cons20200317Advanced is the 2020-03-17 consolidated list in the advanced
// XML; cons20200317XML is the same publication in the legacy XML.
func cons20200317Advanced(t testing.TB) *sources.Input {
	return testdataInput(t, "advanced", map[string]string{
		"CONS_ADVANCED.XML": "us_ofac_cons/2020-03-17/cons_advanced.xml.gz",
	})
}

func cons20200317XML(t testing.TB) *sources.Input {
	return testdataInput(t, "xml", map[string]string{
		"CONSOLIDATED.XML": "us_ofac_cons/2020-03-17/consolidated.xml.gz",
	})
}

// sdnCSV20240502 is the SDN.CSV the archiver captured on 2024-05-02
// (14,973 entries), without its companions.
func sdnCSV20240502(t testing.TB) *sources.Input {
	return testdataInput(t, "csv", map[string]string{
		"SDN.CSV": "us_ofac_sdn/history/2024-05-02T1843Z_sdn.csv.gz",
	})
}

// isLinkIssue tells the linker's summary issues (links.go) from the rest.
func isLinkIssue(is sources.Issue) bool {
	return strings.Contains(is.Problem, " Linked To relations (")
}

// otherIssues returns the issues that are not the linker's.
func otherIssues(issues []sources.Issue) []sources.Issue {
	return slices.DeleteFunc(slices.Clone(issues), isLinkIssue)
}

// linkIssues returns the linker's issues.
func linkIssues(issues []sources.Issue) []sources.Issue {
	return slices.DeleteFunc(slices.Clone(issues), func(is sources.Issue) bool { return !isLinkIssue(is) })
}
