package models_test

import "testing"

// BenchmarkPlanProgrammeSeries3000 plans one series for the 3,000 groups
// of a programme in one transaction, the size of the large organisation's
// cohort; on the embedded database by default (TEST_DATABASE_URL for
// PostgreSQL), where a statement's parameters are bound in time quadratic
// in their number.
func BenchmarkPlanProgrammeSeries3000(b *testing.B) { benchPlanProgramme(b, 3000) }
