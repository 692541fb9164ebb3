package ofac

import (
	"fmt"
	"strconv"

	"github.com/antchfx/xmlquery"
)

// refValue is one entry of a code table of <ReferenceValueSets>: its text
// and attributes (AreaCode's CountryID, Country's ISO2, PartySubType's
// PartyTypeID, Script's ScriptCode, ...).
type refValue struct {
	text  string
	attrs []xmlquery.Attr
}

func (v refValue) attr(name string) string {
	for _, a := range v.attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// refTables are the code tables, by entry element name ("AliasType") and
// ID. The whole section is a few hundred KB in SDN_ADVANCED.XML and every
// record refers to it, so it stays in memory.
type refTables map[string]map[uint64]refValue

// requiredTables are the code tables the mapping reads. A file without one
// of them is not a whole publication: its records could not be read.
var requiredTables = []string{
	"AliasType", "AreaCode", "Country", "DetailReference", "DocNameStatus", "FeatureType",
	"IDRegDocDateType", "IDRegDocType", "LegalBasis", "List", "LocPartType", "NamePartType",
	"PartySubType", "PartyType", "RelationType", "SanctionsType", "Script", "Validity",
}

// readRefs reads <ReferenceValueSets>: children "<X>Values" holding "<X>"
// entries. It fails when a required table is missing: the section was cut
// or is not OFAC's.
func readRefs(n *xmlquery.Node, issue func(elem *xmlquery.Node, format string, args ...any)) (refTables, error) {
	refs := refTables{}
	seen := map[string]bool{}
	for set := n.FirstChild; set != nil; set = set.NextSibling {
		if set.Type != xmlquery.ElementNode {
			continue
		}
		seen[set.Data] = true
		for v := set.FirstChild; v != nil; v = v.NextSibling {
			if v.Type != xmlquery.ElementNode {
				continue
			}
			id, err := strconv.ParseUint(v.SelectAttr("ID"), 10, 64)
			if err != nil {
				issue(v, "<%s> in <%s> has ID %q, not a number; entry ignored", v.Data, set.Data, v.SelectAttr("ID"))
				continue
			}
			t := refs[v.Data]
			if t == nil {
				t = map[uint64]refValue{}
				refs[v.Data] = t
			}
			t[id] = refValue{text: text(v), attrs: v.Attr}
		}
	}
	for _, name := range requiredTables {
		if !seen[name+"Values"] {
			return nil, fmt.Errorf("<ReferenceValueSets> has no <%sValues>: the code tables are cut or incomplete", name)
		}
	}
	return refs, nil
}

// lookup returns the entry id (a numeric attribute's text) of table, and
// whether it exists.
func (r refTables) lookup(table, id string) (refValue, bool) {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return refValue{}, false
	}
	v, ok := r[table][n]
	return v, ok
}
