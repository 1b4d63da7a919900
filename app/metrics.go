package app

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo-contrib/echoprometheus"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"gorm.io/gorm"

	"crossmentor/models"
)

// metrics registers the app's Prometheus metrics in a registry of its own
// and serves them at /metrics to a scraper that sends token as a bearer
// token (with no token, /metrics is off): HTTP requests by route pattern and status
// (never the URL of an unknown path), the mail queue, job runs, the
// database pool and the Go runtime. No label holds personal data.
func metrics(e *echo.Echo, db *gorm.DB, token string) (*prometheus.CounterVec, error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if sqlDB, err := db.DB(); err == nil {
		reg.MustRegister(collectors.NewDBStatsCollector(sqlDB, "crossmentor"))
	}
	reg.MustRegister(&queueCollector{db: db, desc: prometheus.NewDesc("crossmentor_mail_deliveries",
		"Mail deliveries by status; 'due' are pending and due now.", []string{"status"}, nil)})
	jobRuns := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "crossmentor_job_runs_total",
		Help: "Runs of the periodic jobs by kind and outcome."}, []string{"kind", "outcome"})
	reg.MustRegister(jobRuns)
	mw, err := echoprometheus.MiddlewareConfig{Namespace: "crossmentor", Registerer: reg, DoNotUseRequestPathFor404: true,
		// The Host header is the client's to choose: not a label.
		LabelFuncs: map[string]echoprometheus.LabelValueFunc{"host": func(echo.Context, error) string { return "" }},
		Skipper:    func(c echo.Context) bool { return c.Path() == "/metrics" }}.ToMiddleware()
	if err != nil {
		return nil, err
	}
	e.Use(mw)
	serve := echoprometheus.NewHandlerWithConfig(echoprometheus.HandlerConfig{Gatherer: reg})
	e.GET("/metrics", func(c echo.Context) error {
		if token == "" {
			return echo.ErrNotFound
		}
		if !bearerIs(c.Request().Header.Get(echo.HeaderAuthorization), token) {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="metrics"`)
			return echo.NewHTTPError(http.StatusUnauthorized)
		}
		return serve(c)
	})
	return jobRuns, nil
}

// bearerIs reports, in constant time, whether an Authorization header
// carries token as its bearer token.
func bearerIs(header, token string) bool {
	const prefix = "Bearer "
	if len(header) < len(prefix) || !strings.EqualFold(header[:len(prefix)], prefix) {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(header[len(prefix):]), []byte(token)) == 1
}

// queueCollector counts the mail queue at each scrape.
type queueCollector struct {
	db   *gorm.DB
	desc *prometheus.Desc
}

func (q *queueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- q.desc }

func (q *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var rows []struct {
		Status string
		N      int64
	}
	if err := q.db.WithContext(ctx).Model(&models.MailDelivery{}).Select("status, count(*) AS n").Group("status").Scan(&rows).Error; err != nil {
		return
	}
	for _, r := range rows {
		ch <- prometheus.MustNewConstMetric(q.desc, prometheus.GaugeValue, float64(r.N), r.Status)
	}
	var due int64
	q.db.WithContext(ctx).Model(&models.MailDelivery{}).Where("status = ? AND next_attempt_at <= ?", models.DeliveryPending, time.Now()).Count(&due)
	ch <- prometheus.MustNewConstMetric(q.desc, prometheus.GaugeValue, float64(due), "due")
}
