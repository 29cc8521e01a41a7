package stories

import "strings"

// stopText lists English and Russian function words, and the verbs of
// attribution every report uses. They are left out of an item's keys: they
// say nothing about which event a text reports, and a young index has not
// yet seen them often enough to know. (Shingles keep them: word order is
// what makes a copied sentence recognizable.)
const stopText = `
a an the and or but if then than so as at by for from in into of off on onto out over to up with within without via per
about above after against along among around before behind below beside besides between beyond during except inside near
since through throughout toward towards under until upon i me my mine we us our ours you your yours he him his she her hers
it its they them their theirs this that these those who whom whose which what where when why how is are was were be been
being am do does did done doing have has had having will would shall should can could may might must not no nor only also
just very too more most much many some any all each every both either neither other another such own same few said says
say told tell according added noted stressed while there here however although though because yet still even already
и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот от меня еще нет о
из ему теперь когда даже ну ли если уже или ни быть был него до вас нибудь опять уж вам ведь там потом себя ничего ей
может они тут где есть надо ней для мы тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот
того потому этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех никогда можно при
наконец об другой хоть после над больше тот через эти нас про всего них какая много разве эту моя впрочем свою этой перед
иногда лучше чуть том нельзя такой им более всегда конечно всю между также это этих сообщил сообщила сообщили заявил
заявила заявили сказал сказала сказали словам
`

// stopWords holds the hashes of the stop words (read only).
var stopWords = stopSet()

// stopSet returns the hashes of the stop words, folded as the tokenizer
// folds words.
func stopSet() map[uint64]bool {
	var z tokenizer
	set := make(map[uint64]bool)
	for _, w := range strings.Fields(stopText) {
		for _, t := range z.tokenize(w, nil) {
			set[t.h] = true
		}
	}
	return set
}
