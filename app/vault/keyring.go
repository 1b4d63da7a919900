// Package vault encrypts confidential text at rest: a key ring of
// AES-256-GCM keys, and a gorm plugin that seals the fields tagged
// `sealed:"<table>"` on write and opens them on read. Each ciphertext
// carries its key id and is bound to its organisation, table, column and row.
package vault

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// format starts every ciphertext: "v1.<key id>.<base64 nonce|sealed>".
const format = "v1"

// ErrNoKey is returned for a ciphertext whose key is not in the ring.
var ErrNoKey = errors.New("vault: the key of this ciphertext is not in the key ring")

// ErrTampered is returned when a ciphertext does not open: wrong row,
// column or key, or changed bytes.
var ErrTampered = errors.New("vault: ciphertext does not open for this record")

// KeyRing holds the keys by id; new text is sealed with the newest.
type KeyRing struct {
	keys   map[string]cipher.AEAD
	newest string
}

// ParseKeyRing reads "id:base64key,id:base64key" (newest last); each key is 32 bytes.
func ParseKeyRing(spec string) (*KeyRing, error) {
	r := &KeyRing{keys: map[string]cipher.AEAD{}}
	for _, part := range strings.FieldsFunc(spec, func(c rune) bool { return c == ',' || c == '\n' }) {
		id, b64, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok || id == "" || strings.ContainsAny(id, ". ") {
			return nil, fmt.Errorf("vault: key %q: want id:base64", id)
		}
		key, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || len(key) != 32 {
			return nil, fmt.Errorf("vault: key %q: want 32 bytes in base64", id)
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		r.keys[id], r.newest = aead, id
	}
	if r.newest == "" {
		return nil, errors.New("vault: the key ring is empty")
	}
	return r, nil
}

// NewKeySpec returns a fresh random key as "id:base64".
func NewKeySpec(id string) (string, error) {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return "", err
	}
	return id + ":" + base64.StdEncoding.EncodeToString(key), nil
}

// ErrNoKeyFile is returned by LoadKeyFile when the key file does not exist.
var ErrNoKeyFile = errors.New("vault: the key file does not exist")

// LoadKeyFile reads the key ring from a file; ErrNoKeyFile when there is
// none (CreateKeyFile makes one, once the caller knows nothing is sealed).
func LoadKeyFile(path string) (*KeyRing, error) {
	data, err := os.ReadFile(path) // #nosec G304 -- the key file's path is the operator's configuration
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNoKeyFile
	} else if err != nil {
		return nil, fmt.Errorf("vault: read key file: %w", err)
	}
	return ParseKeyRing(string(data))
}

// CreateKeyFile writes a new key file with one fresh key "k1" (mode 0600);
// it refuses to replace an existing file.
func CreateKeyFile(path string) (*KeyRing, error) {
	spec, err := NewKeySpec("k1")
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600) // #nosec G304 -- as above
	if err != nil {
		return nil, fmt.Errorf("vault: create key file: %w", err)
	}
	if _, err := f.WriteString(spec + "\n"); err != nil {
		_ = f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	return ParseKeyRing(spec)
}

// Newest is the id of the key new text is sealed with.
func (r *KeyRing) Newest() string { return r.newest }

// Seal encrypts plain bound to ad. Empty text stays empty.
func (r *KeyRing) Seal(plain, ad string) (string, error) {
	if plain == "" {
		return "", nil
	}
	aead := r.keys[r.newest]
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	sealed := aead.Seal(nonce, nonce, []byte(plain), []byte(ad))
	return format + "." + r.newest + "." + base64.RawStdEncoding.EncodeToString(sealed), nil
}

// Open decrypts a ciphertext made by Seal with the same ad.
func (r *KeyRing) Open(ciphertext, ad string) (string, error) {
	if ciphertext == "" {
		return "", nil
	}
	parts := strings.SplitN(ciphertext, ".", 3)
	if len(parts) != 3 || parts[0] != format {
		return "", ErrTampered
	}
	aead, ok := r.keys[parts[1]]
	if !ok {
		return "", ErrNoKey
	}
	raw, err := base64.RawStdEncoding.DecodeString(parts[2])
	if err != nil || len(raw) < aead.NonceSize() {
		return "", ErrTampered
	}
	plain, err := aead.Open(nil, raw[:aead.NonceSize()], raw[aead.NonceSize():], []byte(ad))
	if err != nil {
		return "", ErrTampered
	}
	return string(plain), nil
}

// KeyOf returns the key id of a ciphertext, or "".
func KeyOf(ciphertext string) string {
	parts := strings.SplitN(ciphertext, ".", 3)
	if len(parts) != 3 {
		return ""
	}
	return parts[1]
}

// AD is the associated data that binds a ciphertext to its place.
func AD(org uint, table, column string, row any) string {
	return fmt.Sprintf("crossmentor/%d/%s/%s/%v", org, table, column, row)
}
