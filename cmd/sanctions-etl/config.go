package main

import (
	"bytes"
	"fmt"
	"maps"
	"net/url"
	"os"
	"slices"
	"strings"

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/sanctions-etl/sanctions-etl/sources/all"
)

// envPrefix starts the name of every setting's environment variable.
const envPrefix = "SANCTIONS_ETL_"

// Every flag of `run` and `schedule` is also a config-file key and an
// environment variable: --max-drop is max_drop in the file and
// SANCTIONS_ETL_MAX_DROP in the environment; the --s3-* flags are the keys
// of the file's s3 block. The per-source block, sources.NAME.schedule,
// .from and .urls, is SANCTIONS_ETL_SOURCES_NAME_SCHEDULE / _FROM / _URLS in
// the environment and --schedule / --source-from / --source-url flags.
// A flag given on the command line wins over the environment, which wins
// over the file.

// notSettings are flags that only make sense on the command line.
// The sources a run selects are the file's sources block (or --source);
// --force is a one-off override, never a standing setting.
var notSettings = map[string]bool{"config": true, "help": true, "version": true, "source": true, "schedule": true, "source-from": true, "source-url": true, "force": true, "check": true}

// sourceSetting is one source's block of the config file.
type sourceSetting struct {
	Schedule, From string
	// URLs replace official file URLs (a mirror): file name -> URL.
	URLs map[string]string
	// Where each came from, for error messages.
	scheduleKey, fromKey string
}

// settings is what the config file and environment gave, and where each
// value came from, so that a bad value is reported by the name the user
// gave it.
type settings struct {
	lookupEnv func(string) (string, bool)
	origin    map[string]string // flag name -> "--x", "SANCTIONS_ETL_X" or "FILE:LINE: key x"
	// sources is the file's sources block plus the environment's and the
	// --schedule / --source-from flags.
	sources map[string]*sourceSetting
	// listed are the sources the file's sources block names, in its order:
	// the sources to run when --source is not given (none: every source).
	listed []string
}

func newSettings(lookupEnv func(string) (string, bool)) *settings {
	return &settings{lookupEnv: lookupEnv, origin: map[string]string{}}
}

// key names where the flag's value came from: the flag, the environment
// variable or the config file's key.
func (s *settings) key(flag string) string {
	if s != nil {
		if o, ok := s.origin[flag]; ok {
			return o
		}
	}
	return "--" + flag
}

func envName(flag string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// fileKey is the config file's name for a flag: max-drop -> max_drop,
// s3-endpoint -> s3.endpoint.
func fileKey(flag string) string {
	k := strings.ReplaceAll(flag, "-", "_")
	if rest, ok := strings.CutPrefix(k, "s3_"); ok {
		return "s3." + rest
	}
	return k
}

// load fills fs's flags that the command line did not set, from the
// environment, then from the config file at path (if any), and reads the
// file's sources block. known is every key the file may hold, of any
// command, so that run and schedule can share one file.
func (s *settings) load(fs *pflag.FlagSet, path string, known *pflag.FlagSet) error {
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Changed {
			s.origin[f.Name] = "--" + f.Name
		}
	})
	var firstErr error
	fs.VisitAll(func(f *pflag.Flag) {
		if firstErr != nil || f.Changed || notSettings[f.Name] {
			return
		}
		v, ok := s.lookupEnv(envName(f.Name))
		if !ok {
			return
		}
		if err := setFlag(fs, f, v); err != nil {
			firstErr = fmt.Errorf("%s=%q: %w", envName(f.Name), redact(f.Name, v), err)
			return
		}
		s.origin[f.Name] = envName(f.Name)
	})
	if firstErr != nil {
		return firstErr
	}
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("--config: %w", err)
		}
		if err := s.loadFile(fs, path, data, known); err != nil {
			return err
		}
	}
	if err := s.loadSourceEnv(); err != nil {
		return err
	}
	return s.loadSourceFlags(fs)
}

// loadSourceFlags applies --schedule NAME=SPEC, --source-from NAME=DIR and
// --source-url NAME=FILE=URL.
func (s *settings) loadSourceFlags(fs *pflag.FlagSet) error {
	for _, field := range []struct{ flag, field string }{{"schedule", "schedule"}, {"source-from", "from"}, {"source-url", "urls"}} {
		f := fs.Lookup(field.flag)
		if f == nil {
			continue
		}
		sv, ok := f.Value.(pflag.SliceValue)
		if !ok {
			continue
		}
		for _, pair := range sv.GetSlice() {
			name, value, ok := strings.Cut(pair, "=")
			if !ok {
				return fmt.Errorf("--%s %q: want SOURCE=VALUE", field.flag, pair)
			}
			if err := s.setSource(name, field.field, value, "--"+field.flag+" "+name); err != nil {
				return err
			}
		}
	}
	return nil
}

// loadFile applies the config file's values to the flags not set yet.
func (s *settings) loadFile(fs *pflag.FlagSet, name string, data []byte, known *pflag.FlagSet) error {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if len(doc.Content) == 0 {
		return nil // an empty file sets nothing
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return fmt.Errorf("%s:%d: want a mapping of settings (out: ..., sources: ...)", name, root.Line)
	}
	seen := map[string]bool{}
	return eachPair(name, root, seen, "", func(k, v *yaml.Node) error {
		switch {
		case k.Value == "sources":
			return s.loadSources(name, v)
		case k.Value == "s3":
			if v.Kind != yaml.MappingNode {
				return fmt.Errorf("%s:%d: s3: want a mapping (endpoint: ..., region: ...)", name, v.Line)
			}
			return eachPair(name, v, seen, "s3.", func(k2, v2 *yaml.Node) error {
				return s.setFromFile(fs, known, name, "s3."+k2.Value, v2)
			})
		}
		return s.setFromFile(fs, known, name, k.Value, v)
	})
}

// eachPair calls fn for each key of a mapping, refusing duplicates.
func eachPair(file string, m *yaml.Node, seen map[string]bool, prefix string, fn func(k, v *yaml.Node) error) error {
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if seen[prefix+k.Value] {
			return fmt.Errorf("%s:%d: %s%s given twice", file, k.Line, prefix, k.Value)
		}
		seen[prefix+k.Value] = true
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

func (s *settings) setFromFile(fs, known *pflag.FlagSet, file, key string, v *yaml.Node) error {
	flag := strings.ReplaceAll(strings.ReplaceAll(key, ".", "-"), "_", "-")
	at := fmt.Sprintf("%s:%d: %s", file, v.Line, key)
	if notSettings[flag] || known.Lookup(flag) == nil {
		return fmt.Errorf("%s:%d: unknown key %q (known: %s)", file, v.Line, key, strings.Join(knownKeys(known), ", "))
	}
	if v.Kind != yaml.ScalarNode {
		return fmt.Errorf("%s: want a single value", at)
	}
	f := fs.Lookup(flag)
	if f == nil {
		return nil // a key of another command (listen in a file shared with run)
	}
	if _, set := s.origin[flag]; set {
		return nil // the command line or the environment wins
	}
	if err := setFlag(fs, f, v.Value); err != nil {
		return fmt.Errorf("%s: %q: %w", at, redact(flag, v.Value), err)
	}
	s.origin[flag] = at
	return nil
}

func (s *settings) loadSources(file string, v *yaml.Node) error {
	if v.Kind != yaml.MappingNode {
		return fmt.Errorf("%s:%d: sources: want a mapping of source names (us_ofac_sdn: {schedule: ...})", file, v.Line)
	}
	names := sourceNames()
	if s.sources == nil {
		s.sources = map[string]*sourceSetting{}
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, body := v.Content[i], v.Content[i+1]
		if !slices.Contains(names, k.Value) {
			return fmt.Errorf("%s:%d: sources: unknown source %q (known: %s)", file, k.Line, k.Value, strings.Join(names, ", "))
		}
		if slices.Contains(s.listed, k.Value) {
			return fmt.Errorf("%s:%d: sources.%s given twice", file, k.Line, k.Value)
		}
		ss := &sourceSetting{}
		s.sources[k.Value] = ss
		s.listed = append(s.listed, k.Value)
		if body.Kind == yaml.ScalarNode && body.Tag == "!!null" {
			continue // "un_sc:" alone: the defaults
		}
		if body.Kind != yaml.MappingNode {
			return fmt.Errorf("%s:%d: sources.%s: want a mapping (schedule: ..., from: ...)", file, body.Line, k.Value)
		}
		for j := 0; j+1 < len(body.Content); j += 2 {
			fk, fv := body.Content[j], body.Content[j+1]
			at := fmt.Sprintf("%s:%d: sources.%s.%s", file, fv.Line, k.Value, fk.Value)
			if fk.Value == "urls" {
				if err := fv.Decode(&ss.URLs); err != nil || fv.Kind != yaml.MappingNode {
					return fmt.Errorf("%s: want a mapping of official file names to URLs", at)
				}
				if err := checkURLs(k.Value, ss.URLs); err != nil {
					return fmt.Errorf("%s: %w", at, err)
				}
				continue
			}
			if fv.Kind != yaml.ScalarNode {
				return fmt.Errorf("%s: want a single value", at)
			}
			switch fk.Value {
			case "schedule":
				ss.Schedule, ss.scheduleKey = fv.Value, at
			case "from":
				ss.From, ss.fromKey = fv.Value, at
			default:
				return fmt.Errorf("%s:%d: sources.%s: unknown key %q (known: schedule, from, urls)", file, fk.Line, k.Value, fk.Value)
			}
		}
	}
	return nil
}

// loadSourceEnv applies SANCTIONS_ETL_SOURCES_NAME_SCHEDULE, _FROM and
// _URLS (FILE=URL,...) over the file's values.
func (s *settings) loadSourceEnv() error {
	for _, n := range sourceNames() {
		for _, field := range []string{"schedule", "from", "urls"} {
			env := envPrefix + "SOURCES_" + strings.ToUpper(n+"_"+field)
			v, ok := s.lookupEnv(env)
			if !ok {
				continue
			}
			if err := s.setSource(n, field, v, env); err != nil {
				return err
			}
		}
	}
	return nil
}

// setSource sets one source's schedule or from, noting where it came from.
func (s *settings) setSource(name, field, value, origin string) error {
	if !slices.Contains(sourceNames(), name) {
		return fmt.Errorf("%s: unknown source %q (known: %s)", origin, name, strings.Join(sourceNames(), ", "))
	}
	if s.sources == nil {
		s.sources = map[string]*sourceSetting{}
	}
	ss := s.sources[name]
	if ss == nil {
		ss = &sourceSetting{}
		s.sources[name] = ss
	}
	switch field {
	case "schedule":
		ss.Schedule, ss.scheduleKey = value, origin
	case "from":
		ss.From, ss.fromKey = value, origin
	case "urls":
		// FILE=URL[,FILE=URL...], over the file's mapping.
		urls := map[string]string{}
		for pair := range strings.SplitSeq(value, ",") {
			file, u, ok := strings.Cut(strings.TrimSpace(pair), "=")
			if !ok {
				return fmt.Errorf("%s: %q: want FILE=URL", origin, pair)
			}
			urls[file] = u
		}
		if err := checkURLs(name, urls); err != nil {
			return fmt.Errorf("%s: %w", origin, err)
		}
		if ss.URLs == nil {
			ss.URLs = map[string]string{}
		}
		maps.Copy(ss.URLs, urls)
	}
	return nil
}

// checkURLs refuses URLs that are not http(s) and file names the source
// does not publish.
func checkURLs(source string, urls map[string]string) error {
	var files []string
	for _, s := range all.Registry(all.Config{}) {
		if s.Info().Name != source {
			continue
		}
		for _, set := range s.Info().Formats {
			for _, f := range set.Files {
				files = append(files, f.Name)
			}
		}
	}
	for name, raw := range urls {
		if !slices.Contains(files, name) {
			return fmt.Errorf("%s publishes no file %q (files: %s)", source, name, strings.Join(files, ", "))
		}
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("%s: %q is not an http(s) URL", name, raw)
		}
	}
	return nil
}

// setFlag sets a flag from a text value. Repeatable flags (--source) take
// a comma-separated list.
func setFlag(fs *pflag.FlagSet, f *pflag.Flag, v string) error {
	if sv, ok := f.Value.(pflag.SliceValue); ok {
		var items []string
		for item := range strings.SplitSeq(v, ",") {
			if item = strings.TrimSpace(item); item != "" {
				items = append(items, item)
			}
		}
		return sv.Replace(items)
	}
	return fs.Set(f.Name, v)
}

// redact hides secret values in error messages.
func redact(flag, v string) string {
	switch flag {
	case "eu-token", "webhook-url":
		return "<redacted>"
	}
	return v
}

func knownKeys(known *pflag.FlagSet) []string {
	keys := []string{"sources"}
	known.VisitAll(func(f *pflag.Flag) {
		if !notSettings[f.Name] {
			keys = append(keys, fileKey(f.Name))
		}
	})
	slices.Sort(keys)
	return keys
}

func sourceNames() []string {
	var names []string
	for _, s := range all.Registry(all.Config{}) {
		names = append(names, s.Info().Name)
	}
	return names
}
