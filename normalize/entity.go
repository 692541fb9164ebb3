package normalize

import (
	"strings"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// Entity completes the normalized forms of every value of e beside the
// raw values its source set: names (script, ASCII form, match key),
// country codes, dates, and identifier types, values and validity. It
// counts what it could and could not do in c. Sources keep what they
// publish in the raw fields; this pass is the one place that derives the
// rest, so every source is normalized alike.
func Entity(e *entity.Entity, c *Coverage) {
	// A name printed inside another ("Abu Muhammad (original script:
	// Абу Мухаммад)") is a name of its own.
	e.Names = append(e.Names, annotatedNames(e)...)
	for i := range e.Names {
		normalizeName(e, &e.Names[i], c)
	}
	for _, cs := range [][]entity.Country{e.Nationalities, e.Citizenships} {
		for i := range cs {
			country(e, &cs[i].Code, &cs[i].Former, &cs[i].Qualifier, cs[i].Raw, "", c)
		}
	}
	for i := range e.Addresses {
		a := &e.Addresses[i]
		country(e, &a.Country, &a.CountryFormer, nil, a.CountryRaw, a.Full, c)
	}
	for i := range e.BirthDates {
		birthDate(e, &e.BirthDates[i], c)
	}
	ids := e.Identifiers[:0]
	for _, id := range e.Identifiers {
		if identifier(e, &id, c) {
			ids = append(ids, id)
		}
	}
	e.Identifiers = ids
}

func normalizeName(e *entity.Entity, n *entity.Name, c *Coverage) {
	c.Names++
	fresh := NameFor(n.Value, n.Kind, e.Type)
	n.Value, n.Script, n.ASCII, n.Normalized = fresh.Value, fresh.Script, fresh.ASCII, fresh.Normalized
	// What an annotation said (the note, the language) adds to what the
	// source set; a value already without it keeps the source's.
	if fresh.Note != "" {
		n.Note = fresh.Note
	}
	if n.Lang == "" {
		n.Lang = fresh.Lang
	}
	if n.Script == "" || n.Script == "Latn" {
		return
	}
	c.NamesNonLatin++
	if _, ok := Transliterate(n.Value); ok {
		c.NamesTransliterated++
		return
	}
	c.NamesNotTransliterated++
	c.UntransliteratedNames = note(c.UntransliteratedNames, n.Value, e.ID, n.Script, maxExamples)
}

// country fills code from raw when the source left it empty; a code the
// source set (the EU prints ISO codes) is kept. A text whose country
// comes with qualifying words ("Possibly Ethiopian") gets the country and,
// where the value has room for it (qualifier not nil), the words. A
// dissolved state's code (SU) moves to former as its ISO 3166-3 code,
// unless address (an address's full text) names which successor it is in
// ("Willemstad, Curacao, Netherlands Antilles": CW).
func country(e *entity.Entity, code, former, qualifier *string, raw, address string, c *Coverage) {
	if *code == "" && strings.TrimSpace(raw) == "" {
		return
	}
	c.Countries++
	if *code == "" {
		if cc, ok := CountryCode(raw); ok {
			*code = cc
		} else if cc, q, ok := CountryQualified(raw); ok {
			*code = cc
			if qualifier != nil {
				*qualifier = q
			}
			c.CountriesQualified++
		}
	}
	if *code == "" {
		c.CountriesUnmapped++
		c.UnmappedCountries = note(c.UnmappedCountries, raw, e.ID, "", 0)
		return
	}
	c.CountriesMapped++
	if f, ok := FormerCountry(*code); ok {
		if cc, ok := FormerSuccessor(f, strings.Split(address, ",")); ok {
			*code = cc
			return
		}
		*code, *former = "", f
		c.CountriesFormer++
	}
}

// birthDate parses a date the source left as raw text only.
func birthDate(e *entity.Entity, d *entity.Date, c *Coverage) {
	c.Dates++
	if d.Precision == "" && d.Raw != "" {
		// A source may know more than the raw text says (the UN's
		// TYPE_OF_DATE APPROXIMATELY): parsing adds, never clears it.
		approx := d.Approximate
		parsed := ParseDate(d.Raw)
		// "24/06/1402" printed without its calendar is no Gregorian
		// birth date: it stays raw and counts as unparsed.
		if PlausibleBirthDate(parsed) {
			*d = parsed
		}
		d.Approximate = d.Approximate || approx
	}
	if d.Precision != "" {
		c.DatesParsed++
		return
	}
	c.DatesUnparsed++
	c.UnparsedDates = note(c.UnparsedDates, d.Raw, e.ID, "", 0)
}

// identifier types, normalizes and validates id, and reports whether it
// stays among the identifiers: a publisher's non-identifier (a program
// note printed among ids) leaves when the remarks already hold its value.
func identifier(e *entity.Entity, id *entity.Identifier, c *Coverage) bool {
	typ, currency := IdentifierType(id.RawType)
	if typ == "" {
		if id.Raw != "" && strings.Contains(e.Remarks, id.Raw) {
			c.NotIdentifiers++
			return false
		}
		typ = IDOther
	}
	if typ == IDOther && id.Type != "" && id.Type != IDOther {
		typ = id.Type // the source knew better than the label
	}
	c.Identifiers++
	if typ != IDOther {
		c.IdentifiersTyped++
	}
	if raw := id.Country; raw != "" {
		// The identifier's country is published text: map it and count it
		// like every other country value.
		code, former := "", ""
		country(e, &code, &former, nil, raw, "", c)
		if code != "" || former != "" {
			if id.CountryRaw == "" && !strings.EqualFold(code, raw) {
				id.CountryRaw = raw
			}
			id.Country, id.CountryFormer = code, former
		}
	}
	// The value a source derived from what it printed (the UN's number
	// without its label, "SE 012820" of "Afghan passport number SE
	// 012820") is what gets normalized; normalizing is idempotent, so a
	// value already normalized stays as it is. Raw stays as printed.
	raw := id.Value
	if raw == "" {
		raw = id.Raw
	}
	// The entity's type and the value can say more than the label: a
	// company's IMO number, a registration number under an LEI label.
	typ, value, valid, problem := IdentifierOf(e.Type, id.RawType, typ, currency, raw)
	id.Type = typ
	if value != "" {
		id.Value = value
	}
	if currency != "" && id.Note == "" {
		id.Note = currency
	}
	switch {
	case valid == nil:
		c.IdentifiersUnchecked++
	case *valid:
		c.IdentifiersValid++
		id.Valid = valid
	default:
		c.IdentifiersInvalid++
		id.Valid = valid
		c.InvalidIdentifiers = note(c.InvalidIdentifiers, raw, e.ID, typ+": "+problem, maxExamples)
	}
	return true
}
