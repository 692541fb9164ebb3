package normalize_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources/all"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// This file parses real publications under ../testdata with their
// sources, normalizes every entity as the pipeline does, and checks which
// identifiers end up invalid (issue 14: OFAC's 2021-07-07 SDN list had 18,
// 15 of them false alarms).

// invalidPub is one real publication and what its identifiers give.
type invalidPub struct {
	source, dir string
	// prepare returns the folder to parse; nil parses dir as it is.
	prepare func(t *testing.T, dir string) string
	// before counts the identifiers that fail the check of their label's
	// type alone, which is what normalize did before it knew the entity
	// type and the value (company IMO numbers, OFAC's Dutch "Legal Entity
	// Number"s).
	before int
	// companyIMO and leiLabelRegistration count the identifiers retyped:
	// imo_company (valid), and registration_number under "Legal Entity
	// Number".
	companyIMO, leiLabelRegistration int
	// invalid lists every identifier invalid after normalization as
	// "entity-id type raw", each a real failure looked at by hand.
	invalid []string
	// valid lists identifiers, as "entity-id type raw", that must be
	// present and pass their check.
	valid []string
}

var invalidPubs = []invalidPub{
	{source: "us_ofac_sdn", dir: "2019-01-15", prepare: withEndMark, before: 17, companyIMO: 9, leiLabelRegistration: 6, invalid: []string{
		// Libyan registry numbers of the vessels GALAXY and LIMAR under
		// "Vessel Registration Identification" (IMO numbers have 7 digits).
		"us_ofac_sdn-23424 imo IMO 15411",
		"us_ofac_sdn-23428 imo IMO 04714",
	}},
	{source: "us_ofac_sdn", dir: "2021-07-07", before: 18, companyIMO: 9, leiLabelRegistration: 6, invalid: []string{
		"us_ofac_sdn-23424 imo IMO 15411",
		// A Monero key of 64 hex digits listed as an address.
		"us_ofac_sdn-29585 crypto_wallet 5be5543ff73456ab9f2d207887e2af87322c651ea1a873c5b25b7ffae456c320",
		// An ETH address a hex digit short (corrected in later lists).
		"us_ofac_sdn-29702 crypto_wallet 0xa7e5d5a720f06526557c513402f2e6b5fa20b00",
	}},
	// SDN.CSV alone, without SDN_COMMENTS.CSV: 18 Remarks are cut at
	// 1,000 characters. Since sources/ofac reads no fact from the
	// fragment a cut broke (commit 952c026, issue 17), the six addresses
	// cut off there (30518 "1Gq", 33151 "1B64QRxf", 33854 "3", 36216
	// "1B11Ezqg3AXj", 37070 "3F6bbvS1krsc1qR8FsbTDfYQyvkMm", 39585
	// "1N6XqS") are issues of the source, not invalid identifiers; and
	// 42496's last address, cut right after its ";", is read without it and
	// is valid. So 7 fewer fail their label's check (29 before) and 7
	// fewer are invalid.
	{source: "us_ofac_sdn", dir: "history/2024-05-03T1843Z_sdn.csv.gz", prepare: asSDNCSV, before: 22, companyIMO: 9, leiLabelRegistration: 6, invalid: []string{
		"us_ofac_sdn-23424 imo 15411",
		"us_ofac_sdn-29585 crypto_wallet 5be5543ff73456ab9f2d207887e2af87322c651ea1a873c5b25b7ffae456c320",
		// Russian register numbers of two yachts under "Vessel
		// Registration Identification".
		"us_ofac_sdn-37479 imo RS 150443",
		"us_ofac_sdn-37482 imo RS 130280",
		// OFAC's "Legal Entity Number" of VELES AKTIV OOO: an LEI's 20
		// characters with wrong check digits.
		"us_ofac_sdn-40781 lei 253400VTMXV2UE7XNN67",
		// ... and of WINDFEL PROPERTIES LIMITED: 21380068XRFK54K3Z159, a
		// valid LEI, without its "3".
		"us_ofac_sdn-41502 lei 2180068XRFK54K3Z159",
		// A Tron address listed as XBT.
		"us_ofac_sdn-45404 crypto_wallet TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq",
	}, valid: []string{
		// The address before the cut, whole: 34 characters, a P2PKH
		// address's most, and its Base58Check sum holds.
		"us_ofac_sdn-42496 crypto_wallet 18yWCu6agTxYqAerMxiz9sgHrK3ViezzGa",
	}},
	// DFAT's Additional Information prints the IMO company numbers of 18
	// ship owners and managers (sources/dfat reports each as "likely an
	// IMO company number").
	{source: "au_dfat", dir: "2024-12-17", before: 18, companyIMO: 18},
	{source: "au_dfat", dir: "2026-02-24", before: 19, companyIMO: 18, invalid: []string{
		// A vessel's IMO Number with a wrong check digit
		// (testdata/au_dfat/README.md).
		"au_dfat-8631 imo 9434980",
	}},
}

func TestInvalidIdentifiersRealPublications(t *testing.T) {
	registry := map[string]int{}
	reg := all.Registry(all.Config{})
	for i, s := range reg {
		registry[s.Info().Name] = i
	}
	for _, pub := range invalidPubs {
		t.Run(pub.source+"/"+pub.dir, func(t *testing.T) {
			dir := filepath.Join("../testdata", pub.source, pub.dir)
			if pub.prepare != nil {
				dir = pub.prepare(t, dir)
			}
			p, err := sourcetest.Parse(t, reg[registry[pub.source]], dir)
			if err != nil {
				t.Fatal(err)
			}
			var cov normalize.Coverage
			before, company, registration := 0, 0, 0
			var invalid []string
			valid := map[string]bool{}
			for _, e := range p.Entities {
				normalize.Entity(e, &cov)
				for _, id := range e.Identifiers {
					if labelInvalid(id) {
						before++
					}
					switch {
					case id.Type == "imo_company": // normalize.IDIMOCompany, spelled out so that the test runs on the code before it too
						company++
						checkCompanyIMO(t, e, id)
					case id.Type == normalize.IDRegistration && id.RawType == "Legal Entity Number":
						registration++
						if id.Valid != nil {
							t.Errorf("%s: registration number %q under %q has validity %v", e.ID, id.Raw, id.RawType, *id.Valid)
						}
					}
					if id.Valid != nil && !*id.Valid {
						invalid = append(invalid, e.ID+" "+id.Type+" "+id.Raw)
					}
					if id.Valid != nil && *id.Valid {
						valid[e.ID+" "+id.Type+" "+id.Raw] = true
					}
				}
			}
			for _, x := range invalid {
				t.Logf("invalid: %s", x)
			}
			t.Logf("%d entities, %d identifiers: %d invalid by their label's type alone, %d after (%d imo_company, %d registration_number under \"Legal Entity Number\")",
				len(p.Entities), cov.Identifiers, before, len(invalid), company, registration)
			if before != pub.before {
				t.Errorf("%d identifiers invalid by their label's type alone, want %d", before, pub.before)
			}
			if company != pub.companyIMO || registration != pub.leiLabelRegistration {
				t.Errorf("%d imo_company, %d registration_number under \"Legal Entity Number\"; want %d, %d",
					company, registration, pub.companyIMO, pub.leiLabelRegistration)
			}
			if !slices.Equal(invalid, pub.invalid) {
				t.Errorf("invalid identifiers:\n%s\nwant:\n%s", strings.Join(invalid, "\n"), strings.Join(pub.invalid, "\n"))
			}
			for _, x := range pub.valid {
				if !valid[x] {
					t.Errorf("no valid identifier %s", x)
				}
			}
			if cov.IdentifiersInvalid != len(pub.invalid) {
				t.Errorf("coverage counts %d invalid identifiers, want %d", cov.IdentifiersInvalid, len(pub.invalid))
			}
		})
	}
}

// labelInvalid reports whether id fails the check of the type its label
// gives, without regard to its entity.
func labelInvalid(id entity.Identifier) bool {
	typ, cur := normalize.IdentifierType(id.RawType)
	switch typ {
	case "", normalize.IDOther:
		typ, cur = id.Type, ""
		if typ == normalize.IDCryptoWallet {
			cur = id.Note
		}
	}
	raw := id.Raw
	if raw == "" {
		raw = id.Value
	}
	_, valid, _ := normalize.NormalizeIdentifier(typ, cur, raw)
	return valid != nil && !*valid
}

// checkCompanyIMO checks that a company number is valid, held by an entity
// that is not a vessel, and fails the ship number check.
func checkCompanyIMO(t *testing.T, e *entity.Entity, id entity.Identifier) {
	t.Helper()
	if e.Type == entity.Vessel {
		t.Errorf("%s: vessel with an imo_company identifier %q", e.ID, id.Raw)
	}
	if id.Valid == nil || !*id.Valid {
		t.Errorf("%s: imo_company %q not valid", e.ID, id.Raw)
	}
	if _, ship, _ := normalize.NormalizeIdentifier(normalize.IDIMO, "", id.Raw); *ship {
		t.Errorf("%s: imo_company %q passes the ship number check", e.ID, id.Raw)
	}
}

// withEndMark copies an OFAC folder re-saved without the 0x1A OFAC ends
// its files with, decompressed, each file given the mark back.
func withEndMark(t *testing.T, dir string) string {
	out := t.TempDir()
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		data := sourcetest.Gunzip(t, filepath.Join(dir, f.Name()))
		if err := os.WriteFile(filepath.Join(out, strings.TrimSuffix(f.Name(), ".gz")), append(data, 0x1a), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// asSDNCSV gives a capture of SDN.CSV alone (testdata/us_ofac_sdn/history)
// a folder of its own.
func asSDNCSV(t *testing.T, path string) string {
	out := t.TempDir()
	if err := os.WriteFile(filepath.Join(out, "SDN.CSV"), sourcetest.Gunzip(t, path), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}
