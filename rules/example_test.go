package rules_test

import (
	"fmt"

	"github.com/wirewatch/wirewatch/rules"
)

func ExampleParse() {
	q, err := rules.Parse(`taliban AND (tajikistan OR "tajik border") NOT football`)
	if err != nil {
		fmt.Println(err)
		return
	}
	item := rules.NewDoc("Taliban patrols near the Tajik border", "Officials in Dushanbe said …")
	fmt.Println(q.Match(item), q.Terms())

	_, err = rules.Parse("kabulov AND")
	fmt.Println(err)
	// Output:
	// true [taliban tajikistan tajik border]
	// column 9: missing term after AND
}
