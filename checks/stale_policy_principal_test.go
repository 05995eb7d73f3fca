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
