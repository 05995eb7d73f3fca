package checks

// Where AWS documents what S3 replication needs: pages of the S3 User Guide
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/) and API
// Reference, with the section. Messages and Requirement.Source cite them.
const (
	permRoleDoc     = "setting-repl-config-perm-overview.html#setting-repl-config-same-acctowner"
	permCrossDoc    = "setting-repl-config-perm-overview.html#setting-repl-config-crossacct"
	failureTable    = "replication-metrics-events.html#replication-failure-codes"
	kmsPermsDoc     = "replication-config-for-kms-objects.html#replication-kms-permissions"
	bucketKeyDoc    = "replication-config-for-kms-objects.html#bk-replication"
	defaultEncDoc   = "replication-config-for-kms-objects.html#replication-default-encryption"
	kmsCrossDoc     = "replication-config-for-kms-objects.html#replication-kms-cross-acct-scenario"
	ownerRoleDoc    = "replication-change-owner.html#repl-ownership-add-role-permission"
	ownerPolicyDoc  = "replication-change-owner.html#repl-ownership-accept-ownership-b-policy"
	objectLockDoc   = "object-lock-managing.html#object-lock-managing-replication"
	troubleshootDoc = "replication-troubleshoot.html"
	batchPolicyDoc  = "s3-batch-replication-policies.html"
	mpuAPIDoc       = "API/API_CreateMultipartUpload.html"
	destinationWide = "the destination bucket's objects (arn:aws:s3:::DST/*): the role's policies, boundary and SCPs, RCPs and, across accounts, the destination bucket policy"
	sourceWide      = "the source bucket's objects (arn:aws:s3:::SRC/*): the role's policies, boundary and SCPs, RCPs and the source bucket policy"
)

// Citations of what AWS says, shared by several checks' Requires.
const (
	replicateObjectSource = permRoleDoc + ` (the access policy grants s3:ReplicateObject on the destination: it "allow[s] Amazon S3 to replicate objects"), ` +
		permCrossDoc + ` (the destination bucket policy grants it across accounts), and ` + failureTable + ` ("The s3:ReplicateObject permission might be missing")`
	replicaKeyEncryptSource = kmsPermsDoc + ` ("You must grant kms:Encrypt permissions for the AWS KMS key that's used to encrypt the object replica"); across accounts the key owner grants it too (` + kmsCrossDoc + `)`
	multipartKMSSource      = `not documented for replication: ` + kmsPermsDoc + ` asks only kms:Encrypt on the replica key and its complete policies replicate SSE-KMS objects with it; ` +
		mpuAPIDoc + ` (Permissions) requires kms:GenerateDataKey and kms:Decrypt for SSE-KMS multipart uploads by other callers, and ` + failureTable +
		` lists kms:Decrypt and kms:GenerateDataKey* under DstPutObjectNotPermitted`
)

// s3WriteRequirement is s3:ReplicateObject on the destination, which every
// replica write needs.
var s3WriteRequirement = Requirement{Action: "s3:ReplicateObject", On: destinationWide, Source: replicateObjectSource, Denied: StatusFail}
