package pgtest

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/postgres"
)

// GenSpec describes a generated organisation for benchmarks and load tests.
type GenSpec struct {
	Slug    string // organisation slug; e-mails are pm<n>@<slug>.test, leader<t>@…, admin@…, hr@…
	Teams   int
	PerTeam int // PMs per team; the first of each team is a Group PM (a lead)
	// PasswordHash is given to the admin, the leaders and the HR partner (not to the PMs).
	PasswordHash string
	Now          time.Time // zero: time.Now()
}

// GenOrg is what GenerateOrg made.
type GenOrg struct {
	Org     *app.Organisation
	TeamIDs []int64
	PMs     int
	Ratings int
}

// genRatings records, for every member and competency in their scope, four quarterly leader
// ratings that rise over time and one self-assessment, about one in twelve left unassessed.
// Levels come from hashes of the ids, so a spec always yields the same organisation.
const genRatings = `
WITH m AS (
    SELECT tm.team_id, tm.user_id, u.title, l.user_id AS leader_id
    FROM team_members tm
    JOIN users u ON u.id = tm.user_id
    JOIN team_members l ON l.team_id = tm.team_id AND l.role = 'leader'
    WHERE tm.team_id = ANY($2) AND tm.role = 'member'
),
base AS (
    SELECT m.*, c.id AS competency_id,
           abs(hashtext(m.user_id || ':' || c.key)::bigint) AS h
    FROM m JOIN competencies c ON c.org_id = $1 AND NOT c.archived AND (NOT c.leads_only OR m.title = 'group_pm')
),
levelled AS (
    SELECT base.*, CASE WHEN h % 100 < 6 THEN 0 WHEN h % 100 < 16 THEN 1 WHEN h % 100 < 40 THEN 2
                        WHEN h % 100 < 72 THEN 3 WHEN h % 100 < 92 THEN 4 ELSE 5 END AS level
    FROM base WHERE h % 12 <> 0
)
INSERT INTO ratings (org_id, subject_id, rater_id, kind, competency_id, level, note, created_at)
SELECT $1, user_id, leader_id, 'leader', competency_id,
       greatest(0, level - CASE WHEN (h / 7) % 4 < 3 - k THEN 1 ELSE 0 END),
       'Quarterly review', $3::timestamptz - make_interval(days => (10 + 91 * (3 - k) + h % 20)::int)
FROM levelled, generate_series(0, 3) AS k
UNION ALL
SELECT $1, user_id, user_id, 'self', competency_id, least(5, greatest(0, level + (h / 11) % 3 - 1)),
       'Self-assessment', $3::timestamptz - make_interval(days => (20 + h % 30)::int)
FROM levelled`

// GenerateOrg creates an organisation of spec.Teams teams of spec.PerTeam PMs with a leader
// each, one HR partner of every team, an admin, a rating history and some team targets, with
// set-based SQL (a few statements, whatever the size).
func GenerateOrg(ctx context.Context, db *postgres.DB, spec GenSpec) (*GenOrg, error) {
	if spec.Teams <= 0 || spec.PerTeam <= 0 {
		return nil, fmt.Errorf("genorg: teams and per-team must be positive")
	}
	now := spec.Now
	if now.IsZero() {
		now = time.Now()
	}
	// The organisation with its default framework, as the product creates one; then the
	// teams, people and ratings in one transaction.
	org, err := db.CreateOrganisation(ctx, spec.Slug, "Generated "+spec.Slug)
	if err != nil {
		return nil, wrap(err)
	}
	out := &GenOrg{Org: org, PMs: spec.Teams * spec.PerTeam}
	err = db.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := tx.SelectContext(ctx, &out.TeamIDs, `
			INSERT INTO teams (org_id, name, description)
			SELECT $1, 'Team ' || lpad(t::text, 3, '0'), 'Generated team ' || t
			FROM generate_series(1, $2) t ORDER BY t RETURNING id`, org.ID, spec.Teams); err != nil {
			return wrap(err)
		}
		// People: PMs pm1..pmN (team t holds pm (t-1)·k+1 … t·k), leaders, one admin, one HR.
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO users (org_id, email, name, role, title, password_hash)
			SELECT $1::bigint, 'pm' || g || '@' || $2::text || '.test', 'PM ' || g, 'pm',
			       CASE WHEN g % $3::int = 1 OR $3::int = 1 THEN 'group_pm'
			            ELSE (ARRAY['apm', 'pm', 'senior_pm', 'principal_pm'])[1 + g % 4] END, ''
			FROM generate_series(1, $4::int) g
			UNION ALL
			SELECT $1, 'leader' || t || '@' || $2 || '.test', 'Leader ' || t, 'leader', 'group_pm', $5::text
			FROM generate_series(1, $6::int) t
			UNION ALL SELECT $1, 'admin@' || $2 || '.test', 'Admin', 'admin', NULL, $5
			UNION ALL SELECT $1, 'hr@' || $2 || '.test', 'HR Partner', 'hr', NULL, $5`,
			org.ID, spec.Slug, spec.PerTeam, out.PMs, spec.PasswordHash, spec.Teams); err != nil {
			return wrap(err)
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO team_members (team_id, user_id, role)
			SELECT ($3::bigint[])[(substring(u.email FROM '^pm([0-9]+)@')::int - 1) / $2 + 1], u.id, 'member'
			FROM users u WHERE u.org_id = $1 AND u.role = 'pm'
			UNION ALL
			SELECT ($3::bigint[])[substring(u.email FROM '^leader([0-9]+)@')::int], u.id, 'leader'
			FROM users u WHERE u.org_id = $1 AND u.role = 'leader'
			UNION ALL
			SELECT t, u.id, 'hr_partner' FROM users u, unnest($3::bigint[]) t WHERE u.org_id = $1 AND u.role = 'hr'`,
			org.ID, spec.PerTeam, pq.Array(out.TeamIDs)); err != nil {
			return wrap(err)
		}
		res, err := tx.ExecContext(ctx, genRatings, org.ID, pq.Array(out.TeamIDs), now)
		if err != nil {
			return wrap(err)
		}
		n, _ := res.RowsAffected()
		out.Ratings = int(n)
		// About one team-competency pair in five gets an explicit target.
		_, err = tx.ExecContext(ctx, `
			INSERT INTO team_targets (team_id, competency_id, coverage, depth, criticality)
			SELECT t, c.id, 1 + h % 3, 3 + h % 3, 1 + (h / 3) % 3
			FROM unnest($2::bigint[]) t JOIN competencies c ON c.org_id = $1,
			     LATERAL (SELECT abs(hashtext(t || '/' || c.key)::bigint) AS h) x
			WHERE h % 5 = 0`, org.ID, pq.Array(out.TeamIDs))
		return wrap(err)
	})
	if err != nil {
		return nil, err
	}
	_, err = db.ExecContext(ctx, `ANALYZE`)
	return out, wrap(err)
}

// wrap names the generator in an error.
func wrap(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("pgtest: generate organisation: %w", err)
}

// LatestPerRater is the baseline the organisation view is measured against (the benchmarks
// BenchmarkOrgRollup and BenchmarkDashboardOrg): PostgreSQL alone finding every rater's
// latest rating in the organisation's ($1) history, the least any recomputation of
// effective ratings from that history must do.
const LatestPerRater = `
SELECT DISTINCT ON (subject_id, competency_id, rater_id, kind) subject_id, competency_id, rater_id, kind, level, created_at
FROM ratings WHERE org_id = $1
ORDER BY subject_id, competency_id, rater_id, kind, created_at DESC, id DESC`
