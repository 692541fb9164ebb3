package normalize_test

import (
	"regexp"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/entity"
	"github.com/sanctions-etl/sanctions-etl/normalize"
	"github.com/sanctions-etl/sanctions-etl/sources"
	"github.com/sanctions-etl/sanctions-etl/sources/csl"
	"github.com/sanctions-etl/sanctions-etl/sources/dfat"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
	"github.com/sanctions-etl/sanctions-etl/sources/un"
)

// annotationText finds, apart from the code under test, the annotations
// the lists print inside names (issue 17).
var annotationText = regexp.MustCompile(`(?i)\(\s*(original script|previously listed as|formerly listed as|combat name|birth name|call sign|initials|third|false identity|tigrinya|f\.k\.a\.|a\.k\.a\.)`)

// TestCorpusNameAnnotations: after the normalize pass no name value or
// key of the real UN, DFAT and CSL publications holds an annotation; the
// annotation is the name's note (and a language), and a name
// printed inside another is a name of its own.
func TestCorpusNameAnnotations(t *testing.T) {
	type want struct {
		id    string
		name  entity.Name // Value, Kind, and Script, Lang, Note where set
		label string
	}
	for _, tc := range []struct {
		src   sources.Source
		dir   string
		names []want
	}{
		{un.New(un.Config{}), "../testdata/un_sc/2026-02-27", []want{
			{"un_sc-6908574", entity.Name{Value: "Abu Muhammad", Kind: entity.KindWeakAlias, Note: "original script: Абу Мухаммад"}, "UN prints 'Abu Muhammad (original script: Абу Мухаммад)'"},
			{"un_sc-6908574", entity.Name{Value: "Абу Мухаммад", Kind: entity.KindWeakAlias, Script: "Cyrl", Note: "original script"}, "the name inside it"},
			{"un_sc-6908429", entity.Name{Value: "هيئة تحرير الشام", Kind: entity.KindAlias, Script: "Arab", Note: "original script"}, ""},
			{"un_sc-110941", entity.Name{Value: "Ezatullah Haqqani", Kind: entity.KindAlias, Note: "previously listed as"}, ""},
			{"un_sc-112028", entity.Name{Value: "EL PARA", Kind: entity.KindAlias, Note: "COMBAT NAME"}, ""},
			{"un_sc-2962519", entity.Name{Value: "Ibrahim Hassan Tali Asiri", Kind: entity.KindAlias, Note: "إبراهيم حسن طالع عسيري"}, "a copy in Arabic"},
			{"un_sc-2962519", entity.Name{Value: "إبراهيم حسن طالع عسيري", Kind: entity.KindAlias, Script: "Arab"}, ""},
			{"un_sc-6908438", entity.Name{Value: "Ansar al Charia in Libya (ASL)", Kind: entity.KindAlias, Script: "Latn"}, "a copy with a group of its own"},
		}},
		{dfat.New(dfat.Config{}), "../testdata/au_dfat/2026-02-24", []want{
			{"au_dfat-3580", entity.Name{Value: "ኤርሚኣስ ግርማይ", Kind: entity.KindAlias, Script: "Ethi", Lang: "ti", Note: "Tigrinya"}, ""},
			{"au_dfat-199", entity.Name{Value: "Ri'ad Muhammad Hasan Muhammad Hijazi", Kind: entity.KindAlias, Note: "Previously listed as. In Arabic: رياض محمد حسن محمد الحجازي"}, ""},
			{"au_dfat-199", entity.Name{Value: "رياض محمد حسن محمد الحجازي", Kind: entity.KindAlias, Script: "Arab", Note: "Previously listed as. In Arabic"}, ""},
			{"au_dfat-647", entity.Name{Value: "Tango Romeo", Kind: entity.KindWeakAlias, Note: "Call sign"}, ""},
		}},
		{csl.New(csl.Config{}), "../testdata/us_trade_csl/derived-2023-11-30-json", []want{
			{"us_trade_csl-EL-20b20ba163a43ba4", entity.Name{Value: "Gazprom Telekom, OOO", Kind: entity.KindPrimary, Note: "f.k.a. Zakrytoe Aktsionernoe Obshchestvo Gaztelekom"}, ""},
			{"us_trade_csl-EL-20b20ba163a43ba4", entity.Name{Value: "Zakrytoe Aktsionernoe Obshchestvo Gaztelekom", Kind: entity.KindFormer, Note: "f.k.a."}, ""},
		}},
	} {
		p, err := sourcetest.Parse(t, tc.src, tc.dir)
		if err != nil {
			t.Fatalf("%s: %v", tc.dir, err)
		}
		var cov normalize.Coverage
		notes := 0
		for _, e := range p.Entities {
			normalize.Entity(e, &cov)
			for _, n := range e.Names {
				if annotationText.MatchString(n.Value) {
					t.Errorf("%s %s: annotation left in name %q", tc.dir, e.ID, n.Value)
				}
				if n.Note != "" {
					notes++
				}
			}
		}
		if notes == 0 {
			t.Errorf("%s: no name has a note", tc.dir)
		}
		for _, w := range tc.names {
			e := p.ByID[w.id]
			if e == nil {
				t.Fatalf("%s: no %s", tc.dir, w.id)
			}
			found := false
			for _, n := range e.Names {
				if n.Value == w.name.Value && n.Kind == w.name.Kind && n.Note == w.name.Note &&
					(w.name.Script == "" || n.Script == w.name.Script) && n.Lang == w.name.Lang {
					found = true
					if annotationText.MatchString(n.Normalized) {
						t.Errorf("%s %s: key %q", tc.dir, w.id, n.Normalized)
					}
				}
			}
			if !found {
				t.Errorf("%s %s: no name %+v (%s) in %+v", tc.dir, w.id, w.name, w.label, e.Names)
			}
		}
	}
}
