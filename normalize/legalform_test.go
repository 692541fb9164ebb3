package normalize_test

import (
	"slices"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/dfat"
	"github.com/sanctions-etl/sanctions-etl/sources/ofac"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
	"github.com/sanctions-etl/sanctions-etl/sources/un"
)

// orgKeyOwners maps each organization key of the lists to the entities
// that have a name with that key.
func orgKeyOwners(t *testing.T, lists [][]*entity.Entity) map[string][]string {
	owners := map[string][]string{}
	for _, es := range lists {
		for _, e := range es {
			if e.Type != entity.Organization {
				continue
			}
			for _, n := range e.Names {
				k := normalize.NameFor(n.Value, n.Kind, e.Type).Normalized
				if !slices.Contains(owners[k], e.ID) {
					owners[k] = append(owners[k], e.ID)
				}
			}
		}
	}
	return owners
}

// The word folds of organization names (SHPG -> shipping, KOREAN ->
// korea, ...) give no two organizations of one list a key they did not
// already share: a fold that merges different parties is wrong.
func TestOrgWordsMergeNothing(t *testing.T) {
	var lists [][]*entity.Entity
	for _, c := range []struct {
		src sources.Source
		dir string
	}{
		{ofac.NewSDN(ofac.Config{}), "../testdata/us_ofac_sdn/2021-07-07"},
		{un.New(un.Config{}), "../testdata/un_sc/2026-02-27"},
		{dfat.New(dfat.Config{}), "../testdata/au_dfat/2026-02-24"},
	} {
		p, err := sourcetest.Parse(t, c.src, c.dir)
		if err != nil {
			t.Fatalf("%s: %v", c.dir, err)
		}
		lists = append(lists, p.Entities)
	}
	with := orgKeyOwners(t, lists)
	restore := normalize.SetOrgWords(map[string]string{})
	without := orgKeyOwners(t, lists)
	restore()
	// The entities that already shared a key without the folds.
	shared := map[[2]string]bool{}
	for _, ids := range without {
		for _, a := range ids {
			for _, b := range ids {
				shared[[2]string{a, b}] = true
			}
		}
	}
	folded := 0
	for k, ids := range with {
		if _, ok := without[k]; !ok {
			folded++
		}
		for _, a := range ids {
			for _, b := range ids {
				if !shared[[2]string{a, b}] && sameList(a, b) {
					t.Errorf("key %q now shared by %s and %s", k, a, b)
				}
			}
		}
	}
	if folded == 0 {
		t.Errorf("no key changed by the folds: the test measures nothing")
	}
	t.Logf("%d organization keys changed by the word folds", folded)
}

// sameList reports whether two entity ids are of one source
// ("us_ofac_sdn-11318").
func sameList(a, b string) bool {
	src := func(id string) string {
		for i := len(id) - 1; i >= 0; i-- {
			if id[i] == '-' {
				return id[:i]
			}
		}
		return id
	}
	return src(a) == src(b)
}
