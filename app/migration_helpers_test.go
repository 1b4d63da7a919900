package app_test

import (
	"testing"

	"gorm.io/gorm"

	"crossmentor/app/migrations"
)

// rollBackThrough rolls back, newest first, every migration down to and
// including id, as an operator going back to the version before id would:
// later steps (such as the roll-up triggers on meetings) are gone before
// an earlier step rebuilds a table they read.
func rollBackThrough(t *testing.T, db *gorm.DB, id string) {
	t.Helper()
	all := migrations.All()
	for i, m := range all {
		if m.ID != id {
			continue
		}
		if i == 0 {
			t.Fatalf("%s is the first migration", id)
		}
		if err := migrations.New(db).RollbackTo(all[i-1].ID); err != nil {
			t.Fatalf("roll back through %s: %v", id, err)
		}
		return
	}
	t.Fatalf("%s is not in the list", id)
}
