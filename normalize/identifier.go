package normalize

import (
	"net"
	"net/mail"
	"strings"
	"unicode"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// The closed list of identifier types (entity.Identifier.Type).
const (
	IDPassport       = "passport"
	IDNationalID     = "national_id"
	IDTax            = "tax_id"
	IDRegistration   = "registration_number"
	IDIMO            = "imo"
	IDMMSI           = "mmsi"
	IDCallSign       = "call_sign"
	IDSwiftBIC       = "swift_bic"
	IDLEI            = "lei"
	IDISIN           = "isin"
	IDIBAN           = "iban"
	IDCryptoWallet   = "crypto_wallet"
	IDEmail          = "email"
	IDPhone          = "phone"
	IDWebsite        = "website"
	IDAircraftSerial = "aircraft_serial"
	IDAircraftTail   = "aircraft_tail_number"
	IDOther          = "other"
	// IDIMOCompany is an IMO company and registered owner number, which
	// ship owners and managers have; IDIMO is a ship's.
	IDIMOCompany = "imo_company"
)

// IdentifierTypes lists the closed identifier types. New types go at the
// end: FuzzNormalizeIdentifier's seed corpus names types by index.
var IdentifierTypes = []string{
	IDPassport, IDNationalID, IDTax, IDRegistration, IDIMO, IDMMSI, IDCallSign,
	IDSwiftBIC, IDLEI, IDISIN, IDIBAN, IDCryptoWallet, IDEmail, IDPhone, IDWebsite,
	IDAircraftSerial, IDAircraftTail, IDOther, IDIMOCompany,
}

// NormalizeIdentifier normalizes raw, a value of identifier type typ (one of
// the ID* constants; anything else is treated as IDOther), and validates it
// where a standard defines a check. currency is the crypto currency code
// IdentifierType returned ("XBT", "ETH", ...), used only for IDCryptoWallet.
//
// value is the match form: for document and registry numbers (passport,
// national_id, tax_id, registration_number, call_sign, aircraft_*) the text
// upper-cased without spaces and dashes; for imo, imo_company, mmsi, lei,
// isin, iban and swift_bic the bare code without a printed label ("IMO 9187629" ->
// "9187629", "LEI: ..." -> the 20 characters); for email the address in
// lower case; for website the address without http(s):// and with the host
// in lower case; for phone the digits with a leading "+" kept; for crypto
// wallets the address without white space, in lower case where case carries
// no information once the address is valid (bech32, cashaddr without its
// "bitcoincash:" prefix, 0x addresses: a mixed-case 0x address that fails
// EIP-55 keeps its case); for other the text with white space cleaned. A
// BIC's branch XXX (the head office) is dropped.
//
// valid is nil when no check exists for the type (passport, national_id,
// tax_id, registration_number, call_sign, aircraft_*, phone, other, and
// crypto currencies without a known address format); otherwise it is true or
// false, and problem says why a value is invalid, in a form fit for the
// manifest's issues. problem may also be set with a nil valid, to say why no
// check was made ("no check for currency SOL").
//
// Checks: imo (IMO ship number check digit), imo_company (IMO company
// number check digit), mmsi (ITU-R M.585 ship
// station structure: MMSIs have no check digit), lei (ISO 17442, ISO 7064 MOD 97-10), isin (ISO 6166,
// Luhn), iban (ISO 13616: country, length per country, MOD 97), swift_bic
// (ISO 9362 structure with an ISO 3166 country), crypto_wallet (the address
// encoding's own checksum: see cryptoAddress), email (RFC 5322 addr-spec
// with a dotted domain), website (a host name or IP address).
//
// NormalizeIdentifier is pure and idempotent: normalizing value again gives
// value and the same validity.
func NormalizeIdentifier(typ, currency, raw string) (value string, valid *bool, problem string) {
	switch typ {
	case IDPassport, IDNationalID, IDTax, IDRegistration, IDCallSign, IDAircraftSerial, IDAircraftTail:
		return documentNumber(raw), nil, ""
	case IDIMO:
		return checkIMO(raw)
	case IDIMOCompany:
		return checkIMOCompany(raw)
	case IDMMSI:
		return checkMMSI(raw)
	case IDLEI:
		return checkLEI(raw)
	case IDISIN:
		return checkISIN(raw)
	case IDIBAN:
		return checkIBAN(raw)
	case IDSwiftBIC:
		return checkBIC(raw)
	case IDCryptoWallet:
		return cryptoAddress(currency, raw)
	case IDEmail:
		return checkEmail(raw)
	case IDWebsite:
		return checkWebsite(raw)
	case IDPhone:
		return phoneNumber(raw), nil, ""
	}
	return Text(raw), nil, ""
}

// IdentifierOf is NormalizeIdentifier for an identifier of an entity of
// type entityType printed under the label rawType, whose type by the label
// (or by the source) is typ. Where the label says less than the entity and
// the value do, it returns another type than typ:
//
//   - imo on an entity that is not a vessel, failing the ship number check
//     and passing the company number check, is imo_company. OFAC prints
//     the company numbers of DPRK shipping companies as "Vessel
//     Registration Identification IMO 5878589", DFAT as "IMO number:
//     5342883". A vessel's IMO number is checked as a ship's only.
//   - lei under OFAC's "Legal Entity Number" is registration_number when
//     the value is not 19 to 21 letters and digits: OFAC prints Dutch
//     registration numbers there ("851683897"). A value of about an LEI's
//     20 characters stays lei and is checked, so that a mistyped LEI
//     ("2180068XRFK54K3Z159", 21380068XRFK54K3Z159 without its "3") is
//     still reported.
//
// Like NormalizeIdentifier it is pure and idempotent: the returned type
// and value give themselves again.
func IdentifierOf(entityType entity.Type, rawType, typ, currency, raw string) (outType, value string, valid *bool, problem string) {
	switch {
	case typ == IDIMO && entityType != entity.Vessel:
		value, valid, problem = checkIMO(raw)
		if *valid || len(value) != 7 || !isDigits(value) {
			return typ, value, valid, problem
		}
		v, ok, p := checkIMOCompany(raw)
		if *ok {
			return IDIMOCompany, v, ok, ""
		}
		return typ, value, valid, problem + "; as an IMO company number, " + strings.TrimPrefix(p, "IMO company number ")
	case typ == IDLEI && leiOrRegistration(rawType):
		if s := stdCode(raw, 20, "LEI"); len(s) < 19 || len(s) > 21 || !isUpperAlnum(s) {
			typ = IDRegistration
		}
	}
	value, valid, problem = NormalizeIdentifier(typ, currency, raw)
	return typ, value, valid, problem
}

// checked packs a check's outcome.
func checked(value string, ok bool, problem string) (string, *bool, string) {
	if ok {
		return value, new(true), ""
	}
	return value, new(false), problem
}

// isDash reports whether r is a hyphen, dash or minus sign.
func isDash(r rune) bool {
	switch r {
	case '-', '\u00ad', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212', '\ufe58', '\ufe63', '\uff0d':
		return true
	}
	return false
}

// documentNumber is the match form of a document or registry number: upper
// case, without white space and dashes.
func documentNumber(raw string) string {
	s := Text(raw)
	if isCleanUpperCode(s) {
		return s
	}
	s = strings.ToUpper(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsSpace(r) || isDash(r) || r == '\u200b' || r == '\ufeff' {
			continue
		}
		b.WriteRune(r)
	}
	// Upper-casing can leave a string that NFC changes (and Text would
	// change on a second pass): settle it here.
	return Text(b.String())
}

// isCleanUpperCode reports whether s is already a match form made of ASCII
// upper-case letters, digits and punctuation other than dashes: the common
// case, returned as is.
func isCleanUpperCode(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || c == '-' || (c >= 'a' && c <= 'z') {
			return false
		}
	}
	return true
}

// stdCode is the common first step for the standard codes (IMO, MMSI, LEI,
// ISIN, IBAN, BIC): upper case, without white space, dashes and trailing
// full stops, and out of parentheses; then, while the result is longer
// than maxLen, a printed label in front of it ("IMO", "LEI:", "SWIFT/BIC ",
// "No.") is dropped.
func stdCode(raw string, maxLen int, labels ...string) string {
	s := strings.ToUpper(raw)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.IsSpace(r) || isDash(r) || r == '\u200b' || r == '\ufeff' || unicode.IsControl(r) {
			continue
		}
		b.WriteRune(r)
	}
	s = b.String()
	for {
		t := strings.TrimRight(s, ".")
		if len(t) >= 2 && t[0] == '(' && t[len(t)-1] == ')' {
			t = t[1 : len(t)-1] // "(5777731)"
		}
		if len(t) > maxLen {
			for _, l := range labels {
				t = strings.TrimPrefix(t, l)
			}
			t = strings.TrimPrefix(t, "NO.")
			t = strings.TrimPrefix(t, "NUMBER")
			t = strings.TrimLeft(t, ":#.")
		}
		if t == s {
			return s
		}
		s = t
	}
}

// checkEmail lower-cases an e-mail address (without a "mailto:" prefix)
// and checks that it is a bare RFC 5322 addr-spec with one @ and a domain
// of at least two dotted labels.
func checkEmail(raw string) (string, *bool, string) {
	s := Text(strings.ToLower(Text(raw)))
	for {
		t := strings.TrimSpace(strings.TrimPrefix(s, "mailto:"))
		if t == s {
			break
		}
		s = t
	}
	if s == "" {
		return checked(s, false, "empty e-mail address")
	}
	local, domain, ok := strings.Cut(s, "@")
	if !ok || strings.Contains(domain, "@") || local == "" {
		return checked(s, false, "e-mail address must have one @")
	}
	if !isHostName(domain, false) {
		return checked(s, false, "e-mail domain "+quoteValue(domain)+" is not a host name with a dot")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return checked(s, false, "not an RFC 5322 e-mail address")
	}
	return checked(s, true, "")
}

// checkWebsite normalizes a web address: no http:// or https:// scheme,
// the host in lower case without a trailing dot, no lone trailing slash;
// path and query stay as printed. It checks that the host is a host name
// with a dot or an IP address.
func checkWebsite(raw string) (string, *bool, string) {
	s, name := Text(raw), ""
	// One pass can uncover what another would take off ("http:.//x" loses
	// its dot and becomes "http://x"): repeat to a fixed point, so that
	// the value normalizes to itself.
	for range 8 {
		var t string
		t, name = websiteForm(s)
		if t == s {
			break
		}
		s = t
	}
	switch {
	case s == "":
		return checked(s, false, "empty web address")
	case name == "":
		return checked(s, false, "web address without a host")
	case net.ParseIP(strings.Trim(name, "[]")) == nil && !isHostName(name, true):
		return checked(s, false, "web host "+quoteValue(name)+" is not a host name with a dot")
	}
	return checked(s, true, "")
}

// websiteForm is one pass of checkWebsite's normalization; it also returns
// the host name.
func websiteForm(s string) (value, name string) {
	l := strings.ToLower(s)
	switch {
	case strings.HasPrefix(l, "https://"):
		s = s[len("https://"):]
	case strings.HasPrefix(l, "http://"):
		s = s[len("http://"):]
	}
	s = strings.TrimSpace(s)
	hostEnd := strings.IndexAny(s, "/?#")
	if hostEnd < 0 {
		hostEnd = len(s)
	}
	host, rest := strings.ToLower(s[:hostEnd]), s[hostEnd:]
	if rest == "/" {
		rest = ""
	}
	name, port := host, ""
	if i := strings.LastIndexByte(host, ':'); i >= 0 && isDigits(host[i+1:]) &&
		(strings.Count(host, ":") == 1 || strings.HasSuffix(host[:i], "]")) {
		name, port = host[:i], host[i:]
	}
	name = strings.TrimRight(name, ".")
	return name + port + rest, name
}

// isHostName reports whether s is a DNS name of at least two labels of
// letters (any script), digits and inner hyphens (and underscores when
// lenient), each at most 63 bytes, the whole at most 253, and a top-level
// label that is not all digits.
func isHostName(s string, lenient bool) bool {
	if len(s) > 253 || !strings.Contains(s, ".") {
		return false
	}
	labels := strings.Split(s, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for _, r := range l {
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == '-' || (lenient && r == '_')) {
				return false
			}
		}
	}
	return !isDigits(labels[len(labels)-1])
}

// phoneNumber keeps the digits of a telephone number and a leading "+".
func phoneNumber(raw string) string {
	s := strings.TrimSpace(raw)
	var b strings.Builder
	b.Grow(len(s))
	if strings.HasPrefix(s, "+") {
		b.WriteByte('+')
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' {
			b.WriteByte(c)
		}
	}
	if b.Len() == 1 && s[0] == '+' {
		return ""
	}
	return b.String()
}

// quoteValue shortens a value for a problem message.
func quoteValue(s string) string {
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return "\"" + strings.ToValidUTF8(s, "?") + "\""
}
