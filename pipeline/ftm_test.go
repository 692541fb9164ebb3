package pipeline_test

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/combine"
	"github.com/sanctions-etl/sanctions-etl/ftm"
	"github.com/sanctions-etl/sanctions-etl/pipeline"
	"github.com/sanctions-etl/sanctions-etl/sink"
	"github.com/sanctions-etl/sanctions-etl/sink/layout"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

func readObject(t testing.TB, st sink.Store, key string) []byte {
	t.Helper()
	rc, _, err := st.Get(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	var b bytes.Buffer
	if _, err := b.ReadFrom(rc); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func splitLines(b []byte) [][]byte {
	if len(b) == 0 {
		return nil
	}
	return bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n"))
}

// ftmByID indexes an export's lines by id.
func ftmByID(t testing.TB, export []byte) map[string]string {
	t.Helper()
	m := map[string]string{}
	for _, line := range splitLines(export) {
		var head struct{ ID string }
		if err := json.Unmarshal(line, &head); err != nil {
			t.Fatal(err)
		}
		m[head.ID] = string(line)
	}
	return m
}

// checkFtMHistory checks the FtM export of every version of a source,
// oldest first: it validates against the FtM schemata with no problem;
// the manifest's counts, size and SHA-1 are the file's; and the delta,
// applied to the previous version's export, gives this version's export
// exactly, with an op for the main entity of every add, remove and
// change delta.jsonl.gz lists. It returns the number of versions checked.
func checkFtMHistory(t *testing.T, ss *ftm.Schemata, st sink.Store, source string) int {
	t.Helper()
	versions := versionsOf(t, st, source)
	slices.Reverse(versions)
	var prev map[string]string
	for i, v := range versions {
		if !v.FtM {
			t.Errorf("%s %s: versions.json does not mark the FtM export", source, v.Version)
		}
		m := manifest(t, st, source, v.Version)
		export := readObject(t, st, layout.Object(source, v.Version, layout.FtMName))
		var ents []ftm.Entity
		bySchema := map[string]int{}
		for _, line := range splitLines(export) {
			var f ftm.Entity
			if err := json.Unmarshal(line, &f); err != nil {
				t.Fatalf("%s %s: %v", source, v.Version, err)
			}
			ents = append(ents, f)
			bySchema[f.Schema]++
		}
		problems := ss.Validate(slices.Values(ents))
		for j, p := range problems {
			if j == 10 {
				t.Errorf("%s %s: ... %d problems", source, v.Version, len(problems))
				break
			}
			t.Errorf("%s %s: %s", source, v.Version, p)
		}
		if m.FtM == nil || m.FtM.Entities != len(ents) || !maps.Equal(m.FtM.BySchema, bySchema) {
			t.Errorf("%s %s: manifest ftm %+v, the file holds %d: %v", source, v.Version, m.FtM, len(ents), bySchema)
		}
		sum := sha1.Sum(export)
		found := false
		for _, o := range m.Outputs {
			if o.Name == layout.FtMName {
				found = o.SHA1 == hex.EncodeToString(sum[:]) && o.Bytes == int64(len(export))
			}
		}
		if !found {
			t.Errorf("%s %s: the manifest's output record of %s is not the file's size and SHA-1", source, v.Version, layout.FtMName)
		}

		next := ftmByID(t, export)
		delta := readObject(t, st, layout.Object(source, v.Version, layout.FtMDeltaName))
		if i == 0 {
			if len(delta) != 0 || m.FtM.DeltaFrom != "" {
				t.Errorf("%s %s: a first version's FtM delta holds %d bytes (from %q)", source, v.Version, len(delta), m.FtM.DeltaFrom)
			}
			prev = next
			continue
		}
		ops := map[string]string{}
		var counts ftm.DeltaCounts
		for _, line := range splitLines(delta) {
			var op struct {
				Op     string          `json:"op"`
				Entity json.RawMessage `json:"entity"`
			}
			if err := json.Unmarshal(line, &op); err != nil {
				t.Fatalf("%s %s: %v", source, v.Version, err)
			}
			var head struct{ ID string }
			json.Unmarshal(op.Entity, &head)
			ops[head.ID] = op.Op
			_, had := prev[head.ID]
			switch op.Op {
			case ftm.OpAdd, ftm.OpMod:
				if had != (op.Op == ftm.OpMod) {
					t.Errorf("%s %s: %s of %s, previous export has it: %v", source, v.Version, op.Op, head.ID, had)
				}
				if op.Op == ftm.OpAdd {
					counts.Add++
				} else {
					counts.Mod++
				}
				prev[head.ID] = string(op.Entity)
			case ftm.OpDel:
				counts.Del++
				if prev[head.ID] != string(op.Entity) {
					t.Errorf("%s %s: DEL of %s without its previous body", source, v.Version, head.ID)
				}
				delete(prev, head.ID)
			default:
				t.Fatalf("%s %s: op %q", source, v.Version, op.Op)
			}
		}
		if len(prev) != len(next) {
			t.Errorf("%s %s: the delta applied gives %d entities, the export has %d", source, v.Version, len(prev), len(next))
		}
		for id, line := range next {
			if prev[id] != line {
				t.Errorf("%s %s: the delta applied gives another %s than the export", source, v.Version, id)
				break
			}
		}
		if counts != m.FtM.Delta || m.FtM.DeltaFrom != pipeline.FtMFromExport {
			t.Errorf("%s %s: delta lines %+v, manifest %+v from %q", source, v.Version, counts, m.FtM.Delta, m.FtM.DeltaFrom)
		}
		want := map[string]string{"add": ftm.OpAdd, "remove": ftm.OpDel, "change": ftm.OpMod}
		for _, line := range gzLines(t, st, layout.Object(source, v.Version, layout.DeltaName)) {
			var op struct{ Op, ID string }
			if err := json.Unmarshal([]byte(line), &op); err != nil {
				t.Fatal(err)
			}
			if ops[op.ID] != want[op.Op] {
				t.Errorf("%s %s: delta.jsonl.gz has %s %s, entities.delta.json %q", source, v.Version, op.Op, op.ID, ops[op.ID])
			}
		}
		prev = next
	}
	return len(versions)
}

// refusedPublications are the real publications under testdata/ the
// integrity checks refuse as saved (ftm/corpus_test.go's prepares
// explain each), so they publish no version and no export.
var refusedPublications = map[string]bool{
	"us_ofac_sdn/2019-01-15":         true,
	"us_ofac_sdn/excerpt-2020-10-29": true,
	"us_ofac_sdn/excerpt-2025-05-16": true,
	"us_trade_csl/2023-11-30":        true,
	// A CSV without an end mark cannot prove that the entities of the
	// full list before it were removed rather than cut off.
	"us_trade_csl/excerpt-2025-06-25": true,
}

// TestFtMExportsRealPublications publishes every real publication under
// testdata/ (each source's folders in name order, so that each version
// after the first has a delta; the OFAC captures are
// TestReplayOFACCaptures'), builds the combined dataset, and checks the
// FtM export of every version of every source and of the combined
// version (checkFtMHistory), then catalog.json.
func TestFtMExportsRealPublications(t *testing.T) {
	ss, err := ftm.Load()
	if err != nil {
		t.Fatal(err)
	}
	st := newStore(t)
	c := newClock()
	var names []string
	for i, src := range realCorpus {
		if i == len(realCorpus)/2 {
			// A first combined version, so that the last one has a delta.
			if res, ok := pipeline.RunCombined(context.Background(), config(st, nil, c), names); !ok || res.Outcome != pipeline.Published {
				t.Fatalf("combined: %v %s %v", ok, res.Outcome, res.Err)
			}
		}
		name := src.source
		names = append(names, name)
		dirs, err := os.ReadDir(filepath.Join(testdata, name))
		if err != nil {
			t.Fatal(err)
		}
		published := 0
		for _, d := range dirs {
			if !d.IsDir() || d.Name() == "history" {
				continue
			}
			pub := name + "/" + d.Name()
			// Forced: the excerpts are a few entities of the full lists
			// beside them, which the drop guard would refuse.
			cfg := config(st, fetch.NewDir(filepath.Join(testdata, pub), fetch.DefaultMaxBytes, t.TempDir()), c)
			cfg.Force = true
			res := pipeline.Run(context.Background(), cfg, source(t, name))
			switch {
			case refusedPublications[pub]:
				if res.Outcome != pipeline.Failed {
					t.Errorf("%s: %s, want refused", pub, res.Outcome)
				}
			case res.Outcome == pipeline.Published:
				published++
			default:
				t.Errorf("%s: %s %v", pub, res.Outcome, res.Err)
			}
		}
		if published == 0 {
			t.Errorf("%s: nothing published", name)
		}
	}
	res, ok := pipeline.RunCombined(context.Background(), config(st, nil, c), names)
	if !ok || res.Outcome != pipeline.Published {
		t.Fatalf("combined: %v %s %v", ok, res.Outcome, res.Err)
	}
	total := 0
	for _, name := range append(names, combine.Name) {
		n := checkFtMHistory(t, ss, st, name)
		total += n
		t.Logf("%s: %d versions, latest %d FtM entities", name, n, manifest(t, st, name, latestVersion(t, st, name)).FtM.Entities)
	}
	// The combined export names each cluster's other members as referents.
	m := manifest(t, st, combine.Name, res.Version)
	withReferents := 0
	for _, line := range splitLines(readObject(t, st, layout.Object(combine.Name, res.Version, layout.FtMName))) {
		var f ftm.Entity
		json.Unmarshal(line, &f)
		if len(f.Referents) > 0 {
			withReferents++
		}
	}
	members := map[string]int{}
	for _, line := range entityLines(t, st, combine.Name, res.Version) {
		if e := decode(t, line); e.Cluster != "" {
			members[e.Cluster]++
		}
	}
	clustered := 0
	for _, n := range members {
		if n > 1 {
			clustered += n
		}
	}
	if withReferents == 0 || withReferents != clustered {
		t.Errorf("combined: %d FtM entities with referents, %d clustered entities", withReferents, clustered)
	}
	t.Logf("%d versions checked; combined: %d FtM entities, %d with referents; dropped %v", total, m.FtM.Entities, withReferents, m.FtM.Dropped)

	if err := pipeline.UpdateIndex(context.Background(), config(st, nil, c), registry(t, st, append(slices.Clone(names), combine.Name))); err != nil {
		t.Fatal(err)
	}
	checkCatalog(t, st, append(names, combine.Name), "")
	cfg := config(st, nil, c)
	cfg.PublicURL = "https://lists.example.org/sanctions/"
	if err := pipeline.UpdateIndex(context.Background(), cfg, registry(t, st, append(slices.Clone(names), combine.Name))); err != nil {
		t.Fatal(err)
	}
	checkCatalog(t, st, append(names, combine.Name), "https://lists.example.org/sanctions")
}

// checkCatalog reads catalog.json: one dataset per name at its latest
// version, whose resource is the version's entities.ftm.json (URL, size,
// SHA-1) and whose delta_url lists every FtM version; the combined
// dataset is not loaded by default. base "" means file:// URLs into the
// local store.
func checkCatalog(t *testing.T, st sink.Store, names []string, base string) {
	t.Helper()
	var cat pipeline.Catalog
	if !readJSONFile(t, st, layout.Catalog(), &cat) {
		t.Fatal("no catalog.json")
	}
	urlOf := func(key string) string {
		if base != "" {
			return base + "/" + key
		}
		return (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(st.Location(), key))}).String()
	}
	var got []string
	for _, d := range cat.Datasets {
		got = append(got, d.Name)
		v := latestVersion(t, st, d.Name)
		m := manifest(t, st, d.Name, v)
		export := readObject(t, st, layout.Object(d.Name, v, layout.FtMName))
		sum := sha1.Sum(export)
		want := pipeline.CatalogResource{Name: layout.FtMName, URL: urlOf(layout.Object(d.Name, v, layout.FtMName)),
			Checksum: hex.EncodeToString(sum[:]), MimeType: pipeline.FtMMimeType, Size: int64(len(export))}
		if d.Version != v || d.EntityCount != m.FtM.Entities || len(d.Resources) != 1 || d.Resources[0] != want {
			t.Errorf("%s: catalog %+v, want version %s, %d entities, resource %+v", d.Name, d, v, m.FtM.Entities, want)
		}
		if (d.Name == combine.Name) != (d.Load != nil && !*d.Load) {
			t.Errorf("%s: load %v", d.Name, d.Load)
		}
		if d.DeltaURL != urlOf(layout.FtMDeltas(d.Name)) {
			t.Errorf("%s: delta_url %s", d.Name, d.DeltaURL)
		}
		var idx pipeline.FtMDeltaIndex
		readJSONFile(t, st, layout.FtMDeltas(d.Name), &idx)
		versions := versionsOf(t, st, d.Name)
		if len(idx.Versions) != len(versions) {
			t.Errorf("%s: delta index lists %d versions, the source has %d", d.Name, len(idx.Versions), len(versions))
		}
		for _, e := range versions {
			if idx.Versions[e.Version] != urlOf(layout.Object(d.Name, e.Version, layout.FtMDeltaName)) {
				t.Errorf("%s: delta index gives %q for %s", d.Name, idx.Versions[e.Version], e.Version)
			}
		}
	}
	want := slices.Clone(names)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("catalog datasets %v, want %v", got, want)
	}
}

// TestFtMDeltaFromEntities: when the previous version has no
// entities.ftm.json (an earlier tool published it), the delta is computed
// against its entities converted now, and says so.
func TestFtMDeltaFromEntities(t *testing.T) {
	st := newStore(t)
	c := newClock()
	first := runFrom(t, st, c, "un_sc", filepath.Join(testdata, "un_sc", "2018-06-07"))
	if first.Outcome != pipeline.Published {
		t.Fatalf("%s %v", first.Outcome, first.Err)
	}
	key := layout.Object("un_sc", first.Version, layout.FtMName)
	old := readObject(t, st, key)
	if err := os.Remove(filepath.Join(st.Location(), filepath.FromSlash(key))); err != nil {
		t.Fatal(err)
	}
	next := runFrom(t, st, c, "un_sc", filepath.Join(testdata, "un_sc", "2018-06-21"))
	if next.Outcome != pipeline.Published {
		t.Fatalf("%s %v", next.Outcome, next.Err)
	}
	m := manifest(t, st, "un_sc", next.Version)
	if m.FtM.DeltaFrom != pipeline.FtMFromEntities {
		t.Fatalf("delta from %q", m.FtM.DeltaFrom)
	}
	// The conversion is the one the first run wrote, so the delta is the
	// same as against the stored export.
	var want bytes.Buffer
	if _, err := ftm.WriteDelta(bytes.NewReader(old), bytes.NewReader(readObject(t, st, layout.Object("un_sc", next.Version, layout.FtMName))), &want); err != nil {
		t.Fatal(err)
	}
	got := readObject(t, st, layout.Object("un_sc", next.Version, layout.FtMDeltaName))
	if !bytes.Equal(got, want.Bytes()) || len(got) == 0 {
		t.Errorf("delta of %d bytes, want the %d against the stored export", len(got), want.Len())
	}
	if !strings.Contains(string(got), `"op":"ADD"`) {
		t.Errorf("no ADD in the delta of a publication that added entities")
	}
}

// registry returns the sources of names, the combined dataset's built
// over the others.
func registry(t testing.TB, st sink.Store, names []string) []sources.Source {
	t.Helper()
	var srcs []string
	var list []sources.Source
	for _, n := range names {
		if n != combine.Name {
			srcs = append(srcs, n)
			list = append(list, source(t, n))
		}
	}
	if slices.Contains(names, combine.Name) {
		list = append(list, combine.New(combine.Config{Store: st, Sources: srcs}))
	}
	return list
}
