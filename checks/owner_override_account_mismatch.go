package checks

import "fmt"

// OwnerOverrideAccountMismatch reports an owner override whose account is
// missing or is not the destination bucket's owner.
var OwnerOverrideAccountMismatch = &Check{
	Reason: "OwnerOverrideAccountMismatch",
	Scope:  ScopeLive,
	Title:  "the owner override does not name the destination bucket's owner",
	Why: "AccessControlTranslation (Owner Destination) makes the destination account own the replicas. " +
		"PutBucketReplication requires Destination.Account with it (\"the Account element must be specified\") and " +
		"rejects an Account that is not the destination bucket's owner (InvalidArgument); Owner accepts only " +
		"Destination.",
	Predicts: "reads AccessControlTranslation and Destination.Account of the rule and compares the account with " +
		"the destination bucket's owner (s3:HeadBucket / GetBucketAcl in the destination account); an unreadable " +
		"owner is unknown.",
	Fix:    `set "Account": "DST_OWNER_ACCOUNT" next to "AccessControlTranslation": {"Owner": "Destination"} in the rule's Destination`,
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-change-owner.html",
	Config: true,
	Run: func(t *Target) Outcome {
		act := t.Rule.Destination.AccessControlTranslation
		if act == nil {
			return skip("rule " + t.RuleName + " has no owner override (AccessControlTranslation)")
		}
		account := t.Rule.Destination.Account
		evidence := []string{t.ruleEvidence(fmt.Sprintf("AccessControlTranslation.Owner=%s, Destination.Account=%q", act.Owner, account))}
		owner := t.destAccount()
		ownerName := "DST_OWNER_ACCOUNT"
		if owner.IsKnown() {
			ownerName = owner.Value
		}
		fix := t.putConfigFix(fmt.Sprintf(`set "AccessControlTranslation": {"Owner": "Destination"} and "Account": "%s" in the Destination of rule %s`, ownerName, t.RuleName))
		switch {
		case act.Owner != "Destination":
			return fail(fmt.Sprintf("rule %s has AccessControlTranslation.Owner %q; the only value S3 accepts is Destination", t.RuleName, act.Owner), fix, evidence...)
		case account == "":
			return fail("rule "+t.RuleName+" overrides the replica owner but names no Destination.Account, which S3 rejects", fix, evidence...)
		}
		name := t.DestARN
		if t.Dest != nil {
			name = t.Dest.Name
		}
		if !owner.IsKnown() {
			evidence = append(evidence, "s3:HeadBucket "+name+" -> owner "+owner.Why())
			return unknown("could not read the owner of destination bucket "+name+" to compare with Destination.Account "+account+": "+owner.Why(), evidence...)
		}
		evidence = append(evidence, "s3:HeadBucket "+name+" -> owner "+owner.Value)
		if owner.Value != account {
			return fail(fmt.Sprintf("rule %s gives replica ownership to account %s, but destination bucket %s is owned by %s", t.RuleName, account, name, owner.Value), fix, evidence...)
		}
		return pass(fmt.Sprintf("rule %s gives replica ownership to %s, the owner of %s", t.RuleName, account, name), evidence...)
	},
}
