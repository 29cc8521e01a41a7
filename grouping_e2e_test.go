package main

import (
	"strings"
	"testing"
	"time"

	"github.com/wirewatch/wirewatch/bot"
)

// Four outlets re-report one Kabulov interview under their own headlines
// and words; a fifth outlet reports a different Kabulov statement.
func rewrittenFeeds(now time.Time) map[string]string {
	return map[string]string{
		"/tass.xml": rss("https://tass.com", "TASS",
			rssItem{GUID: "tass-9001", Link: "https://tass.com/politics/9001",
				Title: "Russia sees no grounds yet for recognizing Taliban government, Kabulov says",
				Text: "MOSCOW, November 20. /TASS/. Russia does not yet see grounds for the official recognition of the Taliban government, but will keep working contacts with Kabul, Presidential Special Envoy for Afghanistan Zamir Kabulov told TASS on Thursday. " +
					"\"Recognition is not on the agenda today. We will decide when the Taliban form an inclusive government that represents all ethnic groups of Afghanistan,\" the diplomat said. " +
					"Kabulov added that Moscow expected the Taliban to deliver on their promises on the fight against the drug trade and terrorism, and that the fourteenth round of consultations would be held in Kazan in February.",
				Published: now.Add(-5 * time.Hour)}),
		"/tolo.xml": rss("https://tolonews.com", "TOLOnews",
			rssItem{GUID: "tolo-190400", Link: "https://tolonews.com/afghanistan-190400",
				Title: "Moscow not ready to recognize Islamic Emirate: Russian envoy",
				Text: "Russia's special envoy for Afghanistan, Zamir Kabulov, said Moscow will keep its working contacts with Kabul but that formal recognition of the Islamic Emirate is not on the agenda, according to Russian media. " +
					"\"We will decide when the Taliban form an inclusive government that represents all ethnic groups of Afghanistan,\" Kabulov told TASS. " +
					"The Islamic Emirate's spokesman said the current government already represents all Afghans. Kabulov said the fourteenth round of consultations would be held in Kazan in February.",
				Published: now.Add(-4 * time.Hour)}),
		"/afgtimes.xml": rss("https://www.afghanistantimes.af", "Afghanistan Times",
			rssItem{GUID: "at-77001", Link: "https://www.afghanistantimes.af/kabulov-recognition/",
				Title: "Kabulov: Recognition of Taliban 'not on the agenda today'",
				Text: "KABUL: Russian presidential envoy Zamir Kabulov has said that Moscow does not see grounds for recognizing the Taliban government for now. " +
					"\"Recognition is not on the agenda today,\" Kabulov told the Russian news agency TASS, adding that a decision would come when the Taliban form an inclusive government that represents all ethnic groups of Afghanistan. " +
					"He said Moscow expected the Taliban to deliver on their promises on the fight against the drug trade and terrorism.",
				Published: now.Add(-3 * time.Hour)}),
		"/urdupoint.xml": rss("https://www.urdupoint.com", "UrduPoint",
			rssItem{GUID: "up-55120", Link: "https://www.urdupoint.com/en/world/russia-not-ready-to-recognise-taliban-55120.html",
				Title: "Russia Not Ready To Recognise Taliban Govt - Envoy",
				Text: "MOSCOW (UrduPoint News / Sputnik) Russia does not yet see grounds for the official recognition of the Taliban government, Russian presidential envoy Zamir Kabulov said. " +
					"\"Recognition is not on the agenda today. We will decide when the Taliban form an inclusive government that represents all ethnic groups of Afghanistan,\" Kabulov said. " +
					"The next round of consultations on Afghanistan will take place in Kazan in February, he said.",
				Published: now.Add(-2 * time.Hour)}),
		// The same envoy a week earlier on something else: a separate story.
		"/khaama.xml": rss("https://www.khaama.com", "Khaama Press",
			rssItem{GUID: "kh-30551", Link: "https://www.khaama.com/kabulov-isis-k-threat-30551/",
				Title: "Kabulov warns of ISIS-K fighters moving toward Central Asian borders",
				Text: "Russia's special envoy for Afghanistan Zamir Kabulov has warned that about 2,000 ISIS-K fighters are concentrated in the north of Afghanistan near the borders of Tajikistan and Turkmenistan. " +
					"\"The terrorists are regrouping, and the Taliban alone cannot cope with this threat,\" Kabulov said at a security conference in Moscow. " +
					"He called on the CSTO to strengthen the Tajik-Afghan border and offered Russian intelligence support to the Taliban.",
				Published: now.Add(-90 * time.Minute)}),
	}
}

func TestOnceGroupsRewrittenCoverage(t *testing.T) {
	now := time.Now().UTC()
	srv := newNewsServer(t)
	for p, body := range rewrittenFeeds(now) {
		srv.set(p, body)
	}
	srv.set("/amu.xml", rss("https://amu.tv", "Amu TV"))
	dir := t.TempDir()
	cfg := writeConfig(t, dir, srv.URL, []string{"/tass.xml", "/tolo.xml", "/afgtimes.xml", "/urdupoint.xml", "/khaama.xml", "/amu.xml"}, "-", "")

	code, stdout, stderr := runCmd(t, "once", "-config", cfg)
	if code != exitOK {
		t.Fatalf("once exit = %d; stderr:\n%s", code, stderr)
	}
	stories := byStory(t, parseLines(t, stdout))
	if len(stories) != 2 {
		t.Fatalf("got deliveries about %d stories, want 2 alerts (two stories, and updates):\n%s", len(stories), stdout)
	}
	var recognition, isis *bot.Story
	for _, d := range stories {
		switch s := d.last; {
		case strings.Contains(s.Title, "ISIS-K"):
			isis = s
		default:
			recognition = s
		}
	}
	if recognition == nil || isis == nil {
		t.Fatalf("deliveries = %s, want the recognition story and the ISIS-K story", stdout)
	}
	s := recognition
	if s.Sources != 4 {
		t.Errorf("recognition story has %d outlets %v, want 4", s.Sources, s.Outlets)
	}
	if s.Title != "Russia sees no grounds yet for recognizing Taliban government, Kabulov says" {
		t.Errorf("story title = %q, want the wire's headline", s.Title)
	}
	// TASS and the three outlets crediting TASS or Sputnik: 2 independent sources.
	if s.Independent != 2 {
		t.Errorf("independent sources = %d %v, want 2 (tass, sputnik)", s.Independent, s.Origins)
	}
	if got := isis.Sources; got != 1 {
		t.Errorf("ISIS-K story has %d outlets, want 1", got)
	}

	// A sixth outlet carries the first story: one update.
	srv.set("/amu.xml", rss("https://amu.tv", "Amu TV",
		rssItem{GUID: "amu-88123", Link: "https://amu.tv/88123/",
			Title: "Russian envoy says Moscow will not recognize Taliban for now",
			Text: "Zamir Kabulov, the Russian president's special envoy for Afghanistan, said recognition of the Taliban is not on the agenda today and that Moscow would decide when the Taliban form an inclusive government that represents all ethnic groups of Afghanistan. " +
				"Afghan political analysts said the remarks showed Moscow's caution.",
			Published: now.Add(-30 * time.Minute)}))
	code, stdout, stderr = runCmd(t, "once", "-config", cfg)
	if code != exitOK {
		t.Fatalf("second once exit = %d; stderr:\n%s", code, stderr)
	}
	lines := parseLines(t, stdout)
	if len(lines) != 1 || lines[0].Kind != "update" {
		t.Fatalf("second run delivered %s, want one update", stdout)
	}
	if got := lines[0].Stories[0].Sources; got != 5 {
		t.Errorf("updated story has %d outlets, want 5", got)
	}
	if len(lines[0].New) != 1 || !strings.Contains(lines[0].New[0], "amu.tv") {
		t.Errorf("update new = %v, want the amu.tv URL", lines[0].New)
	}
}
