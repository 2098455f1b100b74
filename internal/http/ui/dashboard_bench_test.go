package ui

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/assets"
	"github.com/teamshape/teamshape/internal/coaching"
	"github.com/teamshape/teamshape/internal/cycles"
	"github.com/teamshape/teamshape/internal/dashboards"
	"github.com/teamshape/teamshape/internal/http/kit"
	"github.com/teamshape/teamshape/internal/people"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
	"github.com/teamshape/teamshape/web"
)

// teamRender is a team dashboard loaded once (pgtest.GenerateOrg's first team of 20 PMs ×
// 16 competencies, as its leader) with what rendering it needs: the pages and a request.
type teamRender struct {
	pages *Pages
	c     *fiber.Ctx
	data  teamData
	bar   asOfBar
}

func newTeamRender(tb testing.TB, view string) *teamRender {
	tb.Helper()
	ctx := context.Background()
	db := pgtest.MustOpenDB(tb)
	g, err := pgtest.GenerateOrg(ctx, db, pgtest.GenSpec{Slug: "bench", Teams: 1, PerTeam: 20})
	if err != nil {
		tb.Fatal(err)
	}
	u, err := db.FindUserByEmail(ctx, g.Org.ID, "leader1@bench.test")
	if err != nil {
		tb.Fatal(err)
	}
	actor := &app.Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role, Name: u.Name, Email: u.Email}
	static, err := assets.New(web.Static(), "/static/")
	if err != nil {
		tb.Fatal(err)
	}
	tmpl, err := ParsePages(static)
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Now
	dash := dashboards.New(db, people.New(db), now)
	teamID := g.TeamIDs[0]
	v, t, err := dash.TeamPage(ctx, actor, teamID, now())
	if err != nil {
		tb.Fatal(err)
	}
	d := teamData{Team: v, Access: t.Access, F: t.Figures()}
	d.Series = t.Series(d.F)
	if d.Flags, err = cycles.New(db, coaching.New(db, now), now).TeamFlags(ctx, actor, teamID); err != nil {
		tb.Fatal(err)
	}
	h, err := dash.Heatmap(ctx, actor, t, view)
	if err != nil {
		tb.Fatal(err)
	}
	d.Heatmap = &h
	fa := fiber.New()
	c := fa.AcquireCtx(&fasthttp.RequestCtx{})
	tb.Cleanup(func() { fa.ReleaseCtx(c) })
	c.Locals(kit.ActorKey, actor)
	today := now().Format(time.DateOnly)
	return &teamRender{pages: &Pages{Deps: &kit.Deps{Templates: tmpl}}, c: c, data: d,
		bar: asOfBar{AsOf: today, Today: today}}
}

// content lays the dashboard out and renders team.html's content, as PageTeam does on a
// view cache miss once the data is loaded.
func (r *teamRender) content(view string) (string, error) {
	p, err := layoutTeamPage(r.data, view, r.bar)
	if err != nil {
		return "", err
	}
	return r.pages.RenderContent(r.c, "team.html", kit.Page{Data: p})
}

// BenchmarkTeamPageRender: the CPU of the team dashboard's content once its data is
// loaded (layout and template), for its leader: go test -run '^$' -bench TeamPageRender
// ./internal/http/ui. p50-ms is the median of the iterations.
func BenchmarkTeamPageRender(b *testing.B) {
	r := newTeamRender(b, dashboards.ViewEffective)
	if _, err := r.content(dashboards.ViewEffective); err != nil { // warm the chart cache
		b.Fatal(err)
	}
	times := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		body, err := r.content(dashboards.ViewEffective)
		times = append(times, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(body)))
	}
	b.StopTimer()
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
}
