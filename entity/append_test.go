package entity_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// jsonLine is the reference: the canonical line as MarshalCanonical wrote
// it through reflection before AppendCanonical existed.
func jsonLine(tb testing.TB, e *entity.Entity) []byte {
	tb.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(e); err != nil {
		tb.Fatalf("%s: %v", e.ID, err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// checkEncoding compares every encoding entry point of e with the
// reference: AppendCanonical (onto nil and onto a prefix it must keep),
// MarshalCanonical, AppendContent and ContentHash.
func checkEncoding(tb testing.TB, name string, e *entity.Entity) {
	tb.Helper()
	want := jsonLine(tb, e)
	if got := e.AppendCanonical(nil); !bytes.Equal(got, want) {
		tb.Fatalf("%s: AppendCanonical differs from encoding/json %s", name, firstDiff(got, want))
	}
	prefix := []byte("line\n")
	if got := e.AppendCanonical(prefix[:len(prefix):len(prefix)]); !bytes.Equal(got, append(prefix, want...)) {
		tb.Fatalf("%s: AppendCanonical onto a prefix: %q", name, got)
	}
	if got, err := e.MarshalCanonical(); err != nil || !bytes.Equal(got, want) {
		tb.Fatalf("%s: MarshalCanonical %v %s", name, err, firstDiff(got, want))
	}
	c := *e
	c.FirstSeen, c.LastChanged = "", ""
	wantContent := jsonLine(tb, &c)
	if got := e.AppendContent(nil); !bytes.Equal(got, wantContent) {
		tb.Fatalf("%s: AppendContent %s", name, firstDiff(got, wantContent))
	}
	sum := sha256.Sum256(wantContent)
	if got, err := e.ContentHash(); err != nil || got != hex.EncodeToString(sum[:]) {
		tb.Fatalf("%s: ContentHash %s %v, want the sha256 of %s", name, got, err, wantContent)
	}
}

// firstDiff shows where got leaves want, with some context.
func firstDiff(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-40)
	return fmt.Sprintf("at byte %d:\n got  %q\n want %q", i, got[from:min(len(got), i+40)], want[from:min(len(want), i+40)])
}

func TestAppendCanonicalCases(t *testing.T) {
	yes, no := true, false
	ident := func(s string) *entity.Entity {
		return &entity.Entity{ID: "x-1", Source: "x", SourceID: "1", Type: entity.Person, Name: s}
	}
	// every escape class of encoding/json (HTML escaping off)
	strs := map[string]string{
		"plain":              "BANCO NACIONAL DE CUBA",
		"quote backslash":    `a"b\c"\`,
		"short escapes":      "\b\f\n\r\t",
		"control bytes":      "\x00\x01\x07\x0b\x0e\x1a\x1b\x1f",
		"DEL and space":      "\x7f \x7f",
		"html unescaped":     "<script>&amp;</script>",
		"invalid byte":       "a\xffb",
		"cut sequence":       "abc\xe2\x80",
		"lone continuation":  "\x80\xbf",
		"overlong":           "\xc0\x80\xc1\xbf",
		"surrogate half":     "\xed\xa0\x80",
		"beyond U+10FFFF":    "\xf4\x90\x80\x80",
		"line separators":    "a\u2028b\u2029c",
		"near separators":    "\u2027\u202a\u202f",
		"literal U+FFFD":     "\ufffd",
		"multi-byte":         "Ан Нам Ён Хо 安南 عبد الله 🙂",
		"escape at each end": "\n mid \u2028",
		"only escapes":       "\"\"\\\\",
		"empty":              "",
	}
	cases := map[string]*entity.Entity{
		"zero": {},
		"empty slices": {
			Names: []entity.Name{}, BirthDates: []entity.Date{}, BirthPlaces: []string{},
			Nationalities: []entity.Country{}, Citizenships: []entity.Country{}, Titles: []string{},
			Positions: []string{}, Addresses: []entity.Address{}, Identifiers: []entity.Identifier{},
			Programs: []string{}, Listings: []entity.Listing{}, Relations: []entity.Relation{},
		},
		"empty elements": {
			Names: []entity.Name{{}}, BirthDates: []entity.Date{{}}, BirthPlaces: []string{""},
			Nationalities: []entity.Country{{}}, Citizenships: []entity.Country{{}, {}}, Titles: []string{"", ""},
			Positions: []string{""}, Addresses: []entity.Address{{}}, Identifiers: []entity.Identifier{{}},
			Programs: []string{""}, Listings: []entity.Listing{{}, {Programs: []string{}, Measures: []string{""}}}, Relations: []entity.Relation{{}},
		},
		"empty pointers": {
			Names:  []entity.Name{{Parts: &entity.NameParts{}}},
			Vessel: &entity.VesselInfo{}, Aircraft: &entity.AircraftInfo{},
		},
		"name parts one by one": {Names: []entity.Name{
			{Value: "a", Parts: &entity.NameParts{Given: "g"}},
			{Kind: "alias", Parts: &entity.NameParts{Middle: "m"}},
			{Parts: &entity.NameParts{Family: "f"}},
			{Parts: &entity.NameParts{Patronymic: "p"}},
			{Parts: &entity.NameParts{Given: "g", Patronymic: "p"}, ASCII: "a"},
			{Script: "Cyrl", Lang: "ru", Normalized: "n"},
			{Value: "El Para", Note: "combat name"},
		}},
		"dates": {BirthDates: []entity.Date{
			{Approximate: true},
			{Approximate: true, Raw: "circa 1970"},
			{Raw: "1970"},
			{Value: "1970", Precision: entity.PrecisionYear},
			{From: "1970", To: "1972", Precision: entity.PrecisionRange, Approximate: true},
			{To: "1972"},
			{Value: "1982-04-18", Precision: entity.PrecisionDay, Calendar: "islamic-umalqura", Raw: "24/06/1402 (Hijri Calendar)"},
			{Calendar: "islamic-umalqura"},
		}},
		"identifier validity": {Identifiers: []entity.Identifier{
			{Type: "imo", Value: "1234567", Valid: &yes},
			{Valid: &no},
			{Value: "x"},
			{Type: "passport", Note: "n", Issued: "2001", Expires: "2011", Country: "CU", CountryRaw: "Cuba", Raw: "r", RawType: "rt", Valid: &no},
		}},
		"vessel and aircraft one field": {
			Vessel:   &entity.VesselInfo{YearBuilt: "1999"},
			Aircraft: &entity.AircraftInfo{BuiltDate: "2001"},
		},
		"vessel and aircraft full": {
			Vessel:   &entity.VesselInfo{CallSign: "c", Type: "t", Flag: "f", Owner: "o", Tonnage: "1", GrossTons: "2", IMO: "3", MMSI: "4", YearBuilt: "5"},
			Aircraft: &entity.AircraftInfo{Model: "m", Operator: "o", SerialNumber: "s", TailNumber: "t", BuiltDate: "b"},
		},
		"countries and addresses": {
			Nationalities: []entity.Country{{Code: "CU"}, {Raw: "Cuba"}},
			Citizenships:  []entity.Country{{Code: "CU", Raw: "Cuba"}},
			Addresses:     []entity.Address{{CountryRaw: "Spain"}, {PostalCode: "1"}, {Full: "f", Street: "s", City: "c", Region: "r", PostalCode: "p", Country: "ES", CountryRaw: "Spain"}},
		},
		"relations":                 {Relations: []entity.Relation{{TargetName: "n"}, {Type: "t", TargetID: "i"}}},
		"history only first_seen":   {ID: "a", FirstSeen: "20260101T000000Z"},
		"history only last_changed": {ID: "a", LastChanged: "20260101T000000Z"},
		"history both":              {ID: "a", Remarks: "r", FirstSeen: "1", LastChanged: "2"},
		"scalars":                   {Gender: "male", ListedOn: "2001-01-01", Remarks: "r", Type: entity.Unknown},
		"lists":                     {BirthPlaces: []string{"a", "b"}, Titles: []string{"t"}, Positions: []string{"p", ""}, Programs: []string{"SDGT", "CUBA"}},
	}
	// each class at every offset of a longer string, so that it falls in
	// every byte of the eight-byte fast path's words and after them
	for _, c := range []string{`"`, `\`, "\n", "\x00", "\x1f", "\x7f", " ", "\xff", "é", "\u2028", "\xe2\x80"} {
		for pos := range 18 {
			cases[fmt.Sprintf("string %q at %d", c, pos)] = ident(strings.Repeat("a", pos) + c + strings.Repeat("~", 17-pos))
		}
	}
	for name, s := range strs {
		cases["string "+name] = ident(s)
		cases["string in every field "+name] = &entity.Entity{
			ID: s, Source: s, SourceID: s, Type: entity.Type(s), Name: s,
			Names:       []entity.Name{{Value: s, Kind: s, Script: s, Lang: s, Parts: &entity.NameParts{Given: s, Middle: s, Family: s, Patronymic: s}, ASCII: s, Normalized: s, Note: s}},
			BirthDates:  []entity.Date{{Value: s, Precision: s, From: s, To: s, Calendar: s, Raw: s}},
			BirthPlaces: []string{s, s}, Nationalities: []entity.Country{{Code: s, Raw: s}}, Gender: s,
			Addresses:   []entity.Address{{Full: s, Street: s, City: s, Region: s, PostalCode: s, Country: s, CountryRaw: s}},
			Identifiers: []entity.Identifier{{Type: s, Value: s, Raw: s, RawType: s, Country: s, CountryRaw: s, Issued: s, Expires: s, Note: s}},
			Programs:    []string{s}, ListedOn: s, Remarks: s, FirstSeen: s, LastChanged: s,
			Listings: []entity.Listing{{List: s, ListName: s, Authority: s, Programs: []string{s}, Start: s, End: s, Notice: s,
				LicenseRequirement: s, LicensePolicy: s, Measures: []string{s, s}, URL: s}},
			Vessel:    &entity.VesselInfo{CallSign: s, IMO: s},
			Aircraft:  &entity.AircraftInfo{Model: s, TailNumber: s},
			Relations: []entity.Relation{{Type: s, TargetID: s, TargetName: s}},
		}
	}
	for name, e := range cases {
		t.Run(name, func(t *testing.T) { checkEncoding(t, name, e) })
	}
}

// The escapes themselves, spelled out: a differential test alone would
// pass if encoding/json changed, and the snapshots' bytes must not.
func TestAppendCanonicalEscapes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"\b\f", `"\b\f"`},
		{"\n\r\t", `"\n\r\t"`},
		{"\x00\x1f", `"\u0000\u001f"`},
		{"\x1a", `"\u001a"`},
		{`"\`, `"\"\\"`},
		{"<&>", `"<&>"`},
		{"\u2028\u2029", `"\u2028\u2029"`},
		{"a\xffb", `"a\ufffdb"`},
		{"é\x7f", "\"é\x7f\""},
	}
	for _, tc := range tests {
		e := &entity.Entity{Name: tc.in}
		got := string(e.AppendCanonical(nil))
		want := `{"id":"","source":"","source_id":"","type":"","name":` + tc.want + `}`
		if got != want {
			t.Errorf("%q: got %s, want %s", tc.in, got, want)
		}
	}
}

// TestAppendCanonicalSchema keeps the encoder up with the schema: it fills
// every field of Entity and of every struct under it, first all at once
// and then one field at a time (containers on the way made present but
// empty), and compares with encoding/json. A field added to a struct that
// the encoder does not write fails here.
func TestAppendCanonicalSchema(t *testing.T) {
	var full entity.Entity
	fill(t, reflect.ValueOf(&full).Elem(), "entity")
	checkEncoding(t, "every field set", &full)
	if !strings.Contains(string(jsonLine(t, &full)), `"valid":true`) {
		t.Fatal("the filled entity has no valid identifier: fill is broken")
	}

	paths := leaves(t, reflect.TypeFor[entity.Entity](), nil, "entity")
	if len(paths) < 70 {
		t.Fatalf("only %d fields found: leaves is broken", len(paths))
	}
	for _, p := range paths {
		var e entity.Entity
		setOnly(t, reflect.ValueOf(&e).Elem(), p.index, p.name)
		checkEncoding(t, "only "+p.name, &e)
	}
}

type fieldPath struct {
	index []int
	name  string
}

// leaves lists every field reachable from struct type typ, through
// slices and pointers: a field of struct type is listed itself (present
// but empty) and then its own fields.
func leaves(t *testing.T, typ reflect.Type, prefix []int, name string) []fieldPath {
	if len(prefix) > 6 {
		t.Fatalf("%s: schema nested deeper than the test expects", name)
	}
	var out []fieldPath
	for i := range typ.NumField() {
		f := typ.Field(i)
		idx := append(append([]int(nil), prefix...), i)
		fname := name + "." + f.Name
		out = append(out, fieldPath{idx, fname})
		inner := f.Type
		for inner.Kind() == reflect.Pointer || inner.Kind() == reflect.Slice {
			inner = inner.Elem()
		}
		if inner.Kind() == reflect.Struct {
			out = append(out, leaves(t, inner, idx, fname)...)
		}
	}
	return out
}

// setOnly makes the field at index (field numbers, through slices and
// pointers) non-zero and leaves everything else zero: containers on the
// way get one zero element; the field itself gets fillOne.
func setOnly(t *testing.T, v reflect.Value, index []int, name string) {
	for len(index) > 0 {
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() {
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		case reflect.Slice:
			if v.Len() == 0 {
				v.Set(reflect.MakeSlice(v.Type(), 1, 1))
			}
			v = v.Index(0)
		case reflect.Struct:
			v = v.Field(index[0])
			index = index[1:]
		default:
			t.Fatalf("%s: cannot descend into %s", name, v.Kind())
		}
	}
	fillOne(t, v, name)
}

// fillOne makes v non-zero with as little as possible: a string is set,
// a bool true, a number 7, a pointer points to a zero value, a slice gets
// one zero element, a struct is left to its own fields.
func fillOne(t *testing.T, v reflect.Value, name string) {
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
	case reflect.Struct:
	default:
		fillScalar(t, v, name)
	}
}

// fill sets every field reachable from v: strings to text that needs
// escaping, bools true, pointers to filled values, slices to two filled
// elements.
func fill(t *testing.T, v reflect.Value, name string) {
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(t, v.Elem(), name)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(t, v.Index(i), fmt.Sprintf("%s[%d]", name, i))
		}
	case reflect.Struct:
		for i := range v.NumField() {
			fill(t, v.Field(i), name+"."+v.Type().Field(i).Name)
		}
	default:
		fillScalar(t, v, name)
	}
}

func fillScalar(t *testing.T, v reflect.Value, name string) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(name + " \"<é>\"\n\u2028")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(7)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(7)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(7.5)
	default:
		t.Fatalf("%s: the test cannot fill a %s field; extend it (and the encoder)", name, v.Kind())
	}
}

// FuzzAppendCanonical puts the fuzzer's strings into fields of every
// kind (always-written, omitempty, inside slices and pointers) and
// compares with encoding/json. An empty string tests omission.
func FuzzAppendCanonical(f *testing.F) {
	f.Add("BANCO NACIONAL DE CUBA", "a.k.a. 'BNC'", "us_ofac_sdn-306")
	f.Add("", "", "")
	f.Add("\"\\\b\f\n\r\t", "\x00\x01\x1f\x7f", "<&>")
	f.Add("a\xffb\xc3", "\xed\xa0\x80\xf4\x90\x80\x80", "\u2028\u2029\ufffd")
	f.Add("Ан Нам Ён Хо", "عبد الله", "安南 🙂")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		// Each string is written up to ten times: longer inputs reach no
		// new path but make the minimizer stall the run for many seconds.
		if len(a)+len(b)+len(c) > 256 {
			return
		}
		valid := len(a) > len(b)
		e := &entity.Entity{
			ID: a, Source: b, SourceID: c, Type: entity.Type(c), Name: b,
			Names: []entity.Name{
				{Value: a, Kind: b, Script: c},
				{Value: c, Parts: &entity.NameParts{Given: a, Family: b, Patronymic: c}, ASCII: b, Normalized: a},
			},
			BirthDates:    []entity.Date{{Value: a, Approximate: b == "", Raw: c}},
			BirthPlaces:   []string{a, b},
			Nationalities: []entity.Country{{Code: c, Raw: a}},
			Gender:        c,
			Addresses:     []entity.Address{{Full: a, City: b, CountryRaw: c}},
			Identifiers:   []entity.Identifier{{Type: c, Value: b, Note: a, Valid: &valid}, {Raw: a}},
			Programs:      []string{c},
			Listings: []entity.Listing{{List: a, Programs: []string{b, c}, Notice: c}, {List: "", ListName: b, Start: a,
				LicenseRequirement: c, LicensePolicy: a, Measures: []string{a}, URL: b, End: c, Authority: a}},
			Remarks:     a + b + c,
			Relations:   []entity.Relation{{Type: a, TargetName: b}},
			FirstSeen:   b,
			LastChanged: c,
		}
		if a != "" {
			e.Vessel = &entity.VesselInfo{IMO: b, Flag: c}
		}
		if b != "" {
			e.Aircraft = &entity.AircraftInfo{TailNumber: a}
		}
		// one reflection pass per input (checkEncoding takes two and
		// hashes): 100000 inputs in a few seconds on two busy cores
		if got, want := e.AppendCanonical(nil), jsonLine(t, e); !bytes.Equal(got, want) {
			t.Fatalf("AppendCanonical differs from encoding/json %s", firstDiff(got, want))
		}
		content := *e
		content.FirstSeen, content.LastChanged = "", ""
		if got, want := e.AppendContent(nil), content.AppendCanonical(nil); !bytes.Equal(got, want) {
			t.Fatalf("AppendContent differs from AppendCanonical without history %s", firstDiff(got, want))
		}
	})
}

// The encoder allocates nothing into a buffer with room; MarshalCanonical
// allocates its result once and ContentHash its hex string once.
func TestAppendCanonicalAllocations(t *testing.T) {
	valid := true
	e := &entity.Entity{
		ID: "un_sc-QDi.001", Source: "un_sc", SourceID: "QDi.001", Type: entity.Person, Name: "Ан \"Нам\"\n<&>\xff\u2028",
		Names:       []entity.Name{{Value: "a", Kind: entity.KindPrimary, Parts: &entity.NameParts{Given: "g"}}, {Value: "b", Kind: entity.KindAlias}},
		BirthDates:  []entity.Date{{Value: "1970", Approximate: true}},
		Addresses:   []entity.Address{{City: "c", CountryRaw: "Cuba"}},
		Identifiers: []entity.Identifier{{Type: "imo", Value: "1", Valid: &valid}},
		Programs:    []string{"SDGT"}, Vessel: &entity.VesselInfo{IMO: "1"}, Aircraft: &entity.AircraftInfo{},
		Relations: []entity.Relation{{Type: "t"}}, FirstSeen: "1", LastChanged: "2",
	}
	buf := make([]byte, 0, 4096)
	tests := []struct {
		name string
		want float64
		fn   func()
	}{
		{"AppendCanonical", 0, func() { buf = e.AppendCanonical(buf[:0]) }},
		{"AppendContent", 0, func() { buf = e.AppendContent(buf[:0]) }},
		{"MarshalCanonical", 1, func() { _, _ = e.MarshalCanonical() }},
		{"ContentHash", 1, func() { _, _ = e.ContentHash() }},
	}
	for _, tc := range tests {
		if got := testing.AllocsPerRun(100, tc.fn); got != tc.want {
			t.Errorf("%s: %v allocations, want %v", tc.name, got, tc.want)
		}
	}
}

// TestAppendCanonicalScores checks link scores, the schema's only floats,
// against encoding/json in every form it writes a float64 in.
func TestAppendCanonicalScores(t *testing.T) {
	for _, s := range []float64{0, 1, 0.5, 0.95, 0.1 + 0.2, 1.0 / 3, 1e-7, 2.5e-9, 1e21, -0.75, 123456789.125} {
		e := &entity.Entity{ID: "x-1", Cluster: "x-1", Links: []entity.LinkRef{{ID: "y-2", Basis: "reference", Score: s}}}
		checkEncoding(t, fmt.Sprintf("score %v", s), e)
	}
}
