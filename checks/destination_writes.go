package checks

import (
	"fmt"

	"github.com/replcheck/replcheck/policy"
)

// multipartPartOutcome decides a multipart step after the initiating
// request (UploadPart, CompleteMultipartUpload): those requests carry no
// x-amz-server-side-encryption header, so a destination Deny that demands
// the header may refuse them even though the replica's first request
// passes. AWS does not document whether S3 evaluates s3:ReplicateObject
// per sub-request (failure-reasons.md §2.8), so such a Deny warns.
func (t *Target) multipartPartOutcome(what string) Outcome {
	res := t.replicaWriteOutcome(what, nil, stepMultipartPart)
	if res.Status != StatusPass {
		return res
	}
	q, a := t.askDest("s3:ReplicateObject", nil)
	if !a.Decided || a.Allowed || a.Result.Decision != policy.ExplicitDeny {
		return res
	}
	x := asked{q, a}
	return warn(
		fmt.Sprintf("the replication role cannot %s if S3 authorizes each request of a multipart upload: a Deny refuses s3:ReplicateObject on %s to requests without an x-amz-server-side-encryption header, which part and completion requests do not carry (AWS does not document this case)", what, q.Resource),
		t.remediation(&x),
		append(res.Evidence, a.Evidence...)...)
}

// objectLockOutcome decides an Object Lock write on the destination
// (s3:PutObjectLegalHold, s3:PutObjectRetention), which S3 makes only when
// the source bucket has Object Lock enabled. what names the metadata.
func (t *Target) objectLockOutcome(action, what string) Outcome {
	evidence, o := t.sourceObjectLock(", so S3 replicates no " + what)
	if o != nil {
		return *o
	}
	if o := t.needRole(); o != nil {
		return *o
	}
	q, a := t.askDest(action, nil)
	res := t.permissionOutcome("replicate "+what+" to "+t.DestARN, asked{q, a})
	res.Evidence = append([]string{evidence}, res.Evidence...)
	if res.Status == StatusFail {
		// AWS's pages disagree: the failure table names the action, the
		// Object Lock page asks only two source-side permissions and ties
		// replica retention to s3:ReplicateObject.
		res.Status = StatusWarn
		res.Message += fmt.Sprintf(". AWS's failure table says %s \"might be missing for the destination bucket\" (%s), but its Object Lock page "+
			"asks only s3:GetObjectRetention and s3:GetObjectLegalHold on the source for replication, and says a destination bucket policy must allow "+
			"s3:ReplicateObject for retention limits to apply to replicas (%s): which one holds is not documented", action, failureTable, objectLockDoc)
	}
	return res
}

// deniedByDestination reports whether an explicit Deny in the destination's
// resource-side policies (bucket policy or RCPs) decided an answer: the
// destination owner refusing the action on purpose.
func deniedByDestination(a Answer) bool {
	if !a.Decided || a.Result.Decision != policy.ExplicitDeny {
		return false
	}
	for _, m := range a.Result.Matched {
		if m.Effect == policy.Deny && (m.Kind == policy.KindResource || m.Kind == policy.KindRCP) {
			return true
		}
	}
	return false
}

// ownershipEvidence describes the destination's Object Ownership setting.
func (t *Target) ownershipEvidence() string {
	if t.Dest == nil {
		return "s3:GetBucketOwnershipControls " + t.DestARN + " -> not gathered"
	}
	o := t.Dest.Ownership
	prefix := "s3:GetBucketOwnershipControls " + t.Dest.Name + " -> "
	switch {
	case o.IsKnown():
		return prefix + "ObjectOwnership=" + o.Value
	case o.IsAbsent():
		return prefix + "none (ObjectWriter)"
	}
	return prefix + o.Why()
}

// deleteMarkerEvidence describes a rule's delete-marker replication
// setting.
func deleteMarkerEvidence(t *Target) string {
	if !t.Rule.IsV2() {
		return "rule " + t.RuleName + ": V1 schema (no Filter), which replicates delete markers"
	}
	status := "absent"
	if t.Rule.DeleteMarkerReplication != nil {
		status = t.Rule.DeleteMarkerReplication.Status
	}
	return "rule " + t.RuleName + ": V2 schema, DeleteMarkerReplication Status=" + status
}

// crossAccountOutcome returns whether the destination belongs to another
// account than the source, or an unknown outcome naming the unreadable
// owner.
func (t *Target) crossAccountOutcome(why string) (bool, *Outcome) {
	if cross, ok := t.CrossAccount(); ok {
		return cross, nil
	}
	fact, whose := t.Source().Account, "source bucket "+t.Source().Name
	if fact.IsKnown() {
		fact, whose = t.destAccount(), "destination "+t.DestARN
	}
	o := unknown(fmt.Sprintf("could not read the owner of %s (%s), so whether %s is unknown", whose, fact.Why(), why))
	return false, &o
}

// accounts renders the source and destination owners for evidence.
func (t *Target) accounts() string {
	return fmt.Sprintf("owner of %s -> %s, owner of %s -> %s", t.Source().Name, t.Source().Account.Value, t.DestARN, t.destAccount().Value)
}
