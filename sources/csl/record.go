package csl

// record is one row of the list (one listing of one party), as either
// format prints it. The CSV joins what the JSON keeps apart: lists with
// "; ", an address's parts and an id's parts with ", "; csv.go splits
// them back (see splitAddresses and splitIDs), so that the mapper sees one
// shape. Values are cleaned by normalize.Text when they are read.
type record struct {
	id           string // _id (CSV) or id (JSON)
	source       string // the constituent list, as published
	entityNumber string // the OFAC uid, Treasury lists only
	typ          string // Individual, Entity, Vessel, Aircraft or empty
	programs     []string
	name         string
	titles       []string
	addresses    []address
	notice       string // federal_register_notice
	start, end   string // start_date, end_date
	order        string // standard_order (Denied Persons List: Y or N)
	licenseReq   string
	licensePol   string
	callSign     string
	vesselType   string
	tonnage      string // gross_tonnage
	grt          string // gross_registered_tonnage
	vesselFlag   string
	vesselOwner  string
	remarks      string
	listURL      string // source_list_url
	infoURL      string // source_information_url
	altNames     []string
	citizenships []string
	birthDates   []string
	nationality  []string
	birthPlaces  []string
	ids          []ident
	country      string // JSON only: a party's country printed beside its addresses

	line int // where the row starts, for issues
}

// address is one element of addresses. full is its parts joined by ", ",
// empty ones left out: the text the CSV prints for it, cleaned.
type address struct {
	street, city, state, postal, country string
	full                                 string
}

// ident is one element of ids. The CSV prints "type, number, country"
// and no dates.
type ident struct {
	typ, number, country, issued, expires string
}
