package eu

// record is one sanctionEntity as published, filled by the XML parser from
// its attributes and children and by the CSV parser from the rows of one
// Entity_LogicalId. Values are as published (not cleaned); the mapper
// cleans and maps them. The field comments name the XML attribute and the
// CSV column.
type record struct {
	line               int    // of the sanctionEntity start tag, or of the entity's first CSV row
	logicalID          string // @logicalId, Entity_LogicalId
	euRef              string // @euReferenceNumber, Entity_EU_ReferenceNumber
	unID               string // @unitedNationId, Entity_UnitedNationId
	designationDate    string // @designationDate, Entity_DesignationDate
	designationDetails string // @designationDetails, Entity_DesignationDetails
	remarks            []string
	// subjectType: the XML's code is the word and classificationCode the
	// letter; the CSV prints them the other way round (see csv.go).
	subjectCode  string // "person", "enterprise"
	subjectClass string // "P", "E"
	hasSubject   bool
	regulations  []regulation
	names        []nameAlias
	citizenships []citizenship
	births       []birthdate
	ids          []identification
	addresses    []address
}

func (r *record) reset() {
	*r = record{
		remarks:      r.remarks[:0],
		regulations:  r.regulations[:0],
		names:        r.names[:0],
		citizenships: r.citizenships[:0],
		births:       r.births[:0],
		ids:          r.ids[:0],
		addresses:    r.addresses[:0],
	}
}

// regulation is an entity's regulation element (Entity_Regulation_*).
type regulation struct {
	line                                      int
	typ, organisation, published, inForce     string
	numberTitle, programme, logicalID, pubURL string
}

// common holds what every child of sanctionEntity but regulation has.
type common struct {
	line      int
	logicalID string
	regLang   string   // @regulationLanguage
	remarks   []string // remark children; X_Remark
	// regDates are the publicationDate of the element's regulationSummary
	// children (X_Regulation_PublicationDate in the CSV): the regulations
	// that published this part of the entry.
	regDates []string
}

type nameAlias struct {
	common
	first, middle, last, whole string
	lang, gender, title, fn    string
	strong                     string // "true", "false"; the CSV has no such column
}

type citizenship struct {
	common
	region, code, desc string
}

type birthdate struct {
	common
	circa, calendar, date, day, month, year string
	rangeFrom, rangeTo                      string
	city, zip, region, place, code, desc    string
}

type identification struct {
	common
	diplomatic, knownExpired, knownFalse, reportedLost, revoked string
	issuedBy, latinNumber, nameOnDocument, number               string
	region, code, desc, typeCode, typeDesc                      string
	issued, validFrom, validTo                                  string
}

type address struct {
	common
	city, street, poBox, zip, region, place, asAt, code, desc string
	contacts                                                  []contact
	// contactText is the CSV's one Address_ContactInfo column, split by
	// the mapper (the XML gives contactInfo elements instead).
	contactText string
}

type contact struct {
	line       int
	key, value string
}
