package waiver

import (
	"errors"
	"testing"
)

// FuzzParse checks that no input makes Parse panic, and that every
// rejection is an *Error naming the file.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		"waivers:\n  - reason: DstBucketUnversioned\n    bucket: 'logs-*'\n    justification: j\n    expires: 2027-03-31\n",
		"waivers:\n  - reason: DstPutObjectNotPermitted\n    account: '111122223333'\n    destination: arn:aws:s3:::d\n    rule: r\n    justification: j\n    expires: 2027-03-31\n",
		"waivers: []\n",
		"x: &a [1]\ny: *a\n",
		"waivers:\n  - {reason: a, reason: b}\n",
		"",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("fuzz.yaml", data)
		if err != nil {
			var we *Error
			if !errors.As(err, &we) || we.File != "fuzz.yaml" {
				t.Fatalf("error %v is not an *Error naming the file", err)
			}
			return
		}
		for _, w := range file.Waivers {
			if w.Check == nil || w.Justification == "" {
				t.Fatalf("accepted an incomplete waiver %+v", w)
			}
		}
	})
}
