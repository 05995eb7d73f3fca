package checks

import (
	"reflect"
	"testing"
)

func TestUniqueIDPrincipals(t *testing.T) {
	doc := `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111111111111:role/r","AROA3XFRBF535PLBIFPI4"]},"Action":"s3:*","Resource":"*"},
		{"Effect":"Deny","NotPrincipal":{"AWS":"AIDAJQABLZS4A3QDU576Q"},"Action":"s3:*","Resource":"*"},
		{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringLike":{"aws:userid":"AROAEXAMPLEEXAMPLE12:*"}}},
		{"Effect":"Allow","Principal":{"Service":"AROANOTANAWSPRINCIPAL"},"Action":"s3:*","Resource":"*"},
		{"Effect":"Allow","Principal":{"AWS":"111111111111"},"Action":"s3:*","Resource":"*"}]}`
	want := []string{"AIDAJQABLZS4A3QDU576Q", "AROA3XFRBF535PLBIFPI4"}
	if got := uniqueIDPrincipals(mustParse(doc)); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	single := `{"Statement":{"Effect":"Allow","Principal":{"AWS":"AROA3XFRBF535PLBIFPI4"},"Action":"s3:*","Resource":"*"}}`
	if got := uniqueIDPrincipals(mustParse(single)); !reflect.DeepEqual(got, []string{"AROA3XFRBF535PLBIFPI4"}) {
		t.Errorf("single statement: got %v", got)
	}
}

func TestSplitKMSARN(t *testing.T) {
	for in, want := range map[string][4]string{
		"arn:aws:kms:us-west-2:222222222222:key/mrk-0c0c": {"us-west-2", "222222222222", "key/mrk-0c0c", "true"},
		"arn:aws:kms:us-west-2:222222222222:alias/a":      {"us-west-2", "222222222222", "alias/a", "true"},
		"alias/aws/s3":                         {"", "", "", "false"},
		"2b2b2b2b-2222-4222-8222-222222222222": {"", "", "", "false"},
		"arn:aws:s3:::bucket":                  {"", "", "", "false"},
	} {
		region, account, resource, ok := splitKMSARN(in)
		okStr := "false"
		if ok {
			okStr = "true"
		}
		if got := [4]string{region, account, resource, okStr}; got != want {
			t.Errorf("splitKMSARN(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestWorstOf(t *testing.T) {
	got := worstOf([]Outcome{
		pass("a ok", "e1"),
		warn("b warns", "fix b", "e2"),
		skip("c skipped"),
		warn("d warns", "fix d", "e1"),
	})
	want := Outcome{Status: StatusWarn, Message: "b warns; d warns", Evidence: []string{"e1", "e2"}, Remediation: "fix b; fix d"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("worstOf = %+v, want %+v", got, want)
	}
	if got := worstOf([]Outcome{skip("x"), skip("y")}); got.Status != StatusSkip || got.Message != "x; y" {
		t.Errorf("all skips = %+v", got)
	}
}
