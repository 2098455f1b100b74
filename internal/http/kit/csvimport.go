package kit

import (
	"context"
	"encoding/base64"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/transfer"
)

// ImportTimeout bounds an import: hashing a thousand new people's passwords takes a while.
const ImportTimeout = 5 * time.Minute

// ImportRequest reads what every import step needs: the team, the file and the options.
func (s *Deps) ImportRequest(c *fiber.Ctx) (teamID int64, file []byte, opt transfer.Options, err error) {
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
	switch strings.ToLower(strings.TrimSpace(FormOrQuery(c, key))) {
	case "", "false", "0", "no", "off":
		return false, nil
	case "true", "1", "yes", "on":
		return true, nil
	}
	return false, app.Invalid(key, "%s must be true or false.", key)
}

// LongContext gives a slow request (an import, a backup) more time than the default
// request timeout; the context keeps the actor.
func (s *Deps) LongContext(c *fiber.Ctx, d time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.UserContext()), d)
	c.SetUserContext(ctx)
	return ctx, cancel
}

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

// importTeam is the team of an import: the page's path, else team_id (0: organisation-wide).
func importTeam(c *fiber.Ctx) (int64, error) {
	if c.Params("id") != "" {
		return ParamID(c, "id")
	}
	v := strings.TrimSpace(FormOrQuery(c, "team_id"))
	if v == "" || v == "0" {
		return 0, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, app.Invalid("team_id", "team_id must be a team's id.")
	}
	return id, nil
}

func tooLarge() error {
	return &app.Error{Code: app.ETOOLARGE, Field: "file", Message: "The file is larger than 10 MB; split it into several files."}
}

// FormOrQuery reads a parameter from the query string, else the form.
func FormOrQuery(c *fiber.Ctx, key string) string {
	if v := c.Query(key); v != "" {
		return v
	}
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	if strings.HasPrefix(ct, fiber.MIMEMultipartForm) || strings.HasPrefix(ct, fiber.MIMEApplicationForm) {
		return c.FormValue(key)
	}
	return ""
}
