package http

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/cycles"
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

func (s *Server) pageTeamCycles(c *fiber.Ctx) error {
	return s.renderTeamCycles(c, fiber.StatusOK, nil, cycles.OpenInput{})
}

// renderTeamCycles renders a team's cycles with the form to open one (refilled after a
// refused post).
func (s *Server) renderTeamCycles(c *fiber.Ctx, status int, formErr error, in cycles.OpenInput) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	v, err := s.cycles.TeamCycles(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	p := page{Title: "Assessment cycles · " + v.Team.Name, Nav: "teams", Flash: cycleFlash[c.Query("done")],
		Data: fiber.Map{"V": v, "In": in, "Field": app.ErrorField(formErr)}}
	if formErr != nil {
		p.Error = app.ErrorMessage(formErr)
	}
	return s.renderStatus(c, status, "cycles_team.html", p)
}

func (s *Server) pageOpenCycle(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
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
	cs, err := s.cycles.OpenForTeams(c.UserContext(), actor(c), teams, in)
	if err != nil {
		return formError(err, func(status int) error { return s.renderTeamCycles(c, status, err, in) })
	}
	return c.Redirect("/cycles/"+fmtID(cs[0].ID)+"?done=opened", fiber.StatusSeeOther)
}

func (s *Server) pageCycle(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	v, err := s.cycles.Get(c.UserContext(), actor(c), id)
	if err != nil {
		return err
	}
	return s.render(c, "cycle.html", page{Title: v.Cycle.TeamName + " · " + v.Cycle.Quarter + " cycle", Nav: "teams",
		Flash: cycleFlash[c.Query("done")], Data: fiber.Map{"V": v, "Labels": stageLabels}})
}

func (s *Server) pageCloseCycle(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	if _, err := s.cycles.Close(c.UserContext(), actor(c), id); err != nil {
		return err
	}
	return c.Redirect("/cycles/"+fmtID(id)+"?done=closed", fiber.StatusSeeOther)
}

func (s *Server) pageCompare(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	cycle, err := compareCycleQuery(c)
	if err != nil {
		return err
	}
	v, err := s.cycles.Compare(c.UserContext(), actor(c), id, cycle)
	if err != nil {
		return err
	}
	flash := cycleFlash[c.Query("done")]
	return s.render(c, "compare.html", page{Title: "1:1 · " + v.Person.Name + " · " + v.Cycle.Quarter, Nav: "teams",
		Flash: flash, Data: fiber.Map{"V": v, "Levels": []int{0, 1, 2, 3, 4, 5}}})
}

// pageAgree reads the 1:1 form: level_<competency> (empty: not agreed) and
// decision_<competency>.
func (s *Server) pageAgree(c *fiber.Ctx) error {
	cycle, person, err := cycleAndPerson(c)
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
	if _, err := s.cycles.Agree(c.UserContext(), actor(c), person, cycle, in); err != nil {
		return err
	}
	return c.Redirect("/people/"+fmtID(person)+"/compare?cycle="+fmtID(cycle)+"&done=agreed", fiber.StatusSeeOther)
}

func (s *Server) pageStartCoaching(c *fiber.Ctx) error {
	cycle, person, err := cycleAndPerson(c)
	if err != nil {
		return err
	}
	p, err := s.cycles.StartCoaching(c.UserContext(), actor(c), person, cycle, cycles.StartCoachingInput{})
	if err != nil {
		return err
	}
	return c.Redirect("/people/"+fmtID(person)+"/coaching?plan="+fmtID(p.ID)+"&done=plan", fiber.StatusSeeOther)
}
