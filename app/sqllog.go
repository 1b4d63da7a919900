package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// sqlLogger logs failed and slow statements, never their values (names
// and notes stay out of the logs); it renders a statement only when it
// logs it, so the statements that go well cost nothing here.
type sqlLogger struct {
	log   *slog.Logger
	slow  time.Duration
	level logger.LogLevel
}

func newSQLLogger(log *slog.Logger, slow time.Duration) sqlLogger {
	return sqlLogger{log: log, slow: slow, level: logger.Warn}
}

// LogMode returns the logger at another level.
func (l sqlLogger) LogMode(level logger.LogLevel) logger.Interface {
	l.level = level
	return l
}

// Info logs gorm's own informational messages.
func (l sqlLogger) Info(ctx context.Context, msg string, args ...any) {
	if l.level >= logger.Info {
		l.log.InfoContext(ctx, "database", "message", msg, "args", len(args))
	}
}

// Warn logs gorm's own warnings.
func (l sqlLogger) Warn(ctx context.Context, msg string, args ...any) {
	if l.level >= logger.Warn {
		l.log.WarnContext(ctx, "database", "message", msg, "args", len(args))
	}
}

// Error logs gorm's own errors.
func (l sqlLogger) Error(ctx context.Context, msg string, args ...any) {
	if l.level >= logger.Error {
		l.log.ErrorContext(ctx, "database", "message", msg, "args", len(args))
	}
}

// Trace logs a statement that failed (other than finding nothing) or took
// longer than the slow threshold.
func (l sqlLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	if l.level <= logger.Silent {
		return
	}
	elapsed := time.Since(begin)
	switch {
	case err != nil && !errors.Is(err, gorm.ErrRecordNotFound) && l.level >= logger.Error:
		sql, _ := fc()
		l.log.ErrorContext(ctx, "SQL failed", "sql", sql, "duration_ms", elapsed.Milliseconds(), "error", err.Error())
	case l.slow > 0 && elapsed > l.slow && l.level >= logger.Warn:
		sql, rows := fc()
		l.log.WarnContext(ctx, "SQL slow", "sql", sql, "duration_ms", elapsed.Milliseconds(), "rows", rows)
	}
}

// ParamsFilter keeps every value out of the statement text gorm renders.
func (sqlLogger) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	return sql, nil
}
