package checks

import (
	"fmt"
	"strings"
)

// SrcGetAclNotPermitted predicts that S3 cannot read the ACLs of the source
// object versions it replicates.
var SrcGetAclNotPermitted = &Check{
	Reason: "SrcGetAclNotPermitted",
	Scope:  ScopeLive,
	Title:  "the replication role cannot read source object ACLs",
	Why: "S3 reads each source version's ACL as the replication role with s3:GetObjectVersionAcl, which AWS's access " +
		"policy grants (" + permRoleDoc + ") and AWS's failure table names for this reason (" + failureTable + "). The role's " +
		"policies, its permissions boundary, SCPs, the source bucket policy and RCPs must allow it, and the " +
		"object must be owned by the bucket owner: with ACLs enabled (ObjectWriter, BucketOwnerPreferred, or no " +
		"ownership controls on older buckets) objects uploaded by other accounts without bucket-owner-full-control " +
		"stay theirs, and the bucket owner's role cannot read them.",
	Predicts: "asks the policy engine (or a recorded SimulatePrincipalPolicy decision for the identity side) " +
		"whether the role may call s3:GetObjectVersionAcl on an object under the rule's prefix (with " +
		"s3:ExistingObjectTag/<key> for tag-filtered rules), then reads s3:GetBucketOwnershipControls: " +
		"BucketOwnerEnforced passes; otherwise sampled objects owned by another account fail, and without " +
		"samples it warns.",
	Fix:    "allow s3:GetObjectVersionAcl on arn:aws:s3:::SRC/* in the role's policy, and set Object Ownership to BucketOwnerEnforced on the source bucket",
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html",
	Requires: []Requirement{
		{Action: "s3:GetObjectVersionAcl", On: sourceWide,
			Source: permRoleDoc + ` (the access policy grants it "to get a specific object version and access control list (ACL)") and ` + failureTable +
				` ("The s3:GetObjectVersionAcl permission might be missing"; "The objects in the source bucket must be owned by the bucket owner")`, Denied: StatusFail},
	},
	Run: func(t *Target) Outcome {
		if o := t.needRole(); o != nil {
			return *o
		}
		src := t.Source()
		q, a := t.askSource(actGetObjectAcl, false, t.existingTagContext())
		perm := t.permissionOutcome("read source object ACLs in "+src.Name, asked{q, a})
		if perm.Status == StatusFail {
			return perm
		}
		own := t.sourceOwnership()
		if own.Status == StatusPass {
			perm.Evidence = append(perm.Evidence, own.Evidence...)
			return perm
		}
		return worst(perm, own)
	},
}

// sourceOwnership decides whether every object the rule replicates is owned
// by the source bucket owner.
func (t *Target) sourceOwnership() Outcome {
	src := t.Source()
	own := src.Ownership
	evidence := "s3:GetBucketOwnershipControls " + src.Name + " -> "
	fix := "aws s3api put-bucket-ownership-controls --bucket " + src.Name +
		" --ownership-controls 'Rules=[{ObjectOwnership=BucketOwnerEnforced}]' (the bucket owner then owns every object)"
	setting := "no ownership controls (ObjectWriter)"
	switch {
	case own.IsUnknown():
		return unknown("could not read the Object Ownership setting of source bucket "+src.Name+", so objects owned by other accounts cannot be ruled out: "+own.Why(), evidence+own.Why())
	case own.IsKnown() && own.Value == "BucketOwnerEnforced":
		return pass("source bucket "+src.Name+" enforces bucket-owner ownership", evidence+"BucketOwnerEnforced")
	case own.IsKnown():
		setting = own.Value
	}
	evidence += setting
	samples, maybe := t.ruleSamples()
	if len(samples) == 0 && len(maybe) == 0 {
		return warn("source bucket "+src.Name+" has ACLs enabled ("+setting+"): objects that other accounts upload without bucket-owner-full-control stay theirs and fail to replicate; no objects were sampled to check (run with --objects N)",
			fix, evidence)
	}
	var foreign, unread []string
	ev := []string{evidence}
	for _, o := range samples {
		switch {
		case o.OwnedByBucketOwner.IsUnknown():
			unread = append(unread, o.Key+" ("+o.OwnedByBucketOwner.Why()+")")
			ev = append(ev, "s3:GetObjectAcl "+src.Name+"/"+o.Key+" -> "+o.OwnedByBucketOwner.Why())
		case o.OwnedByBucketOwner.IsKnown() && !o.OwnedByBucketOwner.Value:
			foreign = append(foreign, o.Key)
			ev = append(ev, "s3:GetObjectAcl "+src.Name+"/"+o.Key+" -> owner is another account")
		default:
			ev = append(ev, "s3:GetObjectAcl "+src.Name+"/"+o.Key+" -> owner is the bucket owner")
		}
	}
	for _, o := range maybe {
		if !o.OwnedByBucketOwner.IsKnown() || !o.OwnedByBucketOwner.Value {
			unread = append(unread, o.Key+" (whether the rule selects it: its tags could not be read, "+o.TagsError.String()+")")
			ev = append(ev, "s3:GetObjectTagging "+src.Name+"/"+o.Key+" -> "+o.TagsError.String())
		}
	}
	switch {
	case len(foreign) > 0:
		return fail(fmt.Sprintf("source bucket %s has ACLs enabled (%s) and %d sampled object(s) are owned by another account, whose ACLs the replication role cannot read: %s",
			src.Name, setting, len(foreign), strings.Join(foreign, ", ")),
			fix+"; or have the object owner copy each object onto itself with --acl bucket-owner-full-control", ev...)
	case len(unread) > 0:
		return unknown("could not read the owner of sampled object(s) in "+src.Name+": "+strings.Join(unread, "; "), ev...)
	}
	return pass(fmt.Sprintf("source bucket %s has ACLs enabled (%s), and the %d sampled object(s) are owned by the bucket owner", src.Name, setting, len(samples)), ev...)
}
