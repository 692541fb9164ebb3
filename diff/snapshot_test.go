package diff

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
)

func lines(t *testing.T, ids ...string) string {
	t.Helper()
	var b strings.Builder
	for _, id := range ids {
		switch {
		case id == "":
			b.WriteString("\n")
		case strings.HasPrefix(id, "{") || !strings.HasPrefix(id, "us_"):
			b.WriteString(id + "\n")
		default:
			line, err := person(strings.TrimPrefix(id, "us_ofac_sdn-")).MarshalCanonical()
			if err != nil {
				t.Fatal(err)
			}
			b.Write(line)
			b.WriteString("\n")
		}
	}
	return b.String()
}

func TestLineReaderRejects(t *testing.T) {
	for _, tc := range []struct {
		name     string
		ids      []string
		wantLine int
		wantErr  error
	}{
		{"out of order", []string{"us_ofac_sdn-1", "us_ofac_sdn-3", "us_ofac_sdn-2"}, 3, ErrUnsorted},
		{"repeated id", []string{"us_ofac_sdn-1", "us_ofac_sdn-1"}, 2, ErrUnsorted},
		{"empty line", []string{"us_ofac_sdn-1", "", "us_ofac_sdn-2"}, 2, ErrBadLine},
		{"no id", []string{`{"name":"x"}`}, 1, ErrBadLine},
		{"empty id", []string{"us_ofac_sdn-1", `{"id":"","name":"x"}`}, 2, ErrBadLine},
		{"not json", []string{"us_ofac_sdn-1", "us_ofac_sdn-2", "hello"}, 3, ErrBadLine},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := NewLineReader(strings.NewReader(lines(t, tc.ids...)))
			var err error
			for err == nil {
				_, err = s.Next()
			}
			var le *LineError
			if !errors.As(err, &le) || le.Line != tc.wantLine || !errors.Is(err, tc.wantErr) {
				t.Fatalf("got %v, want %v at line %d", err, tc.wantErr, tc.wantLine)
			}
			if _, again := s.Next(); again != err {
				t.Errorf("error not sticky: %v", again)
			}
		})
	}
}

func TestLineReaderAccepts(t *testing.T) {
	// Ids sort as strings: "-10" comes before "-9". CRLF and a missing final
	// newline are accepted.
	in := lines(t, "us_ofac_sdn-10", "us_ofac_sdn-9")
	in = strings.Replace(in, "\n", "\r\n", 1)
	in = strings.TrimSuffix(in, "\n")
	s := NewLineReader(strings.NewReader(in))
	var ids []string
	for {
		r, err := s.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
		e, err := r.Decode()
		if err != nil || e.ID != r.ID {
			t.Fatalf("decode %s: %v", r.ID, err)
		}
	}
	if strings.Join(ids, " ") != "us_ofac_sdn-10 us_ofac_sdn-9" {
		t.Errorf("ids %v", ids)
	}
	if r, err := NewLineReader(strings.NewReader("")).Next(); r != nil || err != io.EOF {
		t.Errorf("empty file: %v %v", r, err)
	}
}

func TestLineReaderLongLine(t *testing.T) {
	long := person("1", func(e *entity.Entity) { e.Remarks = strings.Repeat("a.k.a. 'X'; ", 50000) })
	data := snapshotBytes(t, []*entity.Entity{long, person("2")})
	if len(data) < 500_000 {
		t.Fatalf("line too short: %d", len(data))
	}
	ops, counts := compareAll(t, NewLineReader(bytes.NewReader(data)), SliceSnapshot([]*entity.Entity{long, person("2")}))
	if len(ops) != 0 || counts.Unchanged != 2 {
		t.Errorf("ops %v counts %+v", ops, counts)
	}
}

func TestSliceSnapshotRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		ents []*entity.Entity
		want string
	}{
		{"unsorted", []*entity.Entity{person("1"), person("3"), person("2")}, "entity 2: ids not strictly increasing"},
		{"repeated", []*entity.Entity{person("1"), person("1")}, "entity 1: ids not strictly increasing"},
		{"nil", []*entity.Entity{person("1"), nil}, "entity 1: nil"},
		{"no id", []*entity.Entity{{Name: "x"}}, "entity 0: not an entity line: no id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for name, run := range map[string]func() error{
				"SliceSnapshot": func() error { _, err := Compare(nil, SliceSnapshot(tc.ents), nil); return err },
				"CarryCompare":  func() error { _, err := CarryCompare(nil, tc.ents, "v1", nil); return err },
			} {
				if err := run(); err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("%s: got %v, want %q", name, err, tc.want)
				}
			}
		})
	}
}

func TestSplitHistory(t *testing.T) {
	for _, tc := range []struct {
		line, body, fs, lc string
		ok                 bool
	}{
		{`{"id":"a","first_seen":"v1","last_changed":"v2"}`, `{"id":"a"`, "v1", "v2", true},
		{`{"id":"a","last_changed":"v2"}`, `{"id":"a"`, "", "v2", true},
		{`{"id":"a","first_seen":"v1"}`, `{"id":"a"`, "v1", "", true},
		{`{"id":"a","remarks":"x"}`, `{"id":"a","remarks":"x"`, "", "", true},
		// A quoted member name inside a string is escaped, so never matches.
		{`{"id":"a","remarks":"see \"last_changed\":\"v9\""}`, `{"id":"a","remarks":"see \"last_changed\":\"v9\""`, "", "", true},
		{`{"id":"a","last_changed":"v2","remarks":"x"}`, "", "", "", false},
		{`{"id":"a","last_changed":"v\u0032"}`, "", "", "", false},
		{`{"id":"a", "last_changed":"v2"}`, "", "", "", false},
		{`{"id":"a","last_changed":null}`, "", "", "", false},
	} {
		body, fs, lc, ok := splitHistory([]byte(tc.line))
		if ok != tc.ok || (ok && (string(body) != tc.body || fs != tc.fs || lc != tc.lc)) {
			t.Errorf("%s: got %q %q %q %v", tc.line, body, fs, lc, ok)
		}
	}
}
