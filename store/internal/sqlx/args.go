package sqlx

import (
	"strconv"
	"strings"
)

// Placeholders returns n placeholders, $first to $(first+n-1), separated
// by commas: a list bound as arguments, for an IN (…).
func Placeholders(first, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("$" + strconv.Itoa(first+i))
	}
	return b.String()
}

// Int64Args returns ids as statement arguments.
func Int64Args(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

// Int64List returns ids written out, separated by commas: a literal list,
// for an IN (…) that is one statement whatever its length.
func Int64List(ids []int64) string {
	list := make([]string, len(ids))
	for i, id := range ids {
		list[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(list, ",")
}
