package sources

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// cslExcerpt is the real 14-record CSL excerpt of 2025-06-25: a header
// and 13 rows of 29 fields, some of them with line breaks inside.
const cslExcerpt = "../testdata/us_trade_csl/excerpt-2025-06-25/consolidated.csv"

// csvRecords splits a CSV file into the bytes of each record (its line
// end included), found by a reader of its own.
func csvRecords(t *testing.T, data []byte) [][]byte {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(data))
	var out [][]byte
	start := int64(0)
	for {
		_, err := r.Read()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		end := r.InputOffset()
		out = append(out, data[start:end])
		start = end
	}
}

// rowsOutcome is what CSVRows gave: each good row's first field and line.
type rowsOutcome struct {
	ids    []string
	lines  []int
	rows   int
	issues []Issue
	err    error
}

func readRows(ctx context.Context, in io.Reader) rowsOutcome {
	var issues Issues
	bound := NewCSVBound(in, MaxCSVRecordBytes, "test", "rows.csv", 0)
	r := csv.NewReader(bound)
	r.ReuseRecord = true
	header, err := r.Read()
	bound.NextRecord()
	if err != nil {
		return rowsOutcome{err: fmt.Errorf("header: %w", err)}
	}
	r.FieldsPerRecord = len(header)
	var o rowsOutcome
	rows := NewCSVRows(r, bound, "test", "rows.csv", &issues, func(rec []string) string {
		if len(rec) == 0 {
			return ""
		}
		return rec[0]
	})
	for rows.Next(ctx) {
		o.ids = append(o.ids, rows.Row()[0])
		o.lines = append(o.lines, rows.Line())
	}
	o.rows, o.issues, o.err = rows.Rows(), issues.List(), rows.Err()
	return o
}

func TestCSVRows(t *testing.T) {
	whole, err := os.ReadFile(cslExcerpt)
	if err != nil {
		t.Fatal(err)
	}
	recs := csvRecords(t, whole)
	if len(recs) != 14 {
		t.Fatalf("%d records in %s, want 14", len(recs), cslExcerpt)
	}
	// What every row is, read independently: its _id and the line it
	// starts at (1 + the line breaks before it).
	var ids []string
	var lines []int
	off := len(recs[0])
	for _, rec := range recs[1:] {
		ids = append(ids, string(rec[1:bytes.IndexByte(rec, ',')-1]))
		lines = append(lines, 1+bytes.Count(whole[:off], []byte("\n")))
		off += len(rec)
	}
	join := func(parts ...[]byte) []byte { return slices.Concat(parts...) }
	// A row without its last field (the line end kept).
	short := func(rec []byte) []byte {
		body := bytes.TrimRight(rec, "\r\n")
		return join(body[:bytes.LastIndex(body, []byte(`,"`))], rec[len(body):])
	}
	huge := join([]byte(`"`), bytes.Repeat([]byte("x"), 2*MaxCSVRecordBytes), []byte(`",`), recs[6][bytes.IndexByte(recs[6], ',')+1:])
	// 260 rows, each with its line end (the file's last has none).
	var many [][]byte
	for range 20 {
		many = append(many, recs[1:13]...)
		many = append(many, join(recs[13], []byte("\n")))
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	errDisk := errors.New("disk read failed")
	tests := []struct {
		name   string
		ctx    context.Context
		data   []byte
		fail   bool     // the reader fails after data
		ids    []string // nil: those of the whole file
		rows   int
		issues []string // line:record: problem
		err    string   // in the error; "" none
		is     error
		line   int // the error's line
	}{
		{name: "whole", data: whole, rows: 13},
		{name: "header only", data: recs[0], ids: []string{}, rows: 0},
		{
			name: "middle row short", data: join(join(recs[:5]...), short(recs[5]), join(recs[6:]...)),
			ids: slices.Delete(slices.Clone(ids), 4, 5), rows: 13,
			issues: []string{fmt.Sprintf("%d:%s: record on line %d: wrong number of fields; row skipped", lines[4], ids[4], lines[4])},
		},
		{
			name: "last row short", data: join(join(recs[:13]...), short(recs[13])),
			ids: ids[:12], rows: 13,
			issues: []string{fmt.Sprintf("%d:%s: record on line %d: wrong number of fields; row skipped", lines[12], ids[12], lines[12])},
			err:    "the file ends in a broken row (wrong number of fields): truncated", is: ErrIncomplete, line: lines[12],
		},
		{
			name: "cut inside the last row's quoted field", data: join(join(recs[:13]...), recs[13][:len(recs[13])/2]),
			ids: ids[:12], rows: 13,
			issues: []string{fmt.Sprintf(`%d:%s: parse error on line %d: extraneous or missing " in quoted-field; row skipped`, lines[12], ids[12], lines[12])},
			err:    "the file ends in a broken row (extraneous or missing \" in quoted-field): truncated", is: ErrIncomplete, line: lines[12],
		},
		{name: "a broken row, then a good last one", data: join(join(recs[:12]...), short(recs[12]), recs[13]),
			ids: slices.Delete(slices.Clone(ids), 11, 12), rows: 13,
			issues: []string{fmt.Sprintf("%d:%s: record on line %d: wrong number of fields; row skipped", lines[11], ids[11], lines[11])},
		},
		{
			name: "a record past the bound", data: join(join(recs[:6]...), huge, join(recs[7:]...)),
			ids: ids[:5], rows: 6, err: fmt.Sprintf("a CSV record longer than %d bytes", MaxCSVRecordBytes), is: ErrLimit, line: lines[5],
		},
		{
			name: "a read error", data: join(recs[:4]...), fail: true, ids: ids[:3], rows: 4,
			err: "disk read failed", is: errDisk,
		},
		{
			name: "cancelled", ctx: cancelled, data: join(recs[0], join(many...)),
			ids: slices.Concat(slices.Repeat(ids, 19), ids[:8]), rows: 256, is: context.Canceled, err: "context canceled",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := tc.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			var in io.Reader = bytes.NewReader(tc.data)
			if tc.fail {
				in = io.MultiReader(in, iotest.ErrReader(errDisk))
			}
			o := readRows(ctx, in)
			want := tc.ids
			if want == nil {
				want = ids
			}
			if !slices.Equal(o.ids, want) && !(len(o.ids) == 0 && len(want) == 0) {
				t.Errorf("%d rows %.300v, want %d %.300v", len(o.ids), o.ids, len(want), want)
			}
			if tc.ids == nil && !slices.Equal(o.lines, lines) {
				t.Errorf("lines %v, want %v", o.lines, lines)
			}
			if o.rows != tc.rows {
				t.Errorf("Rows() = %d, want %d", o.rows, tc.rows)
			}
			var got []string
			for _, is := range o.issues {
				if is.File != "rows.csv" {
					t.Errorf("issue in %q", is.File)
				}
				// Lines, not columns: their meaning changed between Go releases.
				problem := regexp.MustCompile(`, column \d+`).ReplaceAllString(is.Problem, "")
				got = append(got, fmt.Sprintf("%d:%s: %s", is.Line, is.Record, problem))
			}
			if !slices.Equal(got, tc.issues) {
				t.Errorf("issues\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.issues, "\n"))
			}
			switch {
			case tc.err == "" && o.err != nil:
				t.Fatalf("err %v", o.err)
			case tc.err == "":
				return
			case o.err == nil || !strings.Contains(o.err.Error(), tc.err) || !errors.Is(o.err, tc.is):
				t.Fatalf("err %v, want one with %q, wrapping %v", o.err, tc.err, tc.is)
			}
			if tc.is == context.Canceled {
				return
			}
			var re *RecordError
			if !errors.As(o.err, &re) || re.Source != "test" || re.File != "rows.csv" || re.Line != tc.line {
				t.Errorf("err %#v, want a *RecordError of rows.csv at line %d", o.err, tc.line)
			}
		})
	}
}
