// Package tfplan reads the JSON that `terraform show -json PLANFILE` (and
// OpenTofu's `tofu show -json`) prints: HashiCorp's documented plan format,
// format_version 1.x. It keeps what replcheck needs: every resource
// instance's planned and prior values (with the values known only after
// apply marked as such), the actions the apply takes, the configuration's
// expressions and references, modules and provider configurations.
//
// Plan resolves a planned attribute the way Terraform will at apply time,
// as far as the plan allows: a value known at plan time is used as is; an
// unknown one whose configuration expression is a single reference (such as
// aws_iam_role.replication.arn, var.name or module.dr.bucket_arn) is
// followed to the value it names when that is the kind of value the
// argument needs (see schemas: the plan does not tell
// aws_s3_bucket.x.arn from trimprefix(aws_s3_bucket.x.arn, ...)), and
// attributes that the AWS provider
// derives from known values (a bucket's ARN from its name, a role's ARN
// from its account, path and name) are derived. Anything else stays
// Unknown, with the address and attribute that will be known only after
// apply.
package tfplan
