package demo

import (
	"context"
	"time"

	"github.com/teamshape/teamshape/internal/app"
)

// competencyOrder is the order of the level strings below (the shipped framework's order).
var competencyOrder = []string{
	"specification", "delivery", "quality_launch",
	"customer_research", "user_experience", "analytics",
	"product_innovation", "vision_roadmap", "business_outcomes", "market_domain",
	"customer_relationships", "stakeholder_partnership", "communication",
	"operating_model", "coaching", "team_wellbeing",
}

// leaderLevels are each demo PM's current levels as their leader rates them, one digit per
// competency ('.' = not assessed). They make an interesting Growth team: Maya is deep in
// execution, Omar in relationships, Sofia is the only one covering research and UX (a
// key-person risk), nobody is deep in market knowledge, and the team's one lead is thin on
// well-being.
var leaderLevels = map[string]string{
	"pm@demo.test":       "5542232322133",
	"pm2@demo.test":      "2122212232544",
	"pm3@demo.test":      "3234523211233",
	"pm4@demo.test":      "1112232121122",
	"pm5@demo.test":      "3332343432344",
	"pm6@demo.test":      "3432222332344432",
	"other-pm@demo.test": "3452322222233",
}

// selfLevels differ from the leader's in places, so the page shows discussion flags.
var selfLevels = map[string]string{
	"pm@demo.test":  "5543333322333",
	"pm2@demo.test": "4232313342554",
	"pm3@demo.test": "3335523221233",
}

// seedRatings records two quarters of history for each demo PM, once: an older leader
// rating a level lower in every third competency, the current leader rating, and self
// ratings. It does nothing for a person who already has ratings.
func seedRatings(ctx context.Context, st Seeder, org *app.Organisation, ids map[string]int64) error {
	leader := map[string]int64{"other-pm@demo.test": ids["other-leader@demo.test"]}
	now := time.Now()
	for email, levels := range leaderLevels {
		subject := ids[email]
		existing, err := st.FindEffectiveRatings(ctx, org.ID, []int64{subject}, now.Add(time.Hour))
		if err != nil {
			return err
		}
		if len(existing) > 0 {
			continue
		}
		rater := leader[email]
		if rater == 0 {
			rater = ids["leader@demo.test"]
		}
		batches := []app.RatingBatch{
			{Kind: app.RatingLeader, RaterID: rater, At: now.AddDate(0, -7, 0), Ratings: parseLevels(levels, -1, "Quarterly review")},
			{Kind: app.RatingLeader, RaterID: rater, At: now.AddDate(0, -4, 0), Ratings: parseLevels(levels, 0, "Quarterly review")},
			{Kind: app.RatingLeader, RaterID: rater, At: now.AddDate(0, 0, -12), Ratings: parseLevels(levels, 0, "Quarterly review")},
		}
		if s, ok := selfLevels[email]; ok {
			batches = append(batches, app.RatingBatch{Kind: app.RatingSelf, RaterID: subject, At: now.AddDate(0, 0, -20), Ratings: parseLevels(s, 0, "Self-assessment")})
		}
		for _, b := range batches {
			b.OrgID, b.SubjectID = org.ID, subject
			if err := st.RecordRatings(ctx, b); err != nil {
				return err
			}
		}
	}
	return nil
}

// parseLevels turns a digit string into ratings; with delta -1, every third level is one lower.
func parseLevels(s string, delta int, note string) []app.RatingInput {
	var out []app.RatingInput
	for i, ch := range s {
		if ch < '0' || ch > '5' || i >= len(competencyOrder) {
			continue
		}
		l := int(ch - '0')
		if delta != 0 && i%3 == 0 && l > 0 {
			l += delta
		}
		out = append(out, app.RatingInput{Competency: competencyOrder[i], Level: &l, Note: note})
	}
	return out
}
