package handlers_test

import (
	"net/http"
	"testing"

	"crossmentor/models"
)

// TestIdempotencyKey: a POST retried with the same Idempotency-Key creates
// one record and gets the first answer again; the key with another body
// is refused; without a key every POST creates.
func TestIdempotencyKey(t *testing.T) {
	_, db, srv := demo(t)
	admin := as(t, srv, "admin@demo.test")
	post := func(key string, body map[string]any) (int, string, string) {
		r := admin.JSONWith("POST", "/api/v1/programmes", map[string]string{"Idempotency-Key": key}, body)
		return r.Status, r.Body, r.Header.Get("Idempotent-Replayed")
	}
	before := count(t, db, &models.Programme{})
	body := map[string]any{"name": "Cohort 2029", "starts_on": "2029-01-08"}
	s1, b1, _ := post("retry-1", body)
	s2, b2, replayed := post("retry-1", body)
	if s1 != http.StatusCreated && s1 != http.StatusOK {
		t.Fatalf("first: %d %s", s1, b1)
	}
	if s2 != s1 || b2 != b1 || replayed != "true" {
		t.Fatalf("retry: %d %q replayed=%q, want the first answer again", s2, b2, replayed)
	}
	if n := count(t, db, &models.Programme{}) - before; n != 1 {
		t.Fatalf("%d programmes created by a request and its retry", n)
	}
	if s, _, _ := post("retry-1", map[string]any{"name": "Cohort 2030", "starts_on": "2030-01-07"}); s != http.StatusUnprocessableEntity {
		t.Fatalf("same key, other request: %d, want 422", s)
	}
	// A request that fails is not kept: fixed and sent again, it runs.
	if s, _, _ := post("retry-2", map[string]any{"name": ""}); s < 400 {
		t.Fatalf("invalid: %d", s)
	}
	if s, _, replayed := post("retry-2", map[string]any{"name": "Cohort 2031", "starts_on": "2031-01-06"}); s >= 300 || replayed != "" {
		t.Fatalf("after a failed first try: %d replayed=%q", s, replayed)
	}
	// Without a key, two POSTs make two programmes.
	for i := 0; i < 2; i++ {
		if r := admin.JSON("POST", "/api/v1/programmes", "", map[string]any{"name": "Zonder sleutel", "starts_on": "2032-01-05"}); r.Status >= 300 {
			t.Fatalf("without key: %d", r.Status)
		}
	}
	if n := count(t, db, &models.Programme{}) - before; n != 4 {
		t.Fatalf("%d programmes, want 4", n)
	}
}
