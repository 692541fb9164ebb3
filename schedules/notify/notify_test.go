package notify

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestWorth(t *testing.T) {
	tests := []struct {
		name string
		e    Event
		want bool
	}{
		{"failure", Event{Outcome: "failed"}, true},
		{"first version", Event{Outcome: "published", Entities: 10}, true},
		{"additions", Event{Outcome: "published", PreviousVersion: "v1", Added: 2}, true},
		{"only changes", Event{Outcome: "published", PreviousVersion: "v1", Changed: 1}, true},
		{"empty delta", Event{Outcome: "published", PreviousVersion: "v1"}, false},
		{"unchanged", Event{Outcome: "unchanged", PreviousVersion: "v1"}, false},
		{"skipped", Event{Outcome: "skipped"}, false},
	}
	for _, tt := range tests {
		if got := tt.e.Worth(); got != tt.want {
			t.Errorf("%s: Worth = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// webhookServer answers with codes in turn (the last one repeats) and
// records the bodies it received.
func webhookServer(t *testing.T, codes ...int) (*httptest.Server, *[]message, *atomic.Int32) {
	var got []message
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		if ct := r.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type %q", ct)
		}
		var m message
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			t.Errorf("decode body: %v", err)
		}
		got = append(got, m)
		w.WriteHeader(codes[min(i, len(codes)-1)])
	}))
	t.Cleanup(srv.Close)
	return srv, &got, &n
}

func TestSendRetriesServerErrors(t *testing.T) {
	srv, got, n := webhookServer(t, 503, 200)
	w, err := New(srv.URL+"/services/T000/B000/secret", nil)
	if err != nil {
		t.Fatal(err)
	}
	w.wait = time.Millisecond
	e := Event{Source: "un_sc", RunID: "r1", Outcome: "published", Version: "20261126T100000Z",
		PreviousVersion: "20261126T080000Z", Entities: 1003, Added: 2, ReportURL: "https://example.org/un_sc/20261126T100000Z/report.html"}
	if err := w.Send(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	if n.Load() != 2 {
		t.Fatalf("%d requests, want 2 (one retry after 503)", n.Load())
	}
	text := (*got)[1].Text
	for _, want := range []string{"un_sc", "+2 added", "20261126T100000Z", "<https://example.org/un_sc/20261126T100000Z/report.html|Review report>"} {
		if !strings.Contains(text, want) {
			t.Errorf("message %q lacks %q", text, want)
		}
	}
}

func TestSendClientErrorIsFinalAndHidesTheSecret(t *testing.T) {
	srv, _, n := webhookServer(t, 404)
	w, err := New(srv.URL+"/services/T000/B000/secret", nil)
	if err != nil {
		t.Fatal(err)
	}
	w.wait = time.Millisecond
	err = w.Send(context.Background(), Event{Source: "us_ofac_sdn", Outcome: "failed", Err: "us_ofac_sdn: fetch SDN.XML: 503"})
	if err == nil {
		t.Fatal("a 404 answer gave no error")
	}
	if n.Load() != 1 {
		t.Errorf("%d requests, want 1: a 404 is not retried", n.Load())
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("error %q shows the webhook's secret path", err)
	}
}

func TestNewRejectsBadURLsWithoutEchoingThem(t *testing.T) {
	for _, u := range []string{"", "hooks.slack.com/services/x", "ftp://h/secret", "https:///secret"} {
		_, err := New(u, nil)
		if err == nil {
			t.Errorf("New(%q) accepted it", u)
			continue
		}
		if u != "" && strings.Contains(err.Error(), u) {
			t.Errorf("error %q echoes the URL", err)
		}
	}
}
