package csl

import (
	"strings"
)

// listName is a constituent list as the source column names it:
// "Specially Designated Nationals (SDN) - Treasury Department" is code
// SDN, name "Specially Designated Nationals (SDN)", authority "Treasury
// Department".
type listName struct {
	code, name, authority string
	known                 bool // the form parsed and the code is one of knownLists
}

// knownLists are the codes of the lists the CSL joins, as the source
// column prints them in the 2023 and 2025 files. The trade.gov search
// API names NS-MBS "MBS" in its sources parameter; the column's own code
// is kept, so that the code is read from the name alone.
var knownLists = map[string]bool{
	"SDN": true, "SSI": true, "FSE": true, "PLC": true, "CAP": true, "CMIC": true, "NS-MBS": true,
	"EL": true, "DPL": true, "UVL": true, "MEU": true,
	"ISN": true, "DTC": true,
}

// unknownList is the code of a row whose source column is empty.
const unknownList = "unknown"

// parseList reads the source column: "<name> (<CODE>)[ List] - <authority>".
// The code is the last parenthesised group of the name, without a
// trailing " List" ("NS-MBS List" is NS-MBS). A text of another form keeps
// the whole text as its code: stable from one version to the next, and
// never mistaken for a real list's code; the caller reports it.
func parseList(s string) listName {
	if s == "" {
		return listName{code: unknownList}
	}
	l := listName{code: s, name: s}
	name, authority, ok := cutLast(s, " - ")
	if !ok {
		return l
	}
	open := strings.LastIndexByte(name, '(')
	closing := strings.LastIndexByte(name, ')')
	if open < 0 || closing < open {
		return l
	}
	code := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(name[open+1:closing]), " List"))
	if code == "" || strings.ContainsAny(code, " ()") {
		return l
	}
	return listName{code: code, name: strings.TrimSpace(name), authority: strings.TrimSpace(authority), known: knownLists[code]}
}

// cutLast cuts s around the last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}
