package checks

import "fmt"

// AccountNotReadable reports an account whose buckets could not be listed
// by a source that enumerates accounts (an audit): none of its
// replication rules could be checked. It decides snapshots that stand for
// an account (snapshot.Snapshot.IsAccount), from the fact that says why
// the listing failed (AccountListing), and knows nothing of where that
// fact came from.
var AccountNotReadable = &Check{
	Reason: "AccountNotReadable",
	Scope:  ScopeAccount,
	Title:  "an audited account whose buckets could not be listed",
	Why: "This is not a failure S3 reports: replcheck could not read the account, so it could not predict the " +
		"replication failures of any of its buckets. An audit reads each account with the base credentials (their own " +
		"account) or with the role that --assume-role-name names, assumed from them; when that role cannot be assumed " +
		"(missing, not trusting the base credentials, or no role name for an account other than the base credentials') " +
		"or s3:ListBuckets is denied, every rule of the account is unchecked.",
	Predicts: "reports unknown once per audited account whose sts:AssumeRole or s3:ListBuckets failed, naming the " +
		"operation and the error, and pass for an account that was listed. The audit goes on with the other accounts.",
	Fix: "deploy the audit role (README.md, Audit) in the account with a trust policy that lets the base credentials " +
		"assume it and s3:ListAllMyBuckets among its permissions, and pass its name with --assume-role-name",
	DocURL:        "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_aws-accounts.html",
	Config:        true,
	WithoutConfig: true,
	Run: func(t *Target) Outcome {
		account := t.Source().Account.Value
		why := t.Facts.Snap.AccountListing
		if why == nil {
			return pass(fmt.Sprintf("the buckets of account %s were listed", account))
		}
		return unknown(fmt.Sprintf("account %s could not be read, so none of its buckets were checked: %s", account, why),
			fmt.Sprintf("%s in account %s -> %s", why.Operation, account, why.Code))
	},
}
