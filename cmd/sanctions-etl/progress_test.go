package main

import (
	"regexp"
	"strings"
	"testing"
)

// progressLines are the lines of out that run's progress reporter wrote.
func progressLines(out string) []string {
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		for _, stage := range []string{"un_sc: fetch ", "un_sc: parse ", "un_sc: publish "} {
			if strings.HasPrefix(l, stage) {
				lines = append(lines, l)
			}
		}
	}
	return lines
}

// Tests' stderr is no terminal: run prints no progress unless told to,
// and then the totals of the real publication it published.
func TestRunProgressOnlyWhenAsked(t *testing.T) {
	const from = "../../testdata/un_sc/2018-06-07"
	for _, tt := range []struct {
		name string
		args []string
		env  map[string]string
		want []string
	}{
		{name: "auto, not a terminal", want: nil},
		{name: "never", args: []string{"--progress", "never"}, want: nil},
		{name: "always", args: []string{"--progress", "always"}, want: []string{
			"un_sc: fetch consolidated.xml 1.6 MB done", // 1,601,028 bytes decompressed
			"un_sc: parse 1,098 records done",
			"un_sc: publish 8 objects done", // raw file, entities, delta, report.md, report.html, entities.csv, entities.ftm.json, entities.delta.json
		}},
		{name: "always from the environment", env: map[string]string{"SANCTIONS_ETL_PROGRESS": "always"}, want: []string{
			"un_sc: fetch consolidated.xml 1.6 MB done",
			"un_sc: parse 1,098 records done",
			"un_sc: publish 8 objects done",
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"run", "--source", "un_sc", "--from", from, "--out", t.TempDir()}, tt.args...)
			out, err := executeEnv(t, tt.env, args...)
			if err != nil {
				t.Fatalf("run: %v\n%s", err, out)
			}
			if !regexp.MustCompile(`(?m)^un_sc +published +`).MatchString(out) {
				t.Fatalf("summary:\n%s", out)
			}
			// Each stage's last line; a slow machine may show more before it.
			var done []string
			lines := progressLines(out)
			for _, l := range lines {
				if strings.HasSuffix(l, " done") {
					done = append(done, l)
				}
			}
			if strings.Join(done, "\n") != strings.Join(tt.want, "\n") || (tt.want == nil && len(lines) > 0) {
				t.Errorf("progress lines:\n%s\nwant, last of each stage:\n%s\nwhole output:\n%s", strings.Join(lines, "\n"), strings.Join(tt.want, "\n"), out)
			}
		})
	}
}

func TestRunProgressBadValue(t *testing.T) {
	out, err := execute(t, "run", "--source", "un_sc", "--from", "../../testdata/un_sc/2018-06-07", "--out", t.TempDir(), "--progress", "yes")
	if err == nil || !strings.Contains(err.Error(), `--progress "yes": want auto, always or never`) {
		t.Fatalf("err %v\n%s", err, out)
	}
	if strings.Contains(out, "published") {
		t.Errorf("a bad --progress still ran:\n%s", out)
	}
	_, err = executeEnv(t, map[string]string{"SANCTIONS_ETL_PROGRESS": "on"}, "run", "--source", "un_sc", "--from", "../../testdata/un_sc/2018-06-07", "--out", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), `SANCTIONS_ETL_PROGRESS "on"`) {
		t.Fatalf("env: err %v", err)
	}
}

func TestProgressOn(t *testing.T) {
	for _, tt := range []struct {
		mode      string
		terminal  bool
		logFormat string
		want      bool
	}{
		{"auto", true, "auto", true},
		{"auto", true, "text", true},
		{"auto", true, "json", false}, // JSON asked for: stderr is read by a program
		{"auto", true, "JSON", false},
		{"auto", false, "auto", false}, // CI, cron, a pipe, a test
		{"auto", false, "text", false},
		{"always", false, "json", true},
		{"never", true, "text", false},
	} {
		got, err := progressOn(tt.mode, tt.terminal, tt.logFormat)
		if err != nil || got != tt.want {
			t.Errorf("progressOn(%q, terminal %v, --log-format %s) = %v, %v; want %v", tt.mode, tt.terminal, tt.logFormat, got, err, tt.want)
		}
	}
	if _, err := progressOn("", true, "auto"); err == nil {
		t.Error(`progressOn(""): no error`)
	}
}
