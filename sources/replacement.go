package sources

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/sanctions-etl/sanctions-etl/sources/fetch"
)

// replacementChar is U+FFFD in UTF-8: a publisher whose export lost a
// character prints it (UN 2026-02-27, un_sc-111076: two in an Arabic
// name). Parsers read it as text like any other; only here is its place
// in the file known.
var replacementChar = []byte("\uFFFD")

// maxReplacementIssues bounds the issues of one file; past it one more
// issue gives the total.
const maxReplacementIssues = 20

// ReportReplacementChars adds an issue, with its line and byte offset, for
// each U+FFFD in the files: the publisher's encoding lost a character
// there, which no parser can tell from the text itself. Zip-based files
// (XLSX) are skipped: their bytes are compressed. It returns the number
// found.
func ReportReplacementChars(files []*fetch.File, issues *Issues) (int, error) {
	total := 0
	for _, f := range files {
		if f.Path == "" {
			continue
		}
		n, err := reportReplacementChars(f, issues)
		if err != nil {
			return total, fmt.Errorf("%s: scan for U+FFFD: %w", f.Name, err)
		}
		total += n
	}
	return total, nil
}

func reportReplacementChars(f *fetch.File, issues *Issues) (int, error) {
	fh, err := os.Open(f.Path)
	if err != nil {
		return 0, err
	}
	defer fh.Close()
	br := bufio.NewReaderSize(fh, 64<<10)
	if head, _ := br.Peek(4); bytes.Equal(head, []byte("PK\x03\x04")) {
		return 0, nil
	}
	found, line := 0, 1
	var offset int64
	for {
		chunk, err := br.ReadSlice('\n')
		for rest, at := chunk, offset; ; {
			i := bytes.Index(rest, replacementChar)
			if i < 0 {
				break
			}
			found++
			if found <= maxReplacementIssues {
				issues.Addf(f.Name, line, "", "U+FFFD (replacement character) at byte %d: the publisher's encoding lost a character here; the text around it is kept", at+int64(i))
			}
			rest, at = rest[i+len(replacementChar):], at+int64(i+len(replacementChar))
		}
		offset += int64(len(chunk))
		if len(chunk) > 0 && chunk[len(chunk)-1] == '\n' {
			line++
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			// A line longer than the buffer: the rest follows. A U+FFFD
			// cut across the two reads is missed; XML and CSV lines of
			// 64 KiB are rare, and such a cut rarer.
			continue
		case err == io.EOF:
			if found > maxReplacementIssues {
				issues.Addf(f.Name, 0, "", "%d U+FFFD (replacement characters) in all; the first %d are listed", found, maxReplacementIssues)
			}
			return found, nil
		case err != nil:
			return found, err
		}
	}
}
