package ui

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/cycles"
	"github.com/teamshape/teamshape/internal/http/kit"
)

// cycleFlash is the message shown after a cycle form went through (?done=…).
var cycleFlash = map[string]string{
	"opened": "The cycle is open: each PM sees it at the top of their profile.",
	"closed": "The cycle is closed and the team's shape for the quarter is frozen below.",
	"agreed": "What you agreed is saved.",
}

// stageLabels name a cycle's stages on the pages.
var stageLabels = map[string]string{
	cycles.StageSelf: "Self-assessments", cycles.StagePeer: "Peer ratings",
	cycles.StageLeader: "Leader ratings", cycles.StageReview: "1:1 conversations",
}

func (s *Pages) PageTeamCycles(c *fiber.Ctx) error {
	return s.renderTeamCycles(c, fiber.StatusOK, nil, cycles.OpenInput{})
}

// renderTeamCycles renders a team's cycles with the form to open one (refilled after a
// refused post).
func (s *Pages) renderTeamCycles(c *fiber.Ctx, status int, formErr error, in cycles.OpenInput) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	v, err := s.Cycles.TeamCycles(c.UserContext(), kit.Actor(c), id)
	if err != nil {
		return err
	}
	p := kit.Page{Title: "Assessment cycles · " + v.Team.Name, Nav: "teams", Flash: cycleFlash[c.Query("done")],
		Data: fiber.Map{"V": v, "In": in, "Field": app.ErrorField(formErr)}}
	if formErr != nil {
		p.Error = app.ErrorMessage(formErr)
	}
	return s.RenderStatus(c, status, "cycles_team.html", p)
}

func (s *Pages) PageOpenCycle(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	in := cycles.OpenInput{Quarter: c.FormValue("quarter"), SelfDue: c.FormValue("self_due"), PeerDue: c.FormValue("peer_due"),
		LeaderDue: c.FormValue("leader_due"), ReviewDue: c.FormValue("review_due"), AnonymousPeers: c.FormValue("anonymous_peers") == "on"}
	teams := []int64{id}
	for _, v := range c.Request().PostArgs().PeekMulti("also") {
		if other, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			teams = append(teams, other)
		}
	}
	cs, err := s.Cycles.OpenForTeams(c.UserContext(), kit.Actor(c), teams, in)
	if err != nil {
		return formError(err, func(status int) error { return s.renderTeamCycles(c, status, err, in) })
	}
	return c.Redirect("/cycles/"+fmtID(cs[0].ID)+"?done=opened", fiber.StatusSeeOther)
}

func (s *Pages) PageCycle(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	v, err := s.Cycles.Get(c.UserContext(), kit.Actor(c), id)
	if err != nil {
		return err
	}
	return s.Render(c, "cycle.html", kit.Page{Title: v.Cycle.TeamName + " · " + v.Cycle.Quarter + " cycle", Nav: "teams",
		Flash: cycleFlash[c.Query("done")], Data: fiber.Map{"V": v, "Labels": stageLabels}})
}

func (s *Pages) PageCloseCycle(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.Cycles.Close(c.UserContext(), kit.Actor(c), id); err != nil {
		return err
	}
	return c.Redirect("/cycles/"+fmtID(id)+"?done=closed", fiber.StatusSeeOther)
}

func (s *Pages) PageCompare(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	cycle, err := kit.CompareCycleQuery(c)
	if err != nil {
		return err
	}
	v, err := s.Cycles.Compare(c.UserContext(), kit.Actor(c), id, cycle)
	if err != nil {
		return err
	}
	flash := cycleFlash[c.Query("done")]
	return s.Render(c, "compare.html", kit.Page{Title: "1:1 · " + v.Person.Name + " · " + v.Cycle.Quarter, Nav: "teams",
		Flash: flash, Data: fiber.Map{"V": v, "Levels": []int{0, 1, 2, 3, 4, 5}}})
}

// PageAgree reads the 1:1 form: level_<competency> (empty: not agreed) and
// decision_<competency>.
func (s *Pages) PageAgree(c *fiber.Ctx) error {
	cycle, person, err := kit.CycleAndPerson(c)
	if err != nil {
		return err
	}
	var in []cycles.AgreementInput
	for k, v := range c.Request().PostArgs().All() {
		key, ok := strings.CutPrefix(string(k), "level_")
		if !ok || len(v) == 0 {
			continue
		}
		l, err := strconv.Atoi(string(v))
		if err != nil {
			l = -1 // refused by the service, naming the competency
		}
		in = append(in, cycles.AgreementInput{Competency: key, Level: l, Decision: c.FormValue("decision_" + key)})
	}
	if _, err := s.Cycles.Agree(c.UserContext(), kit.Actor(c), person, cycle, in); err != nil {
		return err
	}
	return c.Redirect("/people/"+fmtID(person)+"/compare?cycle="+fmtID(cycle)+"&done=agreed", fiber.StatusSeeOther)
}

func (s *Pages) PageStartCoaching(c *fiber.Ctx) error {
	cycle, person, err := kit.CycleAndPerson(c)
	if err != nil {
		return err
	}
	p, err := s.Cycles.StartCoaching(c.UserContext(), kit.Actor(c), person, cycle, cycles.StartCoachingInput{})
	if err != nil {
		return err
	}
	return c.Redirect("/people/"+fmtID(person)+"/coaching?plan="+fmtID(p.ID)+"&done=plan", fiber.StatusSeeOther)
}
