package checks

import (
	"fmt"
	"strings"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// SrcObjectNotEligible predicts source objects that S3 will not replicate
// because of their storage class, tags or encryption.
var SrcObjectNotEligible = &Check{
	Reason: "SrcObjectNotEligible",
	Scope:  ScopeObject,
	Title:  "sampled source objects are not eligible for replication",
	Why: "S3 does not replicate objects in S3 Glacier Flexible Retrieval, S3 Glacier Deep Archive or the " +
		"Intelligent-Tiering Archive Access and Deep Archive Access tiers until they are restored and copied to " +
		"another storage class; objects whose tags do not match the rule's tag filter (tags must be set when the " +
		"object is written); and SSE-KMS or DSSE-KMS objects unless the rule opts them in. Batch Replication " +
		"reports such objects with this reason; live replication skips them silently. Whether SSE-KMS objects are " +
		"reported under this reason or only skipped is not documented.",
	Predicts: "for the sampled versions under the rule's prefix (delete markers and deleted versions aside): a " +
		"GLACIER or DEEP_ARCHIVE storage class or an ArchiveStatus fails; missing filter tags warn; aws:kms or " +
		"aws:kms:dsse encryption without SourceSelectionCriteria.SseKmsEncryptedObjects Enabled warns. A version whose " +
		"tags (for a tag-filtered rule), archive tier or encryption could not be read is unknown, unless another fails.",
	Fix:    "restore archived objects and copy them to another storage class; write objects with the rule's tags; opt SSE-KMS objects in with SseKmsEncryptedObjects and a ReplicaKmsKeyID",
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-what-is-isnot-replicated.html",
	Run: func(t *Target) Outcome {
		objs, o := t.sampledInRule()
		if o != nil {
			return *o
		}
		tags := t.Rule.FilterTags()
		src := t.Source().Name
		var archived, untagged, kms, undecided []string
		var evidence []string
		var firstArchived *snapshot.ObjectVersion
		checked := 0
		for _, v := range objs {
			if v.IsDeleteMarker || (v.Exists.IsKnown() && !v.Exists.Value) {
				continue
			}
			checked++
			if !v.MetadataRead() {
				// The listing's storage class is read; HeadObject's archive
				// status and encryption are not.
				var unread []string
				if v.StorageClass == "INTELLIGENT_TIERING" {
					unread = append(unread, "its archive tier")
				}
				if !t.Rule.ReplicatesKMSObjects() {
					unread = append(unread, "its encryption")
				}
				if len(unread) > 0 {
					undecided = append(undecided, t.versionName(v)+" ("+strings.Join(unread, " and ")+")")
					evidence = append(evidence, t.versionEvidence(v, v.Exists.Why()))
				}
			}
			if v.StorageClass == "GLACIER" || v.StorageClass == "DEEP_ARCHIVE" || v.ArchiveStatus != "" {
				if firstArchived == nil {
					firstArchived = v
				}
				archived = append(archived, t.versionName(v))
				what := "StorageClass=" + v.StorageClass
				if v.ArchiveStatus != "" {
					what += " ArchiveStatus=" + v.ArchiveStatus
				}
				evidence = append(evidence, t.versionEvidence(v, what))
			}
			switch have := v.TagsFact(); {
			case len(tags) == 0:
			case have.IsUnknown():
				undecided = append(undecided, t.versionName(v)+" (its tags)")
				evidence = append(evidence, "s3:GetObjectTagging "+t.versionName(v)+" -> "+have.Why())
			case missingTags(have.Value, tags) != "":
				untagged = append(untagged, t.versionName(v))
				evidence = append(evidence, "s3:GetObjectTagging "+t.versionName(v)+" -> missing "+missingTags(have.Value, tags))
			}
			if (v.Encryption == "aws:kms" || v.Encryption == "aws:kms:dsse") && !t.Rule.ReplicatesKMSObjects() {
				kms = append(kms, t.versionName(v))
				evidence = append(evidence, t.versionEvidence(v, "ServerSideEncryption="+v.Encryption))
			}
		}
		if checked == 0 {
			return skip(fmt.Sprintf("every sampled version under %q is a delete marker or deleted", t.Rule.FilterPrefix()))
		}
		of := func(names []string) string {
			return fmt.Sprintf("%d of %d sampled versions under %q", len(names), checked, t.Rule.FilterPrefix())
		}
		var problems []ruleProblem
		if len(archived) > 0 {
			problems = append(problems, ruleProblem{StatusFail,
				of(archived) + " are in an archive storage class or tier and cannot be replicated until restored (" + someNames(archived) + ")",
				restoreFix(src, firstArchived)})
		}
		if len(untagged) > 0 {
			problems = append(problems, ruleProblem{StatusWarn,
				of(untagged) + " lack the rule's filter tags, so the rule does not replicate them (" + someNames(untagged) + ")",
				fmt.Sprintf("write objects with the tags in the upload (aws s3api put-object --bucket %s --key KEY --tagging '%s'); tagging them later does not make them eligible for live replication, so replicate those with Batch Replication", src, tagQuery(tags))})
		}
		if len(kms) > 0 {
			problems = append(problems, ruleProblem{StatusWarn,
				of(kms) + " are SSE-KMS encrypted but the rule does not opt them in with SseKmsEncryptedObjects, so S3 skips them (" + someNames(kms) + ")",
				t.putConfigFix(`set "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}} and "Destination": {"EncryptionConfiguration": {"ReplicaKmsKeyID": "KEY_ARN"}} on rule ` + t.RuleName)})
		}
		if len(undecided) > 0 && (len(archived) == 0) {
			// Nothing fails for certain, and what was not read could.
			msg := "could not decide whether " + of(undecided) + " are eligible for replication: could not read " + someNames(undecided)
			if len(problems) > 0 {
				msg += "; also, " + problemsOutcome(problems, "").Message
			}
			return unknown(msg, evidence...)
		}
		if len(problems) == 0 {
			evidence = append(evidence, fmt.Sprintf("s3:HeadObject %d sampled versions of %s under %q -> no archive class or tier, filter tags present, encryption opted in", checked, src, t.Rule.FilterPrefix()))
		}
		return problemsOutcome(problems,
			fmt.Sprintf("all %d sampled versions under %q are eligible for replication", checked, t.Rule.FilterPrefix()), evidence...)
	},
}

// missingTags lists the filter tags an object lacks, as k=v pairs, or "".
func missingTags(have map[string]string, want []snapshot.Tag) string {
	var missing []string
	for _, tag := range want {
		if v, ok := have[tag.Key]; !ok || v != tag.Value {
			missing = append(missing, tag.Key+"="+tag.Value)
		}
	}
	return strings.Join(missing, ", ")
}

// tagQuery renders tags as the URL query put-object --tagging takes.
func tagQuery(tags []snapshot.Tag) string {
	var parts []string
	for _, tag := range tags {
		parts = append(parts, tag.Key+"="+tag.Value)
	}
	return strings.Join(parts, "&")
}

// restoreFix restores an archived version and copies it out of the archive,
// as the commands for one version.
func restoreFix(bucket string, v *snapshot.ObjectVersion) string {
	version, source := "", bucket+"/"+v.Key
	if v.VersionID != "" {
		version = " --version-id " + v.VersionID
		source += "?versionId=" + v.VersionID
	}
	return fmt.Sprintf("restore each archived version and copy it to another storage class, e.g. aws s3api restore-object --bucket %s --key %s%s --restore-request Days=7, "+
		"then, once restored, aws s3api copy-object --bucket %s --key %s --copy-source '%s' --storage-class STANDARD", bucket, v.Key, version, bucket, v.Key, source)
}
