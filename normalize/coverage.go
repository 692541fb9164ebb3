package normalize

import (
	"cmp"
	"slices"
)

// maxExamples bounds the examples kept per kind; unmapped countries and
// unparsed dates are all kept (they are few, and every one is listed).
const maxExamples = 20

// Coverage counts what normalization did and could not do in one run, for
// the manifest's coverage block. The zero value is ready to use; it is not
// safe for concurrent use (merge per-worker values with Add).
type Coverage struct {
	Names                  int `json:"names"`
	NamesNonLatin          int `json:"names_non_latin"`
	NamesTransliterated    int `json:"names_transliterated"`
	NamesNotTransliterated int `json:"names_not_transliterated"`

	Countries         int `json:"countries"`
	CountriesMapped   int `json:"countries_mapped"`
	CountriesUnmapped int `json:"countries_unmapped"`
	// Of the mapped: a dissolved state (an ISO 3166-3 code in former), and
	// a country read past qualifying words ("Possibly Ethiopian").
	CountriesFormer    int `json:"countries_former"`
	CountriesQualified int `json:"countries_qualified"`

	Dates         int `json:"dates"`
	DatesParsed   int `json:"dates_parsed"`
	DatesUnparsed int `json:"dates_unparsed"`

	Identifiers          int `json:"identifiers"`
	IdentifiersTyped     int `json:"identifiers_typed"` // a type other than "other"
	IdentifiersValid     int `json:"identifiers_valid"`
	IdentifiersInvalid   int `json:"identifiers_invalid"`
	IdentifiersUnchecked int `json:"identifiers_unchecked"` // no check defined for the type
	// NotIdentifiers counts values a publisher lists among identifiers that
	// are not (program notes, listing dates); they stay in remarks.
	NotIdentifiers int `json:"not_identifiers"`

	RemarksUnparsed int `json:"remarks_unparsed"` // fragments a source could not read

	UnmappedCountries     []Example `json:"unmapped_countries,omitempty"`
	UnparsedDates         []Example `json:"unparsed_dates,omitempty"`
	InvalidIdentifiers    []Example `json:"invalid_identifiers,omitempty"`
	UntransliteratedNames []Example `json:"untransliterated_names,omitempty"`
	UnparsedRemarks       []Example `json:"unparsed_remarks,omitempty"`
}

// Example is one value normalization could not handle, with how often it
// occurred and the first entity it came from.
type Example struct {
	Value   string `json:"value"`
	Count   int    `json:"count"`
	Entity  string `json:"entity,omitempty"`
	Problem string `json:"problem,omitempty"`
}

// note adds one occurrence of value to list, keeping at most limit
// distinct values (0: no limit).
func note(list []Example, value, entityID, problem string, limit int) []Example {
	for i := range list {
		if list[i].Value == value && list[i].Problem == problem {
			list[i].Count++
			return list
		}
	}
	if limit > 0 && len(list) >= limit {
		return list
	}
	return append(list, Example{Value: value, Count: 1, Entity: entityID, Problem: problem})
}

// Add merges o into c.
func (c *Coverage) Add(o *Coverage) {
	c.Names += o.Names
	c.NamesNonLatin += o.NamesNonLatin
	c.NamesTransliterated += o.NamesTransliterated
	c.NamesNotTransliterated += o.NamesNotTransliterated
	c.Countries += o.Countries
	c.CountriesMapped += o.CountriesMapped
	c.CountriesUnmapped += o.CountriesUnmapped
	c.CountriesFormer += o.CountriesFormer
	c.CountriesQualified += o.CountriesQualified
	c.Dates += o.Dates
	c.DatesParsed += o.DatesParsed
	c.DatesUnparsed += o.DatesUnparsed
	c.Identifiers += o.Identifiers
	c.IdentifiersTyped += o.IdentifiersTyped
	c.IdentifiersValid += o.IdentifiersValid
	c.IdentifiersInvalid += o.IdentifiersInvalid
	c.IdentifiersUnchecked += o.IdentifiersUnchecked
	c.NotIdentifiers += o.NotIdentifiers
	c.RemarksUnparsed += o.RemarksUnparsed
	c.UnmappedCountries = merge(c.UnmappedCountries, o.UnmappedCountries, 0)
	c.UnparsedDates = merge(c.UnparsedDates, o.UnparsedDates, 0)
	c.InvalidIdentifiers = merge(c.InvalidIdentifiers, o.InvalidIdentifiers, maxExamples)
	c.UntransliteratedNames = merge(c.UntransliteratedNames, o.UntransliteratedNames, maxExamples)
	c.UnparsedRemarks = merge(c.UnparsedRemarks, o.UnparsedRemarks, maxExamples)
}

func merge(a, b []Example, limit int) []Example {
	for _, ex := range b {
		found := false
		for i := range a {
			if a[i].Value == ex.Value && a[i].Problem == ex.Problem {
				a[i].Count += ex.Count
				a[i].Entity = min(a[i].Entity, ex.Entity)
				found = true
				break
			}
		}
		if !found && (limit == 0 || len(a) < limit) {
			a = append(a, ex)
		}
	}
	return a
}

// Sort orders the example lists by count, then value, so that the
// manifest does not depend on which worker saw what first.
func (c *Coverage) Sort() {
	for _, l := range [][]Example{c.UnmappedCountries, c.UnparsedDates, c.InvalidIdentifiers, c.UntransliteratedNames, c.UnparsedRemarks} {
		slices.SortFunc(l, func(a, b Example) int {
			if n := cmp.Compare(b.Count, a.Count); n != 0 {
				return n
			}
			return cmp.Or(cmp.Compare(a.Value, b.Value), cmp.Compare(a.Problem, b.Problem))
		})
	}
}
