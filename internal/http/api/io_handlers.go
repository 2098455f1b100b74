package api

import (
	"bytes"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/http/kit"
)

// CsvUpload is what the import API takes: the CSV itself, or a multipart upload of it.
var CsvUpload = []string{kit.MimeCSV, kit.MimeMultipart}

func (s *Handlers) HandleImportPreview(c *fiber.Ctx) error {
	teamID, file, opt, err := s.ImportRequest(c)
	if err != nil {
		return err
	}
	plan, err := s.Transfers.Preview(c.UserContext(), kit.Actor(c), teamID, file, opt)
	if err != nil {
		return err
	}
	return kit.Data(c, PreviewView{ImportPlan: plan, OK: plan.OK()})
}

// PreviewView is a plan with whether it may be imported.
type PreviewView struct {
	*app.ImportPlan
	OK bool `json:"ok"`
}

func (s *Handlers) HandleImport(c *fiber.Ctx) error {
	teamID, file, opt, err := s.ImportRequest(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.LongContext(c, kit.ImportTimeout)
	defer cancel()
	plan, res, err := s.Transfers.Import(ctx, kit.Actor(c), teamID, file, kit.FormOrQuery(c, "hash"), opt)
	if err != nil && plan != nil {
		return c.Status(fiber.StatusUnprocessableEntity).JSON(ImportProblems{Error: importProblemsBody{
			Code: app.EINVALID, Message: app.ErrorMessage(err), Field: app.ErrorField(err), Problems: plan.Problems}})
	} else if err != nil {
		return err
	}
	return kit.Created(c, res)
}

// ImportProblems is the 422 of an import with problems: nothing was imported.
type ImportProblems struct {
	Error importProblemsBody `json:"error"`
}

type importProblemsBody struct {
	Code     string              `json:"code"`
	Field    string              `json:"field"`
	Message  string              `json:"message"`
	Problems []app.ImportProblem `json:"problems"`
}

func (s *Handlers) HandleMatrixCSV(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	team, err := s.Transfers.ExportMatrix(c.UserContext(), kit.Actor(c), id, &buf)
	if err != nil {
		return err
	}
	return attachment(c, "text/csv; charset=utf-8", fileSlug(team.Name)+"-matrix.csv", buf.Bytes())
}

func (s *Handlers) HandleOrgExport(c *fiber.Ctx) error {
	ctx, cancel := s.LongContext(c, time.Minute)
	defer cancel()
	doc, err := s.Transfers.ExportOrganisation(ctx, kit.Actor(c))
	if err != nil {
		return err
	}
	body := make([]byte, 0, len(doc)+10)
	body = append(append(append(body, `{"data":`...), doc...), '}')
	return attachment(c, fiber.MIMEApplicationJSONCharsetUTF8, "teamshape-export-"+s.Now().Format("2006-01-02")+".json", body)
}

// ---- audit log ----

func (s *Handlers) HandleAudit(c *fiber.Ctx) error {
	f, err := kit.AuditFilter(c, kit.Actor(c).OrgID)
	if err != nil {
		return err
	}
	p, err := s.Audit.Find(c.UserContext(), kit.Actor(c), 0, f)
	if err != nil {
		return err
	}
	return kit.Data(c, p)
}

func (s *Handlers) HandleTeamAudit(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	f, err := kit.AuditFilter(c, kit.Actor(c).OrgID)
	if err != nil {
		return err
	}
	p, err := s.Audit.Find(c.UserContext(), kit.Actor(c), id, f)
	if err != nil {
		return err
	}
	return kit.Data(c, p)
}
