package matrix

import (
	"html"
	"strings"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/human"
)

// replyMessage renders a command's reply: the title in bold, the lines,
// the stories with their outlets linked, and the page footer. What does
// not fit in one event is cut, saying so.
func replyMessage(r *bot.Reply) message {
	var h, p strings.Builder
	budget := maxEventText - 500 // room for the footer and the cut note
	cut := false
	add := func(hpart, ppart string) bool {
		if cut || h.Len()+p.Len()+len(hpart)+len(ppart) > budget {
			cut = true
			return false
		}
		h.WriteString(hpart)
		p.WriteString(ppart)
		return true
	}
	if r.Title != "" {
		title := human.Truncate(r.Title, bot.MaxTitle)
		add("<p><b>"+esc(title)+"</b></p>", clean(title)+"\n")
	}
	if len(r.Lines) > 0 {
		add("<p>", "")
		for i, l := range r.Lines {
			text := human.Truncate(l.Text, maxLine)
			hl, pl := html.EscapeString(breakMentions(text)), breakMentions(text)
			switch {
			case l.Heading:
				hl = "<b>" + hl + "</b>"
			case l.Code != "":
				hl = "<code>" + esc(l.Code) + "</code> " + hl
				pl = clean(l.Code) + " — " + pl
			}
			if l.Link != "" {
				hl += " " + link(l.Link, human.Truncate(l.Label(), bot.MaxTitle))
				pl = breakMentions(human.Truncate(l.Plain(), maxLine))
			}
			if i > 0 {
				hl = "<br>" + hl
			}
			if !add(hl, pl+"\n") {
				break
			}
		}
		h.WriteString("</p>")
	}
	hm, pm := markups(r.Location)
	if len(r.Stories) > 0 && !cut {
		h.WriteString("<ul>")
		for _, st := range r.Stories {
			hs := "<li>" + titleLink(st) + " #" + esc(st.ID) + "<br>" + r.StoryStatus(st, hm)
			ps := "#" + clean(st.ID) + " " + clean(st.Headline().Text) + "\n    " + r.StoryStatus(st, pm) + "\n"
			if len(r.Reports) == 0 {
				oh, op := outlets(st, maxOutlets/2)
				hs += "<br>" + oh
				ps += "    " + op + "\n"
			}
			hs += "</li>"
			if u := httpURL(st.Headline().URL); u != "" {
				ps += "    " + u + "\n"
			}
			if !add(hs, ps) {
				break
			}
		}
		h.WriteString("</ul>")
	}
	if len(r.Reports) > 0 && !cut {
		h.WriteString("<ul>")
		for _, rp := range r.Reports {
			hs := "<li>" + link(rp.URL, rp.Source) + " · " + strings.Join(rp.Details(hm), " · ") + "</li>"
			ps := "• " + clean(rp.Source) + " · " + strings.Join(rp.Details(pm), " · ")
			if u := httpURL(rp.URL); u != "" {
				ps += " " + u
			}
			if !add(hs, ps+"\n") {
				break
			}
		}
		h.WriteString("</ul>")
	}
	if cut {
		h.WriteString("<p><i>… cut short: the answer is too long for one message.</i></p>")
		p.WriteString("… cut short: the answer is too long for one message.\n")
	}
	if f := r.Footer(); f != "" {
		h.WriteString("<p><i>" + esc(f) + "</i></p>")
		p.WriteString(clean(f))
	}
	return message{body: strings.TrimRight(p.String(), "\n"), html: h.String()}
}
