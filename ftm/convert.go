package ftm

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// Entity is one FtM entity as the exports write it (DESIGN.md, Exports in
// FollowTheMoney).
type Entity struct {
	ID         string              `json:"id"`
	Schema     string              `json:"schema"`
	Properties map[string][]string `json:"properties"`
	Datasets   []string            `json:"datasets"`
	// Referents lists the ids of the other members of a combined
	// entity's cluster (FtM: the ids an entity stands for).
	Referents  []string `json:"referents,omitempty"`
	FirstSeen  string   `json:"first_seen,omitempty"`
	LastChange string   `json:"last_change,omitempty"`
}

// Converter turns our entities into FtM entities. The zero value works on
// one entity alone; the optional lookups let it use what the rest of the
// export holds. A Converter is not safe for concurrent use (Dropped).
type Converter struct {
	// Target returns the type of the entity an id names in the same
	// export, and false when the export does not hold it. With it,
	// relations become Ownership, Family or Associate where the two
	// schemata fit those ranges, and relations to ids the export lacks
	// go to notes instead of dangling. Without it every relation with a
	// target id is an UnknownLink, whose range (Thing) fits any target.
	Target func(id string) (entity.Type, bool)
	// Members returns the ids of the members of a combined cluster; a
	// cluster of two or more gives each member's main entity the others
	// as referents. Nil: no referents.
	Members func(cluster string) []string
	// Dropped counts the values left out, by reason (docs/ftm.md).
	Dropped map[string]int
}

// Convert converts e with a zero Converter.
func Convert(e *entity.Entity) []Entity {
	var c Converter
	return c.Convert(e)
}

// mainSchema maps our entity types to FtM schemata.
var mainSchema = map[entity.Type]string{
	entity.Person:       "Person",
	entity.Organization: "Organization",
	entity.Vessel:       "Vessel",
	entity.Aircraft:     "Airplane",
	entity.Unknown:      "LegalEntity",
}

// legalEntity reports whether the main schema descends from LegalEntity,
// the range of Identification.holder and CryptoWallet.holder.
func legalEntity(schema string) bool { return schema != "Vessel" && schema != "Airplane" }

// authorities names the publisher behind each source, for Sanctions.
var authorities = map[string]struct{ name, country string }{
	"us_ofac_sdn":  {"Office of Foreign Assets Control", "us"},
	"us_ofac_cons": {"Office of Foreign Assets Control", "us"},
	"us_trade_csl": {"International Trade Administration", "us"},
	"un_sc":        {"United Nations Security Council", ""},
	"eu_fsf":       {"European Union", "eu"},
	"gb_fcdo":      {"Foreign, Commonwealth & Development Office", "gb"},
	"ch_seco":      {"State Secretariat for Economic Affairs (SECO)", "ch"},
	"ca_sema":      {"Global Affairs Canada", "ca"},
	"au_dfat":      {"Department of Foreign Affairs and Trade", "au"},
}

// builder collects the properties of one FtM entity.
type builder struct {
	schema string
	props  map[string][]string
}

func newBuilder(schema string) *builder {
	return &builder{schema: schema, props: map[string][]string{}}
}

func (b *builder) add(prop string, values ...string) {
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			b.props[prop] = append(b.props[prop], v)
		}
	}
}

// finish sorts and dedupes every value list.
func (b *builder) finish() map[string][]string {
	for k, v := range b.props {
		sort.Strings(v)
		b.props[k] = slices.Compact(v)
	}
	return b.props
}

// digest is a short stable hash of a derived entity's content, so that
// its id changes exactly when what it holds changes.
func digest(schema string, props map[string][]string) string {
	b, _ := json.Marshal(props) // map keys sorted, values sorted by finish
	h := sha256.Sum256(append([]byte(schema+"\x00"), b...))
	return hex.EncodeToString(h[:5])
}

func (c *Converter) drop(reason string) {
	if c.Dropped == nil {
		c.Dropped = map[string]int{}
	}
	c.Dropped[reason]++
}

// dropCountry counts a country left out: a code FtM lacks by its code,
// text that is no code at all (an identifier's unmapped country text,
// OFAC's "(Medellin)" after a Matricula Mercantil number) as one reason.
func (c *Converter) dropCountry(code string) {
	if (len(code) == 2 || len(code) == 4) && strings.ToUpper(code) == code {
		// An ISO 3166-1 code, or a dissolved state's ISO 3166-3 code (ANHH).
		c.drop("country code without FtM code: " + code)
		return
	}
	c.drop("country text that is no code")
}

// Convert returns e's main entity first, then its derived entities
// (Sanction, Identification, Passport, CryptoWallet, Address and the
// relation entities) sorted by id.
func (c *Converter) Convert(e *entity.Entity) []Entity {
	schema := mainSchema[e.Type]
	if schema == "" {
		schema = "LegalEntity"
	}
	m := newBuilder(schema)
	var derived []*builder
	person := schema == "Person"

	m.add("name", e.Name)
	for _, n := range e.Names {
		switch n.Kind {
		case entity.KindPrimary:
			m.add("name", n.Value)
			if person && n.Parts != nil {
				m.add("firstName", n.Parts.Given)
				m.add("middleName", n.Parts.Middle)
				m.add("lastName", n.Parts.Family)
				m.add("fatherName", n.Parts.Patronymic)
			}
		case entity.KindAlias:
			m.add("alias", n.Value)
		case entity.KindWeakAlias:
			m.add("weakAlias", n.Value)
		case entity.KindFormer:
			m.add("previousName", n.Value)
		default:
			m.add("alias", n.Value)
		}
	}
	m.add("topics", "sanction")
	m.add("program", e.Programs...)
	m.add("notes", e.Remarks)

	countries := func(prop string, list []entity.Country) {
		for _, k := range list {
			code := cmp.Or(k.Code, k.Former)
			if code == "" {
				continue // normalize counted it already
			}
			if v, ok := Country(code); ok {
				m.add(prop, v)
			} else {
				c.dropCountry(code)
			}
			if k.Qualifier != "" {
				// FtM's country has no qualifier: the printed text goes to
				// notes, so that "possibly Palestinian" does not read as
				// a known nationality.
				m.add("notes", prop+": "+cmp.Or(k.Raw, k.Qualifier))
			}
		}
	}
	if person {
		for _, d := range e.BirthDates {
			c.birthDate(m, d)
		}
		m.add("birthPlace", e.BirthPlaces...)
		countries("nationality", e.Nationalities)
		countries("citizenship", e.Citizenships)
		m.add("title", e.Titles...)
		m.add("position", e.Positions...)
		if e.Gender != "" {
			if g, ok := gender(e.Gender); ok {
				m.add("gender", g)
			} else {
				c.drop("gender without FtM value")
			}
		}
	} else {
		// An organization's or vessel's nationality is the country it
		// belongs to; FtM has "nationality" for people only.
		countries("country", e.Nationalities)
		countries("country", e.Citizenships)
		if len(e.BirthDates) > 0 {
			c.drop("birth date of a non-person")
		}
		if len(e.Positions) > 0 || len(e.Titles) > 0 {
			m.add("notes", e.Positions...)
			m.add("notes", e.Titles...)
		}
	}

	for _, a := range e.Addresses {
		if d := c.address(e, m, a); d != nil {
			derived = append(derived, d)
		}
	}
	if e.Vessel != nil && schema == "Vessel" {
		c.vessel(m, e.Vessel)
	}
	if e.Aircraft != nil && schema == "Airplane" {
		c.aircraft(m, e.Aircraft)
	}
	for _, id := range e.Identifiers {
		if d := c.identifier(e, m, id); d != nil {
			derived = append(derived, d)
		}
	}
	derived = append(derived, c.sanctions(e)...)
	for _, r := range e.Relations {
		if d := c.relation(e, m, r); d != nil {
			derived = append(derived, d)
		}
	}

	datasets := []string{e.Source}
	first, last := timestamp(e.FirstSeen), timestamp(e.LastChanged)
	main := Entity{ID: e.ID, Schema: schema, Properties: m.finish(), Datasets: datasets, FirstSeen: first, LastChange: last}
	if c.Members != nil && e.Cluster != "" {
		if ms := c.Members(e.Cluster); len(ms) > 1 {
			for _, id := range ms {
				if id != e.ID {
					main.Referents = append(main.Referents, id)
				}
			}
			sort.Strings(main.Referents)
			main.Referents = slices.Compact(main.Referents)
		}
	}
	out := []Entity{main}
	seen := map[string]bool{e.ID: true}
	var rest []Entity
	for _, d := range derived {
		props := d.finish()
		id := e.ID + "-" + strings.ToLower(d.schema) + "-" + digest(d.schema, props)
		if seen[id] {
			continue // the same fact printed twice
		}
		seen[id] = true
		rest = append(rest, Entity{ID: id, Schema: d.schema, Properties: props, Datasets: datasets, FirstSeen: first, LastChange: last})
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i].ID < rest[j].ID })
	return append(out, rest...)
}

// timestamp turns a version id (20060102T150405Z, a suffix allowed) into
// the ISO form FtM exports carry; other text is kept.
func timestamp(v string) string {
	if len(v) >= 16 {
		if t, err := time.Parse("20060102T150405Z", v[:16]); err == nil {
			return t.Format("2006-01-02T15:04:05")
		}
	}
	return v
}

var dateRE = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)

// Date returns s in FtM's prefix form (1965, 1965-03, 1965-03-25) and
// whether it is a real date of that form; a longer ISO timestamp is cut
// to its day.
func Date(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 10 && s[10] == 'T' {
		s = s[:10]
	}
	if !dateRE.MatchString(s) {
		return "", false
	}
	switch len(s) {
	case 4:
		return s, s != "0000"
	case 7:
		_, err := time.Parse("2006-01", s)
		return s, err == nil
	default:
		_, err := time.Parse("2006-01-02", s)
		return s, err == nil
	}
}

// birthDate adds a birth date: its value at its precision, or for a range
// both bounds (FtM has no range; two values say "one of these").
func (c *Converter) birthDate(m *builder, d entity.Date) {
	vals := []string{d.Value}
	if d.Precision == entity.PrecisionRange || d.Value == "" {
		vals = []string{d.From, d.To}
	}
	added := false
	for _, v := range vals {
		if v == "" {
			continue
		}
		if s, ok := Date(v); ok {
			m.add("birthDate", s)
			added = true
		}
	}
	if !added {
		c.drop("birth date not in prefix form")
	}
}

func gender(g string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(g)) {
	case "male", "m", "man":
		return "male", true
	case "female", "f", "woman":
		return "female", true
	case "other":
		return "other", true
	}
	return "", false
}

// address adds a to the main entity (address text, country) and returns
// its Address entity, nil when a holds no more than a country.
func (c *Converter) address(e *entity.Entity, m *builder, a entity.Address) *builder {
	var country string
	if code := cmp.Or(a.Country, a.CountryFormer); code != "" {
		if v, ok := Country(code); ok {
			country = v
			m.add("country", v)
		} else {
			c.dropCountry(code)
		}
	}
	full := a.Full
	if full == "" {
		var parts []string
		for _, p := range []string{a.Street, a.City, a.Region, a.PostalCode} {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		full = strings.Join(parts, ", ")
	}
	if strings.TrimSpace(full) == "" {
		return nil
	}
	d := newBuilder("Address")
	d.add("full", full)
	d.add("street", a.Street)
	d.add("city", a.City)
	d.add("region", a.Region)
	d.add("postalCode", a.PostalCode)
	d.add("country", country)
	m.add("address", full)
	d.finish()
	m.add("addressEntity", e.ID+"-address-"+digest("Address", d.props))
	return d
}

func (c *Converter) vessel(m *builder, v *entity.VesselInfo) {
	m.add("callSign", v.CallSign)
	m.add("type", v.Type)
	m.add("imoNumber", strings.TrimPrefix(strings.ToUpper(strings.ReplaceAll(v.IMO, " ", "")), "IMO"))
	m.add("mmsi", v.MMSI)
	flag := func(prop, text string) {
		if code, ok := normalize.CountryCode(text); ok && code != "" {
			if f, ok := Country(code); ok {
				m.add(prop, f)
				return
			}
		}
		c.drop("vessel flag without FtM code")
	}
	if v.Flag != "" {
		flag("flag", v.Flag)
	}
	for _, f := range v.OtherFlags {
		flag("flag", f)
	}
	for _, f := range v.FormerFlags {
		flag("pastFlags", f)
	}
	c.number(m, "tonnage", v.Tonnage)
	c.number(m, "grossRegisteredTonnage", v.GrossTons)
	if v.YearBuilt != "" {
		if d, ok := Date(v.YearBuilt); ok {
			m.add("buildDate", d)
		} else {
			c.drop("vessel build year not a date")
		}
	}
	if v.Owner != "" {
		// Vehicle.owner is an entity reference; a name is not one.
		m.add("notes", "Owner: "+v.Owner)
	}
}

func (c *Converter) number(m *builder, prop, text string) {
	if text == "" {
		return
	}
	t := strings.ReplaceAll(strings.TrimSpace(text), ",", "")
	if _, err := strconv.ParseFloat(t, 64); err != nil {
		c.drop(prop + " not a number")
		return
	}
	m.add(prop, t)
}

func (c *Converter) aircraft(m *builder, a *entity.AircraftInfo) {
	m.add("model", a.Model)
	m.add("serialNumber", a.SerialNumber)
	m.add("registrationNumber", a.TailNumber)
	if a.BuiltDate != "" {
		if d, ok := Date(a.BuiltDate); ok {
			m.add("buildDate", d)
		} else {
			c.drop("aircraft build date not a date")
		}
	}
	if a.Operator != "" {
		m.add("notes", "Operator: "+a.Operator)
	}
}

// mainProps names, per identifier type, the property of the main entity
// that holds it, where FtM has one for that schema.
var mainProps = map[string]map[string]string{
	normalize.IDPassport:       {"Person": "passportNumber"},
	normalize.IDNationalID:     {"*LegalEntity": "idNumber"},
	normalize.IDTax:            {"*LegalEntity": "taxNumber"},
	normalize.IDRegistration:   {"*LegalEntity": "registrationNumber", "Vessel": "registrationNumber", "Airplane": "registrationNumber"},
	normalize.IDIMO:            {"Vessel": "imoNumber", "Organization": "imoNumber"},
	normalize.IDIMOCompany:     {"Organization": "imoNumber"},
	normalize.IDMMSI:           {"Vessel": "mmsi"},
	normalize.IDCallSign:       {"Vessel": "callSign"},
	normalize.IDSwiftBIC:       {"*LegalEntity": "swiftBic"},
	normalize.IDLEI:            {"*LegalEntity": "leiCode"},
	normalize.IDEmail:          {"*LegalEntity": "email"},
	normalize.IDPhone:          {"*LegalEntity": "phone"},
	normalize.IDWebsite:        {"*LegalEntity": "website"},
	normalize.IDAircraftSerial: {"Airplane": "serialNumber"},
	normalize.IDAircraftTail:   {"Airplane": "registrationNumber"},
}

// documents are the identifier types that also get an Identification
// entity (Passport for passports) with their country and dates.
var documents = map[string]bool{
	normalize.IDPassport: true, normalize.IDNationalID: true, normalize.IDTax: true,
	normalize.IDRegistration: true, normalize.IDOther: true, normalize.IDISIN: true, normalize.IDIBAN: true,
}

func mainProp(typ, schema string) string {
	p := mainProps[typ]
	if v := p[schema]; v != "" {
		return v
	}
	if legalEntity(schema) {
		return p["*LegalEntity"]
	}
	return ""
}

var currencyRE = regexp.MustCompile(`\b([A-Z]{3,5})\s*$`)

// identifier sets id's main-entity property and returns its
// Identification, Passport or CryptoWallet entity, if any.
func (c *Converter) identifier(e *entity.Entity, m *builder, id entity.Identifier) *builder {
	number := id.Value
	if number == "" {
		number = id.Raw
	}
	if strings.TrimSpace(number) == "" {
		return nil
	}
	valid := id.Valid == nil || *id.Valid
	prop := mainProp(id.Type, m.schema)
	if prop != "" {
		if valid {
			m.add(prop, number)
		} else if !documents[id.Type] {
			// FtM checks the format of these (IMO, LEI, BIC): a value
			// that failed ours stays out.
			c.drop("invalid identifier left out: " + id.Type)
		}
	}
	if id.Type == normalize.IDCryptoWallet {
		w := newBuilder("CryptoWallet")
		w.add("publicKey", number)
		if mm := currencyRE.FindStringSubmatch(id.RawType); mm != nil {
			w.add("currencySymbol", mm[1])
		}
		if legalEntity(m.schema) {
			w.add("holder", e.ID)
		}
		return w
	}
	if !documents[id.Type] {
		if prop == "" {
			c.drop("identifier without FtM property: " + id.Type)
		}
		return nil
	}
	if !legalEntity(m.schema) {
		if prop == "" {
			c.drop("document of a vessel or aircraft: " + id.Type)
		}
		return nil
	}
	schema := "Identification"
	if id.Type == normalize.IDPassport && m.schema == "Person" {
		schema = "Passport"
	}
	d := newBuilder(schema)
	d.add("holder", e.ID)
	d.add("number", number)
	if id.RawType != "" {
		d.add("type", id.RawType)
	} else {
		d.add("type", id.Type)
	}
	if code := cmp.Or(id.Country, id.CountryFormer); code != "" {
		if v, ok := Country(code); ok {
			d.add("country", v)
		} else {
			c.dropCountry(code)
		}
	}
	c.date(d, "startDate", id.Issued, "identifier issue date")
	c.date(d, "endDate", id.Expires, "identifier expiry date")
	d.add("summary", id.Note)
	return d
}

func (c *Converter) date(b *builder, prop, v, what string) {
	if v == "" {
		return
	}
	if d, ok := Date(v); ok {
		b.add(prop, d)
	} else {
		c.drop(what + " not in prefix form")
	}
}

// sanctions returns one Sanction per listing; without listings one per
// program, and one with no program when there is neither: every entity
// of a sanctions list is sanctioned.
func (c *Converter) sanctions(e *entity.Entity) []*builder {
	auth := authorities[e.Source]
	base := func() *builder {
		s := newBuilder("Sanction")
		s.add("entity", e.ID)
		s.add("country", auth.country)
		return s
	}
	var out []*builder
	for _, l := range e.Listings {
		s := base()
		if l.Authority != "" {
			s.add("authority", l.Authority)
		} else {
			s.add("authority", auth.name)
		}
		if len(l.Programs) > 0 {
			s.add("program", l.Programs...)
		} else {
			s.add("program", l.ListName)
		}
		s.add("provisions", l.Measures...)
		s.add("provisions", l.LicenseRequirement, l.LicensePolicy)
		s.add("summary", l.Notice)
		s.add("sourceUrl", l.URL)
		start := l.Start
		if start == "" {
			start = e.ListedOn
		}
		c.date(s, "listingDate", start, "listing date")
		c.date(s, "startDate", l.Start, "listing start")
		c.date(s, "endDate", l.End, "listing end")
		out = append(out, s)
	}
	if len(out) > 0 {
		return out
	}
	programs := e.Programs
	if len(programs) == 0 {
		programs = []string{""}
	}
	for _, p := range programs {
		s := base()
		s.add("authority", auth.name)
		s.add("program", p)
		c.date(s, "listingDate", e.ListedOn, "listing date")
		out = append(out, s)
	}
	return out
}

// relation returns the FtM entity of r (docs/ftm.md has the mapping), or
// nil when r names no entity of the export, in which case it goes to
// the main entity's notes.
func (c *Converter) relation(e *entity.Entity, m *builder, r entity.Relation) *builder {
	label := strings.ReplaceAll(r.Type, "_", " ")
	if r.TargetID == "" {
		c.drop("relation without target id")
		m.add("notes", "Related ("+label+"): "+r.TargetName)
		return nil
	}
	var target string
	if c.Target != nil {
		t, ok := c.Target(r.TargetID)
		if !ok {
			c.drop("relation to an id the export lacks")
			name := r.TargetName
			if name == "" {
				name = r.TargetID
			}
			m.add("notes", "Related ("+label+"): "+name)
			return nil
		}
		target = mainSchema[t]
	}
	typ, former := strings.CutPrefix(r.Type, "former_")
	self := m.schema
	isPerson := func(s string) bool { return s == "Person" }
	isAsset := func(s string) bool { return s == "Vessel" || s == "Airplane" }
	var owner, asset string
	switch typ {
	case "owned_or_controlled_by", "parent", "owner_operator":
		owner, asset = r.TargetID, e.ID
		if !(target != "" && legalEntity(target) && isAsset(self)) {
			owner = ""
		}
	case "owns_or_controls", "subsidiary":
		owner, asset = e.ID, r.TargetID
		if !(legalEntity(self) && isAsset(target)) {
			owner = ""
		}
	case "previous_owner_operator":
		owner, asset, former = r.TargetID, e.ID, true
		if !(target != "" && legalEntity(target) && isAsset(self)) {
			owner = ""
		}
	}
	switch {
	case owner != "":
		d := newBuilder("Ownership")
		d.add("owner", owner)
		d.add("asset", asset)
		d.add("role", label)
		if former {
			d.add("status", "former")
		}
		return d
	case (typ == "family_member_of" || typ == "relative") && isPerson(self) && isPerson(target):
		d := newBuilder("Family")
		d.add("person", e.ID)
		d.add("relative", r.TargetID)
		d.add("relationship", label)
		return d
	case typ == "associate_of" && isPerson(self) && isPerson(target):
		d := newBuilder("Associate")
		d.add("person", e.ID)
		d.add("associate", r.TargetID)
		d.add("relationship", label)
		return d
	}
	d := newBuilder("UnknownLink")
	d.add("subject", e.ID)
	d.add("object", r.TargetID)
	d.add("role", label)
	if former {
		d.add("status", "former")
	}
	return d
}
