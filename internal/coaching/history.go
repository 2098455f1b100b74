package coaching

import (
	"context"
	"time"

	"github.com/teamshape/teamshape/internal/app"
)

// historyQuarters is how many quarters before the plan's a goal's history shows.
const historyQuarters = 3

// History is a person's effective rating per competency at a few dates: the end of each of
// the three quarters before the plan's, and the plan's last day (or today, if sooner).
type History struct {
	Dates  []string
	Levels map[string][]*int // competency key → level at each date (nil: not assessed)
}

// History reads the history of the plan's person from the effective ratings as of each date.
func (s *Service) History(ctx context.Context, a *app.Actor, p *app.CoachingPlan) (*History, error) {
	q, err := app.ParseQuarter(p.Quarter)
	if err != nil {
		return nil, err
	}
	last := q.End()
	if today := s.Today(); today.Before(last.Time) {
		last = today
	}
	from := q
	for range historyQuarters {
		from = from.Prev()
	}
	var days []app.Date
	for qq := from; qq != q; qq = qq.Next() {
		if qq.End().Before(last.Time) {
			days = append(days, qq.End())
		}
	}
	days = append(days, last)

	h := &History{Levels: map[string][]*int{}}
	for i, d := range days {
		// As of the end of the day: ratings made on it count.
		all, err := s.levels(ctx, a.OrgID, []int64{p.PersonID}, d.Add(24*time.Hour))
		if err != nil {
			return nil, err
		}
		h.Dates = append(h.Dates, d.String())
		for _, g := range p.Goals {
			if h.Levels[g.Competency] == nil {
				h.Levels[g.Competency] = make([]*int, len(days))
			}
			if l, ok := all[p.PersonID][g.Competency]; ok {
				h.Levels[g.Competency][i] = &l
			}
		}
	}
	return h, nil
}
