package generate

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/replcheck/replcheck/checks"
)

// merge turns grants of one action on one resource into few statements
// that grant exactly the same, nothing more: grants with the same
// principal and conditions are gathered by resource (their actions), a
// resource that a wider one (bucket/* covering bucket/logs/*) already
// grants every action of is dropped, then
// resources with the same actions share a statement; statements that then
// differ only in the values of one condition key become one statement
// listing the values of both. Every statement is a cross product of its
// actions and resources, so gathering by resource first keeps each action
// on the resources it was granted on.
func merge(grants []checks.Statement) []checks.Statement {
	type group struct {
		base    checks.Statement
		actions map[string]bool
	}
	byResource := map[string]*group{}
	var keys []string
	for _, g := range grants {
		for _, r := range g.Resource {
			k := canonical(g.Principal) + "|" + canonical(g.Condition) + "|" + r
			gr, ok := byResource[k]
			if !ok {
				base := g
				base.Resource, base.Action = []string{r}, nil
				gr = &group{base: base, actions: map[string]bool{}}
				byResource[k] = gr
				keys = append(keys, k)
			}
			for _, a := range g.Action {
				gr.actions[a] = true
			}
		}
	}
	keys = slices.DeleteFunc(keys, func(k string) bool {
		gr := byResource[k]
		for _, k2 := range keys {
			wider := byResource[k2]
			if k2 != k && canonical(wider.base.Principal) == canonical(gr.base.Principal) &&
				canonical(wider.base.Condition) == canonical(gr.base.Condition) &&
				covers(wider.base.Resource[0], gr.base.Resource[0]) && hasAll(wider.actions, gr.actions) {
				return true
			}
		}
		return false
	})
	byActions := map[string]*checks.Statement{}
	var order []string
	for _, k := range keys {
		gr := byResource[k]
		actions := slices.Sorted(maps.Keys(gr.actions))
		ak := canonical(gr.base.Principal) + "|" + canonical(gr.base.Condition) + "|" + strings.Join(actions, ",")
		if st, ok := byActions[ak]; ok {
			st.Resource = append(st.Resource, gr.base.Resource...)
			continue
		}
		st := gr.base
		st.Action = actions
		byActions[ak] = &st
		order = append(order, ak)
	}
	var out []checks.Statement
	for _, k := range order {
		st := *byActions[k]
		slices.Sort(st.Resource)
		out = append(out, st)
	}
	out = mergeConditionValues(out)
	slices.SortStableFunc(out, func(a, b checks.Statement) int {
		if c := strings.Compare(a.Resource[0], b.Resource[0]); c != 0 {
			return c
		}
		return strings.Compare(strings.Join(a.Action, ","), strings.Join(b.Action, ","))
	})
	return out
}

// covers reports whether resource pattern wide matches every resource that
// narrow matches, and is not narrow itself: arn:…:bucket/* covers
// arn:…:bucket/logs/*.
func covers(wide, narrow string) bool {
	prefix, ok := strings.CutSuffix(wide, "*")
	return ok && wide != narrow && !strings.ContainsAny(prefix, "*?") && strings.HasPrefix(narrow, prefix)
}

// hasAll reports whether set holds every key of sub.
func hasAll(set, sub map[string]bool) bool {
	for k := range sub {
		if !set[k] {
			return false
		}
	}
	return true
}

// mergeConditionValues merges statements that are alike but for the
// values of one condition key: the union of "key in A" and "key in B" is
// "key in A or B".
func mergeConditionValues(stmts []checks.Statement) []checks.Statement {
	for merged := true; merged; {
		merged = false
		for i := 0; i < len(stmts) && !merged; i++ {
			for j := i + 1; j < len(stmts) && !merged; j++ {
				if op, key, ok := differByOneKey(stmts[i], stmts[j]); ok {
					vals := append(slices.Clone(stmts[i].Condition[op][key]), stmts[j].Condition[op][key]...)
					slices.Sort(vals)
					stmts[i].Condition = cloneCondition(stmts[i].Condition)
					stmts[i].Condition[op][key] = slices.Compact(vals)
					stmts = slices.Delete(stmts, j, j+1)
					merged = true
				}
			}
		}
	}
	return stmts
}

// differByOneKey reports whether two statements are the same but for the
// values of one condition key.
func differByOneKey(a, b checks.Statement) (op, key string, ok bool) {
	if canonical(a.Principal) != canonical(b.Principal) || !slices.Equal(a.Action, b.Action) || !slices.Equal(a.Resource, b.Resource) ||
		len(a.Condition) != len(b.Condition) {
		return "", "", false
	}
	diffs := 0
	for o, keys := range a.Condition {
		other, found := b.Condition[o]
		if !found || len(other) != len(keys) {
			return "", "", false
		}
		for k, v := range keys {
			w, found := other[k]
			if !found {
				return "", "", false
			}
			if !slices.Equal(v, w) {
				diffs++
				op, key = o, k
			}
		}
	}
	return op, key, diffs == 1
}

func cloneCondition(c map[string]map[string][]string) map[string]map[string][]string {
	out := make(map[string]map[string][]string, len(c))
	for op, keys := range c {
		out[op] = maps.Clone(keys)
	}
	return out
}

// canonical renders a map as JSON, keys sorted, for comparisons.
func canonical(v any) string {
	b, _ := json.Marshal(v) // maps of strings always marshal
	return string(b)
}

// name gives each statement a Sid that says what it is for, unique within
// its policy and not among taken (the Sids of the policy it joins), and
// orders them: the source bucket's, then the destinations', each with
// their keys.
func name(stmts []checks.Statement, source string, taken ...string) []checks.Statement {
	slices.SortStableFunc(stmts, func(a, b checks.Statement) int {
		ra, _ := sidFor(&a, source)
		rb, _ := sidFor(&b, source)
		return ra - rb
	})
	used := map[string]bool{}
	for _, t := range taken {
		used[t] = true
	}
	for i := range stmts {
		_, base := sidFor(&stmts[i], source)
		sid := base
		for n := 2; used[sid]; n++ {
			sid = base + strconv.Itoa(n)
		}
		used[sid] = true
		stmts[i].Sid = sid
	}
	return stmts
}

// sidFor names a statement by what it grants, and ranks it: the source
// bucket or its objects, a destination's replicas, a KMS key by the bucket
// whose objects it encrypts; a resource policy's statement by the
// principal it allows.
func sidFor(st *checks.Statement, source string) (int, string) {
	if len(st.Principal) > 0 {
		return 0, "ReplicationRole"
	}
	r := st.Resource[0]
	if ctx := st.Condition["StringLike"][kmsContextKey]; len(ctx) > 0 {
		b := bucketARN(ctx[0])
		if b == "arn:aws:s3:::"+source {
			return 2, "SourceObjectsKey"
		}
		return 4, "ReplicasKey" + camel(strings.TrimPrefix(b, "arn:aws:s3:::"))
	}
	if strings.Contains(r, ":kms:") {
		return 5, "Key"
	}
	bucket := strings.TrimPrefix(bucketARN(r), "arn:aws:s3:::")
	objects := strings.Contains(strings.TrimPrefix(r, "arn:aws:s3:::"), "/")
	switch {
	case bucket == source && objects:
		return 1, "SourceObjects"
	case bucket == source:
		return 0, "SourceBucket"
	case objects:
		return 3, "ReplicasIn" + camel(bucket)
	}
	return 3, "Bucket" + camel(bucket)
}

// camel turns a bucket name into letters and digits: dst-bucket.eu →
// DstBucketEu.
func camel(s string) string {
	var b strings.Builder
	up := true
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
