package checks

import "fmt"

// DstKmsKeyInvalidState predicts failures from a destination-side KMS key
// that exists but cannot encrypt.
var DstKmsKeyInvalidState = &Check{
	Reason: "DstKmsKeyInvalidState",
	Scope:  ScopeLive,
	Title:  "the KMS key for replicas is not usable for encryption",
	Why: "KMS encrypts only with keys in state Enabled or Updating; a Disabled key, a key pending deletion, a " +
		"multi-Region replica still Creating, a key awaiting imported material or in a disconnected custom key " +
		"store fails replication with this reason. S3 supports only symmetric encryption keys, so an asymmetric " +
		"or HMAC key cannot encrypt replicas either.",
	Predicts: "reads kms:DescribeKey on the replica key (for rules that replicate SSE-KMS objects) and on the " +
		"destination's default encryption key: KeyState must be Enabled or Updating, KeySpec SYMMETRIC_DEFAULT " +
		"and KeyUsage ENCRYPT_DECRYPT (a problem with the default key warns).",
	Fix:    "aws kms enable-key --key-id KEY (or aws kms cancel-key-deletion first), or replace the key with a symmetric customer managed key in the destination Region",
	DocURL: "https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html",
	Run: func(t *Target) Outcome {
		return t.eachDestSideKey(t.keyUsable)
	},
}

// keyUsable decides whether a key S3 finds can encrypt replicas.
func (t *Target) keyUsable(k destSideKey) Outcome {
	if o := describeKey(k, func() Outcome {
		return skip(fmt.Sprintf("the %s %s does not exist (see DstKmsKeyNotFound)", k.What, k.ID))
	}); o != nil {
		return *o
	}
	if found := t.keyFound(k); found.Status != StatusPass {
		if found.Status == StatusUnknown {
			return found
		}
		return skip(fmt.Sprintf("S3 does not find the %s %s in the destination's Region (see DstKmsKeyNotFound)", k.What, k.Key.ARN))
	}
	m, arn, region := k.Key.Metadata.Value, k.Key.ARN, keyRegion(k.Key)
	evidence := fmt.Sprintf("kms:DescribeKey %s -> KeyState=%s KeySpec=%s KeyUsage=%s KeyManager=%s", arn, m.KeyState, m.KeySpec, m.KeyUsage, m.KeyManager)
	switch {
	case m.KeyState != "Enabled" && m.KeyState != "Updating":
		return k.problem(fmt.Sprintf("the %s %s is %s: KMS refuses to encrypt with it", k.What, arn, m.KeyState), stateFix(m.KeyState, arn, region), evidence)
	case m.KeySpec == "":
		return unknown(fmt.Sprintf("kms:DescribeKey recorded no KeySpec for the %s %s, so whether S3 can encrypt with it is unknown", k.What, arn), evidence)
	case m.KeySpec != "SYMMETRIC_DEFAULT" || (m.KeyUsage != "" && m.KeyUsage != "ENCRYPT_DECRYPT"):
		return k.problem(fmt.Sprintf("the %s %s has KeySpec %s and KeyUsage %s: S3 supports only symmetric encryption keys (SYMMETRIC_DEFAULT, ENCRYPT_DECRYPT)", k.What, arn, m.KeySpec, m.KeyUsage),
			t.newKeyFix(k), evidence)
	}
	return pass(fmt.Sprintf("the %s %s is %s and symmetric", k.What, arn, m.KeyState), evidence)
}

// stateFix says how to make a key usable again from a state.
func stateFix(state, arn, region string) string {
	switch state {
	case "Disabled":
		return fmt.Sprintf("aws kms enable-key --key-id %s --region %s", arn, region)
	case "PendingDeletion", "PendingReplicaDeletion":
		return fmt.Sprintf("aws kms cancel-key-deletion --key-id %s --region %s && aws kms enable-key --key-id %s --region %s", arn, region, arn, region)
	case "PendingImport":
		return fmt.Sprintf("import key material: aws kms get-parameters-for-import --key-id %s --region %s, then aws kms import-key-material", arn, region)
	case "Unavailable":
		return fmt.Sprintf("reconnect the custom key store of %s (aws kms connect-custom-key-store --region %s)", arn, region)
	case "Creating":
		return fmt.Sprintf("wait until the multi-Region replica %s is Enabled (aws kms describe-key --key-id %s --region %s)", arn, arn, region)
	}
	return fmt.Sprintf("make %s Enabled, or use another symmetric key in %s", arn, region)
}
