// Package templates embeds the page and mail templates, static assets and
// locale files, so that the binary carries everything it serves.
package templates

import (
	"embed"
	"io/fs"
)

//go:embed layouts partials pages static locales mail api
var files embed.FS

// FS returns the embedded files.
func FS() fs.FS { return files }
