package postgres

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/teamshape/teamshape/internal/app"
)

// FindImportState loads what planning an import needs: the organisation's people with the
// e-mails (with their backgrounds and teams), its teams, and their effective ratings.
// Another organisation's accounts are never read: whether an address has one must not
// change what an import says.
func (db *DB) FindImportState(ctx context.Context, orgID int64, emails []string) (*app.ImportState, error) {
	lower := make([]string, len(emails))
	for i, e := range emails {
		lower[i] = strings.ToLower(e)
	}
	var people []app.ImportPerson
	err := db.SelectContext(ctx, &people, `
		SELECT u.id, u.org_id, u.email, u.name, u.role, u.title, u.active, p.background
		FROM users u LEFT JOIN profiles p ON p.user_id = u.id
		WHERE u.org_id = $1 AND lower(u.email) = ANY($2)`, orgID, pq.Array(lower))
	if err != nil {
		return nil, mapErr(err)
	}
	st := &app.ImportState{People: make(map[string]*app.ImportPerson, len(people)), Effective: map[int64]map[string]int{}}
	var own []int64
	byID := map[int64]*app.ImportPerson{}
	for i := range people {
		p := &people[i]
		p.Teams = map[int64]string{}
		st.People[strings.ToLower(p.Email)] = p
		own = append(own, p.ID)
		byID[p.ID] = p
	}
	var members []struct {
		UserID int64  `db:"user_id"`
		TeamID int64  `db:"team_id"`
		Role   string `db:"role"`
	}
	if err := db.SelectContext(ctx, &members, `
		SELECT m.user_id, m.team_id, m.role FROM team_members m JOIN teams t ON t.id = m.team_id
		WHERE t.org_id = $1 AND m.user_id = ANY($2)`, orgID, pq.Array(own)); err != nil {
		return nil, mapErr(err)
	}
	for _, m := range members {
		byID[m.UserID].Teams[m.TeamID] = m.Role
	}
	if err := db.SelectContext(ctx, &st.Teams, `
		SELECT id, org_id, name, description, created_at FROM teams WHERE org_id = $1 ORDER BY name, id`, orgID); err != nil {
		return nil, mapErr(err)
	}
	var invited []string
	if err := db.SelectContext(ctx, &invited, `
		SELECT lower(i.email) FROM invitations i
		WHERE i.org_id = $1 AND lower(i.email) = ANY($2) AND `+openInvitation, orgID, pq.Array(lower)); err != nil {
		return nil, mapErr(err)
	}
	st.Invited = make(map[string]bool, len(invited))
	for _, e := range invited {
		st.Invited[e] = true
	}
	ratings, err := db.FindEffectiveRatings(ctx, orgID, own, db.now())
	if err != nil {
		return nil, err
	}
	for _, r := range ratings {
		if st.Effective[r.UserID] == nil {
			st.Effective[r.UserID] = map[string]int{}
		}
		st.Effective[r.UserID][r.Competency] = r.Level
	}
	return st, nil
}

// ApplyImport applies a plan in one transaction: people, backgrounds, memberships, the
// ratings (by COPY: 100,000 take about a second) and one audit entry. Anything failing
// rolls it all back.
func (db *DB) ApplyImport(ctx context.Context, p *app.ImportPlan) error {
	if !p.OK() {
		return app.Errorf(app.EINVALID, "The import has problems; nothing was imported.")
	}
	fw, err := db.FindFramework(ctx, p.OrgID)
	if err != nil {
		return err
	}
	return db.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := insertImportedPeople(ctx, tx, p); err != nil {
			return err
		}
		if err := updateImportedPeople(ctx, tx, p); err != nil {
			return err
		}
		if err := copyImportedRatings(ctx, tx, fw, p, db.now()); err != nil {
			return err
		}
		for _, inv := range p.Invitations {
			if err := insertInvitation(ctx, tx, inv.Invitation, inv.TokenHash, &inv.Mail); err != nil {
				if app.ErrorCode(err) == app.ECONFLICT {
					return &app.Error{Code: app.ECONFLICT, Field: "email", Message: inv.Invitation.Email +
						" was added or invited meanwhile; preview the file again."}
				}
				return err
			}
		}
		return recordAudit(ctx, tx, app.AuditEntry{OrgID: p.OrgID, ActorID: p.ImporterID, TeamID: p.TeamID,
			Action: app.AuditImport, Entity: "import", Summary: importSummary(p.Summary), After: importAudit(p)})
	})
}

// insertImportedPeople creates the new people (role pm) and sets their ids in the plan.
func insertImportedPeople(ctx context.Context, tx *sqlx.Tx, p *app.ImportPlan) error {
	var emails, names, titles, hashes []string
	index := map[string]*app.ImportPersonPlan{}
	for i := range p.People {
		pp := &p.People[i]
		if !pp.New {
			continue
		}
		if pp.PasswordHash == "" {
			return app.Errorf(app.EINTERNAL, "import: a new person has no password hash")
		}
		emails, names, titles, hashes = append(emails, pp.Email), append(names, pp.Name), append(titles, pp.Title), append(hashes, pp.PasswordHash)
		index[strings.ToLower(pp.Email)] = pp
	}
	if len(emails) == 0 {
		return nil
	}
	rows, err := tx.QueryxContext(ctx, `
		INSERT INTO users (org_id, email, name, role, title, password_hash)
		SELECT $1, e, n, 'pm', NULLIF(t, ''), h FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS u(e, n, t, h)
		RETURNING id, lower(email)`, p.OrgID, pq.Array(emails), pq.Array(names), pq.Array(titles), pq.Array(hashes))
	if err != nil {
		if app.ErrorCode(mapErr(err)) == app.ECONFLICT {
			return &app.Error{Code: app.ECONFLICT, Field: "email", Message: "Someone with one of these e-mails was added meanwhile; preview the file again."}
		}
		return mapErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var email string
		if err := rows.Scan(&id, &email); err != nil {
			return mapErr(err)
		}
		index[email].UserID = id
	}
	if err := rows.Err(); err != nil {
		if app.ErrorCode(mapErr(err)) == app.ECONFLICT {
			return &app.Error{Code: app.ECONFLICT, Field: "email", Message: "Someone with one of these e-mails was added meanwhile; preview the file again."}
		}
		return mapErr(err)
	}
	return nil
}

// updateImportedPeople applies names, titles, backgrounds and team memberships.
func updateImportedPeople(ctx context.Context, tx *sqlx.Tx, p *app.ImportPlan) error {
	var ids, bgIDs, teamIDs, memberIDs []int64
	var names, titles, backgrounds []string
	for _, pp := range p.People {
		if pp.Invite {
			continue // the invitation holds their name and team
		}
		if !pp.New && len(pp.Changes) > 0 {
			ids, names, titles = append(ids, pp.UserID), append(names, pp.Name), append(titles, pp.Title)
		}
		if pp.Background != "" && (pp.New || len(pp.Changes) > 0) {
			bgIDs, backgrounds = append(bgIDs, pp.UserID), append(backgrounds, pp.Background)
		}
		if pp.JoinTeamID != 0 {
			teamIDs, memberIDs = append(teamIDs, pp.JoinTeamID), append(memberIDs, pp.UserID)
		}
	}
	if len(ids) > 0 {
		if _, err := tx.ExecContext(ctx, `
			UPDATE users u SET name = v.n, title = NULLIF(v.t, ''), updated_at = now()
			FROM unnest($2::bigint[], $3::text[], $4::text[]) AS v(id, n, t)
			WHERE u.id = v.id AND u.org_id = $1`, p.OrgID, pq.Array(ids), pq.Array(names), pq.Array(titles)); err != nil {
			return mapErr(err)
		}
	}
	if len(bgIDs) > 0 {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO profiles (user_id, background) SELECT u, b FROM unnest($1::bigint[], $2::text[]) AS v(u, b)
			ON CONFLICT (user_id) DO UPDATE SET background = EXCLUDED.background, updated_at = now()`,
			pq.Array(bgIDs), pq.Array(backgrounds)); err != nil {
			return mapErr(err)
		}
	}
	if len(teamIDs) > 0 {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO team_members (team_id, user_id, role)
			SELECT t, u, 'member' FROM unnest($1::bigint[], $2::bigint[]) AS v(t, u)
			ON CONFLICT (team_id, user_id) DO NOTHING`, pq.Array(teamIDs), pq.Array(memberIDs)); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// copyImportedRatings stores the rating changes as leader ratings by the importer, noted
// "imported", with PostgreSQL's COPY.
func copyImportedRatings(ctx context.Context, tx *sqlx.Tx, fw *app.Framework, p *app.ImportPlan, at time.Time) error {
	if p.Summary.RatingChanges == 0 {
		return nil
	}
	ids := map[string]int64{}
	for _, c := range fw.Competencies {
		ids[c.Key] = c.ID
	}
	stmt, err := tx.PrepareContext(ctx, `COPY ratings (org_id, subject_id, rater_id, kind, competency_id, level, note, created_at) FROM STDIN`)
	if err != nil {
		return mapErr(err)
	}
	for _, pp := range p.People {
		for _, r := range pp.Ratings {
			if _, err := stmt.ExecContext(ctx, p.OrgID, pp.UserID, p.ImporterID, app.RatingLeader, ids[r.Competency], r.To, app.ImportNote, at); err != nil {
				stmt.Close()
				return mapErr(err)
			}
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		stmt.Close()
		return mapErr(err)
	}
	return mapErr(stmt.Close())
}

func importSummary(s app.ImportSummary) string {
	return itoa(s.Rows) + " rows · " + itoa(s.NewPeople) + " new · " + itoa(s.ChangedPeople) + " changed · " +
		itoa(s.NewMemberships) + " joined a team · " + itoa(s.RatingChanges) + " ratings" + invitedSummary(s.Invitations)
}

func invitedSummary(n int) string {
	if n == 0 {
		return ""
	}
	return " · " + itoa(n) + " invited"
}

// importAudit is the import's after: the file's hash, the counts, who was created, and
// what changed about whom (ratings by count: the ratings table holds them, noted "imported").
func importAudit(p *app.ImportPlan) json.RawMessage {
	type person struct {
		UserID  int64                   `json:"user_id"`
		Email   string                  `json:"email"`
		New     bool                    `json:"new,omitempty"`
		Changes []app.ImportFieldChange `json:"changes,omitempty"`
		Joined  int64                   `json:"joined_team_id,omitempty"`
		Ratings int                     `json:"ratings,omitempty"`
		Invited bool                    `json:"invited,omitempty"`
	}
	var people []person
	for _, pp := range p.People {
		if pp.Changed() {
			joined := pp.JoinTeamID
			if pp.Invite {
				joined = 0 // joins on accepting; the invitation's own audit entry names the team
			}
			people = append(people, person{UserID: pp.UserID, Email: pp.Email, New: pp.New, Changes: pp.Changes,
				Joined: joined, Ratings: len(pp.Ratings), Invited: pp.Invite})
		}
	}
	return auditJSON(map[string]any{"hash": p.Hash, "summary": p.Summary, "people": people})
}

// exportSections are the parts of an organisation backup, in order: each query selects
// one jsonb value for the organisation $1. Password hashes and private notes' text are
// left out. Features add their tables here.
var exportSections = []struct{ name, query string }{
	{"organisation", `SELECT to_jsonb(o) FROM organisations o WHERE o.id = $1`},
	{"settings", `SELECT to_jsonb(s) - 'org_id' FROM org_settings s WHERE s.org_id = $1`},
	{"users", `SELECT COALESCE(jsonb_agg(to_jsonb(u) - 'password_hash' ORDER BY u.id), '[]') FROM users u WHERE u.org_id = $1`},
	{"teams", `SELECT COALESCE(jsonb_agg(to_jsonb(t) ORDER BY t.id), '[]') FROM teams t WHERE t.org_id = $1`},
	{"team_members", `SELECT COALESCE(jsonb_agg(to_jsonb(m) ORDER BY m.team_id, m.user_id), '[]')
		FROM team_members m JOIN teams t ON t.id = m.team_id WHERE t.org_id = $1`},
	{"competency_areas", `SELECT COALESCE(jsonb_agg(to_jsonb(a) ORDER BY a.position, a.id), '[]') FROM competency_areas a WHERE a.org_id = $1`},
	{"competencies", `SELECT COALESCE(jsonb_agg(to_jsonb(c) ORDER BY c.position, c.id), '[]') FROM competencies c WHERE c.org_id = $1`},
	{"ladder_levels", `SELECT COALESCE(jsonb_agg(to_jsonb(l) - 'org_id' || jsonb_build_object('competency', c.key)
		ORDER BY l.title, c.position), '[]') FROM ladder_levels l JOIN competencies c ON c.id = l.competency_id WHERE l.org_id = $1`},
	{"profiles", `SELECT COALESCE(jsonb_agg(to_jsonb(p) ORDER BY p.user_id), '[]')
		FROM profiles p JOIN users u ON u.id = p.user_id WHERE u.org_id = $1`},
	{"ratings", `SELECT COALESCE(jsonb_agg(to_jsonb(r) - 'org_id' || jsonb_build_object('competency', c.key) ORDER BY r.id), '[]')
		FROM ratings r JOIN competencies c ON c.id = r.competency_id WHERE r.org_id = $1`},
	{"peer_requests", `SELECT COALESCE(jsonb_agg(to_jsonb(p) - 'org_id' ORDER BY p.id), '[]') FROM peer_requests p WHERE p.org_id = $1`},
	{"team_targets", `SELECT COALESCE(jsonb_agg(to_jsonb(g) || jsonb_build_object('competency', c.key) ORDER BY g.team_id, c.position), '[]')
		FROM team_targets g JOIN teams t ON t.id = g.team_id JOIN competencies c ON c.id = g.competency_id WHERE t.org_id = $1`},
	{"sops", `SELECT COALESCE(jsonb_agg(to_jsonb(s) - 'org_id' ORDER BY s.id), '[]') FROM sops s WHERE s.org_id = $1`},
	{"sop_revisions", `SELECT COALESCE(jsonb_agg(to_jsonb(r) ORDER BY r.sop_id, r.revision), '[]')
		FROM sop_revisions r JOIN sops s ON s.id = r.sop_id WHERE s.org_id = $1`},
	{"coaching_plans", `SELECT COALESCE(jsonb_agg(to_jsonb(p) - 'org_id' ORDER BY p.id), '[]') FROM coaching_plans p WHERE p.org_id = $1`},
	{"coaching_goals", `SELECT COALESCE(jsonb_agg(to_jsonb(g) || jsonb_build_object('competency', c.key) ORDER BY g.plan_id, g.position), '[]')
		FROM coaching_goals g JOIN coaching_plans p ON p.id = g.plan_id JOIN competencies c ON c.id = g.competency_id WHERE p.org_id = $1`},
	{"coaching_actions", `SELECT COALESCE(jsonb_agg(to_jsonb(a) ORDER BY a.goal_id, a.position), '[]')
		FROM coaching_actions a JOIN coaching_goals g ON g.id = a.goal_id JOIN coaching_plans p ON p.id = g.plan_id WHERE p.org_id = $1`},
	{"check_ins", `SELECT COALESCE(jsonb_agg(to_jsonb(ci) ORDER BY ci.id), '[]')
		FROM check_ins ci JOIN coaching_plans p ON p.id = ci.plan_id WHERE p.org_id = $1`},
	{"check_in_goals", `SELECT COALESCE(jsonb_agg(to_jsonb(cg) || jsonb_build_object('competency', c.key) ORDER BY cg.check_in_id, cg.position), '[]')
		FROM check_in_goals cg JOIN check_ins ci ON ci.id = cg.check_in_id JOIN coaching_plans p ON p.id = ci.plan_id
		JOIN competencies c ON c.id = cg.competency_id WHERE p.org_id = $1`},
	// A private note is its author's alone: the backup keeps that it exists, not its text.
	{"check_in_notes", `SELECT COALESCE(jsonb_agg(CASE WHEN n.private THEN to_jsonb(n) - 'text' ELSE to_jsonb(n) END ORDER BY n.id), '[]')
		FROM check_in_notes n JOIN check_ins ci ON ci.id = n.check_in_id JOIN coaching_plans p ON p.id = ci.plan_id WHERE p.org_id = $1`},
	{"requisitions", `SELECT COALESCE(jsonb_agg(to_jsonb(r) - 'org_id' ORDER BY r.id), '[]') FROM requisitions r WHERE r.org_id = $1`},
	{"career_roles", `SELECT COALESCE(jsonb_agg(to_jsonb(r) - 'org_id' ORDER BY r.id), '[]') FROM career_roles r WHERE r.org_id = $1`},
	{"learning_resources", `SELECT COALESCE(jsonb_agg(to_jsonb(r) - 'org_id' ORDER BY r.id), '[]') FROM learning_resources r WHERE r.org_id = $1`},
	{"mentorships", `SELECT COALESCE(jsonb_agg(to_jsonb(m) - 'org_id' ORDER BY m.id), '[]') FROM mentorships m WHERE m.org_id = $1`},
	{"mentor_consents", `SELECT COALESCE(jsonb_agg(to_jsonb(m) ORDER BY m.user_id), '[]')
		FROM mentor_consents m JOIN users u ON u.id = m.user_id WHERE u.org_id = $1`},
	{"mentor_offers", `SELECT COALESCE(jsonb_agg(to_jsonb(o) - 'opted_in' || jsonb_build_object('competency', c.key)
		ORDER BY o.user_id, c.position, c.id), '[]')
		FROM mentor_offers o JOIN users u ON u.id = o.user_id JOIN competencies c ON c.id = o.competency_id WHERE u.org_id = $1`},
	{"audit_log", `SELECT COALESCE(jsonb_agg(to_jsonb(l) - 'org_id' ORDER BY l.id), '[]') FROM audit_log l WHERE l.org_id = $1`},
}

// ExportFormat names the backup's format.
const ExportFormat = "teamshape-export/1"

// ExportOrganisation returns the organisation as one JSON object, read in one
// repeatable-read transaction so that its parts agree.
func (db *DB) ExportOrganisation(ctx context.Context, orgID int64) (json.RawMessage, error) {
	tx, err := db.BeginTxx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, mapErr(err)
	}
	defer tx.Rollback() //nolint:errcheck // read only
	var buf bytes.Buffer
	buf.WriteString(`{"format":"` + ExportFormat + `","exported_at":`)
	buf.Write(auditJSON(db.now().UTC()))
	for _, s := range exportSections {
		part, err := snapshot(ctx, tx, s.query, orgID)
		if err != nil {
			return nil, err
		}
		if part == nil {
			if s.name == "organisation" {
				return nil, app.ErrNotFound("Organisation")
			}
			part = json.RawMessage("null")
		}
		buf.WriteString(`,"` + s.name + `":`)
		buf.Write(part)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}
