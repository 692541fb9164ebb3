package normalize

import "testing"

func TestJoinNonEmpty(t *testing.T) {
	tests := []struct {
		sep    string
		values []string
		want   string
	}{
		{", ", nil, ""},
		{", ", []string{"", ""}, ""},
		{", ", []string{"Moscow"}, "Moscow"},
		{", ", []string{"", "Moscow", "", "Russia", ""}, "Moscow, Russia"},
		{" ", []string{"Vladimir", "", "Putin"}, "Vladimir Putin"},
		{"; ", []string{" ", "x"}, " ; x"}, // white space is not empty
		{"", []string{"a", "", "b"}, "ab"},
	}
	for _, tc := range tests {
		if got := JoinNonEmpty(tc.sep, tc.values...); got != tc.want {
			t.Errorf("JoinNonEmpty(%q, %q) = %q, want %q", tc.sep, tc.values, got, tc.want)
		}
	}
}
