package app

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
)

// TestSQLLoggerKeepsValuesOut: a failing statement is logged without the
// values it carried, and a statement that went well is never rendered.
func TestSQLLoggerKeepsValuesOut(t *testing.T) {
	var buf bytes.Buffer
	l := newSQLLogger(slog.New(slog.NewTextHandler(&buf, nil)), time.Second)
	db, err := OpenSQLite(filepath.Join(t.TempDir(), "log.db"), &gorm.Config{Logger: l})
	if err != nil {
		t.Fatal(err)
	}
	defer CloseDatabase(db) //nolint:errcheck
	if err := db.Exec("CREATE TABLE notes (id integer primary key, text text not null unique)").Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("INSERT INTO notes (text) VALUES (?)", "burn-out signalen").Error; err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Fatalf("statements that went well were logged: %s", buf.String())
	}
	if err := db.Exec("INSERT INTO notes (text) VALUES (?)", "burn-out signalen").Error; err == nil {
		t.Fatal("the duplicate was stored")
	}
	out := buf.String()
	if !strings.Contains(out, "SQL failed") || !strings.Contains(out, "INSERT INTO notes") {
		t.Fatalf("the failure was not logged: %s", out)
	}
	if strings.Contains(out, "burn-out") {
		t.Fatalf("a value reached the log: %s", out)
	}

	rendered := 0
	render := func() (string, int64) { rendered++; return "SELECT 1", 1 }
	l.Trace(context.Background(), time.Now(), render, nil)
	l.Trace(context.Background(), time.Now(), render, gorm.ErrRecordNotFound)
	if rendered != 0 {
		t.Fatalf("%d statements rendered that were not logged", rendered)
	}
	l.Trace(context.Background(), time.Now().Add(-2*time.Second), render, nil)
	l.Trace(context.Background(), time.Now(), render, errors.New("broken"))
	if rendered != 2 {
		t.Fatalf("%d statements rendered, want the slow one and the failed one", rendered)
	}
}
