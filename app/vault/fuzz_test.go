package vault

import (
	"errors"
	"testing"
)

// FuzzOpen: the ciphertext decoder refuses anything it did not seal with
// ErrTampered or ErrNoKey and never panics; what it sealed opens again
// only under the same associated data.
func FuzzOpen(f *testing.F) {
	spec, err := NewKeySpec("k1")
	if err != nil {
		f.Fatal(err)
	}
	ring, err := ParseKeyRing(spec)
	if err != nil {
		f.Fatal(err)
	}
	sealed, _ := ring.Seal("notities", "1/cases/title/7")
	for _, s := range []string{sealed, "v1.k1.", "v1.k2.AAAA", "v1..", "v2.k1.AAAA", sealed[:len(sealed)-2]} {
		f.Add(s, "1/cases/title/7", "tekst")
	}
	f.Fuzz(func(t *testing.T, ciphertext, ad, plain string) {
		if _, err := ring.Open(ciphertext, ad); err != nil && !errors.Is(err, ErrTampered) && !errors.Is(err, ErrNoKey) {
			t.Fatalf("unexpected error %v", err)
		}
		c, err := ring.Seal(plain, ad)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ring.Open(c, ad)
		if err != nil || got != plain {
			t.Fatalf("round trip: %q %v", got, err)
		}
		if _, err := ring.Open(c, ad+"x"); plain != "" && err == nil {
			t.Fatal("opened under other associated data")
		}
	})
}
