package tfplan

import (
	"encoding/json"
	"strconv"
	"strings"
)

// typ is the JSON type of an attribute replcheck reads.
type typ int

const (
	tString    typ = iota + 1
	tInt           // a whole number
	tBool          // true or false
	tStrings       // a list (or set) of strings
	tStringMap     // an object of strings (tags)
	tBlocks        // a list of nested blocks (objects)
)

// refKind is what a string attribute holds, for following references: an
// argument is only evaluated through a reference to an attribute that
// holds the same kind of value (see Plan.attribute).
type refKind string

const (
	kBucketName refKind = "a bucket name"
	kBucketARN  refKind = "a bucket ARN"
	kRoleARN    refKind = "an IAM role ARN"
	kRoleName   refKind = "an IAM role name"
	kPolicyARN  refKind = "an IAM policy ARN"
	kPolicyJSON refKind = "a policy document"
	kKMSKey     refKind = "a KMS key identifier"
	kAccountID  refKind = "an account ID"
	kRegion     refKind = "a Region"
)

// field is the schema of one attribute or nested block.
type field struct {
	t     typ
	kind  refKind
	block schema
}

// schema is a resource's (or a nested block's) attributes by name.
type schema map[string]field

func str(k refKind) field   { return field{t: tString, kind: k} }
func blocks(s schema) field { return field{t: tBlocks, block: s} }
func statusBlock() field    { return blocks(schema{"status": str("")}) }
func minutesBlock() field   { return blocks(schema{"minutes": {t: tInt}}) }
func policyAttr() field     { return str(kPolicyJSON) }
func bucketSetting(s schema) schema {
	s["bucket"] = str(kBucketName)
	s["id"] = str(kBucketName)
	return s
}

var (
	fInt  = field{t: tInt}
	fBool = field{t: tBool}
	fStr  = str("")
)

// sseRule is the rule of a server-side encryption configuration.
var sseRule = blocks(schema{
	"apply_server_side_encryption_by_default": blocks(schema{"sse_algorithm": fStr, "kms_master_key_id": str(kKMSKey)}),
	"bucket_key_enabled":                      fBool,
})

var retention = blocks(schema{"default_retention": blocks(schema{"mode": fStr, "days": fInt, "years": fInt})})

// schemas are the attributes replcheck reads, by resource type; data
// sources are keyed "data.TYPE". Decode rejects a planned or prior value
// of another type, and references are followed by their kind.
var schemas = map[string]schema{
	"aws_s3_bucket": {
		"bucket": str(kBucketName), "id": str(kBucketName), "arn": str(kBucketARN), "region": str(kRegion),
		"policy": policyAttr(), "request_payer": fStr, "object_lock_enabled": fBool,
		"versioning":                           blocks(schema{"enabled": fBool}),
		"object_lock_configuration":            blocks(schema{"object_lock_enabled": fStr, "rule": retention}),
		"server_side_encryption_configuration": blocks(schema{"rule": sseRule}),
		"lifecycle_rule": blocks(schema{"enabled": fBool,
			"noncurrent_version_expiration": blocks(schema{"days": fInt}), "expiration": blocks(schema{"days": fInt})}),
		"replication_configuration": blocks(schema{"role": str(kRoleARN), "rules": blocks(schema{
			"id": fStr, "status": fStr, "priority": fInt, "prefix": fStr, "delete_marker_replication_status": fStr,
			"filter":                    blocks(schema{"prefix": fStr, "tags": {t: tStringMap}}),
			"source_selection_criteria": blocks(schema{"sse_kms_encrypted_objects": blocks(schema{"enabled": fBool})}),
			"destination": blocks(schema{
				"bucket": str(kBucketARN), "account_id": str(kAccountID), "storage_class": fStr, "replica_kms_key_id": str(kKMSKey),
				"access_control_translation": blocks(schema{"owner": fStr}),
				"replication_time":           blocks(schema{"status": fStr, "minutes": fInt}),
				"metrics":                    blocks(schema{"status": fStr, "minutes": fInt}),
			}),
		})}),
	},
	"aws_s3_bucket_versioning":                           bucketSetting(schema{"versioning_configuration": blocks(schema{"status": fStr})}),
	"aws_s3_bucket_object_lock_configuration":            bucketSetting(schema{"rule": retention}),
	"aws_s3_bucket_server_side_encryption_configuration": bucketSetting(schema{"rule": sseRule}),
	"aws_s3_bucket_policy":                               bucketSetting(schema{"policy": policyAttr()}),
	"aws_s3_bucket_ownership_controls":                   bucketSetting(schema{"rule": blocks(schema{"object_ownership": fStr})}),
	"aws_s3_bucket_request_payment_configuration":        bucketSetting(schema{"payer": fStr}),
	"aws_s3_bucket_lifecycle_configuration": bucketSetting(schema{"rule": blocks(schema{"status": fStr,
		"noncurrent_version_expiration": blocks(schema{"noncurrent_days": fInt}), "expiration": blocks(schema{"days": fInt})})}),
	"aws_s3_bucket_replication_configuration": bucketSetting(schema{"role": str(kRoleARN), "rule": blocks(schema{
		"id": fStr, "priority": fInt, "status": fStr, "prefix": fStr,
		"filter": blocks(schema{"prefix": fStr, "tag": blocks(schema{"key": fStr, "value": fStr}),
			"and": blocks(schema{"prefix": fStr, "tags": {t: tStringMap}})}),
		"delete_marker_replication":   statusBlock(),
		"existing_object_replication": statusBlock(),
		"source_selection_criteria": blocks(schema{"sse_kms_encrypted_objects": statusBlock(),
			"replica_modifications": statusBlock()}),
		"destination": blocks(schema{
			"bucket": str(kBucketARN), "account": str(kAccountID), "storage_class": fStr,
			"access_control_translation": blocks(schema{"owner": fStr}),
			"encryption_configuration":   blocks(schema{"replica_kms_key_id": str(kKMSKey)}),
			"replication_time":           blocks(schema{"status": fStr, "time": minutesBlock()}),
			"metrics":                    blocks(schema{"status": fStr, "event_threshold": minutesBlock()}),
		}),
	})}),
	"aws_iam_role": {
		"arn": str(kRoleARN), "name": str(kRoleName), "id": str(kRoleName), "path": fStr,
		"assume_role_policy": policyAttr(), "permissions_boundary": str(kPolicyARN),
		"inline_policy":       blocks(schema{"name": fStr, "policy": policyAttr()}),
		"managed_policy_arns": {t: tStrings},
	},
	"aws_iam_role_policy":            {"role": str(kRoleName), "name": fStr, "policy": policyAttr()},
	"aws_iam_role_policy_attachment": {"role": str(kRoleName), "policy_arn": str(kPolicyARN)},
	"aws_iam_policy":                 {"arn": str(kPolicyARN), "id": str(kPolicyARN), "name": fStr, "path": fStr, "policy": policyAttr()},
	"aws_kms_key": {
		"arn": str(kKMSKey), "key_id": str(kKMSKey), "id": str(kKMSKey), "policy": policyAttr(),
		"customer_master_key_spec": fStr, "key_usage": fStr, "multi_region": fBool, "is_enabled": fBool,
	},
	"aws_kms_alias": {"name": str(kKMSKey), "arn": str(kKMSKey), "target_key_id": str(kKMSKey), "target_key_arn": str(kKMSKey)},

	"data.aws_caller_identity":     {"account_id": str(kAccountID), "id": str(kAccountID)},
	"data.aws_region":              {"name": str(kRegion), "region": str(kRegion), "id": str(kRegion)},
	"data.aws_iam_policy_document": {"json": policyAttr(), "minified_json": policyAttr()},
	"data.aws_s3_bucket":           {"bucket": str(kBucketName), "id": str(kBucketName), "arn": str(kBucketARN), "region": str(kRegion)},
	"data.aws_iam_role":            {"arn": str(kRoleARN), "name": str(kRoleName), "id": str(kRoleName)},
	"data.aws_iam_policy":          {"arn": str(kPolicyARN), "id": str(kPolicyARN), "policy": policyAttr()},
	"data.aws_kms_key":             {"arn": str(kKMSKey), "id": str(kKMSKey)},
	"data.aws_kms_alias":           {"arn": str(kKMSKey), "name": str(kKMSKey), "target_key_arn": str(kKMSKey), "target_key_id": str(kKMSKey)},
}

// schemaOf returns the schema of a resource's mode and type, or nil.
func schemaOf(mode, typ string) schema {
	if mode == "data" {
		return schemas["data."+typ]
	}
	return schemas[typ]
}

// lookupField returns the field at a path of attribute names and block
// indices (indices are skipped).
func lookupField(s schema, path []any) (field, bool) {
	var f field
	for i, step := range path {
		name, ok := step.(string)
		if !ok {
			continue
		}
		if i > 0 && f.t != tBlocks {
			return field{}, false
		}
		if f.t == tBlocks {
			s = f.block
		}
		if f, ok = s[name]; !ok {
			return field{}, false
		}
	}
	return f, f.t != 0
}

// fieldOf is the schema of a resource's attribute at path.
func fieldOf(r *Resource, path []any) (field, bool) {
	return lookupField(schemaOf(r.Mode, r.Type), path)
}

// checkSchema checks the types of the attributes replcheck reads in a
// resource's value (planned, prior, or before the change).
func checkSchema(n node, s schema) error {
	m, ok := n.v.(map[string]any)
	if !ok {
		if n.v == nil || s == nil {
			return nil
		}
		return n.fail("got %s, want an object of attribute values", describe(n.v))
	}
	for _, name := range sortedKeys(s) {
		if _, present := m[name]; present {
			if err := checkField(n.key(name), s[name]); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkField(n node, f field) error {
	if n.v == nil {
		return nil // null: not set, or known only after apply
	}
	if sameJSONType(n.v, f.t) && (f.t != tInt || isInt(n.v)) {
		if f.t == tBlocks {
			items, _ := n.array()
			for _, it := range items {
				if err := checkSchema(it, f.block); err != nil {
					return err
				}
			}
		}
		return nil
	}
	return n.fail("got %s, want %s", describe(n.v), f.t)
}

// sameJSONType reports whether a planned value has exactly the JSON type
// of the field: Terraform writes planned values in the attribute's type.
func sameJSONType(v any, t typ) bool {
	switch t {
	case tString:
		_, ok := v.(string)
		return ok
	case tInt:
		_, ok := v.(json.Number)
		return ok
	case tBool:
		_, ok := v.(bool)
		return ok
	case tStrings:
		a, ok := v.([]any)
		for _, e := range a {
			if _, isStr := e.(string); !isStr {
				return false
			}
		}
		return ok
	case tStringMap:
		m, ok := v.(map[string]any)
		for _, e := range m {
			if _, isStr := e.(string); !isStr && e != nil {
				return false
			}
		}
		return ok
	case tBlocks:
		a, ok := v.([]any)
		for _, e := range a {
			if _, isObj := e.(map[string]any); !isObj {
				return false
			}
		}
		return ok
	}
	return false
}

func isInt(v any) bool {
	n, ok := v.(json.Number)
	if !ok {
		return false
	}
	_, err := strconv.Atoi(n.String())
	return err == nil
}

// describe names a value for messages, with the value when it is short.
func describe(v any) string {
	switch x := v.(type) {
	case string:
		if len(x) <= 40 {
			return "the string " + strconv.Quote(x)
		}
	case json.Number:
		return "the number " + x.String()
	case bool:
		return "the boolean " + strconv.FormatBool(x)
	}
	return kind(v)
}

// String names a type for messages.
func (t typ) String() string {
	switch t {
	case tString:
		return "a string"
	case tInt:
		return "a whole number"
	case tBool:
		return "a boolean"
	case tStrings:
		return "an array of strings"
	case tStringMap:
		return "an object of strings"
	case tBlocks:
		return "an array of objects (nested blocks)"
	}
	return "a value"
}

// convert converts a value the way Terraform converts an argument's value
// to the attribute's type (a number or bool to a string, a numeric string
// to a number, "true" to a bool); ok is false when Terraform would not.
func convert(v any, t typ) (any, bool) {
	if v == nil {
		return nil, true
	}
	switch t {
	case tString:
		switch x := v.(type) {
		case string:
			return x, true
		case json.Number:
			return x.String(), true
		case bool:
			return strconv.FormatBool(x), true
		}
	case tInt:
		switch x := v.(type) {
		case json.Number:
			if isInt(x) {
				return x, true
			}
		case string:
			if _, err := strconv.Atoi(strings.TrimSpace(x)); err == nil {
				return json.Number(strings.TrimSpace(x)), true
			}
		}
	case tBool:
		switch x := v.(type) {
		case bool:
			return x, true
		case string:
			if b, err := strconv.ParseBool(x); err == nil && (x == "true" || x == "false") {
				return b, true
			}
		}
	case tStrings:
		a, ok := v.([]any)
		if !ok {
			return nil, false
		}
		out := make([]any, len(a))
		for i, e := range a {
			if out[i], ok = convert(e, tString); !ok || out[i] == nil {
				return nil, false
			}
		}
		return out, true
	case tStringMap:
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		out := make(map[string]any, len(m))
		for k, e := range m {
			if out[k], ok = convert(e, tString); !ok {
				return nil, false
			}
		}
		return out, true
	case tBlocks:
		if sameJSONType(v, tBlocks) {
			return v, true
		}
	}
	return nil, false
}
