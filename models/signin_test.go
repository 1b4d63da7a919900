package models_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"crossmentor/app/apptest"
	"crossmentor/models"
)

// signInFixture makes a migrated database with people holding a password.
func signInFixture(t testing.TB, emails ...string) *gorm.DB {
	t.Helper()
	db := apptest.DB(t)
	hash, err := models.HashPassword("juiste wachtwoord")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range emails {
		if err := db.Create(&models.Person{Name: e, Email: e, Language: "nl", PasswordHash: hash}).Error; err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// parallelSignIns fires n sign-ins at once and counts the outcomes.
func parallelSignIns(db *gorm.DB, gate *models.PasswordGate, n int, email func(i int) string, address func(i int) string, now time.Time) map[string]int {
	var mu sync.Mutex
	out := map[string]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			_, err := models.SignIn(context.Background(), db, gate, email(i), "fout wachtwoord "+strconv.Itoa(i), address(i),
				models.DefaultSignInLimits, now)
			key := "other"
			switch {
			case errors.Is(err, models.ErrBadCredentials):
				key = "checked"
			case errors.Is(err, models.ErrRateLimited):
				key = "limited"
			case errors.Is(err, models.ErrBusy):
				key = "busy"
			case err != nil:
				key = "error: " + err.Error()
			}
			mu.Lock()
			out[key]++
			mu.Unlock()
		}(i)
	}
	close(start)
	wg.Wait()
	return out
}

// TestParallelWrongPasswordsOneAccount: 40 wrong passwords at once for one
// account check at most the limit; the others are refused before any
// password is computed.
func TestParallelWrongPasswordsOneAccount(t *testing.T) {
	db := signInFixture(t, "sanne@org.test")
	gate := models.NewPasswordGate(0, 30*time.Second)
	now := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
	out := parallelSignIns(db, gate, 40, func(int) string { return "sanne@org.test" }, func(int) string { return "10.0.0.1" }, now)
	limit := models.DefaultSignInLimits.PerAccountAddress
	if gate.Checks() > int64(limit) || out["checked"] > limit || out["limited"] < 40-limit || out["checked"]+out["limited"]+out["busy"] != 40 {
		t.Fatalf("40 parallel: %v, %d checks, want at most %d checked", out, gate.Checks(), limit)
	}
	// The right password from this address is refused now, without a check…
	before := gate.Checks()
	if _, err := models.SignIn(context.Background(), db, gate, "sanne@org.test", "juiste wachtwoord", "10.0.0.1", models.DefaultSignInLimits, now); !errors.Is(err, models.ErrRateLimited) {
		t.Fatalf("locked address: %v, want ErrRateLimited", err)
	}
	if gate.Checks() != before {
		t.Fatal("a refused attempt was checked")
	}
	// …but the person still gets in from another address.
	if _, err := models.SignIn(context.Background(), db, gate, "sanne@org.test", "juiste wachtwoord", "10.0.0.2", models.DefaultSignInLimits, now); err != nil {
		t.Fatalf("from another address: %v", err)
	}
	// A new window starts the count again.
	if _, err := models.SignIn(context.Background(), db, gate, "sanne@org.test", "juiste wachtwoord", "10.0.0.1", models.DefaultSignInLimits, now.Add(16*time.Minute)); err != nil {
		t.Fatalf("after the window: %v", err)
	}
}

// TestParallelSignInsOneAddress: 150 attempts at once from one address,
// at different accounts, check at most the address limit (those within it
// may still be turned away by the bounded password check: busy).
func TestParallelSignInsOneAddress(t *testing.T) {
	db := signInFixture(t)
	gate := models.NewPasswordGate(0, 30*time.Second)
	now := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC)
	out := parallelSignIns(db, gate, 150, func(i int) string { return fmt.Sprintf("p%d@org.test", i) }, func(int) string { return "10.0.0.9" }, now)
	limit := models.DefaultSignInLimits.PerAddress
	if gate.Checks() > int64(limit) || out["checked"] > limit || out["limited"] < 150-limit || out["checked"]+out["limited"]+out["busy"] != 150 {
		t.Fatalf("150 parallel: %v, %d checks, want at most %d", out, gate.Checks(), limit)
	}
}

// TestPasswordGateBusy: with every slot taken and the queue full, an
// attempt is refused at once with ErrBusy.
func TestPasswordGateBusy(t *testing.T) {
	gate := models.NewPasswordGate(1, 50*time.Millisecond)
	hash, _ := models.HashPassword("iets lang genoeg")
	var wg sync.WaitGroup
	busy := 0
	var mu sync.Mutex
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := gate.Check(context.Background(), hash, "x"); errors.Is(err, models.ErrBusy) {
				mu.Lock()
				busy++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if busy == 0 || gate.Checks()+int64(busy) != 12 {
		t.Fatalf("%d busy, %d checked of 12", busy, gate.Checks())
	}
}

// BenchmarkParallelSignIns fires 150 sign-ins at once from one address and
// reports how many passwords were checked and the process's peak memory.
func BenchmarkParallelSignIns(b *testing.B) {
	db := signInFixture(b)
	limit := models.DefaultSignInLimits.PerAddress
	var checks int64
	for i := 0; i < b.N; i++ {
		gate := models.NewPasswordGate(0, 0)
		now := time.Date(2027, 1, 4, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour) // a fresh window each round
		out := parallelSignIns(db, gate, 150, func(j int) string { return fmt.Sprintf("p%d@org.test", j) }, func(int) string { return "10.0.0.9" }, now)
		if out["checked"] > limit {
			b.Fatalf("%v: more than %d checked", out, limit)
		}
		checks += gate.Checks()
	}
	b.ReportMetric(float64(checks)/float64(b.N), "checks/op")
	b.ReportMetric(peakRSS(), "peak-RSS-MB")
}

// peakRSS is the process's peak resident memory in MB (Linux), or 0.
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(line, "VmHWM:"), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}
