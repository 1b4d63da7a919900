package models

import (
	"bufio"
	_ "embed"
	"strings"
	"unicode"
)

//go:embed common_passwords.txt
var commonPasswordList string

// commonPasswords is the set of refused passwords, read from the list
// shipped in the binary. It is built once and never changed.
var commonPasswords = func() map[string]bool {
	set := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(commonPasswordList))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
			set[w] = true
		}
	}
	return set
}()

// CommonPassword reports whether a password is on the list of the most
// common ones, also after taking off digits and signs at either end
// ("Welkom2027!" is "welkom").
func CommonPassword(password string) bool {
	lower := strings.ToLower(password)
	if commonPasswords[lower] {
		return true
	}
	core := strings.TrimFunc(lower, func(r rune) bool { return !unicode.IsLetter(r) })
	return core != "" && commonPasswords[core]
}

// MaxPasswordLength is the longest password accepted (argon2id hashes any
// length, but a bound keeps a request cheap).
const MaxPasswordLength = 200

// CheckNewPassword validates a password chosen by a person: long enough,
// not too long, the same twice, not a common one and not their email
// address or name (or made of it).
func CheckNewPassword(p Person, password, confirm string) error {
	ve := &ValidationError{}
	switch {
	case len([]rune(password)) < MinPasswordLength:
		ve.Add("password", "password_short", map[string]any{"Min": MinPasswordLength})
	case len(password) > MaxPasswordLength:
		ve.Add("password", "too_long", map[string]any{"Max": MaxPasswordLength})
	case CommonPassword(password):
		ve.Add("password", "password_common", nil)
	case personalPassword(p, password):
		ve.Add("password", "password_personal", nil)
	}
	if password != confirm {
		ve.Add("password_confirm", "password_mismatch", nil)
	}
	return ve.OrNil()
}

// personalPassword reports whether a password is, or contains, the
// person's email address, its part before the @, or their name (whole or
// any part of three letters or more).
func personalPassword(p Person, password string) bool {
	lower := strings.ToLower(password)
	squeezed := strings.Join(strings.Fields(lower), "")
	email := NormalizeEmail(p.Email)
	local, _, _ := strings.Cut(email, "@")
	parts := []string{email, local}
	parts = append(parts, strings.FieldsFunc(local, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })...)
	name := strings.ToLower(p.Name)
	parts = append(parts, strings.Join(strings.Fields(name), ""))
	parts = append(parts, strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) })...)
	for _, part := range parts {
		if len([]rune(part)) >= 3 && (strings.Contains(lower, part) || strings.Contains(squeezed, part)) {
			return true
		}
	}
	return false
}
