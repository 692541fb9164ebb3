// Package layout computes every key of the output layout in DESIGN.md, so
// that stores never build paths themselves. Keys always use "/".
package layout

import "path"

// Object names inside a version folder.
const (
	ManifestName   = "manifest.json"
	EntitiesName   = "entities.jsonl.gz"
	DeltaName      = "delta.jsonl.gz"
	ReportMDName   = "report.md"
	ReportHTMLName = "report.html"
	// EntitiesCSVName is the entities as a spreadsheet for people
	// (csvexport; not part of DESIGN.md's contract).
	EntitiesCSVName = "entities.csv"
	// FtMName and FtMDeltaName are the FollowTheMoney export and its
	// delta (DESIGN.md, Exports in FollowTheMoney).
	FtMName      = "entities.ftm.json"
	FtMDeltaName = "entities.delta.json"
	rawDir       = "raw"
)

// Index is the catalog of every source.
func Index() string { return "index.json" }

// Catalog is the OpenSanctions/yente catalog of every dataset.
func Catalog() string { return "catalog.json" }

// FtMDeltas is a source's index of FtM deltas, version -> URL, in the
// shape yente reads from a dataset's delta_url.
func FtMDeltas(source string) string { return path.Join(source, "ftm_deltas.json") }

// Latest is the pointer to a source's current version; moving it publishes.
func Latest(source string) string { return path.Join(source, "latest.json") }

// Versions lists a source's versions, newest first.
func Versions(source string) string { return path.Join(source, "versions.json") }

// State records a source's last check.
func State(source string) string { return path.Join(source, "state.json") }

// Lease is the lock object of a source (used by the scheduler).
func Lease(source string) string { return path.Join(source, "lease.json") }

// VersionDir is the folder prefix of one version, with a trailing slash.
func VersionDir(source, version string) string { return path.Join(source, version) + "/" }

// Object is a named object of one version (manifest, entities, delta, report).
func Object(source, version, name string) string { return path.Join(source, version, name) }

// Raw holds the exact bytes of one fetched file.
func Raw(source, version, fileName string) string {
	return path.Join(source, version, rawDir, path.Base(fileName))
}

// ManifestRel is the manifest path relative to the source folder, as
// latest.json records it.
func ManifestRel(version string) string { return path.Join(version, ManifestName) }
