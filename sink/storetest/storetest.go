// Package storetest is the conformance suite every sink.Store passes.
package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/sanctions-etl/sanctions-etl/sink"
)

// Run runs every conformance test against stores made by newStore; each
// test gets a fresh, empty store.
func Run(t *testing.T, newStore func(t *testing.T) sink.Store) {
	tests := []struct {
		name string
		fn   func(*testing.T, sink.Store)
	}{
		{"RoundTrip", testRoundTrip},
		{"CreateRefusesOverwrite", testCreateRefusesOverwrite},
		{"IfMatch", testIfMatch},
		{"Overwrite", testOverwrite},
		{"NotExist", testNotExist},
		{"ListPrefix", testListPrefix},
		{"Delete", testDelete},
		{"Cancelled", testCancelled},
		{"ConcurrentCAS", testConcurrentCAS},
		{"ConcurrentCreate", testConcurrentCreate},
		{"Checksum", testChecksum},
		{"ListKeyOrder", testListKeyOrder},
		{"EmptyObject", testEmptyObject},
		{"LargeObject", testLargeObject},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
}

func put(t *testing.T, s sink.Store, key, body string, opts sink.PutOptions) string {
	t.Helper()
	etag, err := s.Put(context.Background(), key, strings.NewReader(body), opts)
	if err != nil {
		t.Fatalf("Put %s: %v", key, err)
	}
	return etag
}

func get(t *testing.T, s sink.Store, key string) (string, sink.Info) {
	t.Helper()
	rc, info, err := s.Get(context.Background(), key)
	if err != nil {
		t.Fatalf("Get %s: %v", key, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	return string(b), info
}

func testRoundTrip(t *testing.T, s sink.Store) {
	body := strings.Repeat("line of a snapshot\n", 1000)
	etag := put(t, s, "src/20260101T000000Z/entities.jsonl.gz", body, sink.PutOptions{ContentType: "application/gzip"})
	got, info := get(t, s, "src/20260101T000000Z/entities.jsonl.gz")
	if got != body {
		t.Fatalf("round trip changed the body: %d bytes back, want %d", len(got), len(body))
	}
	if info.Size != int64(len(body)) || info.ETag != etag || etag == "" {
		t.Fatalf("info = %+v, etag from Put %q", info, etag)
	}
	st, err := s.Stat(context.Background(), "src/20260101T000000Z/entities.jsonl.gz")
	if err != nil || st.ETag != etag || st.Size != info.Size {
		t.Fatalf("Stat = %+v, %v", st, err)
	}
}

func testCreateRefusesOverwrite(t *testing.T, s sink.Store) {
	put(t, s, "src/v1/manifest.json", "first", sink.PutOptions{})
	_, err := s.Put(context.Background(), "src/v1/manifest.json", strings.NewReader("second"), sink.PutOptions{})
	if !errors.Is(err, sink.ErrPrecondition) {
		t.Fatalf("second create: err = %v, want ErrPrecondition", err)
	}
	if !s.IsPermanent(err) {
		t.Fatalf("IsPermanent(%v) = false", err)
	}
	if got, _ := get(t, s, "src/v1/manifest.json"); got != "first" {
		t.Fatalf("object changed to %q", got)
	}
}

func testIfMatch(t *testing.T, s sink.Store) {
	etag := put(t, s, "src/latest.json", `{"version":"1"}`, sink.PutOptions{})
	etag2 := put(t, s, "src/latest.json", `{"version":"2"}`, sink.PutOptions{IfMatch: etag})
	if etag2 == etag {
		t.Fatal("etag did not change with the content")
	}
	_, err := s.Put(context.Background(), "src/latest.json", strings.NewReader(`{"version":"3"}`), sink.PutOptions{IfMatch: etag})
	if !errors.Is(err, sink.ErrPrecondition) {
		t.Fatalf("stale IfMatch: err = %v, want ErrPrecondition", err)
	}
	if got, _ := get(t, s, "src/latest.json"); got != `{"version":"2"}` {
		t.Fatalf("latest = %s after refused write", got)
	}
	_, err = s.Put(context.Background(), "src/missing.json", strings.NewReader("x"), sink.PutOptions{IfMatch: etag})
	if !errors.Is(err, sink.ErrPrecondition) {
		t.Fatalf("IfMatch on missing object: err = %v, want ErrPrecondition", err)
	}
}

func testOverwrite(t *testing.T, s sink.Store) {
	put(t, s, "src/state.json", "a", sink.PutOptions{})
	put(t, s, "src/state.json", "b", sink.PutOptions{Overwrite: true})
	if got, _ := get(t, s, "src/state.json"); got != "b" {
		t.Fatalf("state = %q, want b", got)
	}
}

func testNotExist(t *testing.T, s sink.Store) {
	_, _, err := s.Get(context.Background(), "nope/latest.json")
	if !s.IsNotExist(err) {
		t.Fatalf("Get missing: IsNotExist(%v) = false", err)
	}
	_, err = s.Stat(context.Background(), "nope/latest.json")
	if !s.IsNotExist(err) {
		t.Fatalf("Stat missing: IsNotExist(%v) = false", err)
	}
	if s.IsNotExist(errors.New("other")) {
		t.Fatal("IsNotExist(other error) = true")
	}
}

func testListPrefix(t *testing.T, s sink.Store) {
	keys := []string{"a/v2/x", "a/v1/y", "a.json", "ab/v1/z", "a/v1/raw/SDN.CSV"}
	for _, k := range keys {
		put(t, s, k, k, sink.PutOptions{})
	}
	var got []string
	err := s.List(context.Background(), "a/", func(i sink.Info) error {
		got = append(got, i.Key)
		if i.Size != int64(len(i.Key)) {
			return fmt.Errorf("%s: size %d", i.Key, i.Size)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a/v1/raw/SDN.CSV", "a/v1/y", "a/v2/x"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("List(a/) = %v, want %v", got, want)
	}
	stop := errors.New("stop")
	n := 0
	err = s.List(context.Background(), "", func(sink.Info) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Fatalf("List did not stop on fn error: err=%v calls=%d", err, n)
	}
}

func testDelete(t *testing.T, s sink.Store) {
	put(t, s, "a/v1/x", "x", sink.PutOptions{})
	if err := s.Delete(context.Background(), "a/v1/x"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stat(context.Background(), "a/v1/x"); !s.IsNotExist(err) {
		t.Fatalf("after Delete: %v", err)
	}
	if err := s.Delete(context.Background(), "a/v1/x"); err != nil {
		t.Fatalf("Delete missing: %v", err)
	}
}

func testCancelled(t *testing.T, s sink.Store) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Put(ctx, "a/x", strings.NewReader("x"), sink.PutOptions{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Put with cancelled context: %v", err)
	}
	if _, err := s.Stat(context.Background(), "a/x"); !s.IsNotExist(err) {
		t.Fatalf("cancelled Put left an object: %v", err)
	}
}

// testConcurrentCAS races writers on one pointer: each reads the ETag and
// tries to move it; exactly one per round may win.
func testConcurrentCAS(t *testing.T, s sink.Store) {
	etag := put(t, s, "src/latest.json", "0", sink.PutOptions{})
	const writers = 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.Put(context.Background(), "src/latest.json", bytes.NewReader([]byte(fmt.Sprint(i+1))), sink.PutOptions{IfMatch: etag})
			if err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			} else if !errors.Is(err, sink.ErrPrecondition) {
				t.Errorf("writer %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d writers moved the pointer, want exactly 1", wins)
	}
}

// testConcurrentCreate races writers creating one version object: exactly
// one may succeed, and the object holds its bytes.
func testConcurrentCreate(t *testing.T, s sink.Store) {
	const writers = 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	winner := -1
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.Put(context.Background(), "src/v1/manifest.json", strings.NewReader(fmt.Sprint("writer ", i)), sink.PutOptions{})
			if err == nil {
				mu.Lock()
				if winner >= 0 {
					t.Errorf("writers %d and %d both created the object", winner, i)
				}
				winner = i
				mu.Unlock()
			} else if !errors.Is(err, sink.ErrPrecondition) {
				t.Errorf("writer %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if winner < 0 {
		t.Fatal("no writer created the object")
	}
	if got, _ := get(t, s, "src/v1/manifest.json"); got != fmt.Sprint("writer ", winner) {
		t.Fatalf("object holds %q, the winner was writer %d", got, winner)
	}
}

// testChecksum: a body that does not match PutOptions.SHA256 is refused
// and leaves nothing; a matching one is written.
func testChecksum(t *testing.T, s sink.Store) {
	body := "entities"
	sum := sha256.Sum256([]byte(body))
	good := hex.EncodeToString(sum[:])
	put(t, s, "src/v1/ok", body, sink.PutOptions{SHA256: good})
	wrong := sha256.Sum256([]byte("something else"))
	_, err := s.Put(context.Background(), "src/v1/bad", strings.NewReader(body), sink.PutOptions{SHA256: hex.EncodeToString(wrong[:])})
	if !errors.Is(err, sink.ErrChecksum) {
		t.Fatalf("wrong sha256: err = %v, want ErrChecksum", err)
	}
	if _, err := s.Stat(context.Background(), "src/v1/bad"); !s.IsNotExist(err) {
		t.Fatalf("a refused body left an object: %v", err)
	}
}

// testListKeyOrder: keys sort as byte strings, so a version with a tie
// suffix ("v1-001", '-' < '/') comes before the files of "v1".
func testListKeyOrder(t *testing.T, s sink.Store) {
	keys := []string{"s/v1/x", "s/v1-001/y", "s/v1/raw/SDN.CSV", "s/v10/z", "s/v1.json"}
	for _, k := range keys {
		put(t, s, k, k, sink.PutOptions{})
	}
	var got []string
	if err := s.List(context.Background(), "s/", func(i sink.Info) error { got = append(got, i.Key); return nil }); err != nil {
		t.Fatal(err)
	}
	want := []string{"s/v1-001/y", "s/v1.json", "s/v1/raw/SDN.CSV", "s/v1/x", "s/v10/z"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("List(s/) = %v, want %v", got, want)
	}
}

func testEmptyObject(t *testing.T, s sink.Store) {
	etag := put(t, s, "src/v1/delta.jsonl", "", sink.PutOptions{})
	got, info := get(t, s, "src/v1/delta.jsonl")
	if got != "" || info.Size != 0 || info.ETag != etag {
		t.Fatalf("empty object: %q, %+v", got, info)
	}
}

// testLargeObject writes a body of some megabytes (stores that split large
// uploads into parts take that path when their part size is small) and
// checks create-only, compare-and-swap and the bytes read back.
func testLargeObject(t *testing.T, s sink.Store) {
	body := make([]byte, 11<<20+12345)
	rng := rand.NewChaCha8([32]byte{1})
	rng.Read(body)
	sum := sha256.Sum256(body)
	ctx := context.Background()
	etag, err := s.Put(ctx, "src/v1/raw/SDN.XML", bytes.NewReader(body), sink.PutOptions{SHA256: hex.EncodeToString(sum[:])})
	if err != nil {
		t.Fatalf("Put large: %v", err)
	}
	if _, err := s.Put(ctx, "src/v1/raw/SDN.XML", bytes.NewReader(body), sink.PutOptions{}); !errors.Is(err, sink.ErrPrecondition) {
		t.Fatalf("second create of a large object: err = %v, want ErrPrecondition", err)
	}
	body2 := append([]byte(nil), body...)
	body2[len(body2)-1] ^= 0xff
	etag2, err := s.Put(ctx, "src/v1/raw/SDN.XML", bytes.NewReader(body2), sink.PutOptions{IfMatch: etag})
	if err != nil || etag2 == etag {
		t.Fatalf("IfMatch on a large object: etag %q, err %v", etag2, err)
	}
	if _, err := s.Put(ctx, "src/v1/raw/SDN.XML", bytes.NewReader(body), sink.PutOptions{IfMatch: etag}); !errors.Is(err, sink.ErrPrecondition) {
		t.Fatalf("stale IfMatch on a large object: err = %v, want ErrPrecondition", err)
	}
	rc, info, err := s.Get(ctx, "src/v1/raw/SDN.XML")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, rc)
	if err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256(body2)
	if n != int64(len(body2)) || info.Size != n || info.ETag != etag2 || !bytes.Equal(h.Sum(nil), want[:]) {
		t.Fatalf("read back %d bytes (info %+v), want %d bytes with etag %s", n, info, len(body2), etag2)
	}
}
