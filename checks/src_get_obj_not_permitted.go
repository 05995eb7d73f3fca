package checks

import (
	"fmt"
	"strings"
)

// SrcGetObjNotPermitted predicts that S3 cannot read the source object
// versions it replicates.
var SrcGetObjNotPermitted = &Check{
	Reason:  "SrcGetObjNotPermitted",
	Aliases: []string{"SrcGetObjectNotPermitted"},
	Scope:   ScopeLive,
	Title:   "the replication role cannot read source object versions",
	Why: "S3 reads each source object version as the replication role with s3:GetObjectVersionForReplication, which " +
		"AWS's access policy grants (" + permRoleDoc + ") and whose absence AWS's failure table names for this reason. " +
		"The role's policies, its permissions boundary, SCPs, the source bucket policy and RCPs must all allow it; " +
		"the action has no s3:ExistingObjectTag key, so tag-conditioned grants never match. s3:GetObjectVersion " +
		"works for unencrypted and SSE-S3 objects only (" + kmsPermsDoc + "). For SSE-KMS and DSSE-KMS objects AWS requires " +
		"kms:Decrypt on the source key through S3, in the role's policy and the key policy (" + kmsPermsDoc + "); which " +
		"failure reason a denial of it gives is not documented, and replcheck reports it here.",
	Predicts: "asks the policy engine (or a recorded SimulatePrincipalPolicy decision for the identity side) " +
		"whether the role may call s3:GetObjectVersionForReplication on an object under the rule's prefix, with " +
		"the context S3 sends (s3:ResourceAccount, TLS, no aws:SourceVpce or aws:SourceIp). For rules that " +
		"replicate SSE-KMS objects it asks kms:Decrypt on the source bucket's default key and on the keys of " +
		"sampled objects, with kms:ViaService s3.<source Region>.amazonaws.com and the encryption context S3 " +
		"uses (the object ARN, or the bucket ARN with S3 Bucket Keys).",
	Fix:    "allow s3:GetObjectVersionForReplication on arn:aws:s3:::SRC/* in the role's policy, remove source bucket policy Denies that catch the role, and for SSE-KMS objects allow the role kms:Decrypt on the source key in its policy and in the key policy",
	DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-config-for-kms-objects.html",
	Requires: []Requirement{
		{Action: "s3:GetObjectVersionForReplication", On: sourceWide,
			Source: permRoleDoc + ` (the access policy grants it on the source objects) and ` + failureTable + ` ("The s3:GetObjectVersionForReplication permission might be missing")`, Denied: StatusFail},
		{Action: "s3:GetObjectVersion", On: "the source bucket's objects, in place of s3:GetObjectVersionForReplication: enough for unencrypted and SSE-S3 objects only (warns, or fails when the rule replicates SSE-KMS objects)",
			Source: kmsPermsDoc + ` ("the s3:GetObjectVersion action allows replication of unencrypted and SSE-S3-encrypted objects, but not of objects that are encrypted by using KMS keys")`, Denied: StatusFail,
			NoGrant: getObjectVersionNoGrant},
		{Action: "kms:Decrypt", On: "each source KMS key in play (default encryption and sampled objects), through S3 in the source Region: key policy and role policy",
			Source: kmsPermsDoc + ` ("You must grant kms:Decrypt permissions for the AWS KMS key that's used to decrypt the source object"); ` + bucketKeyDoc +
				` (with S3 Bucket Keys the encryption context is the bucket ARN); which failure reason a denial gives is not documented`, Denied: StatusFail},
	},
	Run: func(t *Target) Outcome {
		if o := t.needRole(); o != nil {
			return *o
		}
		src := t.Source()
		what := "read source object versions in " + src.Name
		get, fallback := t.sourceRead()
		asks := []asked{get}
		var evidence, missing []string
		var keyUses, kmsUses []srcKeyUse
		if t.Rule.ReplicatesKMSObjects() {
			uses, ev, miss := t.sourceKeyUses()
			kmsUses = uses
			evidence, missing = append(evidence, ev...), append(missing, miss...)
			for _, u := range uses {
				switch {
				case u.Key == nil:
					missing = append(missing, u.notGathered())
					continue
				case u.Key.Metadata.IsAbsent():
					evidence = append(evidence, "kms:DescribeKey "+u.Key.ARN+" -> NotFoundException (see SrcKmsKeyInvalidState)")
					continue
				case !src.Region.IsKnown():
					missing = append(missing, "the Region of "+src.Name+", which kms:ViaService names: "+src.Region.Why())
					continue
				}
				q, a := t.askKey(u.Key, "kms:Decrypt", kmsContext(src.Region.Value, t.Role.Account, u.ContextARN))
				asks = append(asks, asked{q, a})
				keyUses = append(keyUses, u)
			}
		}
		if fallback != nil && fallback.a.Decided && fallback.a.Allowed {
			return getObjectVersionOnly(t, get, *fallback, kmsUses, evidence)
		}
		o := t.permissionOutcome(what, asks...)
		o.Evidence = append(evidence, o.Evidence...)
		switch {
		case o.Status == StatusFail:
			for i, x := range asks {
				if !x.a.Decided || x.a.Allowed {
					continue
				}
				if i > 0 {
					u := keyUses[i-1]
					o.Message += "; the key encrypts " + u.Where
					if u.BucketKey {
						o.Message += ", with an S3 Bucket Key, so the encryption context S3 sends is the bucket ARN " + src.ARN + ", not an object ARN"
					}
				}
				break
			}
		case len(missing) > 0:
			for _, x := range asks {
				missing = append(missing, x.a.Missing...)
			}
			o = unknown(fmt.Sprintf("could not decide whether the replication role can %s: could not read %s", what, strings.Join(dedupe(missing), "; ")), o.Evidence...)
		}
		return o
	},
}

// getObjectVersionOnly decides when the role lacks
// s3:GetObjectVersionForReplication but has s3:GetObjectVersion, which lets
// S3 replicate unencrypted and SSE-S3 objects but not SSE-KMS or DSSE-KMS
// ones (replication-config-for-kms-objects.html).
func getObjectVersionOnly(t *Target, get, fallback asked, kmsUses []srcKeyUse, evidence []string) Outcome {
	evidence = append(append(evidence, get.a.Evidence...), fallback.a.Evidence...)
	fix := t.remediation(&get)
	if len(kmsUses) > 0 {
		return fail(fmt.Sprintf("the replication role has %s but not %s on %s: %s does not let S3 replicate SSE-KMS objects, and the rule replicates them (%s encrypts %s)",
			actGetObjectVersion, actGetForReplication, widen(get.q.Resource), actGetObjectVersion, kmsUses[0].name(), kmsUses[0].Where), fix, evidence...)
	}
	return warn(fmt.Sprintf("the replication role reads %s through %s, not %s: this covers unencrypted and SSE-S3 objects only, and SSE-KMS objects would fail",
		widen(get.q.Resource), actGetObjectVersion, actGetForReplication), fix, evidence...)
}
