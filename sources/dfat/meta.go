package dfat

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"

	"github.com/sanctions-etl/sanctions-etl/normalize"
)

// corePart is the workbook's document properties (OPC core properties).
const corePart = "docProps/core.xml"

// workbookDate returns the date part of the workbook's last modification
// (dcterms:modified in docProps/core.xml, UTC), or "" when it has none.
// The list prints no date of its own; this one is DFAT's last save of the
// workbook, and in both real workbooks it is the day of the latest Control
// Date (2024-11-11, 2026-02-24). xlsxstream.Open has checked the archive
// whole; excelize reads the same part with GetDocProps, which xlsxstream
// does not expose, so the part is read here.
func workbookDate(data []byte) string {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return ""
	}
	for _, f := range zr.File {
		if f.Name != corePart {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return ""
		}
		defer rc.Close()
		var props struct {
			Modified string `xml:"http://purl.org/dc/terms/ modified"`
		}
		if err := xml.NewDecoder(io.LimitReader(rc, 1<<20)).Decode(&props); err != nil {
			return ""
		}
		v := normalize.Text(props.Modified)
		if len(v) < 10 || (len(v) > 10 && v[10] != 'T') {
			return ""
		}
		if d, ok := normalize.ISODate(v[:10]); ok {
			return d
		}
		return ""
	}
	return ""
}
