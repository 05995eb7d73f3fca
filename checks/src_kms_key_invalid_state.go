package checks

import (
	"fmt"
	"strings"
)

// SrcKmsKeyInvalidState predicts failures from a source KMS key that cannot
// decrypt.
var SrcKmsKeyInvalidState = &Check{
	Reason: "SrcKmsKeyInvalidState",
	Scope:  ScopeLive,
	Title:  "a source KMS key is not in a usable state",
	Why: "To replicate an SSE-KMS or DSSE-KMS object, S3 decrypts it with the key that encrypted it. KMS " +
		"decrypts only with keys in state Enabled or Updating; a key that is Disabled, PendingDeletion, " +
		"PendingReplicaDeletion, PendingImport, Unavailable or Creating (or deleted) makes replication of its " +
		"objects fail with this reason.",
	Predicts: "for rules that replicate SSE-KMS objects, finds the keys in play on the source (the default " +
		"encryption key from s3:GetBucketEncryption, with no key ID meaning the account's aws/s3 key, and the " +
		"keys of sampled objects) and reads kms:DescribeKey for each: KeyState must be Enabled or Updating.",
	Fix:    "aws kms enable-key --key-id KEY (or aws kms cancel-key-deletion --key-id KEY, then enable it)",
	DocURL: "https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html",
	Run: func(t *Target) Outcome {
		if !t.Rule.ReplicatesKMSObjects() {
			return skip("the rule does not replicate SSE-KMS objects (SseKmsEncryptedObjects is not Enabled)")
		}
		uses, evidence, missing := t.sourceKeyUses()
		var bad []string
		var fixes []string
		seen := map[string]bool{}
		for _, u := range uses {
			if u.Key == nil {
				missing = append(missing, u.notGathered())
				continue
			}
			if seen[u.Key.ARN] {
				continue
			}
			seen[u.Key.ARN] = true
			md := u.Key.Metadata
			ev := "kms:DescribeKey " + u.Key.ARN + " -> "
			switch {
			case md.IsUnknown():
				missing = append(missing, "the state of source KMS key "+u.Key.ARN+": "+md.Why())
				evidence = append(evidence, ev+md.Why())
			case md.IsAbsent():
				bad = append(bad, fmt.Sprintf("%s, which encrypts %s, does not exist", u.Key.ARN, u.Where))
				evidence = append(evidence, ev+"NotFoundException")
				fixes = append(fixes, "encrypt with an existing key (for default encryption: aws s3api put-bucket-encryption --bucket "+t.Source().Name+
					" --server-side-encryption-configuration ...); objects already encrypted with a deleted key cannot be decrypted or replicated")
			case md.Value.KeyState != "Enabled" && md.Value.KeyState != "Updating":
				bad = append(bad, fmt.Sprintf("%s, which encrypts %s, is %s", u.Key.ARN, u.Where, md.Value.KeyState))
				evidence = append(evidence, ev+"KeyState="+md.Value.KeyState)
				fixes = append(fixes, keyStateFix(u.Key.ARN, md.Value.KeyState))
			default:
				evidence = append(evidence, ev+"KeyState="+md.Value.KeyState)
			}
		}
		switch {
		case len(bad) > 0:
			return fail("source KMS key "+strings.Join(bad, "; ")+": S3 cannot decrypt the objects it encrypts", strings.Join(fixes, "; "), evidence...)
		case len(missing) > 0:
			return unknown("could not decide whether the source KMS keys are usable: could not read "+strings.Join(dedupe(missing), "; "), evidence...)
		case len(uses) == 0:
			return skip("no KMS key is in play on source bucket " + t.Source().Name + ": its default encryption is not SSE-KMS and no sampled object uses a KMS key")
		}
		return pass("every source KMS key in play is usable", evidence...)
	},
}

// keyStateFix is the command that makes a key in state usable again.
func keyStateFix(arn, state string) string {
	switch state {
	case "Disabled":
		return "aws kms enable-key --key-id " + arn
	case "PendingDeletion", "PendingReplicaDeletion":
		return "aws kms cancel-key-deletion --key-id " + arn + " && aws kms enable-key --key-id " + arn
	case "PendingImport":
		return "import key material again: aws kms import-key-material --key-id " + arn + " ..."
	case "Unavailable":
		return "reconnect the key's custom key store: aws kms connect-custom-key-store --custom-key-store-id ID"
	}
	return "wait until the key " + arn + " is Enabled (state " + state + ")"
}
