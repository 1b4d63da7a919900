package models

import "gorm.io/gorm"

// scanEach runs q and scans each row by hand into the fields that dest
// names for it, in the order of q's columns. It is for the hottest reads,
// where gorm's scanning by reflection cost as much as the rest of the read;
// it opens no sealed field, so q must select none.
func scanEach[T any](q *gorm.DB, dest func(*T) []any) ([]T, error) {
	res, err := q.Rows()
	if err != nil {
		return nil, err
	}
	defer func() { _ = res.Close() }()
	out := make([]T, 0, smallList)
	for res.Next() {
		var r T
		if err := res.Scan(dest(&r)...); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, res.Err()
}
