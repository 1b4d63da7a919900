package models

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encodings an HR export is read in, as the preview names them.
const (
	EncodingUTF8        = "UTF-8"
	EncodingUTF8BOM     = "UTF-8 (BOM)"
	EncodingUTF16       = "UTF-16"
	EncodingWindows1252 = "Windows-1252"
)

// MaxImportColumns bounds the columns of an HR export: a wider file is
// refused with a message rather than shown as an endless preview.
const MaxImportColumns = 300

// DecodeImport turns an uploaded file into UTF-8 text and names the
// encoding it was in: UTF-8 with or without byte order mark, UTF-16 (with
// a byte order mark, or without one when every other byte is zero, as
// Excel's "Unicode text" writes it), else Windows-1252, Excel's default
// CSV encoding on Dutch and English Windows.
func DecodeImport(data []byte) ([]byte, string) {
	switch {
	case bytes.HasPrefix(data, []byte("\xef\xbb\xbf")):
		return data[3:], EncodingUTF8BOM
	case bytes.HasPrefix(data, []byte("\xff\xfe")), bytes.HasPrefix(data, []byte("\xfe\xff")):
		return decodeWith(data, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)), EncodingUTF16
	case looksUTF16(data, 1):
		return decodeWith(data, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)), EncodingUTF16
	case looksUTF16(data, 0):
		return decodeWith(data, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)), EncodingUTF16
	case utf8.Valid(data):
		return data, EncodingUTF8
	}
	return decodeWith(data, charmap.Windows1252), EncodingWindows1252
}

// decodeWith decodes data, leaving what cannot be decoded as U+FFFD.
func decodeWith(data []byte, enc encoding.Encoding) []byte {
	out, _, err := transform.Bytes(enc.NewDecoder(), data)
	if err != nil {
		return bytes.ToValidUTF8(data, []byte("\uFFFD"))
	}
	return out
}

// looksUTF16 reports whether data is UTF-16 without byte order mark: an
// even length and, in nine of ten characters of the first 200 bytes, a
// zero byte at the position zeroAt (0: big-endian, 1: little-endian) of
// the pair and none at the other, as Latin text has.
func looksUTF16(data []byte, zeroAt int) bool {
	if len(data) < 4 || len(data)%2 != 0 {
		return false
	}
	n := min(len(data), 200)
	pairs, latin := n/2, 0
	for i := 0; i+1 < n; i += 2 {
		if data[i+zeroAt] == 0 && data[i+1-zeroAt] != 0 {
			latin++
		}
	}
	return latin*10 >= pairs*9
}

// importFile is an HR export as read: its header, its records with the
// line each starts on, and what the reading found.
type importFile struct {
	Encoding  string
	Separator rune
	Headers   []string
	Records   [][]string
	Lines     []int
}

// readImport decodes and parses an HR export. It honours Excel's "sep=;"
// first line, reads CR line ends as line ends, and takes a stray quote
// inside a field as a character, as spreadsheet programs do; what it still
// cannot read is refused with its line number.
func readImport(data []byte) (importFile, error) {
	text, enc := DecodeImport(data)
	f := importFile{Encoding: enc, Separator: ','}
	if !bytes.Contains(text, []byte("\n")) {
		text = bytes.ReplaceAll(text, []byte("\r"), []byte("\n"))
	}
	offset := 0
	first, rest, _ := bytes.Cut(text, []byte("\n"))
	if line := strings.TrimSpace(string(first)); len(line) >= 5 && strings.EqualFold(line[:4], "sep=") {
		if r, size := utf8.DecodeRuneInString(line[4:]); size == len(line)-4 && r != utf8.RuneError {
			f.Separator, text, offset = r, rest, 1
		}
	}
	if offset == 0 {
		// Whichever of comma, semicolon and tab the header line has most of.
		most := bytes.Count(first, []byte(","))
		for _, sep := range []rune{';', '\t'} {
			if n := bytes.Count(first, []byte(string(sep))); n > most {
				f.Separator, most = sep, n
			}
		}
	}
	r := csv.NewReader(bytes.NewReader(text))
	r.Comma = f.Separator
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = f.Separator != '\t'
	r.LazyQuotes = true
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.StartLine + offset
			}
			return f, &ValidationError{Fields: []FieldError{{Field: "file", Code: "csv_line", Args: map[string]any{"Line": line}}}}
		}
		line, _ := r.FieldPos(0)
		if f.Headers == nil {
			if len(rec) > MaxImportColumns {
				return f, &ValidationError{Fields: []FieldError{{Field: "file", Code: "csv_columns",
					Args: map[string]any{"Columns": len(rec), "Max": MaxImportColumns}}}}
			}
			f.Headers = rec
			continue
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // an empty line
		}
		f.Records = append(f.Records, rec)
		f.Lines = append(f.Lines, line+offset)
	}
	if len(f.Records) == 0 {
		return f, fieldErr("file", "csv_empty")
	}
	return f, nil
}
