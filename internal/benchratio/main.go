// Command benchratio prints what `make bench-compare` measured: for every
// input of cmd/sanctions-etl's BenchmarkWholeRun and BenchmarkFloor, the
// median wall time, MB/s and peak RSS of the whole run and of the two
// parser floors on the same file, the run's time as a multiple of each
// floor's, how a run's peak RSS grows from the 25 MB input to the 100 MB
// one, and the targets of issue 11.
//
//	benchratio [FILE...]   (default bench-compare.txt)
package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"golang.org/x/perf/benchfmt"
)

func main() {
	files := os.Args[1:]
	if len(files) == 0 {
		files = []string{"bench-compare.txt"}
	}
	if err := run(files, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "benchratio:", err)
		os.Exit(1)
	}
}

func run(files []string, w io.Writer) error {
	res := results{}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		err = res.read(f, name)
		f.Close()
		if err != nil {
			return err
		}
	}
	return res.report(w)
}

// What a measurement is of: the whole run or a floor.
const (
	wholeRun = "run"
	xmlQuery = "xmlquery"
	xmlToken = "xmltoken"
)

// key names one benchmark: an input ("un/25MB", "ofac/2021-07-07") and
// what ran on it.
type key struct{ input, what string }

// series are one benchmark's values over the -count rounds.
type series struct {
	secPerOp, bytesPerSec, peakMiB []float64
}

type results map[key]*series

// read adds the results of one benchmark output; other benchmarks are
// left out.
func (res results) read(r io.Reader, name string) error {
	br := benchfmt.NewReader(r, name)
	for br.Scan() {
		var rec *benchfmt.Result
		switch x := br.Result().(type) {
		case *benchfmt.SyntaxError:
			return x
		case *benchfmt.Result:
			rec = x
		default:
			continue
		}
		k, ok := keyOf(rec.Name)
		if !ok {
			continue
		}
		s := res[k]
		if s == nil {
			s = &series{}
			res[k] = s
		}
		for _, v := range []struct {
			unit string
			to   *[]float64
		}{{"sec/op", &s.secPerOp}, {"B/s", &s.bytesPerSec}, {"peak-RSS-MiB", &s.peakMiB}} {
			if x, ok := rec.Value(v.unit); ok {
				*v.to = append(*v.to, x)
			}
		}
	}
	if err := br.Err(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// keyOf maps WholeRun/un/25MB to {un/25MB, run}, Floor/xmlquery/25MB to
// {un/25MB, xmlquery} (a floor's input is UN's unless named) and
// Floor/xmlquery/ofac_advanced/100MB to {ofac_advanced/100MB, xmlquery}.
func keyOf(n benchfmt.Name) (key, bool) {
	base, parts := n.Parts()
	var conf []string
	for _, p := range parts {
		if bytes.HasPrefix(p, []byte("/")) {
			conf = append(conf, string(p[1:]))
		}
	}
	switch {
	case string(base) == "WholeRun" && len(conf) == 2:
		return key{conf[0] + "/" + conf[1], wholeRun}, true
	case string(base) == "Floor" && len(conf) == 2:
		return key{"un/" + conf[1], conf[0]}, true
	case string(base) == "Floor" && len(conf) == 3:
		return key{conf[1] + "/" + conf[2], conf[0]}, true
	}
	return key{}, false
}

// median of xs, 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(xs))
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// quotient is a/b, 0 when either is missing (0).
func quotient(a, b float64) float64 {
	if a == 0 || b == 0 {
		return 0
	}
	return a / b
}

func (res results) wall(k key) float64 {
	if s := res[k]; s != nil {
		return median(s.secPerOp)
	}
	return 0
}

func (res results) peak(k key) float64 {
	if s := res[k]; s != nil {
		return median(s.peakMiB)
	}
	return 0
}

// inputOrder sorts the known inputs first, by size.
var inputOrder = []string{"un/25MB", "un/50MB", "un/100MB", "un/2026-02-27", "ofac/2021-07-07", "ofac_advanced/10MB", "ofac_advanced/100MB"}

func (res results) report(w io.Writer) error {
	if len(res) == 0 {
		return errors.New("no BenchmarkWholeRun or BenchmarkFloor results")
	}
	var inputs []string
	for k := range res {
		if !slices.Contains(inputs, k.input) {
			inputs = append(inputs, k.input)
		}
	}
	rank := func(in string) int {
		if i := slices.Index(inputOrder, in); i >= 0 {
			return i
		}
		return len(inputOrder)
	}
	slices.SortFunc(inputs, func(a, b string) int {
		if d := rank(a) - rank(b); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})

	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "input\twhat\truns\twall\tMB/s\tpeak RSS\trun/xmlquery\trun/xmltoken\t")
	ratio := func(a, b float64) string {
		if q := quotient(a, b); q != 0 {
			return fmt.Sprintf("%.2fx", q)
		}
		return "-"
	}
	for _, in := range inputs {
		for _, what := range []string{wholeRun, xmlQuery, xmlToken} {
			k := key{in, what}
			s := res[k]
			if s == nil {
				continue
			}
			r1, r2 := "", ""
			if what == wholeRun {
				r1 = ratio(res.wall(k), res.wall(key{in, xmlQuery}))
				r2 = ratio(res.wall(k), res.wall(key{in, xmlToken}))
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%.3f s\t%.1f\t%.1f MiB\t%s\t%s\t\n",
				in, what, len(s.secPerOp), median(s.secPerOp), median(s.bytesPerSec)/1e6, median(s.peakMiB), r1, r2)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintf(w, "\npeak RSS of a run, 100MB / 25MB: %s\n", ratio(res.peak(key{"un/100MB", wholeRun}), res.peak(key{"un/25MB", wholeRun})))
	fmt.Fprintln(w, "\ntargets (issue 11):")
	for _, t := range []struct {
		what     string
		got, max float64
		unit     string
	}{
		{"un/100MB run / xmlquery floor", quotient(res.wall(key{"un/100MB", wholeRun}), res.wall(key{"un/100MB", xmlQuery})), 1.2, "x"},
		{"un/100MB peak RSS", res.peak(key{"un/100MB", wholeRun}), 100, " MiB"},
		{"peak RSS 100MB / 25MB", quotient(res.peak(key{"un/100MB", wholeRun}), res.peak(key{"un/25MB", wholeRun})), 1.1, "x"},
		{"ofac/2021-07-07 run", res.wall(key{"ofac/2021-07-07", wholeRun}), 0.20, " s"},
		{"un/2026-02-27 run", res.wall(key{"un/2026-02-27", wholeRun}), 0.10, " s"},
	} {
		verdict := "ok"
		switch {
		case t.got == 0:
			verdict = "not measured"
		case t.got > t.max:
			verdict = "MISSED"
		}
		fmt.Fprintf(w, "  %-32s %8.2f%s (at most %.2f%s)  %s\n", t.what, t.got, t.unit, t.max, t.unit, verdict)
	}
	return nil
}
