package slack

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"github.com/wirewatch/wirewatch/bot"
	"github.com/wirewatch/wirewatch/bot/command"
)

// The buttons of an alert. Each runs a command of the shared set, with
// the same permissions: mute and split are for admins.
const (
	actionMute    = "wirewatch_mute"    // mute the rule for 24 hours
	actionSplit   = "wirewatch_split"   // split an outlet's report off the story
	actionOutlets = "wirewatch_outlets" // show every outlet of the story (ephemeral)
	muteFor       = "24h"
	maxMuteButton = 2   // mute buttons on one alert, one per rule that caused it
	maxOptionLen  = 150 // bytes of a select option's value
	maxOptions    = 100 // options of a static select
)

// Alerts renders a story's alert in a channel as it is now
// (*bot.Archive): a split edits the alert with it.
type Alerts interface {
	AlertMessage(ctx context.Context, channel string, storyID int64) (*bot.Message, error)
}

// actionValue is what a button carries: the story, the configured
// channel of the message, and the rule or the outlet it acts on.
type actionValue struct {
	Story   string `json:"s"`
	Channel string `json:"c"`
	Rule    string `json:"r,omitempty"`
	Outlet  string `json:"o,omitempty"`
}

func (v actionValue) String() string {
	b, _ := json.Marshal(v)
	return string(b)
}

func button(actionID, label string, v actionValue) *slack.ButtonBlockElement {
	return slack.NewButtonBlockElement(actionID, v.String(), slack.NewTextBlockObject(slack.PlainTextType, truncate(label, 75), false, false))
}

// splitElement is "Not the same story" for outlets: a button for one, a
// menu of them for more; nil when none fits.
func splitElement(st *bot.Story, channel string, outlets []string) slack.BlockElement {
	label := "Not the same story"
	if len(outlets) == 1 {
		return button(actionSplit, label, actionValue{Story: st.ID, Channel: channel, Outlet: outlets[0]})
	}
	var opts []*slack.OptionBlockObject
	for _, o := range outlets {
		v := actionValue{Story: st.ID, Channel: channel, Outlet: o}.String()
		if len(v) > maxOptionLen || len(opts) == maxOptions {
			continue
		}
		opts = append(opts, slack.NewOptionBlockObject(v, slack.NewTextBlockObject(slack.PlainTextType, truncate(o, 75), false, false), nil))
	}
	if len(opts) == 0 {
		return nil
	}
	return slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, slack.NewTextBlockObject(slack.PlainTextType, label, false, false), actionSplit, opts...)
}

// alertActions are an alert's buttons: mute each rule that caused it for
// 24 hours, split an outlet off (on an update: the outlets it announces;
// on an alert: a menu of its outlets, when it has several), and show all
// its outlets.
func alertActions(m *bot.Message) *slack.ActionBlock {
	st := m.Stories[0]
	var els []slack.BlockElement
	for i, rule := range m.Matched {
		if i == maxMuteButton {
			break
		}
		els = append(els, button(muteActionID(i), "Mute "+rule+" "+muteFor, actionValue{Story: st.ID, Channel: m.Channel, Rule: rule}))
	}
	split := st.Outlets
	if m.Kind == "update" {
		split = nil
		for _, l := range bot.NewOutlets(st, m.New) {
			if l.URL != "" {
				split = append(split, l.Text)
			}
		}
	}
	if len(split) > 0 && len(st.Outlets) > 1 {
		if el := splitElement(st, m.Channel, split); el != nil {
			els = append(els, el)
		}
	}
	els = append(els, button(actionOutlets, "All outlets", actionValue{Story: st.ID, Channel: m.Channel}))
	return slack.NewActionBlock("wirewatch_actions_"+st.ID, els...)
}

// muteActionID is the action_id of an alert's i-th mute button: Slack
// refuses a message whose buttons in one block share one (invalid_blocks),
// so the second and later carry their number ("wirewatch_mute_2").
func muteActionID(i int) string {
	if i == 0 {
		return actionMute
	}
	return actionMute + "_" + strconv.Itoa(i+1)
}

// updateActions is the button of an update in the alert's thread: split
// the outlets it announces off the story; nil without any.
func updateActions(m *bot.Message, outlets []bot.Link) *slack.ActionBlock {
	var names []string
	for _, l := range outlets {
		if l.URL != "" {
			names = append(names, l.Text)
		}
	}
	if len(names) == 0 {
		return nil
	}
	el := splitElement(m.Stories[0], m.Channel, names)
	if el == nil {
		return nil
	}
	return slack.NewActionBlock("wirewatch_update_"+m.Stories[0].ID, el)
}

// ServeActions answers POST /slack/actions (Slack's interactivity request
// URL): it checks the signature as ServeHTTP does, acknowledges, and
// handles the button press.
func (h *CommandHandler) ServeActions(w http.ResponseWriter, r *http.Request) {
	form, ok := h.verified(w, r)
	if !ok {
		return
	}
	var cb slack.InteractionCallback
	if err := json.Unmarshal([]byte(form.Get("payload")), &cb); err != nil {
		http.Error(w, "bad payload", http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusOK)
	go h.act(context.WithoutCancel(r.Context()), cb)
}

// act handles a button press: it runs the button's command as the user
// who pressed it (admins only for mute and split, as typed commands),
// answers that user alone, and after a split edits the story's message.
func (h *CommandHandler) act(ctx context.Context, cb slack.InteractionCallback) {
	if cb.Type != slack.InteractionTypeBlockActions || len(cb.ActionCallback.BlockActions) == 0 {
		return
	}
	a := cb.ActionCallback.BlockActions[0]
	raw := a.Value
	if a.SelectedOption.Value != "" {
		raw = a.SelectedOption.Value
	}
	var v actionValue
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		h.log.Warn("slack action with a value we did not make", slog.String("action", a.ActionID), slog.String("user", cb.User.ID))
		return
	}
	action := a.ActionID
	if n, ok := strings.CutPrefix(action, actionMute+"_"); ok && n != "" && strings.Trim(n, "0123456789") == "" {
		action = actionMute // the second mute button or a later one (muteActionID)
	}
	var text string
	switch action {
	case actionMute:
		text = "mute " + v.Rule + " " + muteFor
	case actionSplit:
		text = "split " + v.Story + " " + v.Outlet
	case actionOutlets:
		text = "story " + v.Story
	default:
		return
	}
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	req := command.Request{Text: text, Prefix: h.prefix, User: cb.User.ID, Admin: h.admins[cb.User.ID]}
	reply := h.cmds.Run(ctx, req)
	reply.Public = false
	h.log.Info("slack action", slog.String("action", a.ActionID), slog.String("user", cb.User.ID), slog.String("story", v.Story))
	if a.ActionID == actionSplit && req.Admin {
		h.refresh(ctx, cb, v)
	}
	h.respondLater(ctx, cb.ResponseURL, cb.User.ID, replyMessage(reply))
}

// refresh edits the story's message (the alert; for a press in its thread,
// the thread's parent) to show the story as it is after a split.
func (h *CommandHandler) refresh(ctx context.Context, cb slack.InteractionCallback, v actionValue) {
	id, err := strconv.ParseInt(v.Story, 10, 64)
	if err != nil || h.alerts == nil {
		return
	}
	m, err := h.alerts.AlertMessage(ctx, v.Channel, id)
	if err != nil {
		h.log.Warn("cannot render the story after a split", slog.String("story", v.Story), slog.Any("error", err))
		return
	}
	ts := cb.Message.ThreadTimestamp
	if ts == "" {
		ts = cb.Container.MessageTs
	}
	if ts == "" {
		ts = cb.Message.Timestamp
	}
	msg := alertMessage(m, "Split off "+v.Outlet, h.now(), h.loc)
	if _, _, _, err := h.c.api.UpdateMessageContext(ctx, cb.Channel.ID, ts,
		slack.MsgOptionBlocks(msg.blocks...), slack.MsgOptionText(msg.text, false)); err != nil {
		h.log.Warn("cannot edit the story's message after a split", slog.String("story", v.Story), slog.Any("error", classify("chat.update", err)))
	}
}
