package models

import (
	"errors"

	"gorm.io/gorm"
)

// lockRow takes the row lock of a parent row (a meeting, a group, a poll)
// for the rest of the caller's transaction, so that replace-style writes
// below it (delete the children, insert the new ones) run one after the
// other instead of interleaving. On PostgreSQL this is SELECT … FOR UPDATE;
// the embedded database runs one write transaction at a time already
// (BEGIN IMMEDIATE), so there it does nothing. A missing row is no error:
// the caller's own lookup reports it as not found.
func lockRow(tx *gorm.DB, table string, id uint) error {
	if tx.Dialector.Name() != "postgres" {
		return nil
	}
	var got uint
	err := tx.Raw("SELECT id FROM "+tx.Statement.Quote(table)+" WHERE id = ? FOR UPDATE", id).Scan(&got).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	return err
}

// ErrConflict means the write met a concurrent change it cannot merge with
// (a unique rule of the database); the request may be sent again.
var ErrConflict = errors.New("the change conflicts with another change made at the same time")

// conflict turns a duplicate-key error into ErrConflict.
func conflict(err error) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return errors.Join(ErrConflict, err)
	}
	return err
}
