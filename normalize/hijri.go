package normalize

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hablullah/go-hijri"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

// CalendarUmmAlQura is the CLDR calendar id of Saudi Arabia's Umm al-Qura
// calendar, the one a Date's Calendar names for a Hijri date.
const CalendarUmmAlQura = "islamic-umalqura"

var (
	// hijriMarker is how publishers say a date is Hijri: "24/06/1402
	// (Hijri Calendar)" (UN, DFAT 2024-12-17), "in Hijri Calendar
	// 24/06/1426" (UN document notes).
	hijriMarker = regexp.MustCompile(`(?i)\(?\s*\b(?:in\s+)?(?:the\s+)?hijri(?:\s+calendar)?\b\s*\)?`)
	// hijriDMY is a Hijri date day first, as the UN and DFAT print it:
	// "24/06/1402", "24.6.1402", "24-06-1402".
	hijriDMY = regexp.MustCompile(`^(\d{1,2})([/.-])(\d{1,2})([/.-])(\d{4})$`)
	hijriMY  = regexp.MustCompile(`^(\d{1,2})[/.-](\d{4})$`)
)

// Umm al-Qura table bounds of github.com/hablullah/go-hijri: its
// lunations run from 1 Muharram 1356 to the end of Dhu al-Hijja 1500
// (1937-03-14 .. 2077-11-16); outside them it indexes past its table.
const (
	hijriFirstYear = 1356
	hijriLastYear  = 1500
)

// parseHijri reads a date that says it is Hijri and returns it in the
// Gregorian calendar, and false when s says nothing of the Hijri calendar.
// A day gives a day; a month or a year, the range of Gregorian days it
// spans (a Hijri year runs across two Gregorian ones). A date the marker
// names but that is no Hijri date of the table keeps Raw only.
//
// The publishers say "Hijri" without saying which Hijri calendar. It is
// read as Umm al-Qura, the civil calendar of Saudi Arabia, whose state
// issues the real ones (a Saudi-born person's date of birth, a Saudi
// passport's dates); the tabular Islamic calendar can be a day off from
// it (24/06/1402 is 1982-04-18 Umm al-Qura, 1982-04-19 tabular, and the UN
// prints both beside it). The conversion is github.com/hablullah/go-hijri,
// which carries the Umm al-Qura lunation table of R. H. van Gent and
// tests it against his converter.
func parseHijri(s string) (entity.Date, bool) {
	if !strings.Contains(strings.ToLower(s), "hijri") {
		return entity.Date{}, false
	}
	rest := strings.Trim(Text(hijriMarker.ReplaceAllString(s, " ")), " .,:;")
	d := entity.Date{Calendar: CalendarUmmAlQura}
	switch m := hijriDMY.FindStringSubmatch(rest); {
	case m != nil && m[2] == m[4]:
		if v, ok := ummAlQura(atoi(m[5]), atoi(m[3]), atoi(m[1])); ok {
			d.Value, d.Precision = v, entity.PrecisionDay
		}
	case hijriMY.MatchString(rest):
		m := hijriMY.FindStringSubmatch(rest)
		y, mo := atoi(m[2]), atoi(m[1])
		first, ok1 := ummAlQura(y, mo, 1)
		last, ok2 := lastDayOfMonth(y, mo)
		if ok1 && ok2 {
			d.Precision, d.From, d.To = entity.PrecisionRange, first, last
		}
	case len(rest) == 4 && isDigits(rest):
		y := atoi(rest)
		first, ok1 := ummAlQura(y, 1, 1)
		last, ok2 := lastDayOfMonth(y, 12)
		if ok1 && ok2 {
			d.Precision, d.From, d.To = entity.PrecisionRange, first, last
		}
	}
	return d, true
}

// ummAlQura converts an Umm al-Qura date to an ISO Gregorian day, and
// false when it is no date of the calendar: the library does not check,
// so the month is bounded here and the day is checked by converting back
// (day 30 of a 29-day month comes back as the 1st of the next).
func ummAlQura(year, month, day int) (string, bool) {
	if year < hijriFirstYear || year > hijriLastYear || month < 1 || month > 12 || day < 1 || day > 30 {
		return "", false
	}
	g := hijri.UmmAlQuraDate{Year: int64(year), Month: int64(month), Day: int64(day)}.ToGregorian()
	back, err := hijri.CreateUmmAlQuraDate(g)
	if err != nil || back.Year != int64(year) || back.Month != int64(month) || back.Day != int64(day) {
		return "", false
	}
	return g.Format(time.DateOnly), true
}

// lastDayOfMonth is the Gregorian day of the last day (the 30th or the
// 29th) of an Umm al-Qura month.
func lastDayOfMonth(year, month int) (string, bool) {
	if v, ok := ummAlQura(year, month, 30); ok {
		return v, true
	}
	return ummAlQura(year, month, 29)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
