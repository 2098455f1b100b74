// Command genorg generates a large organisation for benchmarks and load tests: teams of PMs
// with a leader each, one HR partner of every team, an admin, four quarters of leader ratings
// and a self-assessment per PM and competency, and some team targets.
//
//	go run ./scripts/genorg -db "$DATABASE_URL" -slug big -teams 250 -per-team 20 -password load-test-password
//
// Sign in as admin@big.test, leader1@big.test … or hr@big.test with the password.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/teamshape/teamshape/internal/auth"
	"github.com/teamshape/teamshape/internal/postgres"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

func main() {
	dbURL := flag.String("db", os.Getenv("DATABASE_URL"), "database URL (default $DATABASE_URL)")
	slug := flag.String("slug", "big", "organisation slug (must not exist yet)")
	teams := flag.Int("teams", 250, "number of teams")
	perTeam := flag.Int("per-team", 20, "PMs per team")
	password := flag.String("password", "load-test-password", "password of the admin, leaders and HR partner")
	flag.Parse()
	if err := run(*dbURL, *slug, *teams, *perTeam, *password); err != nil {
		fmt.Fprintln(os.Stderr, "genorg:", err)
		os.Exit(1)
	}
}

func run(dbURL, slug string, teams, perTeam int, password string) error {
	ctx := context.Background()
	db, err := postgres.Open(ctx, dbURL, 2)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	start := time.Now()
	g, err := pgtest.GenerateOrg(ctx, db, pgtest.GenSpec{Slug: slug, Teams: teams, PerTeam: perTeam, PasswordHash: hash})
	if err != nil {
		return err
	}
	fmt.Printf("organisation %q (id %d): %d teams, %d PMs, %d ratings in %s\n",
		slug, g.Org.ID, len(g.TeamIDs), g.PMs, g.Ratings, time.Since(start).Round(time.Millisecond))
	fmt.Printf("sign in as admin@%s.test, leader1@%s.test … leader%d@%s.test or hr@%s.test\n", slug, slug, teams, slug, slug)
	return nil
}
