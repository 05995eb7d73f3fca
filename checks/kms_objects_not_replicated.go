package checks

import (
	"fmt"
	"strings"
)

// KmsObjectsNotReplicated warns when the source holds SSE-KMS objects that
// the rule does not opt in, which S3 skips without a failure.
var KmsObjectsNotReplicated = &Check{
	Reason: "KmsObjectsNotReplicated",
	Scope:  ScopeLive,
	Title:  "objects encrypted with SSE-KMS are silently not replicated",
	Why: "By default S3 does not replicate objects encrypted with SSE-KMS or DSSE-KMS. A rule must opt them in with " +
		"SourceSelectionCriteria.SseKmsEncryptedObjects Enabled (and name a replica key); otherwise they are " +
		"skipped with no failure reason and no FAILED status.",
	Predicts: "when the rule does not enable SseKmsEncryptedObjects, reads s3:GetBucketEncryption on the source " +
		"(aws:kms or aws:kms:dsse default encryption warns) and the sampled object versions under the rule's " +
		"prefix (an SSE-KMS or DSSE-KMS version warns).",
	Fix:    `add "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}} and "EncryptionConfiguration": {"ReplicaKmsKeyID": "KEY-ARN"} to the rule`,
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html",
	Config: true,
	Run: func(t *Target) Outcome {
		if t.Rule.ReplicatesKMSObjects() {
			return pass("rule " + t.RuleName + " replicates SSE-KMS and DSSE-KMS objects (SseKmsEncryptedObjects Enabled)")
		}
		src := t.Source()
		var evidence, found []string
		prefix := t.Rule.FilterPrefix()
		var unread []string
		for _, obj := range t.Facts.Snap.Objects {
			if !obj.MetadataRead() && strings.HasPrefix(obj.Key, prefix) {
				unread = append(unread, obj.Key)
				evidence = append(evidence, fmt.Sprintf("s3:HeadObject %s/%s -> %s", src.Name, obj.Key, obj.Exists.Why()))
				continue
			}
			if strings.HasPrefix(obj.Encryption, "aws:kms") && strings.HasPrefix(obj.Key, prefix) {
				found = append(found, obj.Key)
				evidence = append(evidence, fmt.Sprintf("s3:HeadObject %s/%s -> ServerSideEncryption=%s", src.Name, obj.Key, obj.Encryption))
			}
		}
		enc := src.Encryption
		encEvidence := "s3:GetBucketEncryption " + src.Name + " -> "
		switch {
		case enc.IsUnknown():
			encEvidence += enc.Why()
		case enc.IsAbsent():
			encEvidence += "ServerSideEncryptionConfigurationNotFoundError"
		default:
			encEvidence += "SSEAlgorithm=" + enc.Value.Algorithm
			if strings.HasPrefix(enc.Value.Algorithm, "aws:kms") {
				found = append([]string{"new objects (default encryption " + enc.Value.Algorithm + ")"}, found...)
			}
		}
		evidence = append([]string{encEvidence}, evidence...)
		fix := fmt.Sprintf(`add "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}} and "EncryptionConfiguration": {"ReplicaKmsKeyID": "<key ARN in the destination Region>"} to rule %s, allow the replication role kms:Decrypt on the source key and kms:Encrypt on the replica key, and put the configuration on %s again`, t.RuleName, src.Name)
		switch {
		case len(found) > 0:
			return warn(fmt.Sprintf("rule %s does not enable SseKmsEncryptedObjects, so S3 silently skips SSE-KMS objects of %s: %s", t.RuleName, src.Name, strings.Join(found, ", ")), fix, evidence...)
		case enc.IsUnknown():
			return unknown("could not read the default encryption of source bucket "+src.Name+": "+enc.Why(), evidence...)
		case len(unread) > 0:
			return unknown("could not read the encryption of sampled versions under the rule's prefix: "+someNames(unread), evidence...)
		}
		return pass("source bucket "+src.Name+" does not encrypt with SSE-KMS by default and no sampled version under the rule is SSE-KMS", evidence...)
	},
}
