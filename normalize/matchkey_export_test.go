package normalize

// SetOrgWords replaces the organization word folds for a test and returns
// a function that restores them; TestOrgWordsMergeNothing compares the
// keys with and without them.
func SetOrgWords(m map[string]string) (restore func()) {
	old := orgWords
	orgWords = m
	return func() { orgWords = old }
}
