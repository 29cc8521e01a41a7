package farm

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// feed is one synthetic feed. Item texts are not kept: they are generated
// again from their seeds when a document is rendered, so that 10,000 feeds
// fit in memory.
type feed struct {
	index   int
	format  Format
	size    int    // items in its document
	items   []item // newest first, at most size
	version int
	body    []byte // the rendered document of version, nil until asked for (kept for small farms only)
	fault   Fault
	churn   int // requests served with GUIDChurn
}

// item is one item; its text comes from story's seed.
type item struct {
	id        int // unique in the farm
	story     int // index in Farm.stories
	published time.Time
	bytes     int // the text's length
}

// story is what items cover: several feeds may cover one.
type story struct {
	seed uint64
}

// vocabulary is the common words texts are made of; names are made of
// syllables, so that stories differ as news does.
var vocabulary = strings.Fields(`the a of to in and for on with said after government minister president
officials police reported on Tuesday Wednesday Thursday Friday Monday Saturday Sunday week year people city country
state military attack election vote parliament court ruling market prices oil gas energy bank rates inflation
economy growth talks peace agreement deal border troops security crisis protest strike workers union health
hospital virus outbreak storm flood earthquake fire killed injured rescue emergency spokesman statement according
news agency sources told reporters company shares investors trade exports sanctions war ceasefire missile drone
strike capital region province villages residents water power supply shortage report data percent million billion
first second third last new former senior local national international foreign military leader party opposition
coalition budget tax reform law bill senate congress campaign candidate poll results count officials confirmed
denied announced warned expected plans talks summit meeting visit delegation forces rebels group claimed responsibility`)

// RuleQueries returns the queries of n rules on the farm's vocabulary:
// two-word phrases, each matching about 1% of items, or (broad) two words
// anywhere, which nearly every item of a few KB matches.
func RuleQueries(n int, broad bool) []string {
	words := []string{"election", "ceasefire", "earthquake", "sanctions", "inflation", "parliament", "missile", "outbreak",
		"protest", "summit", "flood", "budget", "drone", "border", "court", "strike", "oil", "bank", "rebels", "hospital"}
	out := make([]string, n)
	for i := range out {
		a, b := words[i%len(words)], words[(i/len(words)+i+1)%len(words)]
		out[i] = strconv.Quote(a + " " + b)
		if broad {
			out[i] = a + " AND " + b
		}
	}
	return out
}

// syllables make names: a consonant the grouper's consonant skeleton keeps
// apart from the others, then a vowel. Three or four of them give names as
// distinct as real ones (Kabulov, Zakharova): with fewer syllables, or
// syllables without a consonant, invented names of different stories met
// on one skeleton, which real names seldom do.
var syllables = func() []string {
	var s []string
	for _, c := range strings.Fields("b d k l m n p r s t v z") {
		for _, v := range strings.Fields("a e i o u") {
			s = append(s, c+v)
		}
	}
	return s
}()

func (f *Farm) newFeed(i int) *feed {
	r := rand.New(rand.NewPCG(f.opts.Seed, uint64(i)+1))
	fd := &feed{index: i, format: Format(i % 3), size: logUniform(r, f.opts.MinItems, f.opts.MaxItems)}
	// Its items so far, spread over the last day.
	for j := fd.size - 1; j >= 0; j-- {
		f.publish(fd)
	}
	span := 24 * time.Hour / time.Duration(fd.size+1)
	for j := range fd.items {
		fd.items[j].published = f.start.Add(-time.Duration(j+1) * span)
	}
	return fd
}

// logUniform returns an int in [lo, hi], small ones more often, as feed and
// item sizes are.
func logUniform(r *rand.Rand, lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return int(math.Exp(math.Log(float64(lo)) + r.Float64()*(math.Log(float64(hi+1))-math.Log(float64(lo)))))
}

// publish adds a new item to fd, covering a recent story (Options.Shared of
// the time) or a new one; f.mu is held or f is being built.
func (f *Farm) publish(fd *feed) {
	s := -1
	if len(f.stories) > 0 && f.rng.Float64() < f.opts.Shared {
		s = len(f.stories) - 1 - f.rng.IntN(min(len(f.stories), 200))
	}
	if s < 0 {
		f.stories = append(f.stories, story{seed: f.rng.Uint64()})
		s = len(f.stories) - 1
	}
	it := item{id: f.nextID(), story: s, published: time.Now().UTC().Truncate(time.Second),
		bytes: logUniform(f.rng, f.opts.MinBytes, f.opts.MaxBytes)}
	fd.items = append([]item{it}, fd.items...)
	if len(fd.items) > fd.size {
		fd.items = fd.items[:fd.size]
	}
}

func (f *Farm) nextID() int {
	f.ids++
	return f.ids
}

// text returns a story's title and a text of about n bytes.
func (f *Farm) text(st story, n int) (title, body string) { return Text(st.seed, n) }

// Text returns the title and the HTML text (paragraphs, about n bytes) the
// farm's feeds give the story with this seed: three invented names and 60
// words of the farm's vocabulary of its own. Benchmarks elsewhere draw
// farm-like news from it.
func Text(seed uint64, n int) (title, body string) {
	r := rand.New(rand.NewPCG(seed, 7))
	name := func() string {
		var b strings.Builder
		for range 3 + r.IntN(2) {
			b.WriteString(syllables[r.IntN(len(syllables))])
		}
		s := b.String()
		return strings.ToUpper(s[:1]) + s[1:]
	}
	names := []string{name(), name(), name()}
	// A story's words are its own share of the vocabulary, as an event's
	// are: two stories share some words, not all.
	topic := r.Perm(len(vocabulary))[:60]
	word := func() string {
		if r.IntN(8) == 0 {
			return names[r.IntN(len(names))]
		}
		return vocabulary[topic[r.IntN(len(topic))]]
	}
	var t []string
	for range 6 + r.IntN(6) {
		t = append(t, word())
	}
	t[0] = names[0]
	title = strings.Join(t, " ")
	var b strings.Builder
	for b.Len() < n {
		b.WriteString("<p>")
		for k := range 8 + r.IntN(12) {
			if k > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(word())
		}
		b.WriteString(".</p>")
	}
	return title, b.String()
}

// render returns fd's document; f.mu is held.
func (f *Farm) render(fd *feed) []byte {
	if fd.body != nil && fd.fault != GUIDChurn && fd.fault != BackInTime {
		return fd.body
	}
	items := fd.items
	if fd.fault == BackInTime && len(items) > 3 {
		items = items[3:]
	}
	guid := func(it item) string {
		g := "https://" + Host(fd.index) + "/news/" + strconv.Itoa(it.id)
		if fd.fault == GUIDChurn {
			g += "?v=" + strconv.Itoa(fd.churn)
		}
		return g
	}
	var b bytes.Buffer
	name := fmt.Sprintf("Feed %d", fd.index)
	site := "https://" + Host(fd.index) + "/"
	switch fd.format {
	case RSS:
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<rss version="2.0"><channel><title>%s</title><link>%s</link><description>synthetic</description>`, name, site)
		for _, it := range items {
			title, text := f.text(f.stories[it.story], it.bytes)
			fmt.Fprintf(&b, "\n<item><title>%s</title><link>%s</link><guid isPermaLink=\"false\">%s</guid><pubDate>%s</pubDate><description>%s</description></item>",
				html.EscapeString(title), site+"news/"+strconv.Itoa(it.id), guid(it), it.published.Format(time.RFC1123Z), html.EscapeString(text))
		}
		b.WriteString("\n</channel></rss>\n")
	case Atom:
		fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<feed xmlns="http://www.w3.org/2005/Atom"><title>%s</title><link href="%s"/><id>%s</id><updated>%s</updated>`,
			name, site, site, f.start.Format(time.RFC3339))
		for _, it := range items {
			title, text := f.text(f.stories[it.story], it.bytes)
			fmt.Fprintf(&b, "\n<entry><title>%s</title><link href=\"%s\"/><id>%s</id><updated>%s</updated><content type=\"html\">%s</content></entry>",
				html.EscapeString(title), site+"news/"+strconv.Itoa(it.id), guid(it), it.published.Format(time.RFC3339), html.EscapeString(text))
		}
		b.WriteString("\n</feed>\n")
	case JSONFeed:
		type jitem struct {
			ID            string `json:"id"`
			URL           string `json:"url"`
			Title         string `json:"title"`
			ContentHTML   string `json:"content_html"`
			DatePublished string `json:"date_published"`
		}
		doc := struct {
			Version string  `json:"version"`
			Title   string  `json:"title"`
			HomeURL string  `json:"home_page_url"`
			Items   []jitem `json:"items"`
		}{Version: "https://jsonfeed.org/version/1.1", Title: name, HomeURL: site}
		for _, it := range items {
			title, text := f.text(f.stories[it.story], it.bytes)
			doc.Items = append(doc.Items, jitem{ID: guid(it), URL: site + "news/" + strconv.Itoa(it.id), Title: title,
				ContentHTML: text, DatePublished: it.published.Format(time.RFC3339)})
		}
		json.NewEncoder(&b).Encode(doc)
	}
	if len(f.feeds) <= 1000 && fd.fault == None {
		fd.body = b.Bytes()
	}
	return b.Bytes()
}

var contentTypes = [...]string{"application/rss+xml; charset=utf-8", "application/atom+xml; charset=utf-8", "application/feed+json"}

// serveFeed answers a request for feed i.
func (f *Farm) serveFeed(w http.ResponseWriter, r *http.Request, i int) {
	f.mu.Lock()
	fd := f.feeds[i]
	fault := fd.fault
	if fault == GUIDChurn {
		fd.churn++
	}
	etag := `"v` + strconv.Itoa(fd.version) + `"`
	switch fault {
	case GUIDChurn:
		etag = `"c` + strconv.Itoa(fd.churn) + `"`
	case BackInTime:
		etag = `"old` + strconv.Itoa(fd.version) + `"`
	}
	var body []byte
	// Only a feed that serves its document answers 304: a fault that
	// answers otherwise (an error status, a broken document) does so
	// whatever the request's validators.
	serves := fault == None || fault == GUIDChurn || fault == BackInTime || fault == Slow
	notModified := serves && r.Header.Get("If-None-Match") == etag
	switch {
	case notModified:
		f.total.NotModified++
	case fault == Malformed:
		body = []byte("<html><body>this is not a feed <<<")
	case fault == None || fault == GUIDChurn || fault == BackInTime || fault == Slow:
		body = f.render(fd)
	}
	f.total.Bytes += int64(len(body))
	f.mu.Unlock()

	switch fault {
	case NotFound:
		http.NotFound(w, r)
		return
	case ServerError:
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	case TooMany:
		w.Header().Set("Retry-After", "120")
		http.Error(w, "slow down", http.StatusTooManyRequests)
		return
	case Slow:
		select {
		case <-time.After(f.opts.SlowDelay):
		case <-r.Context().Done():
			return
		}
	}
	w.Header().Set("ETag", etag)
	if notModified {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", contentTypes[fd.format])
	if fault == Malformed {
		w.Header().Set("Content-Type", "application/rss+xml")
	}
	w.Write(body)
}
