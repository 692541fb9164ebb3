// Package ftm turns our entities (entity.Entity, schema version 1) into
// FollowTheMoney (FtM) entities, the model that yente, Aleph and
// OpenSanctions read, and validates FtM entities against the FtM schemata
// embedded in schema/ (docs/ftm.md).
package ftm

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed schema/*.yaml
var schemaFiles embed.FS

// Schema is one FtM schema with its ancestors resolved.
type Schema struct {
	Name     string
	Abstract bool
	// Extends lists the direct parents, as the YAML names them.
	Extends []string
	// Ancestors holds every schema this one descends from, itself excluded.
	Ancestors []string
	// Required lists the schema's own required properties. FtM does not
	// inherit "required" (Thing requires name, Address does not).
	Required []string
	// Properties holds the schema's own properties and every ancestor's;
	// a schema's own definition wins over an ancestor's.
	Properties map[string]*Property
}

// Property is one property of a schema.
type Property struct {
	Name string
	// Type is the FtM property type: string (the default), name, date,
	// country, entity, identifier, number, gender, ...
	Type string
	// Range is the schema an entity-typed property must reference.
	Range string
}

// Schemata holds every FtM schema by name.
type Schemata struct {
	byName map[string]*Schema
}

type yamlSchema struct {
	Extends    []string                 `yaml:"extends"`
	Abstract   bool                     `yaml:"abstract"`
	Required   []string                 `yaml:"required"`
	Properties map[string]*yamlProperty `yaml:"properties"`
}

type yamlProperty struct {
	Type  string `yaml:"type"`
	Range string `yaml:"range"`
}

// Load reads the embedded schemata and resolves their ancestors.
func Load() (*Schemata, error) {
	return loadFS(schemaFiles, "schema")
}

func loadFS(fsys fs.FS, dir string) (*Schemata, error) {
	names, err := fs.Glob(fsys, dir+"/*.yaml")
	if err != nil {
		return nil, fmt.Errorf("ftm: list schemata: %w", err)
	}
	raw := map[string]*yamlSchema{}
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("ftm: read %s: %w", n, err)
		}
		var doc map[string]*yamlSchema
		if err := yaml.Unmarshal(b, &doc); err != nil {
			return nil, fmt.Errorf("ftm: parse %s: %w", n, err)
		}
		for name, s := range doc {
			if s == nil {
				s = &yamlSchema{}
			}
			if _, dup := raw[name]; dup {
				return nil, fmt.Errorf("ftm: schema %s defined twice (%s)", name, n)
			}
			raw[name] = s
		}
	}
	ss := &Schemata{byName: map[string]*Schema{}}
	var build func(name string, path []string) (*Schema, error)
	build = func(name string, path []string) (*Schema, error) {
		if s := ss.byName[name]; s != nil {
			return s, nil
		}
		if slices.Contains(path, name) {
			return nil, fmt.Errorf("ftm: schema %s extends itself (%s)", name, strings.Join(path, " -> "))
		}
		y := raw[name]
		if y == nil {
			return nil, fmt.Errorf("ftm: schema %s not defined (%s)", name, strings.Join(path, " -> "))
		}
		s := &Schema{Name: name, Abstract: y.Abstract, Extends: y.Extends, Required: y.Required, Properties: map[string]*Property{}}
		seen := map[string]bool{}
		for _, pn := range y.Extends {
			p, err := build(pn, append(path, name))
			if err != nil {
				return nil, err
			}
			for _, a := range append([]string{p.Name}, p.Ancestors...) {
				if !seen[a] {
					seen[a] = true
					s.Ancestors = append(s.Ancestors, a)
				}
			}
			for k, v := range p.Properties {
				if _, ok := s.Properties[k]; !ok {
					s.Properties[k] = v
				}
			}
		}
		for k, v := range y.Properties {
			p := &Property{Name: k, Type: "string"}
			if v != nil {
				if v.Type != "" {
					p.Type = v.Type
				}
				p.Range = v.Range
			}
			s.Properties[k] = p
		}
		sort.Strings(s.Ancestors)
		ss.byName[name] = s
		return s, nil
	}
	for name := range raw {
		if _, err := build(name, nil); err != nil {
			return nil, err
		}
	}
	for _, s := range ss.byName {
		for _, p := range s.Properties {
			if p.Type == "entity" && ss.byName[p.Range] == nil {
				return nil, fmt.Errorf("ftm: %s.%s ranges over unknown schema %q", s.Name, p.Name, p.Range)
			}
		}
		for _, r := range s.Required {
			if s.Properties[r] == nil {
				return nil, fmt.Errorf("ftm: %s requires unknown property %q", s.Name, r)
			}
		}
	}
	return ss, nil
}

// Get returns the schema called name, or nil.
func (ss *Schemata) Get(name string) *Schema { return ss.byName[name] }

// Names returns every schema name, sorted.
func (ss *Schemata) Names() []string {
	out := make([]string, 0, len(ss.byName))
	for n := range ss.byName {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// IsA reports whether schema name is ancestor or one of its descendants.
func (ss *Schemata) IsA(name, ancestor string) bool {
	s := ss.byName[name]
	if s == nil {
		return false
	}
	return name == ancestor || slices.Contains(s.Ancestors, ancestor)
}

// Property returns property prop of schema, inherited or own, or nil.
func (ss *Schemata) Property(schema, prop string) *Property {
	s := ss.byName[schema]
	if s == nil {
		return nil
	}
	return s.Properties[prop]
}
