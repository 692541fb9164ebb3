package normalize

import (
	"slices"
	"testing"
)

func TestSplitAnnotations(t *testing.T) {
	for _, tc := range []struct {
		in     string
		value  string
		groups []string
	}{
		{"Abu Muhammad (original script: Абу Мухаммад)", "Abu Muhammad", []string{"original script: Абу Мухаммад"}},                             // UN 6908574
		{"Abdul Baqi (previously listed as)", "Abdul Baqi", []string{"previously listed as"}},                                                   // DFAT 38
		{"Akhter Mohmad son of Noor Mohmad (اختر محمد ولد نور محمد ),", "Akhter Mohmad son of Noor Mohmad", []string{"اختر محمد ولد نور محمد"}}, // UN 111107
		{"PEARL (A.K.A. NEI-CHIEN CHU) LI", "PEARL LI", []string{"A.K.A. NEI-CHIEN CHU"}},                                                       // CSL DPL
		// Parts of the name stay.
		{"ABZAR BORESH KAVEH CO. (BK CO.)", "ABZAR BORESH KAVEH CO. (BK CO.)", nil},
		{"華信船務(香港)有限公司", "華信船務(香港)有限公司", nil},
		{"Lydia (When he was part of APR.)", "Lydia (When he was part of APR.)", nil},
		{"(original script)", "(original script)", nil},
		{"X (unclosed", "X (unclosed", nil},
	} {
		a := splitAnnotations(tc.in)
		if a.value != tc.value || !slices.Equal(a.groups, tc.groups) {
			t.Errorf("splitAnnotations(%q) = %+v, want %q %q", tc.in, a, tc.value, tc.groups)
		}
	}
}
