package checks

import (
	"fmt"
	"sort"
	"strings"

	"github.com/replcheck/replcheck/policy"
)

// StalePolicyPrincipal warns when a policy replication depends on names a
// deleted IAM principal.
var StalePolicyPrincipal = &Check{
	Reason: "StalePolicyPrincipal",
	Scope:  ScopeLive,
	Title:  "a policy names a deleted IAM principal",
	Why: "Bucket and key policies store a role or user principal as its unique ID. When the principal is deleted, " +
		"the policy shows the bare ID (AROA… for roles, AIDA… for users) instead of the ARN, and a principal " +
		"re-created under the same name does not match it. A replication role re-created this way loses the " +
		"grants of the destination bucket policy or the key policies, and replication fails with a permission reason.",
	Predicts: "reads the source and destination bucket policies and the key policies of the KMS keys the rule uses " +
		"(source default key for SSE-KMS rules, replica key, destination default key) and warns on any AWS " +
		"principal that is a unique ID rather than an ARN.",
	Fix:    "replace the unique ID in the policy with the ARN of the current principal and put the policy again",
	DocURL: "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
	Config: true,
	Run: func(t *Target) Outcome {
		if t.Dest == nil {
			return unknown("the snapshot has no facts for destination " + t.DestARN + ", so its bucket policy is unknown")
		}
		pols := []PolicyFact{t.Source().Policy, t.Dest.Policy}
		var unread []string
		keys, _, o := t.destSideKeys()
		if o != nil {
			unread = append(unread, o.Message)
		}
		if enc := t.Source().Encryption; t.Rule.ReplicatesKMSObjects() {
			switch {
			case enc.IsUnknown():
				unread = append(unread, "the default encryption of source bucket "+t.Source().Name+": "+enc.Why())
			case enc.IsKnown() && enc.Value.KMSKeyID != "":
				keys = append(keys, destSideKey{ID: enc.Value.KMSKeyID, What: "default encryption key of source bucket " + t.Source().Name, Key: t.Facts.Key(enc.Value.KMSKeyID)})
			}
		}
		for _, k := range keys {
			if k.Key == nil {
				unread = append(unread, "the key policy of the "+k.What+" "+k.ID+": the snapshot has no facts for it")
				continue
			}
			pols = append(pols, k.Key.Policy)
		}
		var stale, evidence []string
		seen := map[string]bool{}
		for _, p := range pols {
			if seen[p.Name] {
				continue
			}
			seen[p.Name] = true
			switch {
			case p.Unknown():
				unread = append(unread, "the "+p.Name+": "+p.Why)
				evidence = append(evidence, p.Name+" -> "+p.Why)
			case p.Doc == nil:
				evidence = append(evidence, p.Name+" -> none")
			default:
				ids := uniqueIDPrincipals(p.Doc)
				evidence = append(evidence, p.Name+" -> unique-ID principals: "+strings.Join(append([]string{fmt.Sprint(len(ids))}, ids...), " "))
				for _, id := range ids {
					stale = append(stale, fmt.Sprintf("the %s names %s", p.Name, id))
				}
			}
		}
		switch {
		case len(stale) > 0:
			return warn(strings.Join(stale, "; ")+": a unique ID instead of an ARN means the principal was deleted, and a re-created principal does not match it",
				fmt.Sprintf("in each policy, replace the unique ID with the ARN of the principal it should grant (for the replication role: %s) and put the policy again (aws s3api put-bucket-policy / aws kms put-key-policy --policy-name default)", t.Config().Role),
				evidence...)
		case len(unread) > 0:
			return unknown("could not read every policy replication depends on: "+strings.Join(unread, "; "), evidence...)
		}
		return pass("no bucket or key policy of this rule names a deleted principal", evidence...)
	},
}

// uniqueIDPrincipals returns the AWS principals of a policy that are IAM
// unique IDs (AROA… for roles, AIDA… for users) rather than ARNs: IAM
// rewrites a principal ARN to its unique ID when the principal is deleted.
func uniqueIDPrincipals(doc *policy.Document) []string {
	var out []string
	for _, p := range doc.AWSPrincipals() {
		if isUniqueID(p) {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// isUniqueID reports whether s looks like an IAM role or user unique ID.
func isUniqueID(s string) bool {
	if len(s) < 16 || (!strings.HasPrefix(s, "AROA") && !strings.HasPrefix(s, "AIDA")) {
		return false
	}
	for _, c := range s {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
