package sema

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// lineAt is the 1-based line of byte offset off in data.
func lineAt(data []byte, off int) int { return 1 + bytes.Count(data[:off], []byte("\n")) }

// edit replaces the first old in data with new (old must be there) and
// returns the result and the offset of the replacement.
func edit(t *testing.T, data []byte, old, new string) ([]byte, int) {
	t.Helper()
	i := bytes.Index(data, []byte(old))
	if i < 0 {
		t.Fatalf("no %q", old)
	}
	return append(append(bytes.Clone(data[:i]), new...), data[i+len(old):]...), i
}

// The JVCFOR record of ABAHUSSAIN, lines 2274 to 2281 of the 2020 file;
// its Country holds a no-break space after the slash (as all 600 no-break
// spaces of the file: in Country, names and titles).
const (
	abahussain    = "\t\t<LastName>ABAHUSSAIN</LastName>\n"
	abahussainID  = "jvcfor-1-54"
	jvcforCountry = "\t\t<Country>Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR) / \u00a0Règlement relatif à la justice pour les victimes de dirigeants étrangers corrompus (RJVDEC)</Country>\n"
)

// TestMalformedRecords: an element, attribute or text the mapping does
// not know, a record without a key or a name, a repeated key, a regulation
// not known: an issue naming the file, the line and the record; the record
// is mapped where it can be and the rest of the file always is.
func TestMalformedRecords(t *testing.T) {
	whole := readPublication(t, real2020)
	tests := []struct {
		name     string
		old, new string
		// the issue's line minus the line of the edit
		lineOffset int
		record     string
		problem    string
		entities   int    // the entities the file then gives
		check      string // an id that must be mapped ("" for none)
	}{
		{"unknown element", abahussain, abahussain + "\t\t<PlaceOfBirth>Riyadh</PlaceOfBirth>\n", 1, abahussainID,
			`unknown element <PlaceOfBirth> in <record> with text "Riyadh"; not mapped`, 1369, abahussainID},
		{"attribute on an element", "<LastName>ABAHUSSAIN", `<LastName lang="en">ABAHUSSAIN`, 0, abahussainID,
			`unknown attribute lang="en" on <LastName>; not mapped`, 1369, abahussainID},
		{"attribute on a record", "<Item>53</Item>\n\t</record>\n\t<record>\n" + jvcforCountry + abahussain,
			"<Item>53</Item>\n\t</record>\n\t<record id=\"7\">\n" + jvcforCountry + abahussain,
			2, abahussainID, `unknown attribute id="7" on <record>; not mapped`, 1369, abahussainID},
		{"text in a record", abahussain, abahussain + "\t\tstray words\n", 1, abahussainID,
			`text "stray words" directly inside <record>; not mapped`, 1369, abahussainID},
		{"repeated element", abahussain, abahussain + "\t\t<LastName>ABU HUSSAIN</LastName>\n", 1, abahussainID,
			`repeated <LastName> in <record> (after <LastName>); the first is used, "ABU HUSSAIN" is not mapped`, 1369, abahussainID},
		{"an element of another layout repeating one", abahussain, abahussain + "\t\t<LastName-NomDeFamille>ABU HUSSAIN</LastName-NomDeFamille>\n", 1, abahussainID,
			`repeated <LastName-NomDeFamille> in <record> (after <LastName>); the first is used, "ABU HUSSAIN" is not mapped`, 1369, abahussainID},
		{"element inside a field", "<LastName>ABAHUSSAIN</LastName>", "<LastName>ABA<b>HUSSAIN</b></LastName>", 0, abahussainID,
			`element <b> inside <LastName>; its text is read as part of <LastName>`, 1369, abahussainID},
		{"unknown element in the root", "\t<record>\n\t\t<Country>Zimbabwe</Country>\n\t\t<LastName>Zhuwao\u00a0</LastName>",
			"\t<Note>Amended 2020-04-15</Note>\n\t<record>\n\t\t<Country>Zimbabwe</Country>\n\t\t<LastName>Zhuwao\u00a0</LastName>", 0, "",
			`unknown element <Note> in <data-set> with text "Amended 2020-04-15"; not mapped`, 1369, "zimbabwe-181"},
		{"unknown root attribute", `<data-set xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">`,
			`<data-set xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" generated="2020-04-15">`, 0, "",
			`unknown attribute generated="2020-04-15" on <data-set>; not mapped`, 1369, "burma-1-1"},
		{"no Item", "1972-08-11</DateOfBirth>\n\t\t<Schedule>1</Schedule>\n\t\t<Item>54</Item>\n", "1972-08-11</DateOfBirth>\n\t\t<Schedule>1</Schedule>\n", -4, "",
			`<record> without Item (Country "Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR) / Règlemen…", Schedule "1", LastName "ABAHUSSAIN", GivenName "Mansour Othman"); record skipped: it has no id`,
			1368, "jvcfor-1-55"},
		{"no Country", jvcforCountry + abahussain, abahussain, -1, "",
			`<record> without Country (the regulation) (Schedule "1", Item "54", LastName "ABAHUSSAIN", GivenName "Mansour Othman"); record skipped: it has no id`,
			1368, "jvcfor-1-55"},
		{"an Item of punctuation", "1972-08-11</DateOfBirth>\n\t\t<Schedule>1</Schedule>\n\t\t<Item>54</Item>", "1972-08-11</DateOfBirth>\n\t\t<Schedule>1</Schedule>\n\t\t<Item>-</Item>", -4, "",
			`<record> whose Country or Item has no letter or digit (Country "Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR) / Règlemen…", Schedule "1", Item "-", LastName "ABAHUSSAIN", GivenName "Mansour Othman"); record skipped: it has no id`,
			1368, "jvcfor-1-55"},
		{"no name", abahussain + "\t\t<GivenName>Mansour Othman </GivenName>\n", "", -2, abahussainID,
			`<record> without a name (no LastName, GivenName or EntityOrShip); record skipped`, 1368, "jvcfor-1-55"},
		{"a key repeated", "<Item>55</Item>\n\t</record>\n\t<record>\n\t\t<Country>Justice", "<Item>54</Item>\n\t</record>\n\t<record>\n\t\t<Country>Justice", -6, abahussainID,
			`Country, Schedule and Item repeat the record at line 2274 (id ca_sema-jvcfor-1-54); later record skipped`, 1368, abahussainID},
		{"an unknown regulation", "<Country>Nicaragua</Country>", "<Country>Atlantis / Atlantide</Country>", 0, "atlantis-1",
			`unknown regulation in <Country> "Atlantis / Atlantide"; keyed "atlantis" (a new spelling of its name would change its ids)`, 1369, "atlantis-1"},
		{"a date that is no date", "<DateOfBirth>1972-08-10 or 1972-08-11</DateOfBirth>", "<DateOfBirth>early 1970s</DateOfBirth>", 0, abahussainID,
			`<DateOfBirth> "early 1970s" is not a date; kept as printed`, 1369, abahussainID},
		{"a range as the date of listing", abahussain, abahussain + "\t\t<DateOfListing>2019-2020</DateOfListing>\n", 1, abahussainID,
			`<DateOfListing> "2019-2020" is a range, not the date of listing; no listing date`, 1369, abahussainID},
		{"an entity's name in a person's record", abahussain, abahussain + "\t\t<Entity>Abahussain Holding</Entity>\n", 1, abahussainID,
			`<Entity> "Abahussain Holding" in a person's record; kept as an alias`, 1369, abahussainID},
		{"an IMO number in a person's record", abahussain, abahussain + "\t\t<ShipIMONumber>Not An IMO Number</ShipIMONumber>\n", 1, abahussainID,
			`<ShipIMONumber> "Not An IMO Number" in a person's record; not mapped`, 1369, abahussainID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data, at := edit(t, whole, tc.old, tc.new)
			p := mustParse(t, data)
			want := sources.Issue{File: FileName, Line: lineAt(data, at) + tc.lineOffset, Record: tc.record, Problem: tc.problem}
			if len(p.Issues) != 5 || !contains(p.Issues, want) {
				t.Errorf("issues:\n%s\nwant (with the file's 4):\n\t%s", sourcetest.Join(sourcetest.IssueStrings(p.Issues)), sourcetest.IssueString(want))
			}
			if len(p.Emitted) != tc.entities {
				t.Errorf("%d entities, want %d", len(p.Emitted), tc.entities)
			}
			if tc.check != "" {
				p.Entity(t, tc.check)
			}
		})
	}
}

func contains(list []sources.Issue, is sources.Issue) bool {
	for _, x := range list {
		if x == is {
			return true
		}
	}
	return false
}

func utf16Doc(bigEndian bool) []byte {
	return sourcetest.UTF16(`<?xml version="1.0" encoding="UTF-16"?><data-set/>`, bigEndian)
}

// TestBadInput: a file that cannot be trusted is an error naming
// sema-lmes.xml (a *sources.RecordError) and, where it has one, a line;
// a cut file wraps sources.ErrIncomplete, a hostile one sources.ErrLimit.
func TestBadInput(t *testing.T) {
	whole := readPublication(t, real2020)
	half := whole[:len(whole)/2]
	withoutEnd := bytes.TrimSuffix(whole, []byte("</data-set>"))
	broken, at := edit(t, whole, "<LastName>ABAHUSSAIN</LastName>", "<LastName>ABAHUSSAIN</LastNam>")
	deep := []byte("<data-set><record><Country>" + strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100) + "</Country></record></data-set>")
	var many strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&many, "Name %d, ", i)
	}
	manyAliases := []byte("<data-set><record><Country>Iran</Country><Item>1</Item><Entity>X</Entity><Aliases>" + many.String() + "</Aliases></record></data-set>")
	manyDates := []byte("<data-set><record><Country>Iran</Country><Item>1</Item><LastName>X</LastName><DateOfBirth>" + strings.Repeat("1970 or ", 5000) + "1971</DateOfBirth></record></data-set>")
	longText := []byte("<data-set><record><Country>Iran</Country><Item>1</Item><Entity>" + strings.Repeat("x", 2<<20) + "</Entity></record></data-set>")
	tests := []struct {
		name string
		data []byte
		line int // 0: not checked
		msg  string
		is   error // nil: not checked
	}{
		{"truncated", half, lineAt(half, len(half)), "truncated", sources.ErrIncomplete},
		{"without the root's end", withoutEnd, lineAt(withoutEnd, len(withoutEnd)), "before the </data-set> that ends the document: truncated", sources.ErrIncomplete},
		{"truncated in the root's start tag", whole[:70], 2, "truncated", sources.ErrIncomplete},
		{"wrong root", []byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CONSOLIDATED_LIST>\n</CONSOLIDATED_LIST>\n"), 2,
			"root element <CONSOLIDATED_LIST>, want <data-set>", nil},
		{"empty", nil, 0, "empty file", nil},
		{"white space only", []byte(" \n\n"), 0, "no root element", nil},
		{"UTF-16 big-endian", utf16Doc(true), 1, "UTF-16 byte order mark at byte 0", nil},
		{"UTF-16 little-endian", utf16Doc(false), 1, "UTF-16 byte order mark at byte 0", nil},
		{"UTF-16 without a byte order mark", utf16Doc(true)[2:], 1, "UTF-16 without a byte order mark", nil},
		{"HTML error page", []byte("<!DOCTYPE html>\n<html lang=en>\n<head><title>404 Not Found</title></head>\n<body>Page not found</body>\n</html>\n"), 2,
			"root element <html> (an HTML page, not the list), want <data-set>", nil},
		{"well-formed HTML", []byte("<html><body><p>Access denied</p></body></html>"), 1, "root element <html> (an HTML page, not the list)", nil},
		{"plain text", []byte("Service Unavailable\n"), 0, "no root element", nil},
		{"broken record", broken, lineAt(broken, at), "element <LastName> closed by </LastNam>", nil},
		{"nested a hundred deep", deep, 1, "elements nested over 64 deep", sources.ErrLimit},
		{"a 2 MB name", longText, 1, "a text of over 1048576 bytes", sources.ErrLimit},
		{"20,000 aliases in a record", manyAliases, 1, "<Aliases> holds over 1000 names", sources.ErrLimit},
		{"5,001 dates of birth in a record", manyDates, 1, "<DateOfBirth> holds over 100 dates", sources.ErrLimit},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := parseBytes(t, tc.data)
			if p.Err == nil {
				t.Fatalf("no error (%d entities)", len(p.Emitted))
			}
			var re *sources.RecordError
			if !errors.As(p.Err, &re) || re.File != FileName {
				t.Fatalf("error %v (%T) is not a *sources.RecordError naming %s", p.Err, p.Err, FileName)
			}
			if !strings.Contains(p.Err.Error(), FileName) || !strings.Contains(p.Err.Error(), tc.msg) {
				t.Errorf("error %q: want the file name and %q", p.Err, tc.msg)
			}
			if tc.line > 0 && re.Line != tc.line {
				t.Errorf("line %d, want %d (%v)", re.Line, tc.line, p.Err)
			}
			if tc.is != nil && !errors.Is(p.Err, tc.is) {
				t.Errorf("error %v does not wrap %v", p.Err, tc.is)
			}
		})
	}
}

// TestByteOrderMark: a UTF-8 byte order mark is dropped with an issue;
// the file is read whole.
func TestByteOrderMark(t *testing.T) {
	p := mustParse(t, append([]byte("\xEF\xBB\xBF"), readPublication(t, real2020)...))
	if len(p.Emitted) != 1369 || len(p.Issues) != 5 || p.Issues[0].Problem != "UTF-8 byte order mark at the start; dropped" {
		t.Errorf("%d entities, issues %v", len(p.Emitted), p.Issues)
	}
}

// TestLatin1: a file that declares ISO-8859-1 is read through the stream
// parser, which converts it; names and the lines of issues are the same.
func TestLatin1(t *testing.T) {
	doc := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<data-set>\n<record>\n<Country>Venezuela</Country>\n<LastName>BERNAL MART\xcdNEZ</LastName>\n<GivenName>Manuel Gregorio</GivenName>\n<Item>55</Item>\n<Extra>x</Extra>\n</record>\n</data-set>\n"
	p := mustParse(t, []byte(doc))
	if len(p.Emitted) != 1 || p.Emitted[0].Name != "Manuel Gregorio BERNAL MARTÍNEZ" {
		t.Fatalf("entities %+v", p.Emitted)
	}
	// The stream parser's lines are late by what it read past the
	// record (xmlstream.Stream.LineOf): here the last two lines.
	want := sources.Issue{File: FileName, Record: "venezuela-55", Problem: `unknown element <Extra> in <record> with text "x"; not mapped`}
	if len(p.Issues) != 1 || p.Issues[0].Line < 8 || p.Issues[0].Line > 10 {
		t.Fatalf("issues %v, want [%v] at line 8 to 10", p.Issues, want)
	}
	want.Line = p.Issues[0].Line
	if p.Issues[0] != want {
		t.Errorf("issues %v, want [%v]", p.Issues, want)
	}
}
