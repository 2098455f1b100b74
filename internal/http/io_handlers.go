package http

import (
	"bytes"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
)

// csvUpload is what the import API takes: the CSV itself, or a multipart upload of it.
var csvUpload = []string{mimeCSV, mimeMultipart}

func (s *Server) handleImportPreview(c *fiber.Ctx) error {
	teamID, file, err := s.importRequest(c)
	if err != nil {
		return err
	}
	plan, err := s.transfers.Preview(c.UserContext(), actor(c), teamID, file)
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
	teamID, file, err := s.importRequest(c)
	if err != nil {
		return err
	}
	ctx, cancel := s.longContext(c, importTimeout)
	defer cancel()
	plan, res, err := s.transfers.Import(ctx, actor(c), teamID, file, formOrQuery(c, "hash"))
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
