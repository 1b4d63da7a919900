package models

import (
	"strings"
	"unicode"
)

// CleanText is what every free text a person types goes through before it
// is stored: invalid UTF-8 becomes U+FFFD, line ends become "\n", control
// characters other than newline and tab are dropped, as are the bidi
// controls that can make text read differently from how it is stored, and
// surrounding white space is trimmed. HTML is left as typed: it is text,
// and the templates escape it where it is shown.
func CleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\r':
			b.WriteByte('\n')
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case unicode.IsControl(r), isBidiControl(r):
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// isBidiControl reports the embedding, override and isolate controls.
func isBidiControl(r rune) bool {
	return (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}
