package careers

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/career"
	"github.com/teamshape/teamshape/internal/coaching"
)

// ---- resources ----

// Resources returns the organisation's resources in a competency ("" every one), by
// competency and title.
func (s *Service) Resources(ctx context.Context, a *app.Actor, competency string) ([]app.LearningResource, error) {
	return s.store.FindResources(ctx, a.OrgID, competency)
}

// SaveResource validates a curator's resource against the organisation's framework and
// stores it: a new one for id 0, else it replaces the resource with the id (ENOTFOUND if
// the organisation has none). Only leaders and admins curate: anyone else is EFORBIDDEN.
func (s *Service) SaveResource(ctx context.Context, a *app.Actor, id int64, in app.ResourceInput) (*app.LearningResource, error) {
	if err := mayCurate(a); err != nil {
		return nil, err
	}
	if id != 0 {
		if _, err := s.store.FindResourceByID(ctx, a.OrgID, id); err != nil {
			return nil, err
		}
	}
	fw, err := s.store.FindFramework(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	r, err := in.Resource(a.OrgID, fw)
	if err != nil {
		return nil, err
	}
	if id != 0 {
		r.ID = id
		return r, s.store.UpdateResource(ctx, r)
	}
	r.CreatedBy = &a.UserID
	return r, s.store.CreateResource(ctx, r)
}

// DeleteResource deletes a resource of the organisation; only leaders and admins may.
func (s *Service) DeleteResource(ctx context.Context, a *app.Actor, id int64) error {
	if err := mayCurate(a); err != nil {
		return err
	}
	return s.store.DeleteResource(ctx, a.OrgID, id)
}

// Catalogue is every resource of the organisation, as curators manage them, with the
// framework's active areas to file them under.
type Catalogue struct {
	Areas     []app.Area
	Resources []app.LearningResource
}

// Catalogue returns the resources to curate; only leaders and admins may.
func (s *Service) Catalogue(ctx context.Context, a *app.Actor) (*Catalogue, error) {
	if err := mayCurate(a); err != nil {
		return nil, err
	}
	fw, err := s.store.FindFramework(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	c := &Catalogue{Areas: fw.ActiveAreas()}
	if c.Resources, err = s.store.FindResources(ctx, a.OrgID, ""); err != nil {
		return nil, err
	}
	return c, nil
}

// ---- hit-lists ----

// HitList is the top resources of a competency for a person.
type HitList struct {
	PersonID       int64         `json:"person_id"`
	Competency     string        `json:"competency"`
	CompetencyName string        `json:"competency_name"`
	Market         string        `json:"market"`     // the person's, from their specialism tags ("" any)
	Background     string        `json:"background"` // the person's
	Items          []career.Pick `json:"items"`
}

// learnerProfile returns what a hit-list needs from a person's profile: their market (from
// their specialism tags) and their background.
func (s *Service) learnerProfile(ctx context.Context, personID int64) (market, background string, err error) {
	profiles, err := s.store.FindProfiles(ctx, []int64{personID})
	if err != nil {
		return "", "", err
	}
	if p := profiles[personID]; p != nil {
		market, background = career.MarketOf(p.Specialisms), p.BackgroundKey()
	}
	return market, background, nil
}

// Recommend returns the top resources of a competency for a person the actor may see
// (the fit reveals their level): ENOTFOUND for anyone else, EINVALID naming competency
// for one that is not an active competency of the framework.
func (s *Service) Recommend(ctx context.Context, a *app.Actor, personID int64, competency string) (*HitList, error) {
	if _, _, err := s.person(ctx, a, personID); err != nil {
		return nil, err
	}
	fw, err := s.store.FindFramework(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	comp := fw.ByKey(competency)
	if comp == nil || comp.Archived {
		return nil, app.Invalid("competency", "Unknown competency %q.", competency)
	}
	market, bg, err := s.learnerProfile(ctx, personID)
	if err != nil {
		return nil, err
	}
	eff, err := s.store.FindEffectiveRatings(ctx, a.OrgID, []int64{personID}, s.now())
	if err != nil {
		return nil, err
	}
	resources, err := s.store.FindResources(ctx, a.OrgID, comp.Key)
	if err != nil {
		return nil, err
	}
	h := &HitList{PersonID: personID, Competency: comp.Key, CompetencyName: comp.Name, Market: market, Background: bg}
	l := career.Learner{Market: market, Background: bg}
	for _, r := range eff {
		if r.Competency == comp.Key {
			l.Level = &r.Level
		}
	}
	h.Items = career.HitList(resources, comp.Key, l, career.HitListSize)
	return h, nil
}

// Pick is one resource of a hit list with why it fits, as the pages show it (the
// career core's type, named here so callers need not import the core).
type Pick = career.Pick

// PlanHitLists returns the top resources for each goal of a plan, fitted to the plan's PM
// at each goal's level now. The plan is one the actor has read through the coaching
// service, so they may see its levels.
func (s *Service) PlanHitLists(ctx context.Context, a *app.Actor, p *app.CoachingPlan) (map[string][]career.Pick, error) {
	resources, err := s.store.FindResources(ctx, a.OrgID, "")
	if err != nil {
		return nil, err
	}
	market, bg, err := s.learnerProfile(ctx, p.PersonID)
	if err != nil {
		return nil, err
	}
	out := map[string][]career.Pick{}
	for _, g := range p.Goals {
		out[g.Competency] = career.HitList(resources, g.Competency, career.Learner{Level: g.LevelNow, Market: market, Background: bg}, career.HitListSize)
	}
	return out, nil
}

// LearnPick is a resource of a hit-list with whether it is on the person's plan already.
type LearnPick struct {
	career.Pick
	OnPlan bool
}

// MarkOnPlan marks the picks whose link is an action of the plan (nil: none) already.
func MarkOnPlan(picks []career.Pick, plan *app.CoachingPlan) []LearnPick {
	var out []LearnPick
	for _, p := range picks {
		lp := LearnPick{Pick: p}
		if plan != nil {
			for _, a := range plan.Actions() {
				lp.OnPlan = lp.OnPlan || (a.ResourceURL != "" && a.ResourceURL == p.Resource.URL)
			}
		}
		out = append(out, lp)
	}
	return out
}

// planOf is the plan of the quarter among a person's plans, nil if none.
func planOf(plans []app.CoachingPlan, quarter string) *app.CoachingPlan {
	for i := range plans {
		if plans[i].Quarter == quarter {
			return &plans[i]
		}
	}
	return nil
}

// resourceVerbs start the description of the education action a resource becomes.
var resourceVerbs = map[string]string{
	"article": "Read", "book": "Read", "course": "Take", "talk": "Watch", "internal": "Work through",
}

// AddResourceToPlan adds a resource as an education action, owned by the PM (personID; 0
// the actor), to the goal in its competency of the PM's plan for the current quarter. Who
// may is the coaching service's rule: the PM and their leaders; anyone else gets ENOTFOUND.
// EINVALID names resource_id when none is chosen, plan when the quarter has no plan, and
// competency when the plan has no goal in the resource's competency.
func (s *Service) AddResourceToPlan(ctx context.Context, a *app.Actor, resourceID, personID int64) (*app.CoachingAction, error) {
	if resourceID <= 0 {
		return nil, app.Invalid("resource_id", "Choose a resource to add.")
	}
	if personID == 0 {
		personID = a.UserID
	}
	r, err := s.store.FindResourceByID(ctx, a.OrgID, resourceID)
	if err != nil {
		return nil, err
	}
	plans, _, err := s.coaching.Plans(ctx, a, personID)
	if err != nil {
		return nil, err
	}
	quarter := s.coaching.Quarter()
	plan := planOf(plans, quarter.String())
	if plan == nil {
		return nil, app.Invalid("plan", "There is no coaching plan for %s yet: a leader starts it, then resources can be added.", quarter)
	}
	desc := fmt.Sprintf("%s \u201c%s\u201d (%s).", resourceVerbs[r.Kind], r.Title, strings.ToLower(app.OptionLabel(app.ResourceKinds, r.Kind)))
	ac, err := s.coaching.AddAction(ctx, a, plan.ID, r.Competency, coaching.ActionInput{Kind: app.ActionEducation,
		Description: desc, OwnerID: personID, ResourceURL: r.URL, Status: app.ActionTodo})
	if app.ErrorField(err) == "competency" {
		return nil, app.Invalid("competency", "The plan for %s has no goal in %s: add the resource to a goal's competency.", plan.Quarter, r.CompetencyName)
	}
	return ac, err
}

// ---- the learning page ----

// maxGapLinks is how many of the largest gaps Learn offers as shortcuts.
const maxGapLinks = 3

// LearnView is what the actor's learning page shows: the hit-list of a competency fitted
// to them, marked against their plan for the quarter, with shortcuts to their goals and
// largest gaps.
type LearnView struct {
	Areas      []app.Area
	Competency string
	List       *HitList
	Picks      []LearnPick
	Level      *int             // the actor's effective level in the competency, nil if not rated
	Goals      []CompetencyLink // the current plan's goals
	Gaps       []CompetencyLink // the largest gaps to the title
	Plan       *app.CoachingPlan
	HasGoal    bool // the current plan has a goal in the competency
	Quarter    string
}

// Learn returns the actor's learning view of a competency; without one, of their first
// goal this quarter, else of their largest gap to their title. A competency that is not an
// active one of the framework is EINVALID.
func (s *Service) Learn(ctx context.Context, a *app.Actor, competency string) (*LearnView, error) {
	me, _, err := s.person(ctx, a, a.UserID)
	if err != nil {
		return nil, err
	}
	fw, err := s.store.FindFramework(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	eff, err := s.store.FindEffectiveRatings(ctx, a.OrgID, []int64{a.UserID}, s.now())
	if err != nil {
		return nil, err
	}
	ladder, err := s.store.FindLadder(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	v := &LearnView{Areas: fw.ActiveAreas(), Quarter: s.coaching.Quarter().String()}
	plans, _, err := s.coaching.Plans(ctx, a, a.UserID)
	if err != nil {
		return nil, err
	}
	if v.Plan = planOf(plans, v.Quarter); v.Plan != nil {
		for _, g := range v.Plan.Goals {
			v.Goals = append(v.Goals, CompetencyLink{Key: g.Competency, Name: g.CompetencyName, Note: fmt.Sprintf("goal: level %d", g.TargetLevel)})
		}
	}
	ratings := app.SummarizeRatings(fw.InScope(me.TitleKey()), nil, eff, ladder[me.TitleKey()])
	gaps := slices.Clone(ratings)
	slices.SortStableFunc(gaps, func(x, y app.CompetencyRatings) int { return gapOf(y) - gapOf(x) })
	for _, cr := range gaps {
		if gapOf(cr) > 0 && len(v.Gaps) < maxGapLinks {
			v.Gaps = append(v.Gaps, CompetencyLink{Key: cr.Competency, Name: cr.Name, Note: fmt.Sprintf("%d below your title", gapOf(cr))})
		}
	}
	v.Competency = competency
	switch {
	case v.Competency != "":
	case len(v.Goals) > 0:
		v.Competency = v.Goals[0].Key
	case len(v.Gaps) > 0:
		v.Competency = v.Gaps[0].Key
	}
	if v.Competency == "" {
		return v, nil
	}
	if v.List, err = s.Recommend(ctx, a, a.UserID, v.Competency); err != nil {
		return nil, err
	}
	v.Picks = MarkOnPlan(v.List.Items, v.Plan)
	for _, cr := range ratings {
		if cr.Competency == v.Competency && cr.Effective != nil {
			l := cr.Effective.Level
			v.Level = &l
		}
	}
	for _, g := range v.Goals {
		v.HasGoal = v.HasGoal || g.Key == v.Competency
	}
	return v, nil
}

// gapOf is how far a competency's effective level is below the title's expectation (0 when
// at or above it, or when either is unknown).
func gapOf(cr app.CompetencyRatings) int {
	if cr.Effective == nil || cr.Expected == nil {
		return 0
	}
	return max(0, *cr.Expected-cr.Effective.Level)
}
