package normalize

import (
	"slices"
	"sort"
	"strings"
	"testing"
)

// publishedTypeTexts is the deliberate result of IdentifierType for every
// identifier type text the real publications under ../testdata print, by
// publisher: the type, and for crypto wallets the currency after a space;
// "" for texts that are not identifiers. Texts are as printed, with white
// space collapsed (normalize.Text). TestIdentifierTypeCoversPublications
// fails on a text missing here, so that a new text in a future publication
// is seen and decided.
//
// OFAC: the XML idType values, and the labels of the legacy CSV's Remarks
// (found by these very texts, plus any remark opening that looks like a
// label: see ofacFreeText). UN: TYPE_OF_DOCUMENT and TYPE_OF_DOCUMENT2. EU:
// identificationTypeCode and -Description, contactInfo keys. UK: the CSV
// columns and XML elements of identifiers.
var publishedTypeTexts = map[string]map[string]string{
	"OFAC": {
		"a.k.a.":                             "",
		"Additional Sanctions Information -": "",
		"Afghan Money Service Provider License Number":                 "other",
		"Aircraft Construction Number (also called L/N or S/N or F/N)": "aircraft_serial",
		"Aircraft Manufacture Date":                                    "",
		"Aircraft Manufacturer's Serial Number (MSN)":                  "aircraft_serial",
		"Aircraft Mode S Transponder Code":                             "other",
		"Aircraft Model":                                               "",
		"Aircraft Operator":                                            "",
		"Aircraft Serial Identification":                               "aircraft_serial",
		"Aircraft Tail Number":                                         "aircraft_tail_number",
		"Alt. Fax:":                                                    "phone",
		"Alt. Telephone:":                                              "phone",
		"BIK (RU)":                                                     "other",
		"Birth Certificate Number":                                     "other",
		"Bosnian Personal ID No.":                                      "national_id",
		"Branch Unit Number":                                           "registration_number",
		"British National Overseas Passport":                           "passport",
		"Business Number":                                              "registration_number",
		"Business Registration Document #":                             "registration_number",
		"Business Registration Number":                                 "registration_number",
		"C.I.F.":                                                       "tax_id",
		"C.I.N.":                                                       "registration_number",
		"C.R. No.":                                                     "registration_number",
		"C.U.I.":                                                       "national_id",
		"C.U.I.P.":                                                     "other",
		"C.U.I.T.":                                                     "tax_id",
		"C.U.R.P.":                                                     "national_id",
		"C.U.R.P. #":                                                   "national_id",
		"CAATSA Section 235 Information:":                              "",
		"Cartilla de Servicio Militar Nacional":                        "other",
		"Cedula No.":                                                   "national_id",
		"Central Registration System Number":                           "registration_number",
		"Certificate of Incorporation Number":                          "registration_number",
		"Chamber of Commerce Number":                                   "registration_number",
		"Chinese Commercial Code":                                      "other",
		"citizen":                                                      "",
		"Citizen's Card Number":                                        "national_id",
		"CNP (Personal Numerical Code)":                                "national_id",
		"Commercial Registry Number":                                   "registration_number",
		"Company ID: No.":                                              "registration_number",
		"Company Number":                                               "registration_number",
		"Credencial electoral":                                         "other",
		"D-U-N-S Number":                                               "other",
		"D.N.I.":                                                       "national_id",
		"Digital Currency Address - ARB":                               "crypto_wallet ARB",
		"Digital Currency Address - BCH":                               "crypto_wallet BCH",
		"Digital Currency Address - BSC":                               "crypto_wallet BSC",
		"Digital Currency Address - BSV":                               "crypto_wallet BSV",
		"Digital Currency Address - BTG":                               "crypto_wallet BTG",
		"Digital Currency Address - DASH":                              "crypto_wallet DASH",
		"Digital Currency Address - ETC":                               "crypto_wallet ETC",
		"Digital Currency Address - ETH":                               "crypto_wallet ETH",
		"Digital Currency Address - LTC":                               "crypto_wallet LTC",
		"Digital Currency Address - TRX":                               "crypto_wallet TRX",
		"Digital Currency Address - USDC":                              "crypto_wallet USDC",
		"Digital Currency Address - USDT":                              "crypto_wallet USDT",
		"Digital Currency Address - XBT":                               "crypto_wallet XBT",
		"Digital Currency Address - XMR":                               "crypto_wallet XMR",
		"Digital Currency Address - XVG":                               "crypto_wallet XVG",
		"Digital Currency Address - ZEC":                               "crypto_wallet ZEC",
		"Diplomatic Passport":                                          "passport",
		"DOB":                                                          "",
		"Driver's License No.":                                         "other",
		"Dubai Chamber of Commerce Membership No.":                     "registration_number",
		"Economic Register Number (CBLS)":                              "registration_number",
		"Effective Date (CMIC)":                                        "",
		"Effective Date (EO 14014 Directive 1):":                       "",
		"Effective Date (EO 14024 Directive 1a):":                      "",
		"Effective Date (EO 14024 Directive 2):":                       "",
		"Effective Date (EO 14024 Directive 3):":                       "",
		"Electoral Registry No.":                                       "other",
		"Email":                                                        "email",
		"Email Address":                                                "email",
		"Enterprise Number":                                            "registration_number",
		"Equity Ticker":                                                "other",
		"Executive Order 13662 Directive Determination -":              "",
		"Executive Order 13846 information:":                           "",
		"Executive Order 14024 Directive Information":                  "",
		"Executive Order 14024 Directive Information -":                "",
		"Executive Order 14059 information:":                           "",
		"f.k.a.":                                                       "",
		"FAX":                                                          "phone",
		"Fax":                                                          "phone",
		"Fax No.":                                                      "phone",
		"Fax:":                                                         "phone",
		"File Number":                                                  "registration_number",
		"Fiscal Code":                                                  "tax_id",
		"Folio Mercantil No.":                                          "registration_number",
		"For more information, please see:":                            "",
		"Former Vessel Flag":                                           "",
		"Gender":                                                       "",
		"Government Gazette Number":                                    "registration_number",
		"I.F.E.":                                                       "other",
		"Identification Number":                                        "other",
		"IFCA Determination -":                                         "",
		"Immigration No.":                                              "other",
		"Individual's height is":                                       "",
		"International Maritime Organization No.":                      "imo",
		"ISIN":                                  "isin",
		"Issuer Name":                           "",
		"Istanbul Chamber of Comm. No.":         "registration_number",
		"Italian Fiscal Code":                   "tax_id",
		"Italian Fiscal Code:":                  "tax_id",
		"Kenyan ID No.":                         "national_id",
		"LE Number":                             "national_id",
		"Legal Entity Number":                   "lei",
		"License":                               "other",
		"Linked To:":                            "",
		"Listing Date (CMIC)":                   "",
		"Listing Date (EO 14014 Directive 1):":  "",
		"Listing Date (EO 14024 Directive 1a):": "",
		"Listing Date (EO 14024 Directive 2):":  "",
		"Listing Date (EO 14024 Directive 3):":  "",
		"Matricula Mercantil No":                "registration_number",
		"MICEX Code":                            "other",
		"Military Registration Number":          "other",
		"MMSI":                                  "mmsi",
		"Moroccan Personal ID No.":              "national_id",
		"MSB Registration Number":               "other",
		"N.I.E.":                                "national_id",
		"N.I.F.":                                "tax_id",
		"n.k.a.":                                "",
		"National Foreign ID Number":            "national_id",
		"National ID No.":                       "national_id",
		"National ID No.:":                      "national_id",
		"nationality":                           "",
		"Nationality of Registration":           "",
		"NIT #":                                 "tax_id",
		"Numero de Identidad":                   "national_id",
		"Numero Unico de Identificacao Tributaria (NUIT)": "tax_id",
		"Organization Code":                         "registration_number",
		"Organization Established Date":             "",
		"Organization Type:":                        "",
		"Other Vessel Call Sign":                    "call_sign",
		"Other Vessel Flag":                         "",
		"Other Vessel Type":                         "",
		"Paraguayan tax identification number":      "tax_id",
		"Passport":                                  "passport",
		"Passport Booklet:":                         "passport",
		"Permit Number":                             "other",
		"Personal ID Card":                          "national_id",
		"PHONE":                                     "phone",
		"Phone No.":                                 "phone",
		"Phone Number":                              "phone",
		"Pilot License Number":                      "other",
		"POB":                                       "",
		"Previous Aircraft Tail Number":             "aircraft_tail_number",
		"Public Registration Number":                "registration_number",
		"Public Security and Immigration No.":       "other",
		"Purchase/Sales For Divestment Date (CMIC)": "",
		"R.F.C.":                                    "tax_id",
		"R.F.C. #":                                  "tax_id",
		"Refugee ID Card":                           "other",
		"Registered Charity No.":                    "registration_number",
		"Registration Certificate Number (Dubai)":   "registration_number",
		"Registration Country":                      "",
		"Registration ID":                           "registration_number",
		"Registration Number":                       "registration_number",
		"Residency Number":                          "other",
		"RFC":                                       "tax_id",
		"RIF #":                                     "tax_id",
		"Romanian C.R.":                             "registration_number",
		"Romanian Permanent Resident":               "other",
		"Romanian Tax Registration":                 "tax_id",
		"RSIN":                                      "tax_id",
		"RTN":                                       "tax_id",
		"RUC #":                                     "tax_id",
		"Russian State Individual Business Registration Number Pattern (OGRNIP)": "registration_number",
		"Seafarer's Identification Document":                                     "other",
		"Secondary sanctions risk:":                                              "",
		"Serial No.":                                                             "other",
		"SRE Permit No.":                                                         "other",
		"SSN":                                                                    "national_id",
		"Stateless Person ID Card":                                               "other",
		"Stateless Person Passport":                                              "passport",
		"SWIFT/BIC":                                                              "swift_bic",
		"Target Type":                                                            "",
		"Tarjeta Profesional":                                                    "other",
		"Tax ID No.":                                                             "tax_id",
		"Tazkira National ID Card":                                               "national_id",
		"Telephone":                                                              "phone",
		"Telephone +":                                                            "phone",
		"Telephone No.":                                                          "phone",
		"Telephone Number:":                                                      "phone",
		"Telephone:":                                                             "phone",
		"TELEX":                                                                  "other",
		"Tourism License No.":                                                    "other",
		"Trade License No.":                                                      "registration_number",
		"Trademark number":                                                       "other",
		"Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions:": "",
		"Travel Document Number":                        "passport",
		"Turkish Identification Number":                 "national_id",
		"Turkish Identificiation Number":                "national_id",
		"UAE Identification":                            "national_id",
		"UK Company Number":                             "registration_number",
		"Unified Social Credit Code (USCC)":             "registration_number",
		"United Social Credit Code Certificate (USCCC)": "registration_number",
		"US FEIN":                            "tax_id",
		"V.A.T. Number":                      "tax_id",
		"Vessel Registration Identification": "imo",
		"Vessel Year of Build":               "",
		"VisaNumberID":                       "other",
		"Website":                            "website",
	},
	"UN": {
		"05258253": "other",
		"Afghan national identification card (tazkira) number":        "national_id",
		"Afghan national identification card (tazkira) number 1136":   "national_id",
		"Afghan national identification card (tazkira) number 19657":  "national_id",
		"Afghan national identification card (tazkira) number 44323":  "national_id",
		"Afghan national identification card (tazkira) number 545167": "national_id",
		"Afghan national identification card (tazkira) number 57388":  "national_id",
		"Alternate national identification number":                    "national_id",
		"Birth Certificate":                "other",
		"Birth certificate":                "other",
		"BPA":                              "national_id",
		"Certificate of Iraqi Nationality": "other",
		"Certificate of Nationality":       "other",
		"Certificate of nationality acquired through birth": "other",
		"Civil Identification number":                       "national_id",
		"civil identification number":                       "national_id",
		"Driver's Permit":                                   "other",
		"Ex-serviceman’s identification card":               "other",
		"FARDC ID":                                          "other",
		"federal identity card number":                      "national_id",
		"Identification Card No.":                           "national_id",
		"Identification number":                             "other",
		"identity card":                                     "national_id",
		"Identity document (\"Bundespersonalausweis\")":     "national_id",
		"Indonesia National Identity Card":                  "national_id",
		"Indonesian national identity card number":          "national_id",
		"Italian Fiscal Code:":                              "tax_id",
		"Jordanian national number:":                        "national_id",
		"military identification number:":                   "other",
		"national identification":                           "national_id",
		"National Identification Card":                      "national_id",
		"national identification card":                      "national_id",
		"National identification no.":                       "national_id",
		"National identification no:":                       "national_id",
		"National Identification Number":                    "national_id",
		"National Identity Card":                            "national_id",
		"national identity card":                            "national_id",
		"national identity card no.":                        "national_id",
		"National Identity Card number":                     "national_id",
		"National Identity number":                          "national_id",
		"national passport":                                 "passport",
		"national passport number":                          "passport",
		"number:":                                           "other",
		"Numéro de passeport":                               "passport",
		"Número de pasaporte":                               "passport",
		"Other ID":                                          "other",
		"Passport":                                          "passport",
		"Personal Identification Card no:":                  "national_id",
		"Personal identification no.:":                      "national_id",
		"Ration Card no":                                    "other",
		"Ration card no.":                                   "other",
		"Ration card number:":                               "other",
		"Residential card number 665":                       "other",
		"Service passport":                                  "passport",
		"Student ID":                                        "other",
		"United States Social Security Number:":             "national_id",
		"Voter ID":                                          "other",
		"Yemeni identity card number":                       "national_id",
	},
	"EU": {
		"FAX":               "phone",
		"National passport": "passport",
		"passport":          "passport",
		"PHONE":             "phone",
	},
	"UK": {
		"Business registration number (s)": "registration_number",
		"Email address":                    "email",
		"Hull identification number (HIN)": "other",
		"IMO number":                       "imo",
		"IMONumber":                        "imo",
		"National Identifier number":       "national_id",
		"NationalIdentifierNumber":         "national_id",
		"OFSI Group ID":                    "other",
		"OFSIGroupID":                      "other",
		"Passport number":                  "passport",
		"PassportNumber":                   "passport",
		"Phone number":                     "phone",
		"UN Reference Number":              "other",
		"UNReferenceNumber":                "other",
		"Website":                          "website",
	},
}

// ofacFreeText lists the OFAC remark openings that look like a label (words
// before a number) but are free text.
var ofacFreeText = []string{
	"Brigadier General, Chief of the",
	"Commander of FDLR",
	"Commander of the",
	"Commander of the Syrian Army's",
	"Commander, FDLR CO",
	"Director of Main Street",
	"Executive Order",
	"FDLR",
	"Head of the Institution, Captain of Internal Service, Penal Colony",
	"IRGC",
	"Interpol: Red Notice. File No.",
	"Judge, Head of Tehran Revolutionary Court, Branch",
	"Member of al-Qa'ida in the Arabian Peninsula, is wanted by the Government of Saudi Arabia and Interpol has issued an Orange Notice: File no.",
	"National Level Prosecutor,",
	"Officer, Rwandan Patriotic Front (RPF),",
	"Position: Brigade Commander in the Syrian Army's",
	"President since",
	"Senior Officer, Rally for Congolese Democracy-Goma (RCD-G),",
	"Temporary suspension of deportation No.",
	"U.S. Persons Must Continue to Block the Property and Interests in Property of this Person Pursuant to Executive Order",
	"U.S. Persons Must Continue to Block this Property and Interests in this Property Pursuant to Executive Order",
	"U.S.A. Passport issued",
	"United States financial institutions are prohibited from opening or maintaining a correspondent account or a payable-through account for the foreign financial institution listed here, pursuant to",
	"Vice-Chairperson,",
}

// ukIDColumns are the UK CSV's identifier columns (the UK source's RawTypes),
// ukOtherColumns the rest of its header.
var (
	ukIDColumns = []string{
		"OFSI Group ID", "UN Reference Number", "Phone number", "Website", "Email address",
		"National Identifier number", "Passport number", "Business registration number (s)",
		"IMO number", "Hull identification number (HIN)",
	}
	ukOtherColumns = []string{
		"Last Updated",
		"Unique ID",
		"Name 6",
		"Name 1",
		"Name 2",
		"Name 3",
		"Name 4",
		"Name 5",
		"Name type",
		"Alias strength",
		"Title",
		"Name non-latin script",
		"Non-latin script type",
		"Non-latin script language",
		"Regime Name",
		"Designation Type",
		"Designation source",
		"Sanctions Imposed",
		"Other Information",
		"UK Statement of Reasons",
		"Address Line 1",
		"Address Line 2",
		"Address Line 3",
		"Address Line 4",
		"Address Line 5",
		"Address Line 6",
		"Address Postal Code",
		"Address Country",
		"Date Designated",
		"D.O.B",
		"Nationality(/ies)",
		"National Identifier additional information",
		"Passport additional information",
		"Position",
		"Gender",
		"Town of birth",
		"Country of birth",
		"Type of entity",
		"Subsidiaries",
		"Parent company",
		"Current owner/operator (s)",
		"Previous owner/operator (s)",
		"Current believed flag of ship",
		"Previous flags",
		"Type of ship",
		"Tonnage of ship",
		"Length of ship",
		"Year Built",
	}
)

// sourceRawTypes are RawTypes the sources make up (not printed as such).
var sourceRawTypes = map[string]string{
	"UN reference number":                                       IDOther, // UN and EU: the UN list reference
	"EU reference number":                                       IDOther,
	"contact info":                                              IDOther, // EU contact text without a key
	"Business registration number":                              IDRegistration,
	"Hull identification number":                                IDOther,
	"National Identification Number / national passport":        IDNationalID, // the internal passport: the class wins
	"National Identification Number / national passport number": IDNationalID,
	"National Identification Number / Counterfeit Danish driving licence number":                                   IDOther,
	"National Identification Number / Central African Republic armed forces (FACA) Military identification number": IDOther,
	"National Identification Number / alien registration number":                                                   IDOther,
	"National Identification Number / NIF - Haiti":                                                                 IDTax,
	"Passport / Russian foreign travel passport number":                                                            IDPassport,
	"National Identification Number / Italian Fiscal Code:":                                                        IDTax,
	"National Identification Number / Birth certificate":                                                           IDOther,
	"National Identification Number / Identification number":                                                       IDNationalID,
	"National Identification Number / number:":                                                                     IDNationalID,
	"Passport / number:":                                           IDPassport,
	"National Identification Number / 05258253":                    IDNationalID,
	"National Identification Number / Residential card number 665": IDOther,
	"National Identification Number / BPA":                         IDNationalID,
	"Passport / Service passport":                                  IDPassport,
	"National Identification Number / Ration card no.":             IDOther,
}

func TestIdentifierTypeCoversPublications(t *testing.T) {
	c := publications(t)
	for _, pub := range []string{"OFAC", "UN", "EU", "UK"} {
		want := publishedTypeTexts[pub]
		seen := map[string]bool{}
		for text := range c.texts[pub] {
			text = Text(text)
			seen[text] = true
			w, ok := want[text]
			if !ok {
				typ, cur := IdentifierType(text)
				t.Errorf("%s prints the type text %q, not in publishedTypeTexts: decide its type (IdentifierType says %q %q)", pub, text, typ, cur)
				continue
			}
			if got := typeResult(text); got != w {
				t.Errorf("IdentifierType(%q) = %q, want %q", text, got, w)
			}
		}
		for text := range want {
			if !seen[text] {
				t.Errorf("publishedTypeTexts[%q] has %q, which no publication prints", pub, text)
			}
		}
	}
	for text := range c.freeText {
		if !slices.Contains(ofacFreeText, text) {
			t.Errorf("an OFAC remark starts like a label: %q; add the label to publishedTypeTexts (and the table of IdentifierType) or the text to ofacFreeText", text)
		}
	}
	for _, text := range ofacFreeText {
		if !c.freeText[text] {
			t.Errorf("ofacFreeText has %q, which no publication prints", text)
		}
	}
	for _, h := range c.ukHeader {
		if !slices.Contains(ukIDColumns, h) && !slices.Contains(ukOtherColumns, h) {
			t.Errorf("UK CSV column %q is new: add it to ukIDColumns (and publishedTypeTexts) or ukOtherColumns", h)
		}
	}
	for _, h := range ukIDColumns {
		if !slices.Contains(c.ukHeader, h) {
			t.Errorf("UK CSV has no column %q any more", h)
		}
	}
	for el := range ukIDElements {
		if typ, _ := IdentifierType(el); typ == "" || typ != mustType(t, ukIDElements[el]) {
			t.Errorf("IdentifierType(%q) = %q, want the type of %q", el, typ, ukIDElements[el])
		}
	}
	for text, want := range sourceRawTypes {
		if got := typeResult(text); got != want {
			t.Errorf("IdentifierType(%q) = %q, want %q", text, got, want)
		}
	}
	n := 0
	for _, m := range publishedTypeTexts {
		n += len(m)
	}
	t.Logf("%d published type texts, %d made up by sources, %d free-text openings; table of %d texts (%d keys)",
		n, len(sourceRawTypes), len(ofacFreeText), len(identifierTypeTexts()), len(identifierTypeTable()))
}

// typeResult is IdentifierType's result as publishedTypeTexts writes it.
func typeResult(text string) string {
	typ, cur := IdentifierType(text)
	if cur != "" {
		return typ + " " + cur
	}
	return typ
}

func mustType(t *testing.T, text string) string {
	t.Helper()
	typ, _ := IdentifierType(text)
	return typ
}

func TestIdentifierType(t *testing.T) {
	tests := []struct{ in, typ, cur string }{
		{"Digital Currency Address - XBT", IDCryptoWallet, "XBT"},
		{"alt. Digital Currency Address - usdt", IDCryptoWallet, "USDT"},
		{"Digital Currency Address -", IDCryptoWallet, ""},
		{"Digital Currency Address - not a ticker!", IDCryptoWallet, ""},
		{"Digital Currency Addresses", IDCryptoWallet, ""},
		{"Passport / Gender", IDPassport, ""},
		{"  PASSPORT  ", IDPassport, ""},
		{"alt. Passport", IDPassport, ""},
		{"Passport No.:", IDPassport, ""},
		{"National\n   Identification\tNumber", IDNationalID, ""},
		{"PassportNumber", IDPassport, ""},
		{"IMONumber", IDIMO, ""},
		{"VisaNumberID", IDOther, ""},
		{"Ex-serviceman\u2019s identification card", IDOther, ""},
		{"Ex-serviceman's identification card", IDOther, ""},
		// Program notes are not identifiers, whatever the program.
		{"Listing Date (EO 14071 Directive 4):", "", ""},
		{"Effective Date (EO 99999 Directive 9):", "", ""},
		{"Executive Order 99999 information:", "", ""},
		{"Executive Order 13662 Directive Determination -", "", ""},
		// UN composites: the most specific part, last first, inside the
		// class of the first.
		{"National Identification Number / national passport", IDNationalID, ""},
		{"National Identification Number / Service passport", IDNationalID, ""},
		{"National identification no. / passport", IDNationalID, ""},
		{"Passport / national passport", IDPassport, ""},
		{"Passport / Other ID", IDPassport, ""},
		{"Passport / Italian Fiscal Code:", IDPassport, ""},
		{"Passport / Digital Currency Address - XBT", IDPassport, ""},
		{"National Identification Number / Digital Currency Address - XBT", IDCryptoWallet, "XBT"},
		{"National Identification Number / Italian Fiscal Code:", IDTax, ""},
		{"Something / national passport", IDPassport, ""},
		{"National passport", IDPassport, ""}, // the EU's, no class
		{"National Identification Number / Driver's Permit", IDOther, ""},
		{"National Identification Number / Identification number", IDNationalID, ""},
		{"National Identification Number / something new", IDNationalID, ""},
		{"Something / Else", IDOther, ""},
		{"Something / tax number", IDTax, ""},
		// Unknown texts: key words, else other.
		{"Diplomatic passport of the Holy See", IDPassport, ""},
		{"Tax Identification Number (TIN)", IDTax, ""},
		{"Mobile phone", IDPhone, ""},
		{"E-mail", IDEmail, ""},
		{"Vessel IMO", IDIMO, ""},
		{"Legal Entity Identifier (LEI)", IDLEI, ""},
		{"Swift code", IDSwiftBIC, ""},
		{"IBAN", IDIBAN, ""},
		{"Bank account (IBAN)", IDIBAN, ""},
		{"Commercial register number", IDRegistration, ""},
		{"Social Security Number", IDNationalID, ""},
		{"Previous aircraft tail number", IDAircraftTail, ""},
		{"Aircraft MSN", IDAircraftSerial, ""},
		{"Telegram handle", IDOther, ""},
		{"", IDOther, ""},
		{"12345", IDOther, ""},
	}
	for _, tc := range tests {
		typ, cur := IdentifierType(tc.in)
		if typ != tc.typ || cur != tc.cur {
			t.Errorf("IdentifierType(%q) = %q, %q; want %q, %q", tc.in, typ, cur, tc.typ, tc.cur)
		}
	}
	// Every closed type names itself.
	for _, typ := range IdentifierTypes {
		if got, cur := IdentifierType(typ); got != typ || cur != "" {
			t.Errorf("IdentifierType(%q) = %q, %q", typ, got, cur)
		}
	}
}

// The table: every text gives its type, keys are stable, types are closed.
func TestIdentifierTypeTable(t *testing.T) {
	for _, e := range identifierTypeTexts() {
		k := typeKey(e.text)
		if typeKey(k) != k {
			t.Errorf("typeKey(%q) = %q is not stable", e.text, k)
		}
		want := e.typ
		if want == idGeneric {
			want = IDOther
		}
		if got, _ := IdentifierType(e.text); got != want {
			t.Errorf("IdentifierType(%q) = %q, want %q", e.text, got, want)
		}
		if want != "" && !slices.Contains(IdentifierTypes, want) {
			t.Errorf("%q maps to %q, not a closed type", e.text, want)
		}
	}
	keys := make([]string, 0, len(identifierTypeTable()))
	for k := range identifierTypeTable() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if strings.Contains(k, "  ") || k != strings.TrimSpace(k) {
			t.Errorf("key %q has stray spaces", k)
		}
	}
}

func FuzzIdentifierType(f *testing.F) {
	for _, m := range publishedTypeTexts {
		for text := range m {
			f.Add(text)
		}
	}
	for text := range sourceRawTypes {
		f.Add(text)
	}
	f.Add("CamelCaseTEXTWithIDs")
	f.Add("a / b / c")
	f.Fuzz(func(t *testing.T, raw string) {
		typ, cur := IdentifierType(raw)
		if typ2, cur2 := IdentifierType(raw); typ2 != typ || cur2 != cur {
			t.Fatalf("IdentifierType(%q) not deterministic", raw)
		}
		if typ != "" && !slices.Contains(IdentifierTypes, typ) {
			t.Fatalf("IdentifierType(%q) = %q, not a closed type", raw, typ)
		}
		if cur != "" && (typ != IDCryptoWallet || cur != strings.ToUpper(cur) || !isUpperAlnum(cur)) {
			t.Fatalf("IdentifierType(%q) = %q, currency %q", raw, typ, cur)
		}
		if typ != "" {
			if again, _ := IdentifierType(typ); again != typ {
				t.Fatalf("IdentifierType(%q) = %q, but IdentifierType(%q) = %q", raw, typ, typ, again)
			}
		}
	})
}
