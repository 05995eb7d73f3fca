package tfplan

import (
	"slices"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// CodeNotTied is the FactError code of a bucket setting that a planned
// resource may change, but which bucket that resource configures is not
// known.
const CodeNotTied = "NotTiedToBucket"

// untied is a planned resource that configures a bucket (versioning,
// encryption, Object Lock, policy, ownership...) whose bucket argument
// the plan does not name: it is known only after apply, or its
// expression cannot be evaluated (a local value, a function of another
// attribute). The setting it declares, of every bucket it may configure,
// is Unknown: AWS's default for a new bucket, or what aws_s3_bucket
// recorded, would be a guess.
type untied struct {
	res *Resource
	// candidates are the names of the buckets it may configure: those of
	// the aws_s3_bucket resources its bucket argument refers to; nil when
	// it refers to none, and may configure any bucket.
	candidates []string
	why        *snapshot.FactError
}

// untie describes a resource whose bucket argument has no name; v is the
// argument's value.
func (b *builder) untie(r *Resource, v Value) untied {
	reason := "its bucket argument is not set"
	switch {
	case v.Unfollowed != "":
		reason = "its bucket argument " + v.Unfollowed
	case v.Pending != "":
		reason = "its bucket argument is known only after terraform apply (" + v.Pending + ")"
	case v.Known && v.V != nil:
		reason = "its bucket argument is not a bucket name"
	}
	u := untied{res: r, candidates: b.candidates(r)}
	which := "any bucket of this plan"
	if u.candidates != nil {
		which = "the bucket it refers to"
	}
	msg := r.Address + " cannot be tied to a bucket: " + reason
	if name, ok := settingNames[r.Type]; ok {
		msg += "; it may set the " + name + " of " + which + ", so replcheck assumes no setting for it"
	} else {
		msg += ", so replcheck cannot tell which bucket it replicates"
	}
	u.why = &snapshot.FactError{Operation: planOperation, Code: CodeNotTied, Message: msg}
	return u
}

// candidates lists the names of the buckets a resource's bucket argument
// refers to (through variables and module outputs), with the stand-in
// for a name known only after apply: nil when it refers to no
// aws_s3_bucket, empty when it refers to one whose name is not known.
func (b *builder) candidates(r *Resource) []string {
	if r.Config == nil {
		return nil
	}
	e, _ := r.Config.Body.Expr("bucket")
	targets := map[string]bool{}
	for _, ref := range e.References {
		for _, t := range b.p.targets(ConfigPath(r.Module), ref, 0) {
			targets[t] = true
		}
	}
	var out []string
	found := false
	for _, x := range b.p.Resources {
		if x.Mode != "managed" || x.Type != "aws_s3_bucket" || !targets[configAddress(x)] {
			continue
		}
		found = true
		name, v := b.p.strOf(x, "bucket")
		if name == "" {
			name = b.pendingBucket(v)
		}
		if name != "" && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	if found && out == nil {
		out = []string{}
	}
	return out
}

// settingNames name the setting each bucket resource type declares.
var settingNames = map[string]string{
	"aws_s3_bucket_versioning":                           "versioning",
	"aws_s3_bucket_object_lock_configuration":            "Object Lock configuration",
	"aws_s3_bucket_server_side_encryption_configuration": "default encryption",
	"aws_s3_bucket_policy":                               "bucket policy",
	"aws_s3_bucket_ownership_controls":                   "Object Ownership",
	"aws_s3_bucket_request_payment_configuration":        "request payment configuration",
	"aws_s3_bucket_lifecycle_configuration":              "lifecycle configuration",
}

// mayConfigure reports whether the untied resource may configure bucket
// name.
func (u untied) mayConfigure(name string) bool {
	return u.candidates == nil || slices.Contains(u.candidates, name)
}

// untiedSettings makes Unknown each setting of bucket name that an untied
// resource may change and no resource tied to the bucket declares, and
// names that resource as the setting's origin.
func (b *builder) untiedSettings(name string, bk *snapshot.Bucket, o *snapshot.BucketOrigins) {
	for _, u := range b.untied {
		if !u.mayConfigure(name) || b.planned(name, u.res.Type) != nil {
			continue
		}
		switch u.res.Type {
		case "aws_s3_bucket_versioning":
			bk.Versioning, o.Versioning = snapshot.UnknownFact[string](u.why), u.res.Address
		case "aws_s3_bucket_object_lock_configuration":
			bk.ObjectLock, o.ObjectLock = snapshot.UnknownFact[snapshot.ObjectLockConfiguration](u.why), u.res.Address
		case "aws_s3_bucket_server_side_encryption_configuration":
			bk.Encryption, o.Encryption = snapshot.UnknownFact[snapshot.BucketEncryption](u.why), u.res.Address
		case "aws_s3_bucket_policy":
			bk.Policy, o.Policy = snapshot.UnknownFact[snapshot.PolicyDocument](u.why), u.res.Address
		case "aws_s3_bucket_ownership_controls":
			bk.Ownership, o.Ownership = snapshot.UnknownFact[string](u.why), u.res.Address
		case "aws_s3_bucket_request_payment_configuration":
			bk.RequestPayment, o.RequestPayment = snapshot.UnknownFact[string](u.why), u.res.Address
		case "aws_s3_bucket_lifecycle_configuration":
			bk.Lifecycle, o.Lifecycle = snapshot.UnknownFact[snapshot.Lifecycle](u.why), u.res.Address
		}
	}
}

// untiedBuckets lists the buckets of the snapshot being built that an
// untied resource may configure.
func (b *builder) untiedBuckets(r *Resource) []string {
	i := slices.IndexFunc(b.untied, func(u untied) bool { return u.res == r })
	if i < 0 {
		return nil
	}
	var out []string
	for _, bk := range append([]snapshot.Bucket{b.snap.Source}, b.snap.Destinations...) {
		if !IsPlaceholder(bk.Name) && b.untied[i].mayConfigure(bk.Name) && !slices.Contains(out, bk.Name) {
			out = append(out, bk.Name)
		}
	}
	return out
}
