// Package rules parses and matches the watch-rule query language.
package rules

// Query is a compiled rule query. (stub: replaced by the real implementation)
type Query struct{ src string }

// Parse compiles a query. (stub)
func Parse(src string) (*Query, error) { return &Query{src: src}, nil }
