package feeds

import "github.com/wirewatch/wirewatch/feeds/internal/fastfeed"

// ParseFeedItems is fastfeed for BenchmarkParseFeed: the number of items,
// or an error when fastfeed leaves the document to gofeed (a silent
// fallback would measure gofeed under fastfeed's name).
func ParseFeedItems(doc []byte) (int, error) {
	isAtom, _ := detect(doc)
	parse := fastfeed.RSS
	if isAtom {
		parse = fastfeed.Atom
	}
	f, err := parse(doc)
	if err != nil {
		return 0, err
	}
	return len(f.Items), nil
}

// GofeedItems is what parseFeed did before fastfeed, for
// BenchmarkParseFeed: gofeed's parser of the format and its translator.
func GofeedItems(doc []byte) (int, error) {
	isAtom, _ := detect(doc)
	f, err := gofeedFormat(doc, isAtom)
	if err != nil {
		return 0, err
	}
	return len(f.Items), nil
}
