package shape

// With returns the team as it would be after removing the people whose ids are in remove
// (leavers) and adding the hypothetical people in add (candidates), who join at the end in the
// given order. Ids in remove that are not in the team change nothing. in is not modified.
func (in Input) With(add []Person, remove []int64) Input {
	gone := make(map[int64]bool, len(remove))
	for _, id := range remove {
		gone[id] = true
	}
	people := make([]Person, 0, len(in.People)+len(add))
	for _, p := range in.People {
		if !gone[p.ID] {
			people = append(people, p)
		}
	}
	in.People = append(people, add...)
	return in
}

// WhatIf analyses the team as it would be after the changes of With.
func WhatIf(in Input, add []Person, remove []int64) Result {
	return Analyze(in.With(add, remove))
}
