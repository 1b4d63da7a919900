package models

import "gorm.io/gorm"

// sqliteBatchParams is how many parameters one multi-row INSERT binds at
// most on the embedded database. Its driver binds a statement's parameters
// in time quadratic in their number (each one is looked up by a scan of
// all), so a batch of 1,000 rows of 30 columns spends most of its time
// there; below about a thousand parameters the cost per row is lowest.
// SQLite itself refuses more than 32,766.
const sqliteBatchParams = 1000

// BatchRows is how many rows of model one INSERT should carry: rows (the
// size that suits PostgreSQL) or, on SQLite, as many as fit in
// sqliteBatchParams, at least one. CreateInBatches and a session's
// CreateBatchSize take it.
func BatchRows(db *gorm.DB, model any, rows int) int {
	if db.Dialector.Name() != "sqlite" {
		return rows
	}
	stmt := &gorm.Statement{DB: db}
	if err := stmt.Parse(model); err != nil || len(stmt.Schema.DBNames) == 0 {
		return min(rows, 30) // a width like the widest table's
	}
	return BatchRowsOf(db, len(stmt.Schema.DBNames), rows)
}

// BatchRowsOf is BatchRows for an INSERT of columns columns (one that
// names only some of its table's).
func BatchRowsOf(db *gorm.DB, columns, rows int) int {
	if db.Dialector.Name() != "sqlite" {
		return rows
	}
	return max(1, min(rows, sqliteBatchParams/max(columns, 1)))
}

// smallList is the capacity to give a slice a statement scans a few rows
// into (a person's groups, a group's standing): gorm otherwise makes room
// for twenty, which for rows as wide as a group with its programme and
// mentor is most of what a page allocates.
const smallList = 4

// idsPerStatement bounds the ids of one IN list, well within SQLite's
// parameters per statement and the pure-Go driver's cost of binding them.
const idsPerStatement = 500
