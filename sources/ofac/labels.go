package ofac

import (
	"strings"
)

// factKind says which entity field a remark label fills.
type factKind uint8

const (
	factID factKind = iota // an identifier (the label's idType)
	factDOB
	factPOB
	factNationality
	factCitizenship
	factGender
	factAircraftModel
	factAircraftOperator
	factAircraftBuilt
	factVesselYear
	factWeakAlias // a.k.a. 'X' in remarks: only the XML says weak, the CSV only quotes
	factLinkedTo
)

// Identifier types (entity.Identifier.Type).
const (
	idPassport     = "passport"
	idNationalID   = "national_id"
	idTax          = "tax_id"
	idRegistration = "registration_number"
	idIMO          = "imo"
	idMMSI         = "mmsi"
	idSwift        = "swift_bic"
	idEmail        = "email"
	idWebsite      = "website"
	idPhone        = "phone"
	idCrypto       = "crypto_wallet"
	idAircraftSN   = "aircraft_serial"
	idAircraftTail = "aircraft_tail_number"
	idOther        = "other"
)

// label is one kind of fact the legacy CSV prints inside Remarks as
// "<text> <value>", and the XML as an element (DOB, POB, nationality,
// citizenship) or as an idList/id with idType <text>.
type label struct {
	text   string
	kind   factKind
	idType string // for factID
}

// cryptoPrefix starts every digital currency label; the currency code
// follows ("Digital Currency Address - XBT").
const cryptoPrefix = "Digital Currency Address - "

// remarkOrder lists the labels in the order OFAC's legacy CSV prints them in
// the Remarks column; within one label, items go by the publisher's uid.
// The order was learned from the real files (the 2018-04-06 consolidated
// XML/CSV pair, where it rebuilds all 639 Remarks byte for byte, and the
// precedence of labels in the 2019-01-15, 2021-07-07 and 2025-12-19 CSV
// sets, with which it agrees for all but 12 of 16,285 rows, those 12 being
// free text that begins like a label). Labels never seen next to each other
// keep an arbitrary but fixed relative order. An idType missing here sorts
// after all of them: see rankUnknown.
//
// The XML parser uses the order to rebuild the CSV's Remarks line, so that
// both formats give the same remarks; the CSV parser uses the texts to find
// facts in Remarks.
var remarkOrder = [...]label{
	{"DOB", factDOB, ""},
	{"POB", factPOB, ""},
	{"nationality", factNationality, ""},
	{"citizen", factCitizenship, ""},
	{"R.U.C. #", factID, idTax},
	{"Numero de Identidad", factID, idNationalID},
	{"Travel Document Number", factID, idOther},
	{"Turkish Identificiation Number", factID, idNationalID},
	{"C.I.F.", factID, idTax},
	{"Numero Unico de Identificacao Tributaria (NUIT)", factID, idTax},
	{"CNP (Personal Numerical Code)", factID, idNationalID},
	{"Romanian Permanent Resident", factID, idOther},
	{"Romanian C.R.", factID, idRegistration},
	{"SWIFT/BIC", factID, idSwift},
	{"Website", factID, idWebsite},
	{"Email Address", factID, idEmail},
	{"BIK (RU)", factID, idOther},
	{"Executive Order 13662 Directive Determination -", factID, idOther},
	{"Former Vessel Flag", factID, idOther},
	{"Other Vessel Flag", factID, idOther},
	{"Other Vessel Call Sign", factID, idOther},
	{"Equity Ticker", factID, idOther},
	{"Issuer Name", factID, idOther},
	{"ISIN", factID, idOther},
	{"Listing Date (EO 14024 Directive 1a):", factID, idOther},
	{"Effective Date (EO 14024 Directive 1a):", factID, idOther},
	{"Aircraft Construction Number (also called L/N or S/N or F/N)", factID, idOther},
	{"Aircraft Manufacture Date", factAircraftBuilt, ""},
	{"Aircraft Mode S Transponder Code", factID, idOther},
	{"Aircraft Model", factAircraftModel, ""},
	{"Aircraft Operator", factAircraftOperator, ""},
	{"Nationality of Registration", factID, idOther},
	{"Previous Aircraft Tail Number", factID, idOther},
	{"Aircraft Manufacturer's Serial Number (MSN)", factID, idAircraftSN},
	{"Aircraft Tail Number", factID, idAircraftTail},
	{"Digital Currency Address - BSV", factID, idCrypto},
	{"Digital Currency Address - XRP", factID, idCrypto},
	{"Digital Currency Address - USDT", factID, idCrypto},
	{"Pakistani ID", factID, idNationalID},
	{"IFCA Determination -", factID, idOther},
	{"Additional Sanctions Information -", factID, idOther},
	{"Gender", factGender, ""},
	{"Cedula No.", factID, idNationalID},
	{"N.I.E.", factID, idOther},
	{"Istanbul Chamber of Comm. No.", factID, idRegistration},
	{"Executive Order 13846 information:", factID, idOther},
	{"Other Vessel Type", factID, idOther},
	{"For more information, please see:", factID, idOther},
	{"UK Company Number", factID, idRegistration},
	{"CAATSA Section 235 Information:", factID, idOther},
	{"D-U-N-S Number", factID, idOther},
	{"Digital Currency Address - XBT", factID, idCrypto},
	{"Digital Currency Address - ETH", factID, idCrypto},
	{"Secondary sanctions risk:", factID, idOther},
	{"Phone Number", factID, idPhone},
	{"RIF #", factID, idTax},
	{"Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions:", factID, idOther},
	{"Vessel Registration Identification", factID, idIMO}, // imo only for "IMO nnnnnnn": see makeIdentifier
	{"Organization Established Date", factID, idOther},
	{"Organization Type:", factID, idOther},
	{"Target Type", factID, idOther},
	{"Executive Order 14024 Directive Information -", factID, idOther},
	{"Executive Order 14024 Directive Information", factID, idOther},
	{"Effective Date (CMIC)", factID, idOther},
	{"Purchase/Sales For Divestment Date (CMIC)", factID, idOther},
	{"Listing Date (CMIC)", factID, idOther},
	{"C.R. No.", factID, idRegistration},
	{"Romanian Tax Registration", factID, idTax},
	{"Fiscal Code", factID, idTax},
	{"Listing Date (EO 14024 Directive 2):", factID, idOther},
	{"Listing Date (EO 14024 Directive 3):", factID, idOther},
	{"Effective Date (EO 14024 Directive 2):", factID, idOther},
	{"Effective Date (EO 14024 Directive 3):", factID, idOther},
	{"Digital Currency Address - XMR", factID, idCrypto},
	{"Digital Currency Address - LTC", factID, idCrypto},
	{"Digital Currency Address - ZEC", factID, idCrypto},
	{"Digital Currency Address - DASH", factID, idCrypto},
	{"Digital Currency Address - BTG", factID, idCrypto},
	{"Digital Currency Address - ETC", factID, idCrypto},
	{"Passport", factID, idPassport},
	{"D.N.I.", factID, idNationalID},
	{"SSN", factID, idNationalID},
	{"R.F.C.", factID, idTax},
	{"R.F.C. #", factID, idTax},
	{"NIT #", factID, idTax},
	{"Driver's License No.", factID, idOther},
	{"Credencial electoral", factID, idOther},
	{"LE Number", factID, idNationalID},
	{"C.U.I.T.", factID, idTax},
	{"US FEIN", factID, idTax},
	{"RUC #", factID, idTax},
	{"Business Registration Document #", factID, idRegistration},
	{"Passport Booklet:", factID, idPassport},
	{"Turkish Identification Number", factID, idNationalID},
	{"VisaNumberID", factID, idOther},
	{"C.U.I.", factID, idNationalID},
	{"Moroccan Personal ID No.", factID, idNationalID},
	{"Kenyan ID No.", factID, idNationalID},
	{"Stateless Person Passport", factID, idPassport},
	{"Stateless Person ID Card", factID, idOther},
	{"Refugee ID Card", factID, idOther},
	{"Italian Fiscal Code", factID, idTax},
	{"Digital Currency Address - XVG", factID, idCrypto},
	{"National ID No.", factID, idNationalID},
	{"Diplomatic Passport", factID, idPassport},
	{"Registration ID", factID, idRegistration},
	{"V.A.T. Number", factID, idTax},
	{"Tax ID No.", factID, idTax},
	{"C.U.R.P.", factID, idNationalID},
	{"C.U.R.P. #", factID, idNationalID},
	{"RFC", factID, idTax},
	{"Folio Mercantil No.", factID, idRegistration},
	{"Identification Number", factID, idOther},
	{"Electoral Registry No.", factID, idOther},
	{"Cartilla de Servicio Militar Nacional", factID, idOther},
	{"National Foreign ID Number", factID, idOther},
	{"Matricula Mercantil No", factID, idRegistration},
	{"I.F.E.", factID, idOther},
	{"Personal ID Card", factID, idNationalID},
	{"Residency Number", factID, idOther},
	{"Certificate of Incorporation Number", factID, idRegistration},
	{"C.U.I.P.", factID, idOther},
	{"Branch Unit Number", factID, idRegistration},
	{"Chamber of Commerce Number", factID, idRegistration},
	{"Registered Charity No.", factID, idRegistration},
	{"Enterprise Number", factID, idRegistration},
	{"Dubai Chamber of Commerce Membership No.", factID, idRegistration},
	{"Trade License No.", factID, idRegistration},
	{"Government Gazette Number", factID, idOther},
	{"Business Registration Number", factID, idRegistration},
	{"RTN", factID, idTax},
	{"Tazkira National ID Card", factID, idNationalID},
	{"Birth Certificate Number", factID, idOther},
	{"Afghan Money Service Provider License Number", factID, idOther},
	{"SRE Permit No.", factID, idOther},
	{"File Number", factID, idOther},
	{"British National Overseas Passport", factID, idPassport},
	{"Immigration No.", factID, idOther},
	{"MMSI", factID, idMMSI},
	{"Digital Currency Address - BCH", factID, idCrypto},
	{"Commercial Registry Number", factID, idRegistration},
	{"Company Number", factID, idRegistration},
	{"United Social Credit Code Certificate (USCCC)", factID, idRegistration},
	{"Public Registration Number", factID, idRegistration},
	{"License", factID, idOther},
	{"Legal Entity Number", factID, idRegistration},
	{"Business Number", factID, idRegistration},
	{"Registration Number", factID, idRegistration},
	{"Unified Social Credit Code (USCC)", factID, idRegistration},
	{"Public Security and Immigration No.", factID, idOther},
	{"Serial No.", factID, idOther},
	{"Chinese Commercial Code", factID, idOther},
	{"Citizen's Card Number", factID, idNationalID},
	{"Italian Fiscal Code:", factID, idTax},
	{"Vessel Year of Build", factVesselYear, ""}, // not seen yet; order unknown
}

// rankUnknown is the rank of an idType not in remarkOrder: after all the
// known ones, before the title and the free remarks.
const rankUnknown = len(remarkOrder)

// weakLabels are printed after the free remarks, in the XML's order.
var weakLabels = [...]string{"a.k.a.", "f.k.a.", "n.k.a."}

// linkedLabel starts a relation, printed last.
const linkedLabel = "Linked To:"

// labelIndex finds labels by text and by first word.
type labelIndex struct {
	rank    map[string]int
	byWord  map[string][]label // first word -> labels, longest first
	matchBy map[string]label
}

func newLabelIndex() *labelIndex {
	ix := &labelIndex{rank: map[string]int{}, byWord: map[string][]label{}, matchBy: map[string]label{}}
	add := func(l label) {
		ix.matchBy[l.text] = l
		w, _, _ := strings.Cut(l.text, " ")
		list := append(ix.byWord[w], l)
		// Longest first, so "Passport Booklet:" wins over "Passport".
		for i := len(list) - 1; i > 0 && len(list[i].text) > len(list[i-1].text); i-- {
			list[i], list[i-1] = list[i-1], list[i]
		}
		ix.byWord[w] = list
	}
	for i, l := range remarkOrder {
		ix.rank[l.text] = i
		add(l)
	}
	for _, w := range weakLabels {
		add(label{text: w, kind: factWeakAlias})
	}
	add(label{text: linkedLabel, kind: factLinkedTo})
	return ix
}

// labels is read-only after package initialization.
var labels = newLabelIndex()

// lookup returns the label of an XML idType (exact text). Digital currency
// labels not in the table are still recognised by their prefix.
func (ix *labelIndex) lookup(text string) (label, int, bool) {
	if l, ok := ix.matchBy[text]; ok {
		r, ranked := ix.rank[text]
		if !ranked {
			r = rankUnknown
		}
		return l, r, true
	}
	if cur, ok := strings.CutPrefix(text, cryptoPrefix); ok && isCurrencyCode(cur) {
		return label{text: text, kind: factID, idType: idCrypto}, rankUnknown, true
	}
	return label{text: text, kind: factID, idType: idOther}, rankUnknown, false
}

// match finds the label a remarks fragment starts with and returns it with
// the value after it. ok is false for free text.
func (ix *labelIndex) match(frag string) (l label, value string, ok bool) {
	w, _, _ := strings.Cut(frag, " ")
	for _, cand := range ix.byWord[w] {
		if v, found := strings.CutPrefix(frag, cand.text); found && len(v) > 1 && v[0] == ' ' {
			return cand, v[1:], true
		}
	}
	if rest, found := strings.CutPrefix(frag, cryptoPrefix); found {
		cur, v, _ := strings.Cut(rest, " ")
		if isCurrencyCode(cur) && v != "" {
			return label{text: cryptoPrefix + cur, kind: factID, idType: idCrypto}, v, true
		}
	}
	return label{}, "", false
}

// isCurrencyCode reports whether s looks like a ticker: 2 to 6 upper-case
// letters or digits.
func isCurrencyCode(s string) bool {
	if len(s) < 2 || len(s) > 6 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
