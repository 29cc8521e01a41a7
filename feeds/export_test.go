package feeds

// ParseFeedItems is parseFeed for BenchmarkParseFeed: the number of items.
func ParseFeedItems(doc []byte) (int, error) {
	f, err := parseFeed(doc)
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
