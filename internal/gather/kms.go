package gather

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/replcheck/replcheck/internal/arn"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// key reads a KMS key named by key ARN, alias ARN, alias name or key ID:
// kms:DescribeKey and kms:GetKeyPolicy, together when the key is named by
// its key ARN (GetKeyPolicy takes a key ARN or ID, not an alias), else one
// after the other. region and account locate keys named without an ARN.
func (r *run) key(id, region, account string) snapshot.KMSKey {
	if a, ok := arn.Parse(id); ok {
		region, account = a.Region, a.Account
	}
	return once(r, "key/"+region+"/"+account+"/"+id, func() snapshot.KMSKey {
		k := snapshot.KMSKey{ARN: id}
		byKeyARN := strings.HasPrefix(id, "arn:aws:kms:") && strings.Contains(id, ":key/")
		if !byKeyARN {
			k.Aliases = []string{id}
		}
		owner := r.identityFor(account)
		s := owner
		if s == nil {
			// Try with the base credentials: a key policy may let them
			// describe another account's key.
			s = r.base
		}
		c := s.KMS(region)
		policyName := "default"
		getPolicy := func(keyID *string) snapshot.Fact[snapshot.PolicyDocument] {
			return read(r, "kms:GetKeyPolicy", "kms:GetKeyPolicy",
				func(ctx context.Context) (*kms.GetKeyPolicyOutput, error) {
					return c.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{KeyId: keyID, PolicyName: &policyName})
				},
				func(o *kms.GetKeyPolicyOutput) snapshot.Fact[snapshot.PolicyDocument] {
					return policyFact("kms:GetKeyPolicy", deref(o.Policy))
				})
		}
		var out *kms.DescribeKeyOutput
		var err error
		var early snapshot.Fact[snapshot.PolicyDocument]
		describe := func() {
			out, err = call(r, "kms:DescribeKey", func(ctx context.Context) (*kms.DescribeKeyOutput, error) {
				return c.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: &id})
			})
		}
		if byKeyARN {
			parallel(describe, func() { early = getPolicy(&id) })
		} else {
			describe()
		}
		switch {
		case err != nil && isNotFound(err) && owner != nil:
			k.Metadata = snapshot.AbsentFact[snapshot.KeyMetadata]()
			k.Policy = snapshot.AbsentFact[snapshot.PolicyDocument]()
			if !strings.HasPrefix(k.ARN, "arn:") {
				k.ARN = "arn:aws:kms:" + region + ":" + account + ":" + id
			}
			return k
		case err != nil:
			why := factError("kms:DescribeKey", "kms:DescribeKey", err)
			if isNotFound(err) {
				// Across accounts, KMS answers NotFound when the key policy
				// does not let the caller see the key; that is not "deleted".
				why = r.noCredentials("kms:DescribeKey", account)
				why.Message = "KMS answered NotFoundException for a key of account " + account + ", which the credentials used cannot tell from a key they may not see"
			}
			k.Metadata = snapshot.UnknownFact[snapshot.KeyMetadata](why)
			k.Policy = snapshot.UnknownFact[snapshot.PolicyDocument](why)
			if !strings.HasPrefix(k.ARN, "arn:") {
				k.ARN = "arn:aws:kms:" + region + ":" + account + ":" + id
			}
			return k
		}
		m := out.KeyMetadata
		k.ARN = deref(m.Arn)
		md := snapshot.KeyMetadata{
			KeyState:    string(m.KeyState),
			KeyManager:  string(m.KeyManager),
			KeySpec:     string(m.KeySpec),
			KeyUsage:    string(m.KeyUsage),
			MultiRegion: m.MultiRegion != nil && *m.MultiRegion,
			Region:      keyRegion(k.ARN),
			Account:     deref(m.AWSAccountId),
			Origin:      string(m.Origin),
		}
		if md.KeyUsage == "" {
			md.KeyUsage = "ENCRYPT_DECRYPT" // emulators omit the default
		}
		k.Metadata = snapshot.KnownFact(md)
		if byKeyARN {
			k.Policy = early
		} else {
			k.Policy = getPolicy(m.KeyId)
		}
		return k
	})
}

// keyRegion is the Region of a key ARN.
func keyRegion(keyARN string) string {
	a, _ := arn.Parse(keyARN)
	return a.Region
}
