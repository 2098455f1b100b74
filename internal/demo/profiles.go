package demo

import (
	"context"
	"time"

	"github.com/teamshape/teamshape/internal/app"
)

// demoProfile is what a demo PM keeps on their profile besides the background.
type demoProfile struct {
	monthsInRole int
	specialisms  []string
	spikes       []string
}

// profiles give the demo PMs start dates on both sides of the 18–36-month window.
var profiles = map[string]demoProfile{
	"leader@demo.test":       {30, []string{"growth", "b2c"}, []string{"management"}},
	"pm@demo.test":           {26, []string{"technical", "platform", "b2c"}, []string{"advancement_speed"}},
	"pm2@demo.test":          {11, []string{"growth", "b2b", "fintech"}, []string{"compensation", "industry_expertise"}},
	"pm3@demo.test":          {40, []string{"b2c", "edtech"}, []string{"social_impact"}},
	"pm4@demo.test":          {5, []string{"data", "growth"}, []string{"advancement_speed"}},
	"pm5@demo.test":          {20, []string{"data", "ai_ml", "b2b"}, []string{"industry_expertise"}},
	"pm6@demo.test":          {15, []string{"growth"}, []string{"management"}},
	"other-leader@demo.test": {34, []string{"platform"}, []string{"management"}},
	"other-pm@demo.test":     {19, []string{"platform", "technical"}, []string{"advancement_speed"}},
}

// seedProfiles gives each demo PM a profile (background, start date in role,
// specialisms, spikes), once: a profile someone has already saved is left alone.
func seedProfiles(ctx context.Context, st Seeder, ids map[string]int64) error {
	today := time.Now().UTC().Truncate(24 * time.Hour)
	var userIDs []int64
	for _, p := range People {
		userIDs = append(userIDs, ids[p.Email])
	}
	existing, err := st.FindProfiles(ctx, userIDs)
	if err != nil {
		return err
	}
	for _, p := range People {
		dp, ok := profiles[p.Email]
		if !ok || existing[ids[p.Email]] != nil {
			continue
		}
		bg, started := p.Background, today.AddDate(0, -dp.monthsInRole, -3)
		pr := &app.Profile{UserID: ids[p.Email], Background: &bg, RoleStartedOn: &started,
			Specialisms: dp.specialisms, Spikes: dp.spikes}
		if err := st.UpsertProfile(ctx, pr); err != nil {
			return err
		}
	}
	return nil
}
