package sema

// sourceID makes a record's id: the publisher prints none, so the id is
// where the law lists the party, the regulation's key, the schedule and
// the item number ("burma-1-12", "russia-1-part-2-5"; "zimbabwe-12" where
// the schedule is "N/A" or absent). Item numbers restart in every schedule
// of every regulation, and on the 2020 file (regulation, schedule, item)
// is unique over its 1,369 records while (regulation, item) repeats 247
// times. Spacing, case and accents of the three do not change the id (each
// is a slug); a new name of the regulation does unless knownRegimes maps
// it; the publisher moving a listing to another schedule or renumbering
// the items does. ok is false when the regulation or the item is missing.
func sourceID(reg regime, schedule, item string) (id string, ok bool) {
	it := slug(item)
	if reg.key == "" || it == "" {
		return "", false
	}
	if s := scheduleKey(schedule); s != "" {
		return reg.key + "-" + s + "-" + it, true
	}
	return reg.key + "-" + it, true
}

// scheduleKey is the slug of a schedule, "" for none: "N/A" and an absent
// Schedule are the same (the 2020 file's Venezuela listings print "N/A"
// for items 1 to 54 and no Schedule for items 55 to 97, one numbering).
func scheduleKey(s string) string {
	if k := slug(s); k != "na" && k != "n-a" {
		return k
	}
	return ""
}
