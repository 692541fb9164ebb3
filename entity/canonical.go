package entity

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
)

// Canonicalize sorts every array into its canonical order and drops exact
// duplicates, so that the same publication always gives the same bytes.
func (e *Entity) Canonicalize() {
	e.Names = sortDedupe(e.Names, nameKey)
	e.BirthDates = sortDedupe(e.BirthDates, func(d Date) string {
		return join(d.Value, d.Precision, d.From, d.To, strconv.FormatBool(d.Approximate), d.Calendar, d.Raw)
	})
	e.BirthPlaces = sortDedupe(e.BirthPlaces, identity)
	e.Nationalities = sortDedupe(e.Nationalities, countryKey)
	e.Citizenships = sortDedupe(e.Citizenships, countryKey)
	e.Titles = sortDedupe(e.Titles, identity)
	e.Positions = sortDedupe(e.Positions, identity)
	e.Addresses = sortDedupe(e.Addresses, func(a Address) string {
		return join(a.Full, a.Street, a.City, a.Region, a.PostalCode, a.Country, a.CountryRaw, a.CountryFormer)
	})
	e.Identifiers = sortDedupe(e.Identifiers, func(id Identifier) string {
		valid := ""
		if id.Valid != nil {
			valid = strconv.FormatBool(*id.Valid)
		}
		return join(id.Type, id.Value, id.Raw, id.RawType, id.Country, id.CountryRaw, id.CountryFormer, id.Issued, id.Expires, valid, id.Note)
	})
	e.Programs = sortDedupe(e.Programs, identity)
	for i := range e.Listings {
		l := &e.Listings[i]
		l.Programs = sortDedupe(l.Programs, identity)
		l.Measures = sortDedupe(l.Measures, identity)
	}
	e.Listings = sortDedupe(e.Listings, func(l Listing) string {
		return join(l.List, l.ListName, l.Authority, strings.Join(l.Programs, "\x01"), l.Start, l.End,
			l.Notice, l.LicenseRequirement, l.LicensePolicy, strings.Join(l.Measures, "\x01"), l.URL)
	})
	if v := e.Vessel; v != nil {
		v.FormerFlags = sortDedupe(v.FormerFlags, identity)
		v.OtherFlags = sortDedupe(v.OtherFlags, identity)
	}
	e.Relations = sortDedupe(e.Relations, func(r Relation) string {
		return join(r.Type, r.TargetID, r.TargetName)
	})
	e.Links = sortDedupe(e.Links, func(l LinkRef) string {
		return join(l.ID, l.Basis, strconv.FormatFloat(l.Score, 'g', -1, 64))
	})
}

// kindRank puts the primary name first, then aliases by strength.
func kindRank(kind string) string {
	switch kind {
	case KindPrimary:
		return "0"
	case KindAlias:
		return "1"
	case KindWeakAlias:
		return "2"
	case KindFormer:
		return "3"
	}
	return "4" + kind
}

func nameKey(n Name) string {
	k := join(kindRank(n.Kind), n.Value, n.Script, n.Lang, n.ASCII, n.Normalized, n.Note)
	if p := n.Parts; p != nil {
		k = join(k, p.Given, p.Middle, p.Family, p.Patronymic)
	}
	return k
}

func countryKey(c Country) string { return join(c.Code, c.Former, c.Qualifier, c.Raw) }

func identity(s string) string { return s }

func join(parts ...string) string { return strings.Join(parts, "\x00") }

// sortDedupe sorts s by key and removes elements whose key repeats. Keys
// cover every field, so only true duplicates go.
func sortDedupe[T any](s []T, key func(T) string) []T {
	if len(s) < 2 {
		return s
	}
	type keyed struct {
		k string
		v T
	}
	ks := make([]keyed, len(s))
	for i, v := range s {
		ks[i] = keyed{key(v), v}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int { return cmp.Compare(a.k, b.k) })
	out := s[:0]
	for i, kv := range ks {
		if i > 0 && kv.k == ks[i-1].k {
			continue
		}
		out = append(out, kv.v)
	}
	return out
}

// MarshalCanonical returns the entity's canonical JSON line (no trailing
// newline): fields in schema order, empty fields omitted, no HTML escaping;
// see AppendCanonical, which it calls. The error is always nil (kept for
// the callers written against encoding/json). Call Canonicalize first.
func (e *Entity) MarshalCanonical() ([]byte, error) {
	// Encoding onto the stack and copying once gives one allocation of the
	// line's size instead of the several that growing from nil takes.
	var buf [4096]byte
	return bytes.Clone(e.AppendCanonical(buf[:0])), nil
}

// ContentHash is the hex sha256 of the canonical JSON without the fields
// that come from the store's history (first_seen, last_changed): two
// entities with equal hashes carry the same published facts.
// The error is always nil.
func (e *Entity) ContentHash() (string, error) {
	var buf [4096]byte
	sum := sha256.Sum256(e.AppendContent(buf[:0]))
	var h [2 * sha256.Size]byte // hex.EncodeToString would allocate twice
	hex.Encode(h[:], sum[:])
	return string(h[:]), nil
}
