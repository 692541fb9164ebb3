package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sanctions-etl/sanctions-etl/sources/all"
	"github.com/sanctions-etl/sanctions-etl/sources/sourcetest"
)

// executeEnv runs a command line with env as the whole environment.
func executeEnv(t *testing.T, env map[string]string, args ...string) (string, error) {
	t.Helper()
	return executeWith(t, func(k string) (string, bool) { v, ok := env[k]; return v, ok }, args...)
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// configKeys lists the keys of a config file, nested ones as "s3.region".
func configKeys(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k, v := range doc {
		if m, ok := v.(map[string]any); ok && k == "s3" {
			for k2 := range m {
				keys = append(keys, k+"."+k2)
			}
			continue
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// configs/example.yaml documents every key there is, and loads.
func TestExampleConfigHasEveryKeyAndLoads(t *testing.T) {
	const example = "../../configs/example.yaml"
	known := newScheduleCmd(newSettings(nil)).Flags()
	known.AddFlagSet(newRootCmd().PersistentFlags())
	want := knownKeys(known)
	if got := configKeys(t, example); !slices.Equal(got, want) {
		t.Errorf("configs/example.yaml keys:\n %v\nwant every setting:\n %v", got, want)
	}
	out, err := executeEnv(t, map[string]string{"SANCTIONS_ETL_OUT": t.TempDir(), "SANCTIONS_ETL_EU_TOKEN": "test-token"}, "schedule", "--config", example, "--check")
	if err != nil {
		t.Fatalf("schedule --check: %v\n%s", err, out)
	}
	for _, want := range []string{"us_ofac_sdn   @every 2h", "un_sc         0 */4 * * *"} {
		if !strings.Contains(out, want) {
			t.Errorf("--check output lacks %q:\n%s", want, out)
		}
	}
}

// The ConfigMap in deploy/kubernetes holds a config the real loader takes.
func TestDeployConfigLoads(t *testing.T) {
	m := loadDeployManifests(t)
	cfg := writeConfig(t, m.configMap.Data["config.yaml"])
	// The bucket is a placeholder: publish locally, with no S3 settings.
	env := map[string]string{"SANCTIONS_ETL_OUT": t.TempDir(), "SANCTIONS_ETL_S3_REGION": "", "SANCTIONS_ETL_EU_TOKEN": "test-token"}
	out, err := executeEnv(t, env, "schedule", "--config", cfg, "--check")
	if err != nil {
		t.Fatalf("schedule --check with the ConfigMap's config: %v\n%s", err, out)
	}
	// a header line, then one line per source of the registry
	if n, want := strings.Count(out, "\n"), len(all.Registry(all.Config{})); n != want+1 {
		t.Errorf("want the %d sources scheduled:\n%s", want, out)
	}
}

// A bad value stops the command at start, and the message names the key as
// the user gave it: the file and line, the environment variable, or the
// flag. Secrets are never echoed.
func TestBadSettingsNameTheKey(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name   string
		config string
		env    map[string]string
		args   []string
		want   []string // substrings of the error
		hidden string   // must not appear
	}{
		{name: "unknown key", config: "out: x\nmax_dorp: 0.2\n", want: []string{"config.yaml:2", `unknown key "max_dorp"`, "max_drop"}},
		{name: "bad type", config: "attempts: many\n", want: []string{"config.yaml:1: attempts", `"many"`}},
		{name: "out of range", config: "max_drop: 1.5\n", want: []string{"config.yaml:1: max_drop", "between 0 and 1"}},
		{name: "bad duration", config: "shutdown_timeout: soon\n", want: []string{"config.yaml:1: shutdown_timeout"}},
		{name: "nested key", config: "s3:\n  regoin: eu-west-1\n", want: []string{"config.yaml:2", `unknown key "s3.regoin"`}},
		{name: "bad listen", config: "listen: 9090\n", want: []string{"config.yaml:1: listen", "9090"}},
		{name: "bad spec", config: "sources:\n  un_sc: {schedule: \"0 */4 * *\"}\n", want: []string{"config.yaml:2: sources.un_sc.schedule", "0 */4 * *"}},
		{name: "bad every", config: "sources:\n  un_sc:\n    schedule: \"@every 10ms\"\n", want: []string{"config.yaml:3: sources.un_sc.schedule", "at least 1s"}},
		{name: "unknown source", config: "sources:\n  un_scc: {}\n", want: []string{"config.yaml:2", `unknown source "un_scc"`, "un_sc"}},
		{name: "unknown source key", config: "sources:\n  un_sc: {shedule: x}\n", want: []string{`unknown key "shedule"`}},
		{name: "missing from folder", config: "sources:\n  un_sc: {from: " + filepath.Join(dir, "nope") + "}\n", want: []string{"config.yaml:2: sources.un_sc.from", "nope"}},
		{name: "mirror of an unknown file", config: "sources:\n  un_sc:\n    urls: {un.xml: https://m.example.org/un.xml}\n", want: []string{"sources.un_sc.urls", `no file "un.xml"`}},
		{name: "duplicate key", config: "out: a\nout: b\n", want: []string{"config.yaml:2", "out"}},
		{name: "not a mapping", config: "- out\n", want: []string{"config.yaml:1", "mapping"}},
		{name: "eu_fsf without its token", config: "sources:\n  eu_fsf: {}\n", want: []string{"eu_fsf", "eu_token", "SANCTIONS_ETL_EU_TOKEN"}},
		{name: "bad env", env: map[string]string{"SANCTIONS_ETL_ATTEMPTS": "x"}, want: []string{"SANCTIONS_ETL_ATTEMPTS", `"x"`}},
		{name: "env range", env: map[string]string{"SANCTIONS_ETL_STALE_AFTER": "0"}, want: []string{"SANCTIONS_ETL_STALE_AFTER 0", "1 or more"}},
		{name: "env spec", env: map[string]string{"SANCTIONS_ETL_SOURCES_GB_FCDO_SCHEDULE": "hourly"}, want: []string{"SANCTIONS_ETL_SOURCES_GB_FCDO_SCHEDULE", "hourly"}},
		{name: "env mirror", env: map[string]string{"SANCTIONS_ETL_SOURCES_UN_SC_URLS": "consolidated.xml=ftp://m/un.xml"}, want: []string{"SANCTIONS_ETL_SOURCES_UN_SC_URLS", "not an http(s) URL"}},
		{name: "flag mirror", args: []string{"--source-url", "un_sc=consolidated.xml"}, want: []string{"--source-url un_sc", "FILE=URL"}},
		{name: "flag spec", args: []string{"--schedule", "gb_fcdo"}, want: []string{"--schedule", "SOURCE=VALUE"}},
		{name: "webhook secret", config: "webhook_url: hooks.example.org/T0/B0/s3cr3t\n", want: []string{"config.yaml:1: webhook_url", "http(s)"}, hidden: "s3cr3t"},
		{name: "webhook secret in env", env: map[string]string{"SANCTIONS_ETL_WEBHOOK_URL": "ftp://h/s3cr3t"}, want: []string{"SANCTIONS_ETL_WEBHOOK_URL"}, hidden: "s3cr3t"},
		{name: "bad token type", config: "eu_token: [a, s3cr3t]\n", want: []string{"config.yaml:1: eu_token", "single value"}, hidden: "s3cr3t"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := []string{"schedule", "--out", t.TempDir(), "--check"}
			if tt.config != "" {
				args = append(args, "--config", writeConfig(t, tt.config))
			}
			out, err := executeEnv(t, tt.env, append(args, tt.args...)...)
			if err == nil {
				t.Fatalf("accepted:\n%s", out)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if tt.hidden != "" && strings.Contains(err.Error()+out, tt.hidden) {
				t.Errorf("the secret shows: %q", err)
			}
		})
	}
}

// Flag beats environment beats file: each layer gives attempts a value,
// and the error (or its absence) shows which one was used.
func TestSettingsPrecedence(t *testing.T) {
	cfg := writeConfig(t, "attempts: 0\nsources:\n  un_sc: {schedule: \"@every 1h\"}\n")
	base := []string{"schedule", "--out", t.TempDir(), "--check", "--config", cfg}
	_, err := executeEnv(t, nil, base...)
	if err == nil || !strings.Contains(err.Error(), "config.yaml:1: attempts 0") {
		t.Fatalf("file only: %v; want the file's key named", err)
	}
	env := map[string]string{"SANCTIONS_ETL_ATTEMPTS": "3"}
	out, err := executeEnv(t, env, base...)
	if err != nil {
		t.Fatalf("the environment's 3 should win over the file's 0: %v", err)
	}
	// The file's sources block selects the sources: only un_sc.
	if !strings.Contains(out, "un_sc") || strings.Contains(out, "gb_fcdo") {
		t.Errorf("sources block not honoured:\n%s", out)
	}
	_, err = executeEnv(t, env, append(base, "--attempts", "0")...)
	if err == nil || !strings.Contains(err.Error(), "--attempts 0") {
		t.Fatalf("flag 0 over env 3: %v; want the flag named", err)
	}
	// Per-source: --schedule beats the environment, which beats the file.
	// The file may come from SANCTIONS_ETL_CONFIG.
	_, err = executeEnv(t, map[string]string{"SANCTIONS_ETL_CONFIG": cfg}, "schedule", "--out", t.TempDir(), "--check")
	if err == nil || !strings.Contains(err.Error(), "config.yaml:1: attempts 0") {
		t.Fatalf("SANCTIONS_ETL_CONFIG: %v; want its file read", err)
	}
	env["SANCTIONS_ETL_SOURCES_UN_SC_SCHEDULE"] = "@every 2h"
	out, err = executeEnv(t, env, base...)
	if err != nil || !strings.Contains(out, "@every 2h") {
		t.Fatalf("env schedule: %v\n%s", err, out)
	}
	out, err = executeEnv(t, env, append(base, "--schedule", "un_sc=@every 3h")...)
	if err != nil || !strings.Contains(out, "@every 3h") {
		t.Fatalf("flag schedule: %v\n%s", err, out)
	}
}

// run reads the same file: its sources block selects and points sources at
// folders, and the scheduler's keys are accepted and ignored.
func TestRunWithConfig(t *testing.T) {
	out := t.TempDir()
	cfg := writeConfig(t, "out: "+out+"\nlisten: \":9090\"\nrun_on_start: true\nsources:\n  us_ofac_cons:\n    schedule: \"@every 2h\"\n    from: ../../testdata/us_ofac_cons/2018-04-06\n")
	got, err := executeEnv(t, nil, "run", "--config", cfg)
	if err != nil {
		t.Fatalf("run --config: %v\n%s", err, got)
	}
	if !strings.Contains(got, "us_ofac_cons  published") || strings.Contains(got, "un_sc") {
		t.Fatalf("want us_ofac_cons alone published:\n%s", got)
	}
	if _, err := os.Stat(filepath.Join(out, "us_ofac_cons", "lease.json")); err != nil {
		t.Errorf("run held no lease: %v", err)
	}
}

// A mirror given in the environment or as a flag replaces the official URL.
func TestMirrorURLs(t *testing.T) {
	body := sourcetest.Gunzip(t, "../../testdata/un_sc/2018-06-07/consolidated.xml.gz")
	var hits atomic.Int32
	mirror := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.ServeContent(w, r, "consolidated.xml", time.Time{}, bytes.NewReader(body))
	}))
	defer mirror.Close()
	env := map[string]string{"SANCTIONS_ETL_SOURCES_UN_SC_URLS": "consolidated.xml=" + mirror.URL + "/env/consolidated.xml"}
	got, err := executeEnv(t, env, "run", "--source", "un_sc", "--out", t.TempDir())
	if err != nil || !regexp.MustCompile(`(?m)^un_sc +published`).MatchString(got) || hits.Load() != 1 {
		t.Fatalf("run with a mirror from the environment: %v, %d requests\n%s", err, hits.Load(), got)
	}
	got, err = executeEnv(t, nil, "run", "--source", "un_sc", "--out", t.TempDir(), "--source-url", "un_sc=consolidated.xml="+mirror.URL+"/flag/consolidated.xml")
	if err != nil || !strings.Contains(got, "published") || hits.Load() != 2 {
		t.Fatalf("run with a mirror flag: %v, %d requests\n%s", err, hits.Load(), got)
	}
}
