package checks

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/replcheck/replcheck/policy"
)

// asked is a permission question with its answer.
type asked struct {
	q Question
	a Answer
}

// needRole returns an outcome when the replication role cannot be asked
// about: the snapshot has no facts for it, or it does not exist (which
// AssumeRoleNotPermitted reports).
func (t *Target) needRole() *Outcome {
	var o Outcome
	switch {
	case t.Role == nil:
		o = unknown(fmt.Sprintf("the snapshot has no facts for the replication role %s", t.Config().Role))
	case t.Role.Exists.IsKnown() && !t.Role.Exists.Value:
		o = skip(fmt.Sprintf("the replication role %s does not exist (see AssumeRoleNotPermitted)", t.Role.ARN))
	default:
		return nil
	}
	return &o
}

// permissionOutcome decides a permission check from its answers: any
// decided denial fails, any undecided answer makes it unknown, and only
// when every answer is a decided allow does it pass. what names the
// capability for messages ("replicate objects to dst-bucket").
func (t *Target) permissionOutcome(what string, asks ...asked) Outcome {
	var evidence, missing, disagreements []string
	var denied *asked
	for i := range asks {
		x := &asks[i]
		evidence = append(evidence, x.a.Evidence...)
		if x.a.Disagreement != "" {
			disagreements = append(disagreements, x.a.Disagreement)
		}
		switch {
		case x.a.Decided && !x.a.Allowed && denied == nil:
			denied = x
		case !x.a.Decided:
			missing = append(missing, x.a.Missing...)
		}
	}
	if denied != nil {
		o := fail(
			fmt.Sprintf("the replication role cannot %s: %s is denied on %s (%s)", what, denied.q.Action, denied.q.Resource, denied.a.Result.Reason),
			t.remediation(denied), evidence...)
		o.Subject = &denied.a.Cause
		return o
	}
	if len(missing) > 0 {
		o := unknown(fmt.Sprintf("could not decide whether the replication role can %s: could not read %s", what, strings.Join(dedupe(missing), "; ")), evidence...)
		for i := range asks {
			if !asks[i].a.Decided {
				o.Subject = &asks[i].a.Cause
				break
			}
		}
		return o
	}
	if len(disagreements) > 0 {
		return warn(fmt.Sprintf("the simulator allows the replication role to %s, but replcheck's local engine disagrees: %s", what, disagreements[0]),
			"check the role's policies, permissions boundary and SCPs by hand; please report the case to replcheck", evidence...)
	}
	return pass(fmt.Sprintf("the replication role can %s", what), evidence...)
}

// remediation says which policy to change, by the cause of the denial:
// a Deny to remove, a boundary or organization policy to widen, or the
// least statements to add (grantFix).
func (t *Target) remediation(x *asked) string {
	q, r := x.q, x.a.Result
	role := q.Role.ARN
	switch r.Reason {
	case policy.ReasonExplicitDeny:
		return fmt.Sprintf("remove the Deny, or exempt the replication role %s from it: %s", role, strings.Join(x.a.Statements, "; "))
	case policy.ReasonBoundary:
		return fmt.Sprintf("let the permissions boundary of %s allow this statement: %s", role, compactJSON(q.IdentityStatement()))
	case policy.ReasonNoSCP:
		return fmt.Sprintf("a service control policy of account %s must allow %s at every organization level", q.Role.Account, q.Action)
	case policy.ReasonNoRCP:
		return fmt.Sprintf("a resource control policy of the account owning %s must allow %s at every organization level", q.Resource, q.Action)
	}
	return q.grantFix()
}

// widen turns an example object ARN into the pattern a policy should grant:
// arn:aws:s3:::bucket/prefix/replcheck-example-object → arn:aws:s3:::bucket/prefix/*.
func widen(resource string) string {
	if i := strings.LastIndexByte(resource, '/'); i > 0 && strings.HasPrefix(resource, "arn:aws:s3:::") {
		return resource[:i+1] + "*"
	}
	return resource
}

// bucketOf returns the bucket name of an S3 ARN.
func bucketOf(arn string) string {
	name := strings.TrimPrefix(arn, "arn:aws:s3:::")
	if i := strings.IndexByte(name, '/'); i >= 0 {
		name = name[:i]
	}
	return name
}

func roleName(arn string) string { return arn[strings.LastIndexByte(arn, '/')+1:] }

func compactJSON(v any) string {
	b, _ := json.Marshal(v) // statements and maps of strings always marshal
	return string(b)
}

func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// worst combines outcomes into one: the most severe status wins. When it
// is a problem (fail, warn or unknown), the messages and fixes of every
// problem are joined, so that a failure does not hide a warning beside it;
// otherwise those of the outcomes with that status. Every evidence line is
// kept, once.
func worst(outs ...Outcome) Outcome {
	top := StatusSkip
	for _, o := range outs {
		if o.Status.Rank() < top.Rank() {
			top = o.Status
		}
	}
	var msgs, fixes, evidence []string
	for _, o := range outs {
		evidence = append(evidence, o.Evidence...)
		if o.Status == top || (isProblem(top) && isProblem(o.Status)) {
			msgs = append(msgs, o.Message)
			if o.Remediation != "" {
				fixes = append(fixes, o.Remediation)
			}
		}
	}
	return Outcome{Status: top, Message: strings.Join(msgs, "; "), Evidence: dedupe(evidence), Remediation: strings.Join(dedupe(fixes), "; ")}
}

// isProblem reports whether a status asks for attention.
func isProblem(s Status) bool { return s.Rank() <= StatusUnknown.Rank() }
