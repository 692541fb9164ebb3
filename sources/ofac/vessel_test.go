package ofac

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// flagFragment is a second reading of the flag history in remarks, by a
// pattern that shares no code with the parser; it is applied to each
// "; "-separated piece.
var flagFragment = regexp.MustCompile(`^(?:alt\. )?(Former|Other) Vessel Flag (.+?)\.?$`)

// TestVesselFlagHistory: "Former Vessel Flag" and "Other Vessel Flag" (a
// remarks fragment in the CSV, an idList/id in the legacy XML, a Feature
// in the advanced XML, which reaches the same idList path) fill
// vessel.former_flags and vessel.other_flags in every format, and stay
// identifiers too. "Nationality of Registration" is no vessel flag: in
// the real files it is on aircraft and organizations only, and the entity
// has no field for a registration country, so it stays an identifier.
func TestVesselFlagHistory(t *testing.T) {
	sdn := sourcetest.MustParse(t, NewSDN(Config{}), sdnCSV20210707(t))
	consCSV := sourcetest.MustParse(t, NewConsolidated(Config{}), cons20180406CSV(t))
	consXML := sourcetest.MustParse(t, NewConsolidated(Config{}), cons20180406XML(t))
	tests := []struct {
		name          string
		p             *sourcetest.Parsed
		id            string
		former, other []string // as the publisher prints them, sorted
		printed       int      // flag fragments in the file's remarks (grep)
	}{
		// 15036,"ARTAVIL",...,"Former Vessel Flag Malta; alt. Former
		// Vessel Flag Tuvalu; alt. Former Vessel Flag None Identified;
		// alt. Former Vessel Flag Tanzania; ..."
		{"SDN CSV 2021-07-07", sdn, "15036", []string{"Malta", "None Identified", "Tanzania", "Tuvalu"}, nil, 123},
		// 23423,"PROGRES",...,"Other Vessel Flag Tanzania; alt. Other
		// Vessel Flag Trinidad and Tobago; ..."
		{"SDN CSV 2021-07-07", sdn, "23423", nil, []string{"Tanzania", "Trinidad and Tobago"}, 123},
		// 15036,"SHONA",...,"Former Vessel Flag Malta; alt. Former Vessel
		// Flag Tuvalu; alt. Former Vessel Flag None Identified; ..."
		{"CONS CSV 2018-04-06", consCSV, "15036", []string{"Malta", "None Identified", "Tuvalu"}, nil, 101},
		{"CONS XML 2018-04-06", consXML, "15036", []string{"Malta", "None Identified", "Tuvalu"}, nil, 101},
	}
	for _, tc := range tests {
		t.Run(tc.name+"/"+tc.id, func(t *testing.T) {
			e := tc.p.BySourceID[tc.id]
			if e.Vessel == nil || !slices.Equal(e.Vessel.FormerFlags, tc.former) || !slices.Equal(e.Vessel.OtherFlags, tc.other) {
				t.Fatalf("vessel %+v, want former %v, other %v", e.Vessel, tc.former, tc.other)
			}
			for _, f := range tc.former {
				if !hasRawType(e, "Former Vessel Flag", f) {
					t.Errorf("no identifier Former Vessel Flag %q", f)
				}
			}
			// Every flag fragment of the file lands in the vessel.
			printed, mapped := 0, 0
			for _, e := range tc.p.Entities {
				want := map[string][]string{}
				for _, piece := range strings.Split(e.Remarks, "; ") {
					if m := flagFragment.FindStringSubmatch(piece); m != nil {
						want[m[1]] = append(want[m[1]], m[2])
						printed++
					}
				}
				if len(want) == 0 {
					continue
				}
				if e.Vessel == nil {
					t.Errorf("%s: flags %v in remarks, no vessel", e.ID, want)
					continue
				}
				for kind, got := range map[string][]string{"Former": e.Vessel.FormerFlags, "Other": e.Vessel.OtherFlags} {
					w := slices.Compact(slices.Sorted(slices.Values(want[kind])))
					if !slices.Equal(got, w) {
						t.Errorf("%s: %s flags %v, remarks print %v", e.ID, kind, got, w)
					}
				}
				mapped += len(e.Vessel.FormerFlags) + len(e.Vessel.OtherFlags)
			}
			if printed != tc.printed || mapped != printed {
				t.Errorf("%d flag fragments in remarks (want %d), %d in vessels", printed, tc.printed, mapped)
			}
		})
	}

	// Nationality of Registration on an aircraft (27197, "RA-02791",
	// "...; Nationality of Registration Russia; ...") and on a company
	// (23149 YUSONG SHIPPING CO, "Korea, North").
	for _, c := range []struct{ id, want string }{{"27197", "Russia"}, {"23149", "Korea, North"}} {
		e := sdn.BySourceID[c.id]
		if !hasRawType(e, "Nationality of Registration", c.want) || (e.Vessel != nil && len(e.Vessel.FormerFlags)+len(e.Vessel.OtherFlags) > 0) {
			t.Errorf("%s: identifiers %+v, vessel %+v", c.id, e.Identifiers, e.Vessel)
		}
	}
	if e := sdn.BySourceID["27197"]; e.Type != entity.Aircraft {
		t.Errorf("27197 is a %s", e.Type)
	}
}

func hasRawType(e *entity.Entity, rawType, raw string) bool {
	return slices.ContainsFunc(e.Identifiers, func(id entity.Identifier) bool { return id.RawType == rawType && id.Raw == raw })
}
