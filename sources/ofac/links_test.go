package ofac

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// linkCount counts a parse's relations and those with a target id.
func linkCount(p *sourcetest.Parsed) (relations, resolved int) {
	for _, e := range p.Emitted {
		for _, r := range e.Relations {
			relations++
			if r.TargetID != "" {
				resolved++
			}
		}
	}
	return relations, resolved
}

// The 2020-03-17 publication in the legacy XML, whose relations carry only
// the target's name, and in the advanced XML, whose ProfileRelationships
// carry the publisher's own ids: every target id the legacy parse resolves
// by name is the advanced XML's for the same entity and target name.
// Strong aliases in the index change nothing here (the SDN list shows why
// they stay out: TestLinkedToAliases).
func TestLinkedToAgreesWithAdvanced20200317(t *testing.T) {
	adv := sourcetest.MustParse(t, NewConsolidated(Config{}), cons20200317Advanced(t))
	byName := map[[2]string][]string{} // (entity id, target name) -> target ids
	for _, e := range adv.Emitted {
		for _, r := range e.Relations {
			k := [2]string{e.ID, r.TargetName}
			byName[k] = append(byName[k], r.TargetID)
		}
	}
	for _, aliases := range []bool{false, true} {
		src := NewConsolidated(Config{}).(*source)
		src.linkAliases = aliases
		leg := sourcetest.MustParse(t, src, cons20200317XML(t))
		if len(leg.Issues) > 0 {
			t.Errorf("aliases %t: issues %v", aliases, leg.Issues)
		}
		relations, resolved, disagree := 0, 0, 0
		for _, e := range leg.Emitted {
			for _, r := range e.Relations {
				relations++
				want := byName[[2]string{e.ID, r.TargetName}]
				if r.TargetID == "" {
					t.Logf("aliases %t: %s -> %q not resolved; advanced XML: %v", aliases, e.ID, r.TargetName, want)
					continue
				}
				resolved++
				if !slices.Contains(want, r.TargetID) {
					disagree++
					t.Errorf("aliases %t: %s -> %q resolved to %s, the advanced XML says %v", aliases, e.ID, r.TargetName, r.TargetID, want)
				}
			}
		}
		t.Logf("aliases %t: %d of %d relations resolved, %d disagree with the advanced XML", aliases, resolved, relations, disagree)
		if relations != 276 || resolved != 276 {
			t.Errorf("aliases %t: %d of %d relations resolved, want 276 of 276 (measured)", aliases, resolved, relations)
		}
	}
}

// linkedToCases are the legacy publications of testdata with the counts
// measured on them: relations, resolved, and the relations left without
// target id because no entity (unresolved) or several (ambiguous) have
// the name.
var linkedToCases = []struct {
	name, file                                 string // file: the main file, which the issues name
	src                                        func(Config) sources.Source
	input                                      func(testing.TB) *sources.Input
	relations, resolved, unresolved, ambiguous int
}{
	{"SDN CSV 2021-07-07", "SDN.CSV", NewSDN, sdnCSV20210707, 3408, 3397, 7, 4},
	{"SDN CSV 2024-05-02 (main file only)", "SDN.CSV", NewSDN, sdnCSV20240502, 6383, 6372, 8, 3},
	{"CONS XML 2018-04-06", "CONSOLIDATED.XML", NewConsolidated, cons20180406XML, 365, 365, 0, 0},
	{"CONS CSV 2018-04-06", "CONS_PRIM.CSV", NewConsolidated, cons20180406CSV, 365, 365, 0, 0},
	{"CONS XML 2020-03-17", "CONSOLIDATED.XML", NewConsolidated, cons20200317XML, 276, 276, 0, 0},
	{"CONS XML 2023-03-08", "CONSOLIDATED.XML", NewConsolidated, func(t testing.TB) *sources.Input {
		return testdataInput(t, "xml", map[string]string{"CONSOLIDATED.XML": "us_ofac_cons/2023-03-08/consolidated.xml.gz"})
	}, 285, 285, 0, 0},
	{"CONS CSV 2025-12-19", "CONS_PRIM.CSV", NewConsolidated, func(t testing.TB) *sources.Input {
		return testdataInput(t, "csv", map[string]string{
			"CONS_PRIM.CSV": "us_ofac_cons/2025-12-19/cons_prim.csv.gz", "CONS_ADD.CSV": "us_ofac_cons/2025-12-19/cons_add.csv.gz",
			"CONS_ALT.CSV": "us_ofac_cons/2025-12-19/cons_alt.csv.gz", "CONS_COMMENTS.CSV": "us_ofac_cons/2025-12-19/cons_comments.csv.gz",
		})
	}, 283, 282, 1, 0},
}

// Every legacy publication of testdata: a relation gets the id of the
// entity whose primary name has the target's match key when exactly one
// entity has it, checked against a reading of the whole output by plain
// maps (no hash, no held file). The relations left without id are the
// ones the two issues count, and the issues name the first few.
func TestLinkedToResolution(t *testing.T) {
	for _, tc := range linkedToCases {
		t.Run(tc.name, func(t *testing.T) {
			p := sourcetest.MustParse(t, tc.src(Config{}), tc.input(t))
			owners := map[string][]string{} // primary name's match key -> distinct ids
			for _, e := range p.Emitted {
				for _, n := range e.Names {
					if k := normalize.MatchKey(n.Value); n.Kind == entity.KindPrimary && !slices.Contains(owners[k], e.ID) {
						owners[k] = append(owners[k], e.ID)
					}
				}
			}
			unresolved, ambiguous := 0, 0
			var missNames, severalNames []string
			for _, e := range p.Emitted {
				for _, r := range e.Relations {
					ids := owners[normalize.MatchKey(r.TargetName)]
					want := ""
					switch len(ids) {
					case 0:
						unresolved++
						missNames = append(missNames, r.TargetName)
					case 1:
						want = ids[0]
					default:
						ambiguous++
						severalNames = append(severalNames, r.TargetName)
					}
					if r.TargetID != want {
						t.Errorf("%s -> %q: target_id %q, want %q (entities so named: %v)", e.ID, r.TargetName, r.TargetID, want, ids)
					}
					if r.TargetID == e.ID {
						t.Errorf("%s -> %q: linked to itself", e.ID, r.TargetName)
					}
				}
			}
			relations, resolved := linkCount(p)
			t.Logf("%d relations: %d resolved, %d name no entity, %d several", relations, resolved, unresolved, ambiguous)
			if relations != tc.relations || resolved != tc.resolved || unresolved != tc.unresolved || ambiguous != tc.ambiguous {
				t.Errorf("relations/resolved/unresolved/ambiguous %d/%d/%d/%d, want %d/%d/%d/%d (measured)",
					relations, resolved, unresolved, ambiguous, tc.relations, tc.resolved, tc.unresolved, tc.ambiguous)
			}
			issues := linkIssues(p.Issues)
			want := 0
			for _, n := range []int{unresolved, ambiguous} {
				if n > 0 {
					want++
				}
			}
			if len(issues) != want {
				t.Fatalf("Linked To issues %v, want %d", issues, want)
			}
			for i, c := range []struct {
				n     int
				what  string
				names []string
			}{{unresolved, "no entity", missNames}, {ambiguous, "more than one entity", severalNames}} {
				if c.n == 0 {
					continue
				}
				is := issues[0]
				if i == 1 && unresolved > 0 {
					is = issues[1]
				}
				prefix := fmt.Sprintf("%d Linked To relations (", c.n)
				if !strings.HasPrefix(is.Problem, prefix) || !strings.Contains(is.Problem, " name "+c.what+" of the list") || is.File != tc.file {
					t.Errorf("issue %+v, want %q... name %s of the list", is, prefix, c.what)
				}
				if !strings.Contains(is.Problem, `"`+c.names[0]+`" (`) {
					t.Errorf("issue %q does not name the first target %q", is.Problem, c.names[0])
				}
			}
		})
	}
}

// The issues of SDN 2021-07-07, in full: the names and the entities that
// cite them (20130 is a DPRK official, 25436 a Russian one, each linked to
// its own country's Ministry of State Security: two entities of one
// name, so neither gets an id).
func TestLinkedToIssues20210707(t *testing.T) {
	p := sourcetest.MustParse(t, NewSDN(Config{}), sdnCSV20210707(t))
	want := []sources.Issue{
		{File: "SDN.CSV", Problem: `7 Linked To relations (3 names) name no entity of the list; they keep the target's name without target_id: "OPEN JOINT-STOCK COMPANY ROSNEFT OIL COMPANY" (cited by 18299, 28603); "ROSTEC" (cited by 18782); "PRESIDENCY OF DEFENSE INDUSTRIES" (cited by 27018, 30685, 30686)`},
		{File: "SDN.CSV", Problem: `4 Linked To relations (2 names) name more than one entity of the list; they keep the target's name without target_id: "MINISTRY OF STATE SECURITY" (entities 20129, 25437 and maybe more; cited by 20130, 25436); "SMILE PROPERTY & TRAVEL LTD" (entities 26466, 26603 and maybe more; cited by 26402, 26463)`},
	}
	if got := linkIssues(p.Issues); !slices.Equal(got, want) {
		t.Errorf("issues:\n got %v\nwant %v", got, want)
	}
}

// Strong aliases in the name index (linkAliases) resolve none of the
// relations primary names leave without id and make many ambiguous: an
// alias of one entity is often another's primary name. So only primary
// names count.
func TestLinkedToAliases(t *testing.T) {
	primary := sourcetest.MustParse(t, NewSDN(Config{}), sdnCSV20210707(t))
	src := NewSDN(Config{}).(*source)
	src.linkAliases = true
	aliases := sourcetest.MustParse(t, src, sdnCSV20210707(t))
	_, withPrimary := linkCount(primary)
	_, withAliases := linkCount(aliases)
	gained := 0
	for _, e := range aliases.Emitted {
		pe := primary.ByID[e.ID]
		for i, r := range e.Relations {
			if r.TargetID != "" && pe.Relations[i].TargetID == "" {
				gained++
				t.Logf("%s -> %q: only aliases resolve it, to %s", e.ID, r.TargetName, r.TargetID)
			}
		}
	}
	t.Logf("resolved: %d by primary names, %d with strong aliases too (%d only so)", withPrimary, withAliases, gained)
	if withPrimary != 3397 || withAliases != 3258 || gained != 0 {
		t.Errorf("resolved %d by primary names, %d with aliases (%d only so), want 3397, 3258, 0 (measured)", withPrimary, withAliases, gained)
	}
}

// A target printed after the entity that cites it is resolved too (the
// citing entity waits), and the entities come in a fixed order: those
// without relations as they are read, then the held ones in file order.
func TestLinkedToOrder(t *testing.T) {
	p := sourcetest.MustParse(t, NewSDN(Config{}), sdnCSV20210707(t))
	again := sourcetest.MustParse(t, NewSDN(Config{}), sdnCSV20210707(t))
	pos := map[string]int{}
	rows := 0
	for line := range bytes.SplitSeq(readTestdata(t, "us_ofac_sdn/2021-07-07/sdn.csv.gz"), []byte("\r\n")) {
		if id, _, ok := bytes.Cut(line, []byte(",")); ok {
			pos["us_ofac_sdn-"+string(id)] = rows
			rows++
		}
	}
	later, held := 0, false
	for i, e := range p.Emitted {
		if sourcetest.Canonical(e) != sourcetest.Canonical(again.Emitted[i]) {
			t.Fatalf("entity %d: %s, then %s", i, e.ID, again.Emitted[i].ID)
		}
		if i > 0 && len(e.Relations) > 0 == held && pos[e.ID] < pos[p.Emitted[i-1].ID] {
			t.Errorf("%s emitted after %s, which the file prints later", e.ID, p.Emitted[i-1].ID)
		}
		if len(e.Relations) == 0 && held {
			t.Errorf("%s without relations emitted after a held entity", e.ID)
		}
		held = held || len(e.Relations) > 0
		for _, r := range e.Relations {
			if r.TargetID != "" && pos[r.TargetID] > pos[e.ID] {
				later++
			}
		}
	}
	t.Logf("relations resolved to an entity printed later: %d", later)
	if later == 0 {
		t.Error("no target printed after the entity citing it: the case is not tested")
	}
}

// A record printed twice (the same uid, which the pipeline drops) does not
// make its own name ambiguous: the relations that name it keep their
// target id.
func TestLinkedToRepeatedRecord(t *testing.T) {
	orig := sourcetest.MustParse(t, NewSDN(Config{}), sdnCSV20210707(t))
	// 15117 is the target of several relations.
	const target = "us_ofac_sdn-15117"
	cited := 0
	for _, e := range orig.Emitted {
		for _, r := range e.Relations {
			if r.TargetID == target {
				cited++
			}
		}
	}
	if cited == 0 {
		t.Fatalf("%s is no relation's target", target)
	}
	data := readTestdata(t, "us_ofac_sdn/2021-07-07/sdn.csv.gz")
	start := bytes.Index(data, []byte("\r\n15117,")) + 2
	end := start + bytes.Index(data[start:], []byte("\r\n")) + 2
	last := bytes.LastIndexByte(data, 0x1a)
	files := map[string][]byte{"SDN.CSV": slices.Concat(data[:last], data[start:end], data[last:])}
	for name, f := range map[string]string{"ADD.CSV": "add.csv.gz", "ALT.CSV": "alt.csv.gz", "SDN_COMMENTS.CSV": "sdn_comments.csv.gz"} {
		files[name] = readTestdata(t, "us_ofac_sdn/2021-07-07/"+f)
	}
	p := sourcetest.MustParse(t, NewSDN(Config{}), sourcetest.InputOf(t, "csv", files))
	if len(p.Emitted) != len(orig.Emitted)+1 {
		t.Fatalf("%d entities, want %d", len(p.Emitted), len(orig.Emitted)+1)
	}
	for _, e := range orig.Emitted {
		for i, r := range e.Relations {
			if got := p.ByID[e.ID].Relations[i]; got != r {
				t.Errorf("%s: relation %+v, without the repeated record %+v", e.ID, got, r)
			}
		}
	}
	if !slices.Equal(linkIssues(p.Issues), linkIssues(orig.Issues)) {
		t.Errorf("issues %v, without the repeated record %v", linkIssues(p.Issues), linkIssues(orig.Issues))
	}
}

// The held entities go to a file in Config.TempDir (the run's scratch
// folder), which is gone when Parse returns, also when emit fails.
func TestLinkedToHeldInTempDir(t *testing.T) {
	for _, fail := range []bool{false, true} {
		dir := t.TempDir()
		seen := -1
		var issues sources.Issues
		errStop := errors.New("stop")
		_, err := NewSDN(Config{TempDir: dir}).Parse(t.Context(), sdnCSV20210707(t), func(e *entity.Entity) error {
			if len(e.Relations) > 0 && seen < 0 {
				m, _ := filepath.Glob(filepath.Join(dir, "ofac-linked-*"))
				seen = len(m)
				if fail {
					return errStop
				}
			}
			return nil
		}, &issues)
		if fail != errors.Is(err, errStop) {
			t.Errorf("fail %t: err %v", fail, err)
		}
		if seen != 1 {
			t.Errorf("fail %t: %d files of held entities in TempDir, want 1", fail, seen)
		}
		if left, _ := filepath.Glob(filepath.Join(dir, "*")); len(left) != 0 {
			t.Errorf("fail %t: left after Parse: %v", fail, left)
		}
	}
}

// The linker's memory is its name index: measured on the 14,973 entities
// of the 2024-05-02 SDN.CSV, held entities included (they are on disk).
func TestLinkIndexBytes(t *testing.T) {
	p := sourcetest.MustParse(t, NewSDN(Config{}), sdnCSV20240502(t))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	lk := (&source{files: files{name: "us_ofac_sdn"}, cfg: Config{TempDir: t.TempDir()}}).newLinker()
	defer lk.close()
	for _, e := range p.Emitted {
		// As the parser gives them: without target ids.
		for i := range e.Relations {
			e.Relations[i].TargetID = ""
		}
		if err := lk.put(e, func(*entity.Entity) error { return nil }); err != nil {
			t.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(lk)
	per := float64(after.HeapAlloc-before.HeapAlloc) / float64(len(p.Emitted))
	t.Logf("%d entities (%d held on disk), %d names indexed: %.1f bytes of heap per entity", len(p.Emitted), lk.n, len(lk.index), per)
	if len(p.Emitted) != 14973 {
		t.Fatalf("%d entities, want 14,973", len(p.Emitted))
	}
	// Measured 32 to 33; a held entity kept in memory would cost about
	// 2 KB.
	if per > 64 {
		t.Errorf("%.1f bytes per entity, want at most 64", per)
	}
}

// The entities that wait on disk come back as they went in, but for their
// target ids: every entity of SDN 2021-07-07 and of the 2024-05-02
// capture, put through a linker without target ids, is emitted with the
// JSON line the parse gave it.
func TestLinkerKeepsEntities(t *testing.T) {
	for _, in := range []func(testing.TB) *sources.Input{sdnCSV20210707, sdnCSV20240502} {
		p := sourcetest.MustParse(t, NewSDN(Config{}), in(t))
		lk := (&source{files: files{name: "us_ofac_sdn"}, cfg: Config{TempDir: t.TempDir()}}).newLinker()
		want := map[string]string{}
		got := map[string]string{}
		collect := func(e *entity.Entity) error {
			b, err := json.Marshal(e)
			got[e.ID] = string(b)
			return err
		}
		for _, e := range p.Emitted {
			b, err := json.Marshal(e)
			if err != nil {
				t.Fatal(err)
			}
			want[e.ID] = string(b)
			var c entity.Entity
			if err := json.Unmarshal(b, &c); err != nil {
				t.Fatal(err)
			}
			for i := range c.Relations {
				c.Relations[i].TargetID = ""
			}
			if err := lk.put(&c, collect); err != nil {
				t.Fatal(err)
			}
		}
		held := lk.n
		var issues sources.Issues
		if err := lk.finish(t.Context(), "SDN.CSV", collect, &issues); err != nil {
			t.Fatal(err)
		}
		lk.close()
		if held == 0 || len(got) != len(want) {
			t.Fatalf("%d entities (%d held), want %d", len(got), held, len(want))
		}
		for id, w := range want {
			if got[id] != w {
				t.Errorf("%s:\n got %s\nwant %s", id, got[id], w)
			}
		}
		t.Logf("%d entities, %d of them held on disk, come back equal", len(want), held)
	}
}
