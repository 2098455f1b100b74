package api

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/hiring"
	"github.com/teamshape/teamshape/internal/http/kit"
)

// hiringExportTypes are the content types of the hiring gaps' exports, by format.
var hiringExportTypes = map[string]string{
	hiring.FormatCSV:      "text/csv; charset=utf-8",
	hiring.FormatMarkdown: "text/markdown; charset=utf-8",
}

// HandleHiringGaps answers the team's hiring gaps as JSON, CSV or Markdown: the format comes
// from the path (.csv, .md) or else from ?format=json|csv|md.
func (s *Handlers) HandleHiringGaps(pathFormat string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := kit.ParamID(c, "id")
		if err != nil {
			return err
		}
		format := pathFormat
		if format == "" {
			format = c.Query("format", "json")
		}
		if format != "json" && hiringExportTypes[format] == "" {
			return app.Invalid("format", "Format must be json, csv or md.")
		}
		if format == "json" {
			v, err := s.Hiring.Gaps(c.UserContext(), kit.Actor(c), id)
			if err != nil {
				return err
			}
			return kit.Data(c, v)
		}
		doc, err := s.Hiring.Export(c.UserContext(), kit.Actor(c), id, format)
		if err != nil {
			return err
		}
		return attachment(c, hiringExportTypes[format], fileSlug(doc.Team.Name)+"-hiring-gaps."+format, doc.Body)
	}
}

// HandleShareHiringBrief shares the team's hiring gaps with its HR partners: 201 with the brief.
func (s *Handlers) HandleShareHiringBrief(c *fiber.Ctx) error {
	return kit.OnID(c, kit.Created, func(id int64) (*app.HiringBrief, error) {
		return s.Hiring.ShareBrief(c.UserContext(), kit.Actor(c), id)
	})
}

// attachment sends a file download.
func attachment(c *fiber.Ctx, contentType, filename string, body []byte) error {
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, filename))
	return c.Send(body)
}

var notSlug = regexp.MustCompile(`[^a-z0-9]+`)

// fileSlug makes a safe file name part of a team name ("team" if nothing is left).
func fileSlug(name string) string {
	s := strings.Trim(notSlug.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if s == "" {
		return "team"
	}
	return s
}

func (s *Handlers) HandleWhatIf(c *fiber.Ctx) error {
	return kit.OnIDBody(c, kit.Data, func(id int64, in hiring.WhatIfInput) (*hiring.WhatIf, error) {
		return s.Hiring.WhatIf(c.UserContext(), kit.Actor(c), id, in)
	})
}
