package http

import (
	"bytes"
	"encoding/base64"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/transfer"
)

// csvUpload is what the import API takes: the CSV itself, or a multipart upload of it.
var csvUpload = []string{mimeCSV, mimeMultipart}

// importTimeout bounds an import: hashing a thousand new people's passwords takes a while.
const importTimeout = 5 * time.Minute

// readUpload returns the CSV of a request: a multipart file (field "file"), the page's
// confirm field "csv64" (base64), or the raw body (text/csv). The route table has refused
// other types (csvUpload for the API, forms for the pages).
func readUpload(c *fiber.Ctx) ([]byte, error) {
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	if strings.HasPrefix(ct, fiber.MIMEMultipartForm) || strings.HasPrefix(ct, fiber.MIMEApplicationForm) {
		if fh, err := c.FormFile("file"); err == nil && fh.Size > 0 {
			if fh.Size > transfer.MaxFileSize {
				return nil, tooLarge()
			}
			f, err := fh.Open()
			if err != nil {
				return nil, app.Errorf(app.EBADREQUEST, "The uploaded file cannot be read.")
			}
			defer f.Close()
			return io.ReadAll(io.LimitReader(f, transfer.MaxFileSize+1))
		}
		if v := c.FormValue("csv64"); v != "" {
			b, err := base64.StdEncoding.DecodeString(v)
			if err != nil {
				return nil, app.Invalid("csv64", "The file sent back for confirmation is damaged; upload it again.")
			}
			return b, nil
		}
		return nil, app.Invalid("file", "Choose a CSV file to upload.")
	}
	if len(c.Body()) > transfer.MaxFileSize {
		return nil, tooLarge()
	}
	return c.Body(), nil
}

func tooLarge() error {
	return &app.Error{Code: app.ETOOLARGE, Field: "file", Message: "The file is larger than 10 MB; split it into several files."}
}

// formOrQuery reads a parameter from the query string, else the form.
func formOrQuery(c *fiber.Ctx, key string) string {
	if v := c.Query(key); v != "" {
		return v
	}
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	if strings.HasPrefix(ct, fiber.MIMEMultipartForm) || strings.HasPrefix(ct, fiber.MIMEApplicationForm) {
		return c.FormValue(key)
	}
	return ""
}

// importTeam is the team of an import: the page's path, else team_id (0: organisation-wide).
func importTeam(c *fiber.Ctx) (int64, error) {
	if c.Params("id") != "" {
		return paramID(c, "id")
	}
	v := strings.TrimSpace(formOrQuery(c, "team_id"))
	if v == "" || v == "0" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, app.Invalid("team_id", "team_id must be a team's id.")
	}
	return id, nil
}

// importRequest reads what every import step needs: the team, the file and the options.
func (s *Server) importRequest(c *fiber.Ctx) (teamID int64, file []byte, opt transfer.Options, err error) {
	if teamID, err = importTeam(c); err != nil {
		return 0, nil, opt, err
	}
	if opt.InviteUnknown, err = importFlag(c, "invite_unknown"); err != nil {
		return 0, nil, opt, err
	}
	file, err = readUpload(c)
	return teamID, file, opt, err
}

// importFlag reads a yes/no parameter of an import (a page's checkbox sends "on").
func importFlag(c *fiber.Ctx, key string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(formOrQuery(c, key))) {
	case "", "false", "0", "no", "off":
		return false, nil
	case "true", "1", "yes", "on":
		return true, nil
	}
	return false, app.Invalid(key, "%s must be true or false.", key)
}

func (s *Server) handleImportPreview(c *fiber.Ctx) error {
	teamID, file, opt, err := s.importRequest(c)
	if err != nil {
		return err
	}
	plan, err := s.transfers.Preview(c.UserContext(), actor(c), teamID, file, opt)
	if err != nil {
		return err
	}
	return data(c, previewView{ImportPlan: plan, OK: plan.OK()})
}

// previewView is a plan with whether it may be imported.
type previewView struct {
	*app.ImportPlan
	OK bool `json:"ok"`
}

func (s *Server) handleImport(c *fiber.Ctx) error {
	teamID, file, opt, err := s.importRequest(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.longContext(c, importTimeout)
	defer cancel()
	plan, res, err := s.transfers.Import(ctx, actor(c), teamID, file, formOrQuery(c, "hash"), opt)
	if err != nil && plan != nil {
		return c.Status(fiber.StatusUnprocessableEntity).JSON(importProblems{Error: importProblemsBody{
			Code: app.EINVALID, Message: app.ErrorMessage(err), Field: app.ErrorField(err), Problems: plan.Problems}})
	} else if err != nil {
		return err
	}
	return created(c, res)
}

// importProblems is the 422 of an import with problems: nothing was imported.
type importProblems struct {
	Error importProblemsBody `json:"error"`
}

type importProblemsBody struct {
	Code     string              `json:"code"`
	Field    string              `json:"field"`
	Message  string              `json:"message"`
	Problems []app.ImportProblem `json:"problems"`
}

func (s *Server) handleMatrixCSV(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	team, err := s.transfers.ExportMatrix(c.UserContext(), actor(c), id, &buf)
	if err != nil {
		return err
	}
	return attachment(c, "text/csv; charset=utf-8", fileSlug(team.Name)+"-matrix.csv", buf.Bytes())
}

func (s *Server) handleOrgExport(c *fiber.Ctx) error {
	ctx, cancel := s.longContext(c, time.Minute)
	defer cancel()
	doc, err := s.transfers.ExportOrganisation(ctx, actor(c))
	if err != nil {
		return err
	}
	body := make([]byte, 0, len(doc)+10)
	body = append(append(append(body, `{"data":`...), doc...), '}')
	return attachment(c, fiber.MIMEApplicationJSONCharsetUTF8, "teamshape-export-"+s.now().Format("2006-01-02")+".json", body)
}

// ---- audit log ----

var auditWord = regexp.MustCompile(`^[a-z_]{1,40}$`)

// auditFilter reads the audit filters from the query string, naming a bad one.
func auditFilter(c *fiber.Ctx, orgID int64) (app.AuditFilter, error) {
	f := app.AuditFilter{OrgID: orgID, Action: strings.TrimSpace(c.Query("action")), Entity: strings.TrimSpace(c.Query("entity"))}
	for _, p := range []struct {
		name string
		dst  *int64
	}{{"actor_id", &f.ActorID}, {"team_id", &f.TeamID}, {"entity_id", &f.EntityID}, {"before_id", &f.BeforeID}} {
		if v := strings.TrimSpace(c.Query(p.name)); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 {
				return f, app.Invalid(p.name, "%s must be a positive number.", p.name)
			}
			*p.dst = n
		}
	}
	if f.Action != "" && !auditWord.MatchString(f.Action) {
		return f, app.Invalid("action", "Unknown action.")
	}
	if f.Entity != "" && !auditWord.MatchString(f.Entity) {
		return f, app.Invalid("entity", "Unknown entity.")
	}
	var err error
	if f.From, err = auditDate(c, "from", 0); err != nil {
		return f, err
	}
	if f.To, err = auditDate(c, "to", 1); err != nil { // "to" is inclusive: before the next day
		return f, err
	}
	if v := c.Query("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > app.MaxAuditPage {
			return f, app.Invalid("limit", "limit must be 1 to %d.", app.MaxAuditPage)
		}
		f.Limit = n
	}
	if f.Limit == 0 {
		f.Limit = 100
	}
	return f, nil
}

// auditDate reads a date (YYYY-MM-DD, plus days) or an RFC 3339 time.
func auditDate(c *fiber.Ctx, key string, plusDays int) (time.Time, error) {
	v := strings.TrimSpace(c.Query(key))
	if v == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseInLocation(app.DateLayout, v, time.UTC); err == nil {
		return d.AddDate(0, 0, plusDays), nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Time{}, app.Invalid(key, "%s must be a date (YYYY-MM-DD).", key)
}

func (s *Server) handleAudit(c *fiber.Ctx) error {
	f, err := auditFilter(c, actor(c).OrgID)
	if err != nil {
		return err
	}
	p, err := s.audit.Find(c.UserContext(), actor(c), 0, f)
	if err != nil {
		return err
	}
	return data(c, p)
}

func (s *Server) handleTeamAudit(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	f, err := auditFilter(c, actor(c).OrgID)
	if err != nil {
		return err
	}
	p, err := s.audit.Find(c.UserContext(), actor(c), id, f)
	if err != nil {
		return err
	}
	return data(c, p)
}
