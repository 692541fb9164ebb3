package sema

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// Excel serial dates: the publisher keeps the list in a spreadsheet, and
// some dates of the current file are exported as the cell's day number
// (OpenSanctions lists 19575, 20849, ... as vessel build dates; 19575 is
// 1953-08-04). Only five-digit numbers are taken as serials: four digits
// are a year. The range is 1927-05-18 (10000) to 2099-12-31 (73050).
const (
	excelMin = 10000
	excelMax = 73050
)

// excelEpoch is day 0 of Excel's 1900 date system as it counts past
// 1900-02-28 (it holds a 29 February 1900 that never was).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// parseDates reads a date element: one date, or several joined by " or "
// ("1972-08-10 or 1972-08-11"). Each date keeps the text it came from in
// Raw. notes says what was read in a way a reader should be able to check
// (a serial, a month-first date, an order that could not be told); bad
// lists the parts that are no date (they are returned with Raw only).
func parseDates(raw string) (dates []entity.Date, notes, bad []string) {
	s := normalize.Text(raw)
	if s == "" {
		return nil, nil, nil
	}
	parts := []string{s}
	if strings.Contains(s, " or ") {
		parts = strings.Split(s, " or ")
	}
	for _, part := range parts {
		part = strings.TrimSpace(part)
		d, note := parseDate(part)
		if len(parts) > 1 {
			d.Raw = part
		} else {
			d.Raw = raw
		}
		if note != "" {
			notes = append(notes, note)
		}
		if d.Precision == "" {
			bad = append(bad, part)
		}
		dates = append(dates, d)
	}
	return dates, notes, bad
}

// parseDate reads one date: an Excel serial, a numeric date with slashes
// (whose order is read from the numbers, see slashDate), or any form
// normalize.ParseDate knows ("1955", "1955-10", "1955-10-23", "1963-1964").
func parseDate(s string) (entity.Date, string) {
	if len(s) == 5 && isDigits(s) {
		n, _ := strconv.Atoi(s)
		if n >= excelMin && n <= excelMax {
			t := excelEpoch.AddDate(0, 0, n)
			d := normalize.DateParts(t.Year(), int(t.Month()), t.Day(), s)
			return d, fmt.Sprintf("%q read as an Excel serial day number (1900 date system): %s", s, d.Value)
		}
	}
	if d, note, ok := slashDate(s); ok {
		return d, note
	}
	return normalize.ParseDate(s), ""
}

// slashDate reads "dd/mm/yyyy" and "mm/dd/yyyy". The file's dates are ISO;
// the few numeric ones with slashes were typed both ways (the current
// file has 23/11/1973 and 09/30/1978), so the order is read from the
// numbers: a first number over 12 is a day, a second over 12 is a day
// (month first, noted); when both could be months and differ, the order
// cannot be told and only the year is kept, noted. ok is false when s is
// not of that form (normalize.ParseDate then reads it).
func slashDate(s string) (d entity.Date, note string, ok bool) {
	if len(s) != 10 || s[2] != '/' || s[5] != '/' || !isDigits(s[:2]) || !isDigits(s[3:5]) || !isDigits(s[6:]) {
		return entity.Date{}, "", false
	}
	a, _ := strconv.Atoi(s[:2])
	b, _ := strconv.Atoi(s[3:5])
	y, _ := strconv.Atoi(s[6:])
	switch {
	case a == 0 || b == 0:
		return entity.Date{}, "", false // "00/05/1965": normalize.ParseDate's partial dates
	case a > 12 || a == b:
		return normalize.DateParts(y, b, a, s), "", true
	case b > 12:
		d := normalize.DateParts(y, a, b, s)
		return d, fmt.Sprintf("%q read month first (%d is no month): %s", s, b, d.Value), true
	}
	d = normalize.DateParts(y, 0, 0, s)
	return d, fmt.Sprintf("%q could be day/month or month/day; only the year %s is kept", s, d.Value), true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
