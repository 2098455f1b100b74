package app

import "context"

// RaterRating is the latest level one rater of one kind gave a person in a competency.
type RaterRating struct {
	SubjectID  int64  `db:"subject_id"`
	RaterID    int64  `db:"rater_id"`
	Kind       string `db:"kind"`
	Competency string `db:"competency"`
	Level      int    `db:"level"`
}

// CalibrationStore answers the calibration of leader ratings across an organisation.
type CalibrationStore interface {
	// FindLatestRatingsByRater returns, for every person, rater, kind and competency of
	// the organisation, the latest rating where it has a level.
	FindLatestRatingsByRater(ctx context.Context, orgID int64) ([]RaterRating, error)
}
