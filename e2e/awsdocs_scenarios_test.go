package e2e

import (
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/replcheck/replcheck/internal/motoserver"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// The configurations AWS documents must pass live as they do offline
// (fixtures/aws-docs); these scenarios build them in moto.
func init() { scenarios = append(scenarios, awsDocScenarios...) }

// multipartSteps are the multipart reasons, which warn on a missing KMS
// permission that AWS does not document for replication.
var multipartSteps = []string{"DstMultipartInitNotPermitted", "DstMultipartPartUploadNotPermitted", "DstMultipartCompleteNotPermitted"}

// permAccessPolicy is AWS's access policy for the replication role
// (setting-repl-config-perm-overview.html#setting-repl-config-same-acctowner).
func permAccessPolicy(src, dst string) string {
	return policy(
		allow([]string{"s3:GetReplicationConfiguration", "s3:ListBucket"}, "arn:aws:s3:::"+src),
		allow([]string{"s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"}, "arn:aws:s3:::"+src+"/*"),
		allow([]string{"s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"}, "arn:aws:s3:::"+dst+"/*"),
	)
}

// permCrossAccountBucketPolicy is AWS's destination bucket policy for a
// source account's role (setting-repl-config-perm-overview.html#setting-repl-config-crossacct).
func permCrossAccountBucketPolicy(dst, role string) string {
	objects := allow([]string{"s3:ReplicateDelete", "s3:ReplicateObject"}, "arn:aws:s3:::"+dst+"/*")
	objects.Sid, objects.Principal = "Permissions on objects", map[string]string{"AWS": role}
	bucket := allow([]string{"s3:List*", "s3:GetBucketVersioning", "s3:PutBucketVersioning"}, "arn:aws:s3:::"+dst)
	bucket.Sid, bucket.Principal = "Permissions on bucket", map[string]string{"AWS": role}
	return policy(objects, bucket)
}

// kmsCompletePolicy is AWS's complete IAM policy for replicating objects
// created with SSE-S3 and SSE-KMS (replication-config-for-kms-objects.html
// #kms-replication-examples), key-prefix1 and prefix1 = Tax, both buckets in
// us-east-1; withEncrypt false leaves out its kms:Encrypt statement.
func kmsCompletePolicy(src, dst, sourceKey, replicaKey string, withEncrypt bool) string {
	via := "s3." + home + ".amazonaws.com"
	decrypt := allow([]string{"kms:Decrypt"}, sourceKey)
	decrypt.Condition = map[string]any{"StringLike": map[string]any{"kms:ViaService": via, "kms:EncryptionContext:aws:s3:arn": []string{"arn:aws:s3:::" + src + "/Tax*"}}}
	stmts := []statement{
		allow([]string{"s3:GetReplicationConfiguration", "s3:ListBucket"}, "arn:aws:s3:::"+src),
		allow([]string{"s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl"}, "arn:aws:s3:::"+src+"/Tax*"),
		allow([]string{"s3:ReplicateObject", "s3:ReplicateDelete"}, "arn:aws:s3:::"+dst+"/Tax*"),
		decrypt,
	}
	if withEncrypt {
		encrypt := allow([]string{"kms:Encrypt"}, replicaKey)
		encrypt.Condition = map[string]any{"StringLike": map[string]any{"kms:ViaService": via, "kms:EncryptionContext:aws:s3:arn": []string{"arn:aws:s3:::" + dst + "/Tax*"}}}
		stmts = append(stmts, encrypt)
	}
	return policy(stmts...)
}

// kmsDocumented builds AWS's SSE-KMS example: the source encrypts with its
// own key, the rule (prefix Tax) replicates SSE-KMS objects with a replica
// key, and the role has AWS's complete policy.
func kmsDocumented(withEncrypt bool) func(w *world) []string {
	return func(w *world) []string {
		sourceKey, replica := w.key(), w.key()
		return w.build(pair{useConfig: true, src: []bucketOpt{defaultKMS(sourceKey)},
			role: []roleOpt{inline(kmsCompletePolicy(srcBucket, dstBucket, sourceKey, replica, withEncrypt))},
			rule: func(r *snapshot.ReplicationRule) {
				replicaKey(replica)(r)
				r.Filter.Prefix = ptr("Tax")
			}})
	}
}

// objectTagged puts an object with tags into a bucket of srcAccount.
func (w *world) objectTagged(bucket, key, tagging string) {
	w.t.Helper()
	_, err := w.s3(srcAccount, home).PutObject(w.ctx, &s3.PutObjectInput{Bucket: &bucket, Key: &key,
		Body: strings.NewReader("replcheck e2e"), Tagging: &tagging})
	w.must("put object "+bucket+"/"+key, err)
}

var awsDocScenarios = []scenario{
	{
		// AWS's complete SSE-KMS policy grants kms:Decrypt on the source key
		// and kms:Encrypt on the replica key, nothing more, and neither
		// s3:GetObjectVersionTagging nor s3:ReplicateTags: no failure, exit
		// 0. The multipart steps warn (AWS documents no KMS permission for
		// them).
		name:  "documented SSE-KMS policy",
		setup: kmsDocumented(true),
		exit:  0,
		want:  warns(multipartSteps...),
		pass: []string{"DstPutObjNotPermitted", "SrcGetObjNotPermitted", "SrcGetTaggingNotPermitted", "DstPutTaggingNotPermitted",
			"SrcKmsKeyInvalidState", "DstKmsKeyInvalidState", "DstKmsKeyNotFound"},
	},
	{
		// DstPutObjNotPermitted: the same policy without its kms:Encrypt
		// statement on the replica key, which AWS requires ("You must grant
		// kms:Encrypt permissions for the AWS KMS key that's used to encrypt
		// the object replica").
		name:  "documented SSE-KMS policy without kms:Encrypt on the replica key",
		setup: kmsDocumented(false),
		exit:  1,
		want:  append(fails("DstPutObjNotPermitted"), warns(multipartSteps...)...),
		pass:  []string{"SrcGetObjNotPermitted", "DstPutAclNotPermitted", "DstPutTaggingNotPermitted"},
	},
	{
		// AWS's cross-account destination bucket policy grants the role only
		// s3:ReplicateObject and s3:ReplicateDelete, and the role has AWS's
		// access policy: every write of a replica passes, tags included.
		name: "documented cross-account bucket policy",
		setup: built(pair{cross: true,
			dst:  []bucketOpt{withPolicy(permCrossAccountBucketPolicy(dstBucket, roleARN))},
			role: []roleOpt{inline(permAccessPolicy(srcBucket, dstBucket))}}),
		exit: 0,
		pass: append([]string{"AssumeRoleNotPermitted", "SrcGetObjNotPermitted", "SrcGetAclNotPermitted", "SrcGetTaggingNotPermitted"}, dstWrites...),
	},
	{
		// Unknown, never judged on tags nobody read: the rule selects objects
		// tagged replicate=yes, and s3:GetObjectTagging on the sampled object
		// is denied (injected: moto allows it), so whether the rule
		// replicates it (SrcObjectNotEligible) is unknown: exit 3. Before,
		// the denial left its tags empty and the object was judged untagged.
		name: "sampled object's tags unreadable",
		setup: func(w *world) []string {
			args := w.build(pair{useConfig: true, rule: func(r *snapshot.ReplicationRule) {
				r.Filter = &snapshot.ReplicationRuleFilter{Tag: &snapshot.Tag{Key: "replicate", Value: "yes"}}
			}})
			w.objectTagged(srcBucket, "docs/a.txt", "replicate=yes")
			return append(args, "--objects", "10")
		},
		inject: func(p *motoserver.Proxy) {
			p.Inject(motoserver.Injection{
				Match: func(r *http.Request) bool {
					return r.Method == http.MethodGet && r.URL.Path == "/"+srcBucket+"/docs/a.txt" && r.URL.Query().Has("tagging")
				},
				Respond: func(w http.ResponseWriter, _ *http.Request) {
					w.Header().Set("Content-Type", "application/xml")
					w.WriteHeader(http.StatusForbidden)
					_, _ = w.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?>` +
						`<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>E2E</RequestId></Error>`))
				},
			})
		},
		exit: 3,
		want: unknowns("SrcObjectNotEligible"),
		pass: []string{"SrcGetTaggingNotPermitted", "DeleteMarkerReplicationWithTagFilter"},
	},
	{
		// AssumeRoleNotPermitted with --batch: the Batch Operations job role
		// trusts s3.amazonaws.com, not batchoperations.s3.amazonaws.com; AWS's
		// current failure table reports that under AssumeRoleNotPermitted
		// ("the IAM role that's specified ... in the Batch Operations job").
		name: "batch job role not trusted by Batch Operations",
		setup: func(w *world) []string {
			args := w.build(pair{})
			job := w.role("batch-job", inline(policy(
				allow([]string{"s3:InitiateReplication"}, "arn:aws:s3:::"+srcBucket+"/*"),
				allow([]string{"s3:GetReplicationConfiguration", "s3:PutInventoryConfiguration"}, "arn:aws:s3:::"+srcBucket),
			)))
			return append(args, "--batch", "--batch-role", job)
		},
		exit: 1,
		want: fails("AssumeRoleNotPermitted"),
		pass: []string{"InitiateReplicationNotPermitted", "SrcBucketInvalidRegion"},
	},
}
