package ofac

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

func TestConformance(t *testing.T) {
	tests := []struct {
		name string
		src  sources.Source
		dir  string
	}{
		{"sdn csv 2021-07-07", NewSDN(Config{}), "../../testdata/us_ofac_sdn/2021-07-07"},
		{"sdn xml excerpt 2020-10-29, counted", NewSDN(Config{}), excerptCountedDir(t)},
		{"cons xml 2023-03-08", NewConsolidated(Config{}), "../../testdata/us_ofac_cons/2023-03-08"},
		{"cons csv 2025-12-19", NewConsolidated(Config{}), "../../testdata/us_ofac_cons/2025-12-19"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { sourcetest.Run(t, tc.src, tc.dir) })
	}
}

// excerptCountedDir holds the SDN.XML excerpt with the Record_Count of the
// entries it kept (see excerptCounted): as it is, it is refused.
func excerptCountedDir(t *testing.T) string {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "SDN.XML"), excerptCounted(t), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}
