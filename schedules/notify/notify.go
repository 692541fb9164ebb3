// Package notify posts a Slack-compatible message to a webhook after a run
// that changed a list or failed, so that compliance staff learn of it
// without watching the store.
package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v5"

	"github.com/sanctions-etl/sanctions-etl/pipeline"
)

// Event is one run worth telling someone about.
type Event struct {
	Source          string
	RunID           string
	Outcome         string // "published" or "failed"
	Version         string
	PreviousVersion string
	Entities        int
	Added           int
	Removed         int
	Changed         int
	Err             string
	// ReportURL links the version's report.html; "" when no base URL is
	// configured or nothing was published.
	ReportURL string
}

// FromResult describes a run; reportBase is the base URL under which the
// store's keys can be read ("" for no link).
func FromResult(res pipeline.Result, reportBase string) Event {
	e := Event{
		Source: res.Source, RunID: res.RunID, Outcome: string(res.Outcome), Version: res.Version,
		PreviousVersion: res.PreviousVersion, Entities: res.Entities,
		Added: res.Delta.Added, Removed: res.Delta.Removed, Changed: res.Delta.Changed,
	}
	if res.Err != nil {
		e.Err = res.Err.Error()
	}
	if res.Outcome == pipeline.Published && reportBase != "" {
		e.ReportURL = strings.TrimSuffix(reportBase, "/") + "/" + path.Join(res.Source, res.Version, "report.html")
	}
	return e
}

// Worth reports whether e deserves a message: a failure, or a publication
// that changed something (a first version counts: every entity is new).
func (e Event) Worth() bool {
	return e.Outcome == "failed" || (e.Outcome == "published" && (e.Added+e.Removed+e.Changed > 0 || e.PreviousVersion == ""))
}

// Text is the message, in Slack's mrkdwn.
func (e Event) Text() string {
	var b strings.Builder
	switch e.Outcome {
	case "failed":
		fmt.Fprintf(&b, ":x: *%s* run failed (run %s)", e.Source, e.RunID)
		if e.Version != "" {
			fmt.Fprintf(&b, "; latest stays %s", e.Version)
		}
		if e.Err != "" {
			fmt.Fprintf(&b, "\n```%s```", truncate(e.Err, 1500))
		}
	default:
		if e.PreviousVersion == "" {
			fmt.Fprintf(&b, ":new: *%s* first version %s: %d entities", e.Source, e.Version, e.Entities)
		} else {
			fmt.Fprintf(&b, ":bell: *%s* new version %s: +%d added, -%d removed, ~%d changed (%d entities; previous %s)",
				e.Source, e.Version, e.Added, e.Removed, e.Changed, e.Entities, e.PreviousVersion)
		}
	}
	if e.ReportURL != "" {
		fmt.Fprintf(&b, "\n<%s|Review report>", e.ReportURL)
	}
	return b.String()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// message is the body Slack incoming webhooks (and Mattermost, Teams'
// Slack-compatible connectors, Rocket.Chat) accept.
type message struct {
	Text string `json:"text"`
}

// Webhook posts events to one URL. The URL is a secret (it is the
// credential): errors and logs name only its host.
type Webhook struct {
	url    string
	host   string
	client *http.Client
	tries  uint
	wait   time.Duration
}

// New checks rawURL and returns a webhook that tries each message up to
// 3 times on network errors, 429 and 5xx answers.
func New(rawURL string, client *http.Client) (*Webhook, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		// Not the URL itself: it carries the secret.
		return nil, errors.New("not an http(s) URL with a host")
	}
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second}
	}
	return &Webhook{url: rawURL, host: u.Host, client: client, tries: 3, wait: time.Second}, nil
}

// Host names the webhook in messages without its secret path.
func (w *Webhook) Host() string { return w.host }

// Send posts e's message.
func (w *Webhook) Send(ctx context.Context, e Event) error {
	body, err := json.Marshal(message{Text: e.Text()})
	if err != nil {
		return err
	}
	post := func() (struct{}, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
		if err != nil {
			return struct{}{}, backoff.Permanent(err)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := w.client.Do(req)
		if err != nil {
			// url.Error repeats the URL: keep only what went wrong.
			var uerr *url.Error
			if errors.As(err, &uerr) {
				err = uerr.Err
			}
			return struct{}{}, err
		}
		defer resp.Body.Close()
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		switch {
		case resp.StatusCode >= 200 && resp.StatusCode < 300:
			return struct{}{}, nil
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
			return struct{}{}, fmt.Errorf("answered %s: %s", resp.Status, bytes.TrimSpace(snippet))
		default:
			return struct{}{}, backoff.Permanent(fmt.Errorf("answered %s: %s", resp.Status, bytes.TrimSpace(snippet)))
		}
	}
	b := backoff.NewExponentialBackOff()
	b.InitialInterval = w.wait
	_, err = backoff.Retry(ctx, post, backoff.WithBackOff(b), backoff.WithMaxTries(w.tries))
	if err != nil {
		return fmt.Errorf("webhook %s: %s: %w", w.host, e.Source, err)
	}
	return nil
}
