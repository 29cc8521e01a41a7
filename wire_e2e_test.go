package main

import (
	"slices"
	"testing"
	"time"
)

// An outlet's own report that talks about an agency ("a letter to Reuters'
// editor") without crediting it is a second independent source beside the
// agency's report: a rule with min_sources = 2 alerts.
func TestOnceCreditsNotAMention(t *testing.T) {
	now := time.Now().UTC()
	srv := newNewsServer(t)
	srv.set("/reuters.xml", rss("https://www.reuters.com", "Reuters",
		rssItem{GUID: "rtrs-4410", Link: "https://www.reuters.com/world/asia-pacific/torkham-reopens-4410/",
			Title: "Pakistan reopens Torkham crossing with Afghanistan after two weeks",
			Text: "ISLAMABAD (Reuters) - Pakistan reopened the Torkham border crossing with Afghanistan on Friday after a two-week closure that stranded thousands of trucks, officials on both sides said. " +
				"\"The crossing is open for trade and for pedestrians with valid documents,\" a Pakistani customs official at Torkham said. " +
				"The closure followed clashes between border forces in which two guards were killed.",
			Published: now.Add(-3 * time.Hour)}))
	srv.set("/tolo.xml", rss("https://tolonews.com", "TOLOnews",
		rssItem{GUID: "tolo-191020", Link: "https://tolonews.com/afghanistan-191020",
			Title: "Torkham crossing reopens after two-week closure",
			Text: "The Torkham border crossing between Afghanistan and Pakistan reopened on Friday after a two-week closure that stranded thousands of trucks, officials of the Islamic Emirate told TOLOnews. " +
				"\"The crossing is open for trade and for pedestrians with valid documents,\" the Torkham customs chief said. " +
				"In a letter to Reuters' editor last month, the Islamic Emirate complained about the agency's coverage of the border clashes.",
			Published: now.Add(-2 * time.Hour)}))
	lines := onceTwoSources(t, srv.URL, "/reuters.xml", "/tolo.xml")
	if len(lines) != 1 || lines[0].Kind != "alert" {
		t.Fatalf("delivered %+v, want one alert: two independent sources carry the story", lines)
	}
	s := lines[0].Stories[0]
	if got, want := s.Origins, []string{"reuters", "tolonews.com"}; !slices.Equal(slices.Sorted(slices.Values(got)), want) {
		t.Errorf("origins = %v, want %v", got, want)
	}
}

// A re-report in another language credits the agency in its own words
// ("berichtete die Nachrichtenagentur Reuters"): the agency's report and
// the re-report are one independent source, and a rule with min_sources = 2
// holds its alert.
func TestOnceCreditsInGerman(t *testing.T) {
	now := time.Now().UTC()
	srv := newNewsServer(t)
	srv.set("/reuters.xml", rss("https://www.reuters.com", "Reuters",
		rssItem{GUID: "rtrs-4410", Link: "https://www.reuters.com/world/asia-pacific/torkham-reopens-4410/",
			Title:     "Pakistan reopens Torkham crossing with Afghanistan after two weeks",
			Text:      "ISLAMABAD (Reuters) - Pakistan reopened the Torkham border crossing with Afghanistan on Friday after a two-week closure that stranded thousands of trucks, officials on both sides said.",
			Published: now.Add(-3 * time.Hour)}))
	srv.set("/dw.xml", rss("https://www.dw.com", "DW",
		rssItem{GUID: "dw-70112", Link: "https://www.dw.com/de/torkham-70112",
			Title:     "Grenzübergang Torkham nach zwei Wochen wieder offen",
			Text:      "Pakistan hat den Grenzübergang Torkham nach Afghanistan am Freitag nach zweiwöchiger Schließung wieder geöffnet, berichtete die Nachrichtenagentur Reuters. Tausende Lastwagen steckten fest.",
			Published: now.Add(-2 * time.Hour)}))
	if lines := onceTwoSources(t, srv.URL, "/reuters.xml", "/dw.xml"); len(lines) != 0 {
		t.Errorf("delivered %+v, want nothing: one independent source (reuters) carries the story", lines)
	}
}

// onceTwoSources runs once over two feeds of the server with a rule on
// "torkham" that waits for two independent sources, and returns what it
// delivered.
func onceTwoSources(t *testing.T, server string, feeds ...string) []deliveryLine {
	t.Helper()
	cfg := writeConfig(t, t.TempDir(), server, feeds, "-", `
[[rule]]
name = "torkham"
query = 'torkham'
channels = ["out"]
min_sources = 2
`)
	code, stdout, stderr := runCmd(t, "once", "-config", cfg)
	if code != exitOK {
		t.Fatalf("once exit = %d; stderr:\n%s", code, stderr)
	}
	return parseLines(t, stdout)
}
