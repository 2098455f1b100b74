package ui

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/coaching"
)

// planForm is the plan editor: a plain HTML form with three goal slots and a few action
// slots per goal. Fields are named like the API's ("goals[0].actions[1].owner_id").
type planForm struct {
	Action   string // where the form posts
	New      bool
	Quarter  string
	Quarters []string // choices for a new plan
	Spikes   map[string]bool
	MentorID int64
	Goals    []coaching.GoalInput // always app.MaxCoachingGoals slots, actions padded with blanks
}

// formActionSlots is how many action slots a goal slot shows: its actions and two blank ones, at least three.
func formActionSlots(n int) int { return max(n+2, 3) }

// maxFormActions bounds the action slots read from a post.
const maxFormActions = 25

// padForm adds blank goal slots and gives every goal slot its blank action slots.
func padForm(f *planForm) {
	for len(f.Goals) < app.MaxCoachingGoals {
		f.Goals = append(f.Goals, coaching.GoalInput{})
	}
	for i := range f.Goals {
		g := &f.Goals[i]
		// Blank rows suggest the three kinds in turn.
		for n := formActionSlots(len(g.Actions)); len(g.Actions) < n; {
			g.Actions = append(g.Actions, coaching.ActionInput{Kind: app.ActionKinds[len(g.Actions)%len(app.ActionKinds)].Key})
		}
	}
}

// formFromPlan fills the editor from a stored plan.
func formFromPlan(p *app.CoachingPlan) planForm {
	f := planForm{Action: "/coaching/plans/" + fmtID(p.ID), Quarter: p.Quarter, Spikes: map[string]bool{}}
	for _, sp := range p.Spikes {
		f.Spikes[sp] = true
	}
	if p.MentorID != nil {
		f.MentorID = *p.MentorID
	}
	for _, g := range p.Goals {
		gi := coaching.GoalInput{Competency: g.Competency, TargetLevel: g.TargetLevel, Due: g.Due.String(),
			Goal: g.Goal, Reality: g.Reality, Options: g.Options, Will: g.Will}
		for _, a := range g.Actions {
			gi.Actions = append(gi.Actions, coaching.ActionInput{Kind: a.Kind, Description: a.Description,
				OwnerID: a.OwnerID, Due: a.Due.String(), ResourceURL: a.ResourceURL, Status: a.Status})
		}
		f.Goals = append(f.Goals, gi)
	}
	padForm(&f)
	return f
}

// postedPlan reads the editor's post: the raw slots (to show the form again as sent) and the
// input with empty slots left out, with the slot of each goal and action it kept.
type postedPlan struct {
	Form       planForm
	Input      coaching.PlanInput
	goalSlot   []int
	actionSlot [][]int
}

func readPlanForm(c *fiber.Ctx) postedPlan {
	var pp postedPlan
	f := &pp.Form
	f.Quarter = strings.TrimSpace(c.FormValue("quarter"))
	f.Spikes = map[string]bool{}
	pp.Input.Quarter = f.Quarter
	for _, v := range c.Request().PostArgs().PeekMulti("spikes") {
		sp := string(v)
		if !f.Spikes[sp] {
			f.Spikes[sp] = true
			pp.Input.Spikes = append(pp.Input.Spikes, sp)
		}
	}
	if m, err := strconv.ParseInt(c.FormValue("mentor_id"), 10, 64); err == nil && m > 0 {
		f.MentorID, pp.Input.MentorID = m, &m
	}
	for gi := 0; gi < app.MaxCoachingGoals; gi++ {
		p := "goals[" + strconv.Itoa(gi) + "]."
		g := coaching.GoalInput{
			Competency: c.FormValue(p + "competency"), TargetLevel: atoi(c.FormValue(p + "target_level")),
			Due: c.FormValue(p + "due"), Goal: c.FormValue(p + "goal"), Reality: c.FormValue(p + "reality"),
			Options: c.FormValue(p + "options"), Will: c.FormValue(p + "will"),
		}
		kept := g
		kept.Actions = nil
		var slots []int
		for ai := 0; ai < maxFormActions; ai++ {
			ap := p + "actions[" + strconv.Itoa(ai) + "]."
			a := coaching.ActionInput{Kind: c.FormValue(ap + "kind"), Description: c.FormValue(ap + "description"),
				OwnerID: int64(atoi(c.FormValue(ap + "owner_id"))), Due: c.FormValue(ap + "due"),
				ResourceURL: c.FormValue(ap + "resource_url"), Status: c.FormValue(ap + "status")}
			if strings.TrimSpace(a.Description+a.Due+a.ResourceURL) == "" {
				continue
			}
			g.Actions = append(g.Actions, a)
			kept.Actions = append(kept.Actions, a)
			slots = append(slots, ai)
		}
		f.Goals = append(f.Goals, g)
		if strings.TrimSpace(g.Competency+g.Due+g.Goal+g.Reality+g.Options+g.Will) == "" && len(kept.Actions) == 0 {
			continue
		}
		pp.Input.Goals = append(pp.Input.Goals, kept)
		pp.goalSlot = append(pp.goalSlot, gi)
		pp.actionSlot = append(pp.actionSlot, slots)
	}
	padForm(f)
	return pp
}

var slotField = regexp.MustCompile(`^goals\[(\d+)\](?:\.actions\[(\d+)\])?(?:\.(.+))?$`)

// fieldLabel names an input's field as the form shows it, ready to precede the message:
// "goals[0].actions[1].owner_id" of the input becomes "Goal 1, action 3, owner: " when the
// second action sat in the third slot; "" for no field.
func (pp *postedPlan) fieldLabel(field string) string {
	if field == "" {
		return ""
	}
	m := slotField.FindStringSubmatch(field)
	if m == nil {
		return strings.ReplaceAll(field, "_", " ") + ": "
	}
	gi := atoi(m[1])
	if gi >= len(pp.goalSlot) {
		return "Goals"
	}
	label := "Goal " + strconv.Itoa(pp.goalSlot[gi]+1)
	if m[2] != "" {
		ai := atoi(m[2])
		if ai < len(pp.actionSlot[gi]) {
			ai = pp.actionSlot[gi][ai]
		}
		label += ", action " + strconv.Itoa(ai+1)
	}
	if m[3] != "" {
		label += ", " + strings.ReplaceAll(strings.TrimSuffix(m[3], "_id"), "_", " ")
	}
	return label + ": "
}

// readCheckInForm reads the check-in form: a date, a status per goal, a shared and a private note.
func readCheckInForm(c *fiber.Ctx) coaching.CheckInInput {
	in := coaching.CheckInInput{Date: c.FormValue("date")}
	for gi := 0; gi < app.MaxCoachingGoals; gi++ {
		p := "goals[" + strconv.Itoa(gi) + "]."
		if comp := c.FormValue(p + "competency"); comp != "" {
			in.Goals = append(in.Goals, coaching.CheckInGoalInput{Competency: comp, Status: c.FormValue(p + "status")})
		}
	}
	for _, n := range []struct {
		field   string
		private bool
	}{{"shared_note", false}, {"private_note", true}} {
		if t := strings.TrimSpace(c.FormValue(n.field)); t != "" {
			in.Notes = append(in.Notes, coaching.NoteInput{Text: t, Private: n.private})
		}
	}
	return in
}

func atoi(s string) int {
	n, _ := strconv.Atoi(strings.TrimSpace(s))
	return n
}
