#!/usr/bin/env bash
# naive-preflight.sh is the baseline of replcheck's live-preflight benchmark
# (e2e/bench_test.go, make bench): the reads a careful person would make with
# the aws CLI to check a cross-account S3 replication pair by hand, one
# sequential call per fact, each its own aws process. It reads only. It does
# not judge anything: it is the same reads as replcheck, not the same logic.
# A failed call (NoSuchBucketPolicy, a moto gap, …) does not stop it.
#
# usage: naive-preflight.sh --source BUCKET --destination BUCKET
#            --destination-role ARN [--endpoint-url URL] [--region REGION]
#
# The source account's credentials come from the environment (as for aws).
# The destination account is read with credentials from sts assume-role.
# The last line of output is "naive-preflight: N aws calls, M failed".
set -u

src= dst= dst_role= endpoint= region=${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}
while [ $# -gt 0 ]; do
	case $1 in
	--source) src=$2; shift 2 ;;
	--destination) dst=$2; shift 2 ;;
	--destination-role) dst_role=$2; shift 2 ;;
	--endpoint-url) endpoint=$2; shift 2 ;;
	--region) region=$2; shift 2 ;;
	*) echo "naive-preflight: unknown argument $1" >&2; exit 2 ;;
	esac
done
if [ -z "$src" ] || [ -z "$dst" ] || [ -z "$dst_role" ]; then
	echo "naive-preflight: give --source, --destination and --destination-role" >&2
	exit 2
fi

calls=0 failed=0
errfile=$(mktemp)
trap 'rm -f "$errfile"' EXIT
# awsq runs one aws command and leaves its output in $out ("" when the
# call failed, or found nothing). It runs in this shell, not a subshell, so
# that the counts add up.
awsq() {
	calls=$((calls + 1))
	local err
	if out=$(aws ${endpoint:+--endpoint-url "$endpoint"} "$@" 2>"$errfile"); then
		[ "$out" != None ] || out=
	else
		out=
		failed=$((failed + 1))
		err=$(tr '\n' ' ' <"$errfile")
		echo "naive-preflight: aws $*: ${err:0:200}" >&2
	fi
}
# bucket_facts reads every configuration fact of one bucket in its Region.
bucket_facts() {
	local b=$1 r=$2
	awsq --region "$r" s3api get-bucket-versioning --bucket "$b"
	awsq --region "$r" s3api get-object-lock-configuration --bucket "$b"
	awsq --region "$r" s3api get-bucket-policy --bucket "$b"
	awsq --region "$r" s3api get-bucket-ownership-controls --bucket "$b"
	awsq --region "$r" s3api get-bucket-request-payment --bucket "$b"
	awsq --region "$r" s3api get-bucket-lifecycle-configuration --bucket "$b"
}
# key_facts reads a KMS key (by ARN) and its key policy.
key_facts() {
	local k=$1 r
	[ -n "$k" ] || return 0
	r=$(printf '%s' "$k" | cut -d: -f4)
	awsq --region "${r:-$region}" kms describe-key --key-id "$k"
	awsq --region "${r:-$region}" kms get-key-policy --key-id "$k" --policy-name default
}
# managed_policy reads a managed policy's default version.
managed_policy() {
	local arn=$1 v
	awsq iam get-policy --policy-arn "$arn" --query Policy.DefaultVersionId --output text
	v=$out
	awsq iam get-policy-version --policy-arn "$arn" --version-id "${v:-v1}"
}

# Source account.
awsq --region "$region" sts get-caller-identity
awsq --region "$region" s3api list-buckets
awsq --region "$region" organizations describe-organization
awsq --region "$region" s3api head-bucket --bucket "$src" --query BucketRegion --output text
src_region=$out
src_region=${src_region:-$region}
awsq --region "$src_region" s3api get-bucket-replication --bucket "$src" \
	--query 'ReplicationConfiguration.[Role, Rules[0].Destination.EncryptionConfiguration.ReplicaKmsKeyID]' --output text
read -r role replica_key <<<"$out"
[ "$replica_key" != None ] || replica_key=
awsq --region "$src_region" s3api get-bucket-encryption --bucket "$src" \
	--query 'ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.KMSMasterKeyID' --output text
src_key=$out
bucket_facts "$src" "$src_region"
key_facts "$src_key"

# The replication role.
role_name=${role##*/}
if [ -n "$role_name" ]; then
	awsq iam get-role --role-name "$role_name" --query Role.PermissionsBoundary.PermissionsBoundaryArn --output text
	boundary=$out
	awsq iam list-role-policies --role-name "$role_name" --query 'PolicyNames[]' --output text
	for p in $out; do
		awsq iam get-role-policy --role-name "$role_name" --policy-name "$p"
	done
	awsq iam list-attached-role-policies --role-name "$role_name" --query 'AttachedPolicies[].PolicyArn' --output text
	for arn in $out; do
		managed_policy "$arn"
	done
	[ -z "$boundary" ] || managed_policy "$boundary"
	# The simulator, once, for the role's main permissions (replcheck asks it
	# too, without retries: an emulator may not implement it).
	AWS_MAX_ATTEMPTS=1 awsq iam simulate-principal-policy --policy-source-arn "$role" \
		--action-names s3:GetReplicationConfiguration s3:ListBucket s3:GetObjectVersionForReplication \
		--resource-arns "arn:aws:s3:::$src" "arn:aws:s3:::$src/*"
fi

# Destination account, with assumed-role credentials.
awsq --region "$region" sts assume-role --role-arn "$dst_role" --role-session-name naive-preflight \
	--query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text
creds=$out
if [ -n "$creds" ]; then
	read -r AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN <<<"$creds"
	export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
fi
awsq --region "$region" sts get-caller-identity
awsq --region "$region" s3api list-buckets
awsq --region "$region" organizations describe-organization
awsq --region "$region" s3api head-bucket --bucket "$dst" --query BucketRegion --output text
dst_region=$out
dst_region=${dst_region:-$region}
awsq --region "$dst_region" s3api get-bucket-encryption --bucket "$dst" \
	--query 'ServerSideEncryptionConfiguration.Rules[0].ApplyServerSideEncryptionByDefault.KMSMasterKeyID' --output text
dst_key=$out
bucket_facts "$dst" "$dst_region"
key_facts "$replica_key"
[ "$dst_key" = "$replica_key" ] || key_facts "$dst_key"

echo "naive-preflight: $calls aws calls, $failed failed"
