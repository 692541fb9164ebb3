package diff

import (
	"runtime"
	"strconv"
	"testing"
)

// samplingWriter discards what it is given and samples the heap every
// few writes, while WriteHTML reads the cards back.
type samplingWriter struct {
	n      int
	sample func()
}

func (w *samplingWriter) Write(p []byte) (int, error) {
	if w.n++; w.n%16 == 0 {
		w.sample()
	}
	return len(p), nil
}

// The report step's memory does not grow with the number of cards: the
// live heap a ReportBuilder adds, sampled while real OFAC entries are added
// and while report.html is written, is the same for 1,000 and 20,000 cards
// (the cards spill to disk past cardBudget). Holding the cards in memory,
// 20,000 of them would add about 10 MB.
func TestReportMemoryFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("adds 21,000 cards")
	}
	var lines [][]byte
	var ids []string
	for _, e := range ofacEntities(ofacRows(t, sdnDay2)) {
		line, err := e.MarshalCanonical()
		if err != nil {
			t.Fatal(err)
		}
		lines, ids = append(lines, line), append(ids, e.ID)
	}
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	peak := func(n int) (growth uint64, bytes int) {
		base := heap()
		var top uint64
		sample := func() { top = max(top, heap()) }
		b := NewReportBuilderIn(t.TempDir(), 0)
		defer b.Close()
		for i := range n {
			// Copy k of the real entry: a new id, the same card.
			k := i / len(lines)
			id := ids[i%len(lines)]
			if k > 0 {
				id += "-copy" + strconv.Itoa(k)
			}
			if err := b.Add(Op{Op: OpAdd, ID: id, Entity: lines[i%len(lines)]}); err != nil {
				t.Fatal(err)
			}
			if i%500 == 0 {
				sample()
			}
		}
		sample()
		w := &samplingWriter{sample: sample}
		if err := b.WriteHTML(w, ReportInput{Source: "us_ofac_sdn", Version: "v2", PreviousVersion: "v1", Counts: Counts{Added: n}}); err != nil {
			t.Fatal(err)
		}
		sample()
		return top - min(top, base), w.n
	}
	small, _ := peak(1_000)
	large, writes := peak(20_000)
	t.Logf("live heap added by the report: 1,000 cards %.1f MiB, 20,000 cards %.1f MiB (%d writes of report.html)",
		float64(small)/(1<<20), float64(large)/(1<<20), writes)
	if large > small+2<<20 {
		t.Errorf("20,000 cards take %.1f MiB, 1,000 take %.1f MiB: the report grows with its cards", float64(large)/(1<<20), float64(small)/(1<<20))
	}
}
