package ftm

import (
	"fmt"
	"iter"
	"sort"
	"strconv"
	"strings"
)

// Problem classes, in Problem.Class.
const (
	ProblemSchema     = "schema"     // unknown or abstract schema
	ProblemProperty   = "property"   // a property the schema and its ancestors lack
	ProblemRequired   = "required"   // a required property missing
	ProblemReference  = "reference"  // an entity reference to an id the export lacks
	ProblemRange      = "range"      // a reference to an entity outside the property's range
	ProblemDate       = "date"       // a date not in FtM's prefix form
	ProblemCountry    = "country"    // not an FtM country code
	ProblemValue      = "value"      // an empty value, a number or gender FtM would not take
	ProblemDuplicate  = "duplicate"  // two entities with one id
	ProblemReferent   = "referent"   // a referent the export lacks
	ProblemIdentifier = "identifier" // an entity without id
)

// Problem is one thing wrong with an exported entity.
type Problem struct {
	ID       string // the entity's id
	Class    string
	Property string
	Value    string
	Detail   string
}

func (p Problem) String() string {
	s := p.ID + ": " + p.Class
	if p.Property != "" {
		s += " " + p.Property
	}
	if p.Value != "" {
		s += " " + strconv.Quote(p.Value)
	}
	if p.Detail != "" {
		s += ": " + p.Detail
	}
	return s
}

// pendingRef is an entity reference checked once every id is known.
type pendingRef struct {
	from, prop, rng, to string
}

// Validate checks every entity of an export against the schemata:
// schema names, properties, required properties, value forms (dates,
// countries, numbers, genders) and entity references (present in the
// export, of the property's range). It reads entities once, keeping an
// index of id -> schema and the references to check at the end: for
// exports of about 100,000 entities that is a few tens of megabytes of
// strings, which the exports can afford (docs/ftm.md).
func (ss *Schemata) Validate(entities iter.Seq[Entity]) []Problem {
	var out []Problem
	schemaOf := map[string]string{}
	var refs []pendingRef
	var referents [][2]string
	for e := range entities {
		if e.ID == "" {
			out = append(out, Problem{Class: ProblemIdentifier, Detail: "entity without id, schema " + e.Schema})
			continue
		}
		if _, dup := schemaOf[e.ID]; dup {
			out = append(out, Problem{ID: e.ID, Class: ProblemDuplicate})
		}
		schemaOf[e.ID] = e.Schema
		for _, r := range e.Referents {
			referents = append(referents, [2]string{e.ID, r})
		}
		s := ss.Get(e.Schema)
		if s == nil {
			out = append(out, Problem{ID: e.ID, Class: ProblemSchema, Value: e.Schema, Detail: "no such schema"})
			continue
		}
		if s.Abstract {
			out = append(out, Problem{ID: e.ID, Class: ProblemSchema, Value: e.Schema, Detail: "abstract"})
		}
		for _, r := range s.Required {
			if len(e.Properties[r]) == 0 {
				out = append(out, Problem{ID: e.ID, Class: ProblemRequired, Property: r})
			}
		}
		props := make([]string, 0, len(e.Properties))
		for p := range e.Properties {
			props = append(props, p)
		}
		sort.Strings(props)
		for _, name := range props {
			p := s.Properties[name]
			if p == nil {
				out = append(out, Problem{ID: e.ID, Class: ProblemProperty, Property: name, Detail: "not a property of " + e.Schema + " or its ancestors"})
				continue
			}
			for _, v := range e.Properties[name] {
				if pr, ok := checkValue(p, v); !ok {
					pr.ID, pr.Property, pr.Value = e.ID, name, v
					out = append(out, pr)
					continue
				}
				if p.Type == "entity" {
					refs = append(refs, pendingRef{from: e.ID, prop: name, rng: p.Range, to: v})
				}
			}
		}
	}
	for _, r := range refs {
		to, ok := schemaOf[r.to]
		switch {
		case !ok:
			out = append(out, Problem{ID: r.from, Class: ProblemReference, Property: r.prop, Value: r.to, Detail: "no entity with this id in the export"})
		case !ss.IsA(to, r.rng):
			out = append(out, Problem{ID: r.from, Class: ProblemRange, Property: r.prop, Value: r.to, Detail: fmt.Sprintf("a %s, not a %s", to, r.rng)})
		}
	}
	for _, r := range referents {
		if _, ok := schemaOf[r[1]]; !ok {
			out = append(out, Problem{ID: r[0], Class: ProblemReferent, Value: r[1], Detail: "no entity with this id in the export"})
		}
	}
	return out
}

// checkValue checks one value's form for its property type.
func checkValue(p *Property, v string) (Problem, bool) {
	if strings.TrimSpace(v) == "" || strings.TrimSpace(v) != v {
		return Problem{Class: ProblemValue, Detail: "empty or padded value"}, false
	}
	switch p.Type {
	case "date":
		if _, ok := Date(v); !ok || strings.Contains(v, "T") {
			return Problem{Class: ProblemDate, Detail: "not YYYY, YYYY-MM or YYYY-MM-DD"}, false
		}
	case "country":
		if !ValidCountry(v) {
			return Problem{Class: ProblemCountry, Detail: "not an FtM country code"}, false
		}
	case "number":
		if _, err := strconv.ParseFloat(v, 64); err != nil {
			return Problem{Class: ProblemValue, Detail: "not a number"}, false
		}
	case "gender":
		if v != "male" && v != "female" && v != "other" {
			return Problem{Class: ProblemValue, Detail: "gender is male, female or other"}, false
		}
	}
	return Problem{}, true
}
