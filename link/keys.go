package link

import (
	"slices"
	"strings"
	"unicode"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// Key kinds: the first byte of an index key.
const (
	kindReference  = 'r'
	kindIdentifier = 'i'
	kindName       = 'n'
)

// Roles of a member of a reference group.
const (
	roleOwner = "owner" // the record the reference number is the id of
	roleCiter = "citer" // a record of another list that prints it
)

// member is what a key group holds of one entity: enough to judge a pair
// without reading the entity again.
type member struct {
	ID     string `json:"i"`
	Source string `json:"s"`
	Type   string `json:"t"`
	Role   string `json:"r,omitempty"`
	// Shown is the value as the entity prints it (the name, the document
	// number with its country), for the link's evidence.
	Shown string `json:"v"`
	// Births, Nations and Countries are the second facts a name key needs
	// (birth dates, nationality and citizenship codes, address and
	// document countries); only name keys carry them.
	Births    []entity.Date `json:"b,omitempty"`
	Words     int           `json:"w,omitempty"` // words of the name key
	Refs      int           `json:"k,omitempty"` // distinct UN reference numbers the entity cites
	Nations   []string      `json:"n,omitempty"`
	Countries []string      `json:"c,omitempty"`
}

// indexKey is one key an entity can meet another under.
type indexKey struct {
	key   string
	field string // the evidence's field: "un_reference", "passport", "name", ...
	m     member
}

// unReferenceRaw is the raw type every source gives a UN reference number
// (the UN's own REFERENCE_NUMBER, EU unitedNationId, UK UNReferenceNumber,
// DFAT's reference in "Additional Information").
const unReferenceRaw = "un reference number"

// ofacNumberRaw is the raw type of the CSL's entity_number: the OFAC uid.
const ofacNumberRaw = "ofac entity number"

// unSource and the OFAC sources own the numbers others cite.
const unSource = "un_sc"

var ofacSources = map[string]bool{"us_ofac_sdn": true, "us_ofac_cons": true}

// strongIDs are the identifier types that single out one party, and
// whether the key needs the issuing country: a passport number is unique
// only within its issuer's series. Phone, e-mail, website, IBAN, MMSI and
// call signs are left out: shared by related parties or reassigned.
var strongIDs = map[string]bool{
	normalize.IDPassport:     true,
	normalize.IDNationalID:   true,
	normalize.IDTax:          true,
	normalize.IDRegistration: true,
	normalize.IDIMO:          false,
	normalize.IDIMOCompany:   false,
	normalize.IDLEI:          false,
	normalize.IDSwiftBIC:     false,
	normalize.IDCryptoWallet: false,
}

// minIDLength keeps fragments ("1", "3") out of identifier keys.
const minIDLength = 5

// keysOf lists the keys of e: its official reference numbers, its strong
// identifiers and its names.
func keysOf(e *entity.Entity) []indexKey {
	base := member{ID: e.ID, Source: e.Source, Type: string(e.Type)}
	var out []indexKey
	add := func(key, field, shown, role string) {
		m := base
		m.Shown, m.Role = shown, role
		out = append(out, indexKey{key: key, field: field, m: m})
	}

	// Reference numbers: a UN reference number is the UN record's own id
	// and a citation everywhere else; so is an OFAC uid. A record citing
	// several (DFAT 2026-02-24 1228 prints CDi.002 and CDi.003) does not
	// say which is its own: its citations are marked.
	cited := map[string]bool{}
	for _, id := range e.Identifiers {
		if strings.EqualFold(strings.TrimSpace(id.RawType), unReferenceRaw) && e.Source != unSource {
			if ref := unReference(id.Value); ref != "" {
				cited[ref] = true
			}
		}
	}
	base.Refs = len(cited)
	for _, id := range e.Identifiers {
		switch strings.ToLower(strings.TrimSpace(id.RawType)) {
		case unReferenceRaw:
			ref := unReference(id.Value)
			if ref == "" {
				continue
			}
			role := roleCiter
			if e.Source == unSource {
				role = roleOwner
			}
			add(string(kindReference)+"un:"+ref, "un_reference", id.Value, role)
		case ofacNumberRaw:
			if n := strings.TrimSpace(id.Value); isDigits(n) {
				add(string(kindReference)+"ofac:"+n, "ofac_uid", n, roleCiter)
			}
		}
	}
	if ofacSources[e.Source] && isDigits(e.SourceID) {
		add(string(kindReference)+"ofac:"+e.SourceID, "ofac_uid", e.SourceID, roleOwner)
	}

	// Strong identifiers, typed and normalized by the source's run.
	for _, id := range e.Identifiers {
		needsCountry, strong := strongIDs[id.Type]
		if !strong || (id.Valid != nil && !*id.Valid) {
			continue
		}
		v := strings.ToUpper(strings.TrimSpace(id.Value))
		if len(v) < minIDLength {
			continue
		}
		if id.Type == normalize.IDCryptoWallet && !strings.HasPrefix(v, "0X") {
			v = strings.TrimSpace(id.Value) // base58 and bech32 are case-sensitive
		}
		country := strings.ToUpper(id.Country)
		if needsCountry && country == "" {
			continue
		}
		shown := id.Value
		if country != "" {
			shown += " (" + country + ")"
		}
		add(string(kindIdentifier)+id.Type+":"+country+":"+v, id.Type, shown, "")
	}
	if e.Vessel != nil {
		if imo := digits(e.Vessel.IMO); len(imo) == 7 {
			add(string(kindIdentifier)+normalize.IDIMO+"::"+imo, normalize.IDIMO, e.Vessel.IMO, "")
		}
	}

	// Names: a person, organization, vessel or aircraft under each of its
	// keys, with the facts a name link needs beside it.
	if e.Type == entity.Unknown {
		return dedupeKeys(out)
	}
	facts := base
	facts.Births = e.BirthDates
	for _, c := range e.Nationalities {
		facts.Nations = appendCode(facts.Nations, c.Code)
	}
	for _, c := range e.Citizenships {
		facts.Nations = appendCode(facts.Nations, c.Code)
	}
	for _, a := range e.Addresses {
		facts.Countries = appendCode(facts.Countries, a.Country)
	}
	if e.Vessel != nil {
		if code, ok := normalize.CountryCode(e.Vessel.Flag); ok {
			facts.Countries = appendCode(facts.Countries, code)
		}
	}
	slices.Sort(facts.Nations)
	slices.Sort(facts.Countries)
	for _, n := range e.Names {
		if n.Kind == entity.KindWeakAlias {
			continue // OFAC's "low quality" a.k.a.s: too loose to link on
		}
		for _, k := range nameKeys(n, e.Type) {
			m := facts
			m.Shown, m.Words = n.Value, strings.Count(k, " ")+1
			out = append(out, indexKey{key: string(kindName) + string(e.Type) + ":" + k, field: "name", m: m})
		}
	}
	return dedupeKeys(out)
}

// nameKeys are the forms a name is compared in: its match key as stored,
// the running tool's match key of the value and of its ASCII form (a
// version published by an older tool keeps older keys), each with its
// words sorted, since lists order a person's names differently ("KIM,
// Jong Un", "Jong Un KIM"). Keys of one word or under minNameKey characters ("kim kyu", born 1968-07-30, is a name to link on)
// are left out: they single out nobody.
func nameKeys(n entity.Name, t entity.Type) []string {
	var out []string
	for _, k := range []string{n.Normalized, normalize.MatchKeyFor(n.Value, t), asciiKey(n.ASCII, t)} {
		if k == "" {
			continue
		}
		words := strings.Fields(k)
		if len(words) < 2 || len(k) < minNameKey {
			continue
		}
		slices.Sort(words)
		out = append(out, strings.Join(words, " "))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func asciiKey(ascii string, t entity.Type) string {
	if ascii == "" {
		return ""
	}
	return normalize.MatchKeyFor(ascii, t)
}

// minNameKey is the shortest name key a link may rest on.
const minNameKey = 5

func dedupeKeys(ks []indexKey) []indexKey {
	slices.SortStableFunc(ks, func(a, b indexKey) int { return strings.Compare(a.key, b.key) })
	return slices.CompactFunc(ks, func(a, b indexKey) bool { return a.key == b.key && a.m.Role == b.m.Role })
}

func appendCode(dst []string, code string) []string {
	if code == "" || slices.Contains(dst, code) {
		return dst
	}
	return append(dst, code)
}

// unReference is a UN reference number in one form: upper case without
// spaces ("KPi.033" and "KPI. 033" -> "KPI.033"), or "" when the text has
// no letters and digits of one ("QDi.", "-").
func unReference(s string) string {
	var b strings.Builder
	letters, nums := 0, 0
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
		case r < 0x80 && unicode.IsLetter(r):
			letters++
			b.WriteRune(unicode.ToUpper(r))
		case r >= '0' && r <= '9':
			nums++
			b.WriteRune(r)
		case r == '.':
			b.WriteRune(r)
		default:
			return ""
		}
	}
	if letters < 2 || nums == 0 {
		return ""
	}
	return b.String()
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
