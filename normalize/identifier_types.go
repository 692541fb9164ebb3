package normalize

import (
	"strings"
	"sync"
	"unicode"
)

// IdentifierType maps a publisher's free-text identifier type (an OFAC
// idType or remark label, a UN TYPE_OF_DOCUMENT, an EU
// identificationTypeCode or -Description, a UK column) to one of the
// closed ID* types, and for crypto wallets also returns the currency code
// ("Digital Currency Address - XBT" gives IDCryptoWallet, "XBT").
//
// typ is "" when the text names something that is not an identifier but
// that publishers print among identifiers: OFAC's program notes
// ("Additional Sanctions Information -", "Secondary sanctions risk:",
// "Executive Order 13662 Directive Determination -", "Listing Date (...)",
// "Target Type", "Organization Established Date", ...), and facts such as
// "Gender", "Former Vessel Flag" or "Aircraft Model". The caller moves
// those out of the identifiers. A text that is not known is IDOther.
//
// Matching ignores case, spacing, a leading "alt. ", trailing punctuation
// (":", "#", "-", ".") and trailing numbers ("Residential card number
// 665"), and splits CamelCase element names ("PassportNumber"). A UN type
// joined with its TYPE_OF_DOCUMENT2 ("National Identification Number /
// national passport number") takes the type of its most specific known
// part, the last one first, kept inside the class its first part names (a
// passport under National Identification Number is an internal passport,
// national_id; anything under Passport is a passport). Unknown texts fall
// back on key words ("... passport ..." is a passport), else IDOther.
func IdentifierType(rawType string) (typ, currency string) {
	key := typeKey(rawType)
	if t, cur, ok := knownType(key); ok {
		return t, cur
	}
	if strings.Contains(key, " / ") {
		return compositeType(key)
	}
	return keywordType(key), ""
}

// idKind is what a type text means. weak marks generic texts
// ("Identification number") that yield to a more specific part of a
// composite type.
type idKind struct {
	typ  string
	weak bool
}

// knownType resolves key by the table and the rules for families of texts.
func knownType(key string) (typ, currency string, ok bool) {
	if k, found := identifierTypeTable()[key]; found {
		return k.typ, "", true
	}
	if rest, found := strings.CutPrefix(key, "digital currency address"); found {
		return IDCryptoWallet, currencyCode(rest), true
	}
	if notIdentifierFamily(key) {
		return "", "", true
	}
	return "", "", false
}

// currencyCode returns the code that follows "Digital Currency Address",
// upper case, or "" when it does not look like a ticker (2 to 10 letters
// or digits).
func currencyCode(rest string) string {
	if rest != "" && !strings.ContainsRune(" -:", rune(rest[0])) {
		return "" // "Digital Currency Addresses"
	}
	c := strings.ToUpper(strings.TrimLeft(rest, " -:"))
	if len(c) < 2 || len(c) > 10 || !isUpperAlnum(c) {
		return ""
	}
	return c
}

// notIdentifierFamily reports whether key is one of OFAC's dated program
// notes, whose texts vary with the program ("Listing Date (EO 14024
// Directive 2):", "Executive Order 14059 information:").
func notIdentifierFamily(key string) bool {
	for _, p := range [...]string{"listing date", "effective date", "executive order ", "additional sanctions information", "secondary sanctions risk"} {
		if strings.HasPrefix(key, p) {
			return true
		}
	}
	return strings.HasSuffix(key, " directive determination") || strings.HasSuffix(key, " section 235 information")
}

// compositeType types a UN TYPE_OF_DOCUMENT joined with TYPE_OF_DOCUMENT2
// (and the label printed with the number): the last part with a specific
// known identifier type wins, then a part known by key words, then a
// generic known part, else IDOther; and the result stays in the class the
// first part names (classType).
func compositeType(key string) (string, string) {
	parts := strings.Split(key, " / ")
	t, cur := specificType(parts)
	if c := classType(typeKey(parts[0]), t); c != t {
		return c, ""
	}
	return t, cur
}

// classType keeps t, the type of a composite's most specific part, in the
// class its first part (the UN's TYPE_OF_DOCUMENT) names, as sources/un's
// documentType does. The UN files every document under Passport or under
// National Identification Number: a document under Passport is a passport
// whatever kind the other parts name (service, diplomatic); a passport
// under National Identification Number is the holder's internal passport,
// the domestic identity document ("National Identification Number /
// national passport number", the 5 Russian ones of un_sc-6908487 ..
// 6908493, each printed beside a "Russian foreign travel passport" under
// Passport), so national_id. Only the class text decides: "national
// passport" alone stays a passport, as the EU's "National passport" is.
func classType(first, t string) string {
	class, _, ok := knownType(first)
	switch {
	case !ok:
		return t
	case class == IDPassport:
		return IDPassport
	case class == IDNationalID && t == IDPassport:
		return IDNationalID
	}
	return t
}

// specificType is the type of the most specific of a composite's parts
// (see compositeType).
func specificType(parts []string) (string, string) {
	table := identifierTypeTable()
	for i := len(parts) - 1; i >= 0; i-- {
		p := typeKey(parts[i])
		if k, found := table[p]; found && k.weak {
			continue
		}
		// A part that names no identifier does not make a document none.
		if t, cur, ok := knownType(p); ok && t != "" {
			return t, cur
		}
	}
	for i := len(parts) - 1; i >= 0; i-- {
		if t := keywordType(typeKey(parts[i])); t != IDOther {
			return t, ""
		}
	}
	for _, p := range parts {
		if k, found := table[typeKey(p)]; found {
			return k.typ, ""
		}
	}
	return IDOther, ""
}

// keywordType types a text the table does not know by the words in it.
func keywordType(key string) string {
	words := " " + strings.Map(func(r rune) rune {
		if strings.ContainsRune("(),/", r) {
			return ' '
		}
		return r
	}, key) + " "
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(words, s) {
				return true
			}
		}
		return false
	}
	switch {
	case key == "":
		return IDOther
	case has("digital currency", "crypto", "wallet address"):
		return IDCryptoWallet
	case has("passport"):
		return IDPassport
	case has(" imo ", "international maritime organization"):
		return IDIMO
	case has(" mmsi "):
		return IDMMSI
	case has("call sign"):
		return IDCallSign
	case has("swift", " bic "):
		return IDSwiftBIC
	case has(" iban "):
		return IDIBAN
	case has(" isin "):
		return IDISIN
	case has(" lei ", "legal entity identifier"):
		return IDLEI
	case has("e-mail", "email"):
		return IDEmail
	case has("website", "web site", " url "):
		return IDWebsite
	case has("phone", " fax ", " mobile "):
		return IDPhone
	case has("tail number"):
		return IDAircraftTail
	case has("aircraft") && has("serial", "construction number", "msn"):
		return IDAircraftSerial
	case has(" tax ", "fiscal", " vat ", "v.a.t."):
		return IDTax
	case has("social security", "national id", "national identi", "identity card", "identity number", "identification card", "personal id", "id card"):
		return IDNationalID
	case has("registration number", "registry number", "register number", "company number", "chamber of commerce", "incorporation", "commercial regist", "business regist"):
		return IDRegistration
	}
	return IDOther
}

// leiOrRegistration reports whether rawType is OFAC's "Legal Entity
// Number", under which OFAC prints LEIs and also Dutch registration
// numbers, which are none (IdentifierOf tells them apart).
func leiOrRegistration(rawType string) bool {
	return typeKey(rawType) == "legal entity number"
}

// typeKey is the lookup form of a type text: CamelCase split, lower case,
// "_" as a space, typographic quotes folded, white space collapsed, no
// leading "alt. ", no trailing punctuation or numbers.
func typeKey(s string) string {
	s = strings.TrimSpace(s)
	if !strings.ContainsRune(s, ' ') {
		s = splitCamel(s)
	}
	s = strings.ToLower(s)
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '_' }), " ")
	s = strings.Map(foldQuote, s)
	s = strings.TrimPrefix(s, "alt. ")
	for {
		t := strings.TrimRight(s, " :#-.,;")
		if i := strings.LastIndexByte(t, ' '); i >= 0 && isDigits(t[i+1:]) {
			t = t[:i]
		} else if isDigits(t) {
			t = ""
		}
		if t == s {
			return s
		}
		s = t
	}
}

// foldQuote maps typographic quotes to ASCII ones.
func foldQuote(r rune) rune {
	switch r {
	case '\u2018', '\u2019', '`':
		return '\''
	case '\u201c', '\u201d':
		return '"'
	}
	return r
}

// splitCamel puts a space between the words of a CamelCase name
// ("IMONumber" -> "IMO Number", "VisaNumberID" -> "Visa Number ID"); text
// that is all one case is returned as is.
func splitCamel(s string) string {
	hasLower, hasUpper := false, false
	for _, r := range s {
		hasLower = hasLower || unicode.IsLower(r)
		hasUpper = hasUpper || unicode.IsUpper(r)
	}
	if !hasLower || !hasUpper {
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if i > 0 && unicode.IsUpper(r) {
			prev := rs[i-1]
			nextLower := i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if unicode.IsLower(prev) || (unicode.IsUpper(prev) && nextLower) {
				b.WriteByte(' ')
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

// identifierTypeTable maps typeKey of each text of identifierTypeTexts to
// its meaning; built once.
var identifierTypeTable = sync.OnceValue(func() map[string]idKind {
	texts := identifierTypeTexts()
	m := make(map[string]idKind, len(texts))
	for _, e := range texts {
		kind := idKind{typ: e.typ}
		if e.typ == idGeneric {
			kind = idKind{typ: IDOther, weak: true}
		}
		k := typeKey(e.text)
		if old, dup := m[k]; dup && old != kind {
			panic("normalize: identifier type text " + e.text + " maps to two types")
		}
		m[k] = kind
	}
	return m
})

// typeText is one entry of the identifier type table: a text as printed
// and its type, idGeneric or idNotIdentifier.
type typeText struct {
	text, typ string
}

// Table values besides the ID* types.
const (
	idGeneric       = "other, generic" // IDOther, yielding to a more specific part of a composite
	idNotIdentifier = ""               // not an identifier
)

// identifierTypeTexts lists every type text printed in the publications
// (see TestIdentifierTypeCoversPublications, which extracts them from the
// real files under testdata/), as printed, with its meaning. Texts that
// differ only in what typeKey ignores share an entry.
func identifierTypeTexts() []typeText {
	return []typeText{
		// The closed types by their own names, so that a typed identifier
		// keeps its type.
		{IDPassport, IDPassport}, {IDNationalID, IDNationalID}, {IDTax, IDTax},
		{IDRegistration, IDRegistration}, {IDIMO, IDIMO}, {IDMMSI, IDMMSI}, {IDCallSign, IDCallSign},
		{IDSwiftBIC, IDSwiftBIC}, {IDLEI, IDLEI}, {IDISIN, IDISIN}, {IDIBAN, IDIBAN},
		{IDCryptoWallet, IDCryptoWallet}, {IDEmail, IDEmail}, {IDPhone, IDPhone}, {IDWebsite, IDWebsite},
		{IDAircraftSerial, IDAircraftSerial}, {IDAircraftTail, IDAircraftTail}, {IDOther, IDOther},
		{IDIMOCompany, IDIMOCompany},

		// OFAC SDN and consolidated lists: XML idType values and the labels of
		// the legacy CSV's Remarks ("Passport AL720622 (Colombia)").
		{"Passport", IDPassport},
		{"Passport Booklet:", IDPassport},
		{"Diplomatic Passport", IDPassport},
		{"Stateless Person Passport", IDPassport},
		{"British National Overseas Passport", IDPassport},
		{"Travel Document Number", IDPassport}, // German travel documents in lieu of a passport
		{"National ID No.", IDNationalID},
		{"Cedula No.", IDNationalID},
		{"D.N.I.", IDNationalID},
		{"C.U.R.P.", IDNationalID}, // also "C.U.R.P. #"
		{"SSN", IDNationalID},
		{"Personal ID Card", IDNationalID},
		{"Kenyan ID No.", IDNationalID},
		{"Moroccan Personal ID No.", IDNationalID},
		{"Bosnian Personal ID No.", IDNationalID},
		{"Pakistani ID", IDNationalID},
		{"Turkish Identification Number", IDNationalID},
		{"Turkish Identificiation Number", IDNationalID}, // sic
		{"Tazkira National ID Card", IDNationalID},
		{"Citizen's Card Number", IDNationalID},
		{"CNP (Personal Numerical Code)", IDNationalID},
		{"Numero de Identidad", IDNationalID},
		{"UAE Identification", IDNationalID},
		{"C.U.I.", IDNationalID},    // Guatemala, Codigo Unico de Identificacion
		{"LE Number", IDNationalID}, // Peru, Libreta Electoral (the DNI)
		{"N.I.E.", IDNationalID},    // Spain, foreigner identity number
		{"National Foreign ID Number", IDNationalID},
		{"Identification Number", idGeneric},
		{"Tax ID No.", IDTax},
		{"R.F.C.", IDTax}, // also "R.F.C. #"
		{"RFC", IDTax},
		{"R.U.C. #", IDTax},
		{"RUC #", IDTax},
		{"RIF #", IDTax},
		{"NIT #", IDTax},
		{"RTN", IDTax},
		{"C.U.I.T.", IDTax},
		{"C.I.F.", IDTax},
		{"N.I.F.", IDTax},
		{"US FEIN", IDTax},
		{"V.A.T. Number", IDTax},
		{"Fiscal Code", IDTax},
		{"Italian Fiscal Code", IDTax}, // also "Italian Fiscal Code:"
		{"Romanian Tax Registration", IDTax},
		{"Numero Unico de Identificacao Tributaria (NUIT)", IDTax},
		{"Paraguayan tax identification number", IDTax},
		{"RSIN", IDTax},
		{"Registration Number", IDRegistration},
		{"Registration ID", IDRegistration},
		{"Business Registration Number", IDRegistration},
		{"Business Registration Document #", IDRegistration},
		{"Business Number", IDRegistration},
		{"Company Number", IDRegistration},
		{"UK Company Number", IDRegistration},
		{"Commercial Registry Number", IDRegistration},
		{"Public Registration Number", IDRegistration},
		{"Certificate of Incorporation Number", IDRegistration},
		{"Chamber of Commerce Number", IDRegistration},
		{"Dubai Chamber of Commerce Membership No.", IDRegistration},
		{"Istanbul Chamber of Comm. No.", IDRegistration},
		{"Registered Charity No.", IDRegistration},
		{"Enterprise Number", IDRegistration},
		{"Branch Unit Number", IDRegistration},
		{"Folio Mercantil No.", IDRegistration},
		{"Matricula Mercantil No", IDRegistration},
		{"C.R. No.", IDRegistration},
		{"Romanian C.R.", IDRegistration},
		{"Trade License No.", IDRegistration},
		{"Unified Social Credit Code (USCC)", IDRegistration},
		{"United Social Credit Code Certificate (USCCC)", IDRegistration},
		{"Government Gazette Number", IDRegistration}, // Russia's OKPO code
		{"Central Registration System Number", IDRegistration},
		{"Economic Register Number (CBLS)", IDRegistration},
		{"Organization Code", IDRegistration},
		{"Registration Certificate Number (Dubai)", IDRegistration},
		{"C.I.N.", IDRegistration}, // India, Corporate Identification Number
		{"Company ID: No.", IDRegistration},
		{"File Number", IDRegistration}, // "File Number 7136946 (Delaware)"
		{"Russian State Individual Business Registration Number Pattern (OGRNIP)", IDRegistration},
		{"Legal Entity Number", IDLEI}, // ISO 17442 LEIs, and registration numbers (leiOrRegistration)
		{"SWIFT/BIC", IDSwiftBIC},
		{"ISIN", IDISIN},
		{"MMSI", IDMMSI},
		{"Vessel Registration Identification", IDIMO}, // "IMO 9187629"; other numbers fail the IMO check
		{"International Maritime Organization No.", IDIMO},
		{"Other Vessel Call Sign", IDCallSign},
		{"Aircraft Manufacturer's Serial Number (MSN)", IDAircraftSerial},
		{"Aircraft Construction Number (also called L/N or S/N or F/N)", IDAircraftSerial},
		{"Aircraft Serial Identification", IDAircraftSerial},
		{"Aircraft Tail Number", IDAircraftTail},
		{"Previous Aircraft Tail Number", IDAircraftTail},
		{"Email Address", IDEmail},
		{"Email", IDEmail},
		{"Website", IDWebsite},
		{"Phone Number", IDPhone},
		{"Phone No.", IDPhone},
		{"Telephone", IDPhone},
		{"Telephone No.", IDPhone},
		{"Telephone Number:", IDPhone},
		{"Telephone +", IDPhone},
		{"Fax", IDPhone},
		{"Fax No.", IDPhone},
		{"TELEX", IDOther},
		{"BIK (RU)", IDOther}, // Russian bank code, not a SWIFT BIC
		{"D-U-N-S Number", IDOther},
		{"Equity Ticker", IDOther},
		{"MICEX Code", IDOther},
		{"License", IDOther},
		{"Afghan Money Service Provider License Number", IDOther},
		{"MSB Registration Number", IDOther},
		{"Serial No.", IDOther},
		{"Chinese Commercial Code", IDOther},
		{"Aircraft Mode S Transponder Code", IDOther},
		{"Birth Certificate Number", IDOther},
		{"Driver's License No.", IDOther},
		{"Credencial electoral", IDOther},
		{"Electoral Registry No.", IDOther},
		{"I.F.E.", IDOther},
		{"Cartilla de Servicio Militar Nacional", IDOther},
		{"C.U.I.P.", IDOther},
		{"Immigration No.", IDOther},
		{"Public Security and Immigration No.", IDOther},
		{"SRE Permit No.", IDOther},
		{"VisaNumberID", IDOther},
		{"Residency Number", IDOther},
		{"Refugee ID Card", IDOther},
		{"Stateless Person ID Card", IDOther},
		{"Romanian Permanent Resident", IDOther},
		{"Seafarer's Identification Document", IDOther},
		{"Military Registration Number", IDOther},
		{"Pilot License Number", IDOther},
		{"Tourism License No.", IDOther},
		{"Permit Number", IDOther},
		{"Trademark number", IDOther},
		{"Tarjeta Profesional", IDOther},
		// OFAC texts printed among ids that are not identifiers.
		{"Additional Sanctions Information -", idNotIdentifier},
		{"Secondary sanctions risk:", idNotIdentifier},
		{"Target Type", idNotIdentifier},
		{"Organization Established Date", idNotIdentifier},
		{"Organization Type:", idNotIdentifier},
		{"Executive Order 13662 Directive Determination -", idNotIdentifier},
		{"Executive Order 13846 information:", idNotIdentifier},
		{"Executive Order 14024 Directive Information", idNotIdentifier}, // also with " -"
		{"CAATSA Section 235 Information:", idNotIdentifier},
		{"IFCA Determination -", idNotIdentifier},
		{"For more information, please see:", idNotIdentifier},
		{"Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions:", idNotIdentifier},
		{"Listing Date (CMIC)", idNotIdentifier},
		{"Effective Date (CMIC)", idNotIdentifier},
		{"Purchase/Sales For Divestment Date (CMIC)", idNotIdentifier},
		{"Issuer Name", idNotIdentifier},
		{"Gender", idNotIdentifier},
		{"Former Vessel Flag", idNotIdentifier},
		{"Other Vessel Flag", idNotIdentifier},
		{"Other Vessel Type", idNotIdentifier},
		{"Vessel Year of Build", idNotIdentifier},
		{"Nationality of Registration", idNotIdentifier},
		{"Registration Country", idNotIdentifier},
		{"Aircraft Model", idNotIdentifier},
		{"Aircraft Operator", idNotIdentifier},
		{"Aircraft Manufacture Date", idNotIdentifier},
		{"DOB", idNotIdentifier},
		{"POB", idNotIdentifier},
		{"nationality", idNotIdentifier},
		{"citizen", idNotIdentifier},
		{"a.k.a.", idNotIdentifier},
		{"f.k.a.", idNotIdentifier},
		{"n.k.a.", idNotIdentifier},
		{"Linked To:", idNotIdentifier},
		{"Individual's height is", idNotIdentifier},

		// UN consolidated list: TYPE_OF_DOCUMENT and TYPE_OF_DOCUMENT2.
		{"National Identification Number", IDNationalID},
		{"National identification no.", IDNationalID}, // also "National identification no:"
		{"Numéro de passeport", IDPassport},
		{"Número de pasaporte", IDPassport},
		{"national passport", IDPassport},
		{"national passport number", IDPassport},
		{"Service passport", IDPassport},
		{"national identification", IDNationalID},
		{"national identification card", IDNationalID},
		{"National Identity Card", IDNationalID},
		{"National Identity Card number", IDNationalID},
		{"national identity card no.", IDNationalID},
		{"National Identity number", IDNationalID},
		{"federal identity card number", IDNationalID},
		{"civil identification number", IDNationalID},
		{"Yemeni identity card number", IDNationalID},
		{"United States Social Security Number:", IDNationalID},
		{"Jordanian national number:", IDNationalID},
		{"Indonesian national identity card number", IDNationalID},
		{"Indonesia National Identity Card", IDNationalID},
		{"Identity document (\"Bundespersonalausweis\")", IDNationalID},
		{"BPA", IDNationalID}, // Bundespersonalausweis
		{"identity card", IDNationalID},
		{"Identification Card No.", IDNationalID},
		{"Personal identification no.:", IDNationalID},
		{"Personal Identification Card no:", IDNationalID},
		{"Afghan national identification card (tazkira) number", IDNationalID}, // also with the number in it
		{"Alternate national identification number", IDNationalID},
		{"Italian Fiscal Code:", IDTax},
		{"number:", idGeneric},
		{"Other ID", IDOther},
		{"Ration card number:", IDOther},
		{"Ration card no.", IDOther},
		{"Certificate of Iraqi Nationality", IDOther},
		{"Certificate of Nationality", IDOther},
		{"Certificate of nationality acquired through birth", IDOther},
		{"Birth certificate", IDOther},
		{"Residential card number", IDOther}, // printed "Residential card number 665"
		{"FARDC ID", IDOther},                // Congolese armed forces
		{"Ex-serviceman's identification card", IDOther},
		{"Driver's Permit", IDOther},
		{"Voter ID", IDOther},
		{"Student ID", IDOther},
		{"military identification number:", IDOther},
		// Labels printed in NUMBER, which sources/un joins to raw_type, and
		// a NOTE that only names the document: each says what the document
		// is inside its class, as a TYPE_OF_DOCUMENT2 would.
		// un_sc-112379: a driving licence, like "Driver's Permit".
		{"Counterfeit Danish driving licence number", IDOther},
		// un_sc-6908496: like "military identification number:".
		{"Central African Republic armed forces (FACA) Military identification number", IDOther},
		// un_sc-6908478, issued by Saudi Arabia: a foreign resident's
		// permit (iqama), like "Residential card number"; no company's.
		{"alien registration number", IDOther},
		// un_sc-6908911 (NOTE, NUMBER 001-843-989-7): Haiti's Numéro
		// d'Identification Fiscale, the tax number.
		{"NIF - Haiti", IDTax},
		{"UN reference number", IDOther}, // the UN and EU sources' RawType for the list reference

		// EU FSF: identificationTypeCode values (those the publication uses,
		// per sources/eu), the descriptions printed in testdata, contactInfo
		// keys, and the EU source's own RawTypes.
		{"id", IDNationalID},
		{"nrn", IDNationalID}, // national register number
		{"ssn", IDNationalID},
		{"fiscalcode", IDTax},
		{"regnumber", IDRegistration},
		{"swiftbic", IDSwiftBIC},
		{"tradelic", IDRegistration}, // trade licence: the company's registration where it is issued
		{"birthcert", IDOther},
		{"nationcert", IDOther},
		{"travelcardid", IDOther},
		{"electionid", IDOther},
		{"residentperm", IDOther},
		{"drivinglicence", IDOther},
		{"National passport", IDPassport},
		{"Other identification number", IDOther},
		{"PHONE", IDPhone},
		{"FAX", IDPhone},
		{"EMAIL", IDEmail},
		{"WEB", IDWebsite},
		{"contact info", IDOther},
		{"EU reference number", IDOther},

		// UK Sanctions List: CSV columns and XML elements of identifiers.
		{"OFSI Group ID", IDOther},
		{"Passport number", IDPassport},
		{"National Identifier number", IDNationalID},
		{"Business registration number (s)", IDRegistration},
		{"Business registration number", IDRegistration},
		{"IMO number", IDIMO},
		{"Hull identification number (HIN)", IDOther},
		{"Hull identification number", IDOther},
		{"Email address", IDEmail},

		// Common names of the standard codes, for other publishers.
		{"Call Sign", IDCallSign},
		{"Vessel Call Sign", IDCallSign},
		{"IBAN", IDIBAN},
		{"LEI", IDLEI},
		{"Legal Entity Identifier", IDLEI},
		{"SWIFT", IDSwiftBIC},
		{"BIC", IDSwiftBIC},
		{"SWIFT code", IDSwiftBIC},
		{"IMO", IDIMO},
	}
}
