package handlers

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"crossmentor/models"
)

// importData is the import page: the upload form, or the dry run of a file.
type importData struct {
	Report   *models.ImportReport
	Content  string // the file as UTF-8 text, carried to the apply step
	Encoding string // what the uploaded file was in
	Complete bool   // the file is marked as a complete export
	Columns  []models.ImportColumn
	Shown    []models.ImportRow
}

// maxPreviewRows is how many rows the preview shows; its counts cover all.
const maxPreviewRows = 500

// maxImportBytes bounds an uploaded HR export.
const maxImportBytes = 8 << 20

func (h *Handlers) importPage(c echo.Context, status int, data importData, err error) error {
	data.Columns = models.ImportColumns
	if data.Report != nil {
		data.Shown = data.Report.Rows
		if len(data.Shown) > maxPreviewRows {
			data.Shown = data.Shown[:maxPreviewRows]
		}
	}
	if err != nil {
		return h.formFailed(c, err, "import", "import.title", nil, data)
	}
	return c.Render(status, "import", h.view(c, "import.title", data))
}

// showImport shows the upload form.
func (h *Handlers) showImport(c echo.Context) error {
	return h.importPage(c, http.StatusOK, importData{}, nil)
}

// mappingFrom reads the column choices of the preview form.
func mappingFrom(c echo.Context) models.ImportMapping {
	if c.FormValue("mapped") == "" {
		return nil
	}
	m := models.ImportMapping{}
	for _, col := range models.ImportColumns {
		n, err := strconv.Atoi(c.FormValue("col_" + string(col)))
		if err != nil {
			n = -1
		}
		m[col] = n
	}
	return m
}

// previewImport reads an uploaded file (or the one carried along with a new
// column mapping) and shows the dry run.
func (h *Handlers) previewImport(c echo.Context) error {
	var data []byte
	if fh, err := c.FormFile("file"); err == nil {
		f, err := fh.Open()
		if err != nil {
			return err
		}
		defer f.Close()
		data, err = io.ReadAll(io.LimitReader(f, maxImportBytes+1))
		if err != nil {
			return err
		}
	} else {
		data = []byte(c.FormValue("content"))
	}
	if len(data) == 0 || len(data) > maxImportBytes {
		return h.importPage(c, 0, importData{}, &models.ValidationError{Fields: []models.FieldError{{Field: "file", Code: "file_size",
			Args: map[string]any{"Max": maxImportBytes >> 10}}}})
	}
	text, enc := models.DecodeImport(data)
	if carried := c.FormValue("encoding"); carried != "" && c.FormValue("content") != "" {
		enc = knownEncoding(carried)
	}
	return h.showPlan(c, importData{Content: string(text), Encoding: enc, Complete: c.FormValue("complete") == "true"}, nil)
}

// showPlan shows the dry run of d's file, with err (a refused apply) if set.
func (h *Handlers) showPlan(c echo.Context, d importData, err error) error {
	rep, perr := models.PlanImportWith(c.Request().Context(), h.DB, mustViewer(c), []byte(d.Content), mappingFrom(c),
		models.ImportOptions{Complete: d.Complete})
	rep.Encoding = d.Encoding
	if rep.Headers != nil {
		d.Report = &rep
	}
	if err == nil {
		err = perr
	}
	if err != nil {
		return h.importPage(c, 0, d, err)
	}
	return h.importPage(c, http.StatusOK, d, nil)
}

// knownEncoding is name if the import names encodings so, else UTF-8 (the
// carried text is UTF-8 whatever the file was).
func knownEncoding(name string) string {
	switch name {
	case models.EncodingUTF8BOM, models.EncodingUTF16, models.EncodingWindows1252:
		return name
	}
	return models.EncodingUTF8
}

// applyImport records the previewed file as an import run, queues the job
// that applies it and sends the browser to the run's progress page.
func (h *Handlers) applyImport(c echo.Context) error {
	data := []byte(c.FormValue("content"))
	v := mustViewer(c)
	run, err := models.StartImportWith(c.Request().Context(), h.DB, v, data, mappingFrom(c),
		models.ImportOptions{ConfirmNew: c.FormValue("confirm_new") == "true"})
	if err != nil {
		return h.showPlan(c, importData{Content: string(data), Encoding: knownEncoding(c.FormValue("encoding")),
			Complete: c.FormValue("complete") == "true"}, err)
	}
	if err := h.Imports.EnqueueImport(c.Request().Context(), run.ID); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/people/import/runs/"+itoa(run.ID))
}

// importRunData is an import run with its live progress, if known here.
type importRunData struct {
	Run         models.ImportRun
	Done, Total int
	Interrupted bool
}

// showImportRun shows how far an import run is; while it runs the page
// reloads itself every second.
func (h *Handlers) showImportRun(c echo.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	run, err := models.GetImportRun(c.Request().Context(), h.DB, mustViewer(c), id)
	if err != nil {
		return err
	}
	data := importRunData{Run: run, Interrupted: run.Interrupted(h.Now()), Done: run.Done, Total: run.Total}
	if p, ok := h.importProgress.Load(id); ok && run.Status == models.ImportRunning {
		data.Done, data.Total = p.([2]int)[0], p.([2]int)[1]
	}
	return h.page(c, "import_run", "import.run_title", data)
}

// exportPeople downloads everyone as CSV.
func (h *Handlers) exportPeople(c echo.Context) error {
	var buf bytes.Buffer
	if err := models.ExportPeople(c.Request().Context(), h.DB, mustViewer(c), &buf); err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="crossmentor-people.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// ImportQueue queues the job that applies an import run.
type ImportQueue interface {
	EnqueueImport(ctx context.Context, runID uint) error
}

// ImportProgress records how far a run working in this process is, for
// its progress page (on PostgreSQL the database has it for every replica).
func (h *Handlers) ImportProgress(runID uint, done, total int) {
	if done >= total {
		h.importProgress.Delete(runID)
		return
	}
	h.importProgress.Store(runID, [2]int{done, total})
}
