package link

import (
	"fmt"
	"math"
	"strconv"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// Scores by basis. Precision first: a wrong link in a compliance report is
// worse than a missing one, so only an official cross-reference scores 1,
// and a name scores at or above DefaultThreshold only with a second fact
// that agrees and none that disagrees.
const (
	scoreReference        = 1.0  // a publisher cites the other record's own number
	scoreReferenceNoOwner = 0.95 // two lists cite one number whose record is gone
	// A citation that may not be the record's own: the citing record cites
	// several numbers, or it is a person citing an organization's number
	// (DFAT 2026-02-24 6253, Maalim Ayman, prints Al-Shabaab's SOe.001).
	// Shown, not clustered, unless a name agrees too.
	scoreReferenceDoubtful = 0.6
	// A name link of a record whose names meet several records of the
	// other list (see writeLinks).
	scoreAmbiguousName = 0.6
	scoreNameDay       = 0.9 // name and birth date to the day
	scoreNameMonth     = 0.85
	scoreNameYear      = 0.75
	scoreShortNameYear = 0.65 // a two-word name and a birth year only: shown, not clustered
	scoreNationBonus   = 0.05 // the nationality agrees too
	scoreOrgCountry    = 0.75 // organization name and a shared country
	scoreOrgNameOnly   = 0.65 // organization name, no country on one side: shown, not clustered
	scorePersonNation  = 0.6  // person name and nationality, no birth date on one side
)

// idScore is the score of a shared identifier of each type.
var idScore = map[string]float64{
	normalize.IDIMO:          0.95,
	normalize.IDIMOCompany:   0.95,
	normalize.IDLEI:          0.95,
	normalize.IDCryptoWallet: 0.95,
	normalize.IDPassport:     0.95,
	normalize.IDNationalID:   0.9,
	normalize.IDSwiftBIC:     0.9,
	// OFAC prints a parent's tax id on its subsidiary (VEB's 7750004150 on
	// BANK BELVEB OJSC, 2024-05-02): alone these are shown, not clustered;
	// with an agreeing name they reach the threshold (see combine).
	normalize.IDTax:          0.6,
	normalize.IDRegistration: 0.6,
}

// Group bounds: a key shared by more entities than this singles out no
// party (a placeholder document number, a common name) and links none.
const (
	maxIDGroup   = 8
	maxNameGroup = 12
)

// candidate is a judged pair, a before b.
type candidate struct {
	a, b     string
	basis    string
	score    float64
	evidence []Evidence
}

func newCandidate(x, y member, basis string, score float64, ev ...Evidence) candidate {
	if x.ID > y.ID {
		x, y = y, x
		for i := range ev {
			ev[i].A, ev[i].B = ev[i].B, ev[i].A
		}
	}
	// Scores are sums of the constants above: rounded, so that lines read
	// 0.85, not 0.8500000000000001.
	score = math.Round(score*100) / 100
	return candidate{a: x.ID, b: y.ID, basis: basis, score: score, evidence: ev}
}

// judgeReference links the records that cite a reference number to the
// record it is the id of, and the owners to each other (one OFAC uid on
// the SDN list and on the consolidated list). With no owner the citers
// are linked to each other and the number is reported as cited, not
// found.
func judgeReference(field, ref string, group []member, emit func(candidate)) (citedNotFound bool) {
	var owners, citers []member
	for _, m := range group {
		if m.Role == roleOwner {
			owners = append(owners, m)
		} else {
			citers = append(citers, m)
		}
	}
	pair := func(x, y member, score float64) {
		if x.Source == y.Source {
			return
		}
		ev := []Evidence{{Field: field, A: x.Shown, B: y.Shown}}
		if x.Refs > 1 || y.Refs > 1 {
			score = scoreReferenceDoubtful
			ev = append(ev, Evidence{Field: "references_cited", A: strconv.Itoa(max(x.Refs, 1)), B: strconv.Itoa(max(y.Refs, 1))})
		}
		if !typesAgree(x.Type, y.Type) {
			score = scoreReferenceDoubtful
			ev = append(ev, Evidence{Field: "type", A: x.Type, B: y.Type})
		}
		emit(newCandidate(x, y, BasisReference, score, ev...))
	}
	for i, o := range owners {
		for _, p := range owners[i+1:] {
			pair(o, p, scoreReference)
		}
		for _, c := range citers {
			pair(o, c, scoreReference)
		}
	}
	if len(owners) > 0 || len(citers) == 0 {
		return false
	}
	for i, c := range citers {
		for _, d := range citers[i+1:] {
			pair(c, d, scoreReferenceNoOwner)
		}
	}
	return true
}

// judgeIdentifier links the entities of different sources that share a
// strong identifier, unless one is a person and the other is not.
func judgeIdentifier(field string, group []member, emit func(candidate)) (ambiguous bool) {
	if len(group) > maxIDGroup {
		return true
	}
	for i, x := range group {
		for _, y := range group[i+1:] {
			if x.Source == y.Source || !typesAgree(x.Type, y.Type) {
				continue
			}
			emit(newCandidate(x, y, BasisIdentifier, idScore[field], Evidence{Field: field, A: x.Shown, B: y.Shown}))
		}
	}
	return false
}

func typesAgree(a, b string) bool {
	if a == b || a == string(entity.Unknown) || b == string(entity.Unknown) {
		return true
	}
	// A person is never an organization, a vessel or an aircraft; an
	// organization and a vessel are told apart by the publishers too.
	return false
}

// judgeName links entities of one type and different sources whose names
// share a key, when a second fact agrees and none disagrees, and only
// when each is the only entity of its source in the group that
// qualifies: a name two records of one list share does not say which one
// another list means.
func judgeName(group []member, emit func(candidate)) (ambiguous bool) {
	if len(group) > maxNameGroup {
		return true
	}
	var found []candidate
	for i, x := range group {
		for _, y := range group[i+1:] {
			if x.Source == y.Source || x.Type != y.Type {
				continue
			}
			if c, ok := nameCandidate(x, y); ok {
				found = append(found, c)
			}
		}
	}
	// per (entity, other source): how many candidates
	count := map[[2]string]int{}
	src := map[string]string{}
	for _, m := range group {
		src[m.ID] = m.Source
	}
	for _, c := range found {
		count[[2]string{c.a, src[c.b]}]++
		count[[2]string{c.b, src[c.a]}]++
	}
	for _, c := range found {
		if count[[2]string{c.a, src[c.b]}] > 1 || count[[2]string{c.b, src[c.a]}] > 1 {
			ambiguous = true
			continue
		}
		emit(c)
	}
	return ambiguous
}

func nameCandidate(x, y member) (candidate, bool) {
	ev := []Evidence{{Field: "name", A: x.Shown, B: y.Shown}}
	nation, nationConflict := shared(x.Nations, y.Nations)
	if nation != "" {
		ev = append(ev, Evidence{Field: "nationality", A: nation, B: nation})
	}
	switch entity.Type(x.Type) {
	case entity.Person:
		level, bx, by, conflict := birthAgreement(x.Births, y.Births)
		if conflict {
			return candidate{}, false
		}
		if level > 0 {
			ev = append(ev, Evidence{Field: "birth_date", A: bx, B: by})
			score := []float64{0, scoreNameYear, scoreNameMonth, scoreNameDay}[level]
			switch {
			case nation != "":
				score += scoreNationBonus
			case level == levelYear && x.Words < 3:
				// "Abdul Samad", born 1977: many people.
				score = scoreShortNameYear
			}
			return newCandidate(x, y, BasisNameAndBirth, score, ev...), true
		}
		if nation != "" && (len(x.Births) == 0 || len(y.Births) == 0) {
			return newCandidate(x, y, BasisName, scorePersonNation, ev...), true
		}
		return candidate{}, false
	default:
		if nationConflict {
			return candidate{}, false
		}
		country, conflict := shared(x.Countries, y.Countries)
		if conflict {
			return candidate{}, false
		}
		ev = append(ev, Evidence{Field: "type", A: x.Type, B: y.Type})
		if country != "" {
			ev = append(ev, Evidence{Field: "country", A: country, B: country})
			return newCandidate(x, y, BasisName, scoreOrgCountry, ev...), true
		}
		if entity.Type(x.Type) == entity.Vessel {
			return candidate{}, false // vessel names repeat; an IMO number links them
		}
		return newCandidate(x, y, BasisName, scoreOrgNameOnly, ev...), true
	}
}

// shared returns a code both lists have, or conflict when both have codes
// and none is shared.
func shared(a, b []string) (code string, conflict bool) {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return x, false
			}
		}
	}
	return "", len(a) > 0 && len(b) > 0
}

// Birth date agreement levels.
const (
	levelNone = iota
	levelYear
	levelMonth
	levelDay
)

// birthAgreement compares two entities' birth dates: the finest level at
// which a pair of them agrees (and those two), or conflict when both have
// dates and no pair overlaps.
func birthAgreement(a, b []entity.Date) (level int, da, db string, conflict bool) {
	seen := 0
	for _, x := range a {
		xi, ok := interval(x)
		if !ok {
			continue
		}
		for _, y := range b {
			yi, ok := interval(y)
			if !ok {
				continue
			}
			seen++
			if xi.lo > yi.hi || yi.lo > xi.hi {
				continue
			}
			if l := min(xi.level, yi.level); l > level {
				level, da, db = l, shownDate(x), shownDate(y)
			}
		}
	}
	return level, da, db, level == levelNone && seen > 0
}

type span struct {
	lo, hi string // ISO dates
	level  int
}

// interval is the span of days a date stands for, and how fine it is.
func interval(d entity.Date) (span, bool) {
	v := d.Value
	switch {
	case d.Precision == entity.PrecisionRange && len(d.From) >= 4 && len(d.To) >= 4:
		return span{d.From[:4] + "-01-01", d.To[:4] + "-12-31", levelYear}, true
	case len(v) == 10 && !d.Approximate:
		return span{v, v, levelDay}, true
	case len(v) == 7 && !d.Approximate:
		return span{v + "-01", v + "-31", levelMonth}, true
	case len(v) >= 4 && isDigits(v[:4]):
		y := v[:4]
		if d.Approximate {
			// "circa 1965" is read as 1964 to 1966.
			lo, hi := shiftYear(y, -1), shiftYear(y, 1)
			return span{lo + "-01-01", hi + "-12-31", levelYear}, true
		}
		return span{y + "-01-01", y + "-12-31", levelYear}, true
	}
	return span{}, false
}

func shiftYear(y string, by int) string {
	n, _ := strconv.Atoi(y)
	return fmt.Sprintf("%04d", n+by)
}

func shownDate(d entity.Date) string {
	switch {
	case d.Value != "":
		if d.Approximate {
			return "circa " + d.Value
		}
		return d.Value
	case d.From != "":
		return d.From + " to " + d.To
	}
	return d.Raw
}
