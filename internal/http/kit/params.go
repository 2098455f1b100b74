package kit

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/dashboards"
)

// CycleQuery reads ?cycle=, naming it when it is missing or not an id.
func CycleQuery(c *fiber.Ctx) (int64, error) {
	id, err := strconv.ParseInt(c.Query("cycle"), 10, 64)
	if err != nil || id <= 0 {
		return 0, app.Invalid("cycle", "Name the cycle: ?cycle=<id>.")
	}
	return id, nil
}

// CompareCycleQuery reads the optional ?cycle= of a compare view: 0 (the person's latest
// cycle) when it is left out.
func CompareCycleQuery(c *fiber.Ctx) (int64, error) {
	if c.Query("cycle") == "" {
		return 0, nil
	}
	return CycleQuery(c)
}

// CycleAndPerson reads :id (the cycle) and :person_id.
func CycleAndPerson(c *fiber.Ctx) (cycle, person int64, err error) {
	if cycle, err = ParamID(c, "id"); err != nil {
		return 0, 0, err
	}
	person, err = ParamID(c, "person_id")
	return cycle, person, err
}

// AsOfParam reads ?as_of=YYYY-MM-DD: the figures count ratings made up to the end of that
// day (UTC). Absent, it is now. It also returns the date for display.
func (s *Deps) AsOfParam(c *fiber.Ctx) (time.Time, string, error) {
	now := s.Now().UTC()
	raw := strings.TrimSpace(c.Query("as_of"))
	if raw == "" {
		return now, now.Format(time.DateOnly), nil
	}
	d, err := time.Parse(time.DateOnly, raw)
	if err != nil {
		return time.Time{}, "", app.Invalid("as_of", "as_of must be a date as YYYY-MM-DD.")
	}
	if d.Before(EarliestAsOf) || d.After(now) {
		return time.Time{}, "", app.Invalid("as_of", "as_of must be between 2000-01-01 and today.")
	}
	if d.Format(time.DateOnly) == now.Format(time.DateOnly) {
		return now, raw, nil
	}
	return d.AddDate(0, 0, 1), raw, nil
}

// DashboardDay is today's date as the dashboards count it (UTC, as ?as_of is read).
func (s *Deps) DashboardDay() string { return s.Now().UTC().Format(time.DateOnly) }

// ViewParam reads ?view=effective|self|leader (default effective).
func ViewParam(c *fiber.Ctx) (string, error) {
	v := c.Query("view", dashboards.ViewEffective)
	if !dashboards.ValidView(v) {
		return "", app.Invalid("view", "view must be effective, self or leader.")
	}
	return v, nil
}

// AuditFilter reads the audit filters from the query string, naming a bad one.
func AuditFilter(c *fiber.Ctx, orgID int64) (app.AuditFilter, error) {
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

// RequisitionFilter reads ?team_id= and ?status= (either may be empty).
func RequisitionFilter(c *fiber.Ctx) (app.RequisitionFilter, error) {
	var f app.RequisitionFilter
	if v := c.Query("team_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return f, app.Invalid("team_id", "team_id must be a team id.")
		}
		f.TeamID = id
	}
	if f.Status = c.Query("status"); f.Status != "" && !slices.Contains(app.RequisitionStatuses, f.Status) {
		return f, app.Invalid("status", "Status must be one of %s.", strings.Join(app.RequisitionStatuses, ", "))
	}
	return f, nil
}

// ParamRevision reads the :rev path parameter: 0 if it is not a revision number, which
// the service answers with ENOTFOUND after its access check.
func ParamRevision(c *fiber.Ctx) int {
	rev, err := ParamID(c, "rev")
	if err != nil || rev > 1<<30 {
		return 0
	}
	return int(rev)
}

var auditWord = regexp.MustCompile(`^[a-z_]{1,40}$`)

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

// EarliestAsOf bounds ?as_of from below.
var EarliestAsOf = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
