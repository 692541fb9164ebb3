// Package entity defines the normalized record every source produces
// (schema version 1 of DESIGN.md), its canonical JSON form and content hash.
package entity

import (
	"fmt"
	"strings"
)

// SchemaVersion is written into every manifest; bump it when a field's
// meaning changes, not when a field is added.
const SchemaVersion = 1

// Type is the kind of party an entity is.
type Type string

const (
	Person       Type = "person"
	Organization Type = "organization"
	Vessel       Type = "vessel"
	Aircraft     Type = "aircraft"
	Unknown      Type = "unknown"
)

// Types lists every Type in report order.
var Types = []Type{Person, Organization, Vessel, Aircraft, Unknown}

// Name kinds.
const (
	KindPrimary   = "primary"
	KindAlias     = "alias"
	KindWeakAlias = "weak_alias"
	KindFormer    = "former"
)

// Entity is one listed party. Field order here is the canonical JSON order.
type Entity struct {
	ID            string        `json:"id"`
	Source        string        `json:"source"`
	SourceID      string        `json:"source_id"`
	Type          Type          `json:"type"`
	Name          string        `json:"name"`
	Names         []Name        `json:"names,omitempty"`
	BirthDates    []Date        `json:"birth_dates,omitempty"`
	BirthPlaces   []string      `json:"birth_places,omitempty"`
	Nationalities []Country     `json:"nationalities,omitempty"`
	Citizenships  []Country     `json:"citizenships,omitempty"`
	Gender        string        `json:"gender,omitempty"`
	Titles        []string      `json:"titles,omitempty"`
	Positions     []string      `json:"positions,omitempty"`
	Addresses     []Address     `json:"addresses,omitempty"`
	Identifiers   []Identifier  `json:"identifiers,omitempty"`
	Programs      []string      `json:"programs,omitempty"`
	Listings      []Listing     `json:"listings,omitempty"`
	ListedOn      string        `json:"listed_on,omitempty"`
	Vessel        *VesselInfo   `json:"vessel,omitempty"`
	Aircraft      *AircraftInfo `json:"aircraft,omitempty"`
	Remarks       string        `json:"remarks,omitempty"`
	Relations     []Relation    `json:"relations,omitempty"`
	// Cluster and Links are set in the combined dataset only (DESIGN.md,
	// Combined dataset and cross-list links): the entity's cluster id (the
	// smallest member id of its connected component of links at or above
	// the threshold) and its links to entities of other sources. A
	// source's own entities never carry them.
	Cluster     string    `json:"cluster,omitempty"`
	Links       []LinkRef `json:"links,omitempty"`
	FirstSeen   string    `json:"first_seen,omitempty"`
	LastChanged string    `json:"last_changed,omitempty"`
}

// Name is one spelling of the entity's name.
type Name struct {
	Value      string     `json:"value"`
	Kind       string     `json:"kind"`
	Script     string     `json:"script,omitempty"` // ISO 15924
	Lang       string     `json:"lang,omitempty"`
	Parts      *NameParts `json:"parts,omitempty"`
	ASCII      string     `json:"ascii,omitempty"`
	Normalized string     `json:"normalized,omitempty"`
	// Note is what the list printed inside the name about it, in
	// parentheses, taken out of Value: "combat name", "original script",
	// "previously listed as" (Kind then says former).
	Note string `json:"note,omitempty"`
}

// NameParts holds the pieces of a name where the publisher says which is which.
type NameParts struct {
	Given      string `json:"given,omitempty"`
	Middle     string `json:"middle,omitempty"`
	Family     string `json:"family,omitempty"`
	Patronymic string `json:"patronymic,omitempty"`
}

// Date precisions.
const (
	PrecisionDay   = "day"
	PrecisionMonth = "month"
	PrecisionYear  = "year"
	PrecisionRange = "range"
)

// Date is a possibly partial or approximate date. Value is ISO 8601 at the
// given precision ("1970", "1970-01", "1970-01-12"); From and To bound a range.
// Value, From and To are always Gregorian; Calendar names the calendar Raw
// was printed in when it is another one, as a Unicode CLDR calendar id
// ("islamic-umalqura" for "24/06/1402 (Hijri Calendar)").
type Date struct {
	Value       string `json:"value,omitempty"`
	Precision   string `json:"precision,omitempty"`
	From        string `json:"from,omitempty"`
	To          string `json:"to,omitempty"`
	Approximate bool   `json:"approximate,omitempty"`
	Calendar    string `json:"calendar,omitempty"`
	Raw         string `json:"raw,omitempty"`
}

// Country is an ISO 3166-1 alpha-2 code with the text it came from; Code is
// empty when the text could not be mapped (and the manifest counts it).
type Country struct {
	Code string `json:"code,omitempty"`
	// Former is the ISO 3166-3 code of a state that dissolved without one
	// successor (SUHH for "USSR"); Code is then empty, since its old
	// ISO 3166-1 code names no country of today.
	Former string `json:"former,omitempty"`
	// Qualifier is what the publisher printed about the country beside
	// it ("possibly", "by birth", "citizenship revoked in Jan. 2015").
	Qualifier string `json:"qualifier,omitempty"`
	Raw       string `json:"raw,omitempty"`
}

// Address is a postal address as published.
type Address struct {
	Full       string `json:"full,omitempty"`
	Street     string `json:"street,omitempty"`
	City       string `json:"city,omitempty"`
	Region     string `json:"region,omitempty"`
	PostalCode string `json:"postal_code,omitempty"`
	Country    string `json:"country,omitempty"`     // ISO 3166-1 alpha-2
	CountryRaw string `json:"country_raw,omitempty"` // as published
	// CountryFormer is the ISO 3166-3 code of a dissolved state (see
	// Country.Former); Country is then empty.
	CountryFormer string `json:"country_former,omitempty"`
}

// Identifier is a document or registry number.
type Identifier struct {
	Type    string `json:"type"`
	Value   string `json:"value"`
	Raw     string `json:"raw,omitempty"`
	RawType string `json:"raw_type,omitempty"`
	Country string `json:"country,omitempty"` // ISO 3166-1 alpha-2 where the text maps
	// CountryRaw is the published country text when Country was mapped
	// from it.
	CountryRaw string `json:"country_raw,omitempty"`
	// CountryFormer is the ISO 3166-3 code of a dissolved state (see
	// Country.Former); Country is then empty.
	CountryFormer string `json:"country_former,omitempty"`
	Issued        string `json:"issued,omitempty"`
	Expires       string `json:"expires,omitempty"`
	Valid         *bool  `json:"valid,omitempty"`
	Note          string `json:"note,omitempty"`
}

// VesselInfo holds what the publisher prints about a vessel.
type VesselInfo struct {
	CallSign  string `json:"call_sign,omitempty"`
	Type      string `json:"type,omitempty"`
	Flag      string `json:"flag,omitempty"`
	Owner     string `json:"owner,omitempty"`
	Tonnage   string `json:"tonnage,omitempty"`
	GrossTons string `json:"gross_tons,omitempty"`
	IMO       string `json:"imo,omitempty"`
	MMSI      string `json:"mmsi,omitempty"`
	YearBuilt string `json:"year_built,omitempty"`
	// FormerFlags and OtherFlags are the flags the vessel flew before and
	// the further flags it flies, as published (OFAC "Former Vessel Flag",
	// "Other Vessel Flag").
	FormerFlags []string `json:"former_flags,omitempty"`
	OtherFlags  []string `json:"other_flags,omitempty"`
}

// AircraftInfo holds what the publisher prints about an aircraft.
type AircraftInfo struct {
	Model        string `json:"model,omitempty"`
	Operator     string `json:"operator,omitempty"`
	SerialNumber string `json:"serial_number,omitempty"`
	TailNumber   string `json:"tail_number,omitempty"`
	BuiltDate    string `json:"built_date,omitempty"`
}

// Listing is one listing of the party inside a publication that joins
// several lists (trade.gov's CSL joins eleven US lists, one row per
// listing) or that prints, per listing, what it imposes and under which
// instrument. The drop guard counts entities per List, so that one
// constituent list vanishing is caught even when the total barely moves.
type Listing struct {
	List      string   `json:"list"`                // short code of the constituent list: SDN, EL, DPL, ...
	ListName  string   `json:"list_name,omitempty"` // as published
	Authority string   `json:"authority,omitempty"` // the agency that keeps the list
	Programs  []string `json:"programs,omitempty"`
	Start     string   `json:"start,omitempty"` // ISO date the listing took effect
	End       string   `json:"end,omitempty"`   // ISO date it ends, if printed
	// Notice is the legal act that made the listing: a Federal Register
	// notice, an instrument of designation.
	Notice             string   `json:"notice,omitempty"`
	LicenseRequirement string   `json:"license_requirement,omitempty"`
	LicensePolicy      string   `json:"license_policy,omitempty"`
	Measures           []string `json:"measures,omitempty"` // what the listing imposes, as published
	URL                string   `json:"url,omitempty"`
}

// Relation links this entity to another, in the same source where the
// publisher gives an id, by name otherwise.
type Relation struct {
	Type       string `json:"type"`
	TargetID   string `json:"target_id,omitempty"`
	TargetName string `json:"target_name,omitempty"`
}

// LinkRef is one link of an entity of the combined dataset: the other
// entity, the basis of the link and its score; the evidence is in the
// version's links.jsonl.gz.
type LinkRef struct {
	ID    string  `json:"id"`
	Basis string  `json:"basis"`
	Score float64 `json:"score"`
}

// MakeID builds the stable id "<source>-<publisher id>".
func MakeID(source, sourceID string) string {
	return source + "-" + sourceID
}

// Validate reports the first structural problem of e, for records that must
// not reach a snapshot (no id, no name).
func (e *Entity) Validate() error {
	switch {
	case e.SourceID == "":
		return fmt.Errorf("entity without source id")
	case e.ID != MakeID(e.Source, e.SourceID):
		return fmt.Errorf("entity id %q does not match source %q and source id %q", e.ID, e.Source, e.SourceID)
	case strings.TrimSpace(e.Name) == "":
		return fmt.Errorf("entity %s has no name", e.ID)
	}
	switch e.Type {
	case Person, Organization, Vessel, Aircraft, Unknown:
	default:
		return fmt.Errorf("entity %s has unknown type %q", e.ID, e.Type)
	}
	return nil
}

// IsZero reports whether v holds nothing.
func (v *VesselInfo) IsZero() bool {
	return v.CallSign == "" && v.Type == "" && v.Flag == "" && v.Owner == "" && v.Tonnage == "" &&
		v.GrossTons == "" && v.IMO == "" && v.MMSI == "" && v.YearBuilt == "" &&
		len(v.FormerFlags) == 0 && len(v.OtherFlags) == 0
}
