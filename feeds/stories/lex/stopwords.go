package lex

import "strings"

// stopText lists English, Russian, German, French, Spanish, Serbian,
// Greek, Persian, Arabic, Urdu, Pashto, Turkish, Italian, Portuguese,
// Polish, Ukrainian, Bulgarian, Hindi, Bengali and Chinese function words,
// and the verbs of attribution every report uses. They are left out of an
// item's keys: they say nothing about which event a text reports, and a
// young index has not yet seen them often enough to know. (Shingles keep them: word order is
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
der die das den dem des und ist nicht mit von zu auf sich im eine ein einer einen wurde wurden sagte hat haben werden wird
auch nach bei aus um noch dass sei sind als wie am vom zum zur
le la les et du une un est pour dans que qui sur au aux pas avec ont été ete selon il elle ils sont cette ces par son sa ses
el los las y del en por con una para se es fue dijo lo al sus su como más mas según segun este esta
je da na za se sa od što sto su iz nije će ce biti bio koji koja koje prema rekao
и у је да на за се са од што су из није ће бити био који која које према рекао
και το η ο της του την τον στην στο με για από απο που είναι ειναι οι τα των σε ως δήλωσε δηλωσε
و در به از که این را با است برای آن یک خود تا کرد شده می بر نیز شد هم کند ها های بود او ای دارد گفت گفته اند کرده شود یا اما باید همه وی ما بین پیش دیگر هر
في من على إلى الى أن ان عن مع هذا هذه التي الذي ما لا كان قد أو او ثم بعد قبل كل بين حتى هو هي وقال قال إن كما وفي أي ذلك تلك
کے میں کی ہے کا اور کو سے نے پر یہ ہیں کہ بھی تھا تھی گیا ایک کر وہ ہو جو کیا لیے ساتھ کہا
د په او چې له سره دا کې ته يې وو دي شوی وايي
ve bir bu da de ile için icin olarak olan gibi daha en çok cok ama ki ne şu her kadar sonra önce once göre gore dedi ise
il lo gli di da con su per tra fra che non è del della dei delle alla ha sono
os as do da dos das em no na um uma foi ao
w z do że się nie jest oraz dla ale przez
і та це від про
като са това
का की के में है हैं और से को ने पर यह वह भी था थी थे गया गई कि जो एक लिए साथ कहा बताया ही तो इस उस इसके उसके किया करने कर हो होगा रहा रही रहे
এবং ও এর থেকে করে হয় ছিল তার এই সেই একটি জন্য সঙ্গে বলেন বলেছেন হয়েছে না কি যে তিনি তাদের
的 了 在 是 和 与 與 及 对 對 将 將 为 為 也 就 都 而 之 其 于 於 以 被 把 从 從 向 这 這 那 该 該 此 等 并 並 但 或 由 已 又 还 還 个 個
aber alle allen aller alles bereits bisher dabei dafür dafur dagegen damit danach dann daran darauf darüber daruber
darum davon dazu demnach denen denn deren derzeit dessen deshalb dies diese diesem diesen dieser dieses doch dort durch
ebenfalls einem eines einige einigen einmal er erst es etwa etwas für fur gegen gegenüber gegenuber gewesen habe hatte
hätte hatten hier ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres immer indem ins jedoch jetzt kann kein keine keinen
keiner können konnen konnte könnte mehr mehrere muss müssen mussen nachdem nicht nichts nun nur ob oder ohne schon sehr
seien sein seine seinem seinen seiner seit seitdem sie sodass soll sollen sollte sondern sowie statt über uber uns unter
vor während wahrend wären waren warum weil weitere weiteren welche welcher wenn wer werde wie wieder wir wo würde würden
wurden zwar zwischen zufolge laut erklärte erklarte
à ainsi alors après apres aucun aucune aussi autre autres avait avaient avant avoir ayant ceci cela celle celles celui
cet chaque chez comme contre dont elles encore entre être etre fait faire fois jusqu leur leurs lors lui mais même meme
moins mon ni nos notre nous ont où par parce peu peut plusieurs pourrait quel quelle quelles quels quand sans sera
seront serait seulement sous toujours tous tout toute toutes très tres vers vos votre vous déjà deja depuis donc afin
également egalement puis était etait étaient etaient
algo algunos algunas ante antes aquí aqui así asi aunque bajo cada casi contra cual cuales cuando desde donde durante
ella ellas ellos esa esas ese eso esos está estaba estaban están estan este esto estos fueron ha había habia han hasta
hay le les mientras muy nada ni no nos o otra otras otro otros pero poco porque qué quien quienes ser será sera sí sido
sino sobre son también tambien tanto tiene tienen todo todos tras uno unos ya además ademas luego cuyo dicho hacia pues
ad alla alle agli ai anche ancora avere aveva avevano chi ci cui dal dalla dalle dai degli dei dell dello dopo dove è ed
erano essere fa già gia hanno ho io lei loro ma mai molto ne nei nel nella nelle negli noi ogni perché perche però più
piu poi prima quale quali quanto quella quelle quello questa queste questo qui sempre senza sia siamo sopra sotto sua
sui sul sulla suo suoi tutti tutto verso secondo
aos às com dela dele deles depois essa essas esse esses está estão estao estes foram há isso isto já ja lhe mais mas
mesmo muito nas não nao nem nós ou pela pelas pelo pelos por quem sem seu seus sua suas também tem têm ter umas uns onde
ainda após apos disse afirmou até ate
й що із зі до за по не як але або також вже ще його її їх він вона вони ми ви був була були було бути буде будуть має
мають який яка яке які цей ця ці того тому цього при через після під над між для без лише тільки коли де чи ні теж усі
всі всіх якщо щоб саме зокрема заявив заявила заявили повідомив повідомила повідомили сказав сказала сказали
във със бе беше бяха този тази тези той тя те ние вие аз ще би има няма които който която което какво кога където само
също още вече след преди между чрез към му им го ги или ако така според каза заяви заявиха съобщи
aby bez był była było byli być czy gdy gdzie ich im jako jednak jego jej już juz kiedy który która które którzy ktory
ktora ktore ktorzy lub mają maja może moze nad nich niż niz od po pod przed przy również rowniez sie są sa także takze
tak te tego tej tym tylko we więc wiec wszystkie ze został zostal została zostala powiedział powiedzial według wedlug
dit qu sommes entonces detto ele eles temos че били сме tam tych zdaniem
ancak tarafından tarafindan veya olduğu oldugu olduğunu oldugunu üzerinde uzerinde diye bunun ayrıca ayrica hem değil
degil kendi çünkü cunku
nin nın nun nün ın un ün te ta deki daki teki taki den dan ye ya yi yı yu yü nde nda ndan nden
ardından yaklaşık yana fazla ilişkin kez arasında arasındaki bazı etti birlikte üzere bile
около ранее который которая которое которые которых которым которой которую котором которыми однако пока лишь
є проти близько попри майже загалом
u ali kako više dalje oko još ka tokom bi tada dok kada jer zbog ovog ove ovaj ova kojima kojim kojeg kojem nakon posle
али како више даље око још ка током би тада док када јер због овог ове овај ова којима којим којег којем након после
τις ότι να θα δεν στα στη στις τους ενώ μετά μια ένα ένας μία κατά όπως έχει έχουν είχε ήταν χωρίς πριν αλλά όμως ή αν
μέχρι προς μας σας τη στον στους οποία οποίο οποίος οποίες οποίοι ακόμη ακόμα επίσης καθώς ώστε σύμφωνα περίπου ανέφερε
ab bis wegen zudem worden rund weiter mehreren anderem allem sowohl
plus environ
sin vez después despues va van ahora
dell nell dall sull oltre circa
nesse nessa neste nesta são sao
میگویند میگوید میشود میشوند میکند میکنند هنوز پس چند درباره همین بیشتر تنها برخی
نحو دون خلال منذ عبر لم ولم بأن وأن بينما أكثر حيث غير أيضا لدى عند عندما كانت وكان
`

// langText lists the most frequent function words of the languages told
// apart, one line each, in the order of the lang* constants from LangEN.
var langText = [...]string{
	"the and of to in is that for on with was said by it from are has have this",
	"и в не что на с по о из к он это как за от для заявил его",
	"der die das und ist nicht mit den von zu auf sich des dem im eine ein wurde sagte",
	"le la les et des du une est pour dans que qui sur au pas avec ont selon",
	"el la los las y del en que por con una para se es fue dijo según",
	"je da na za se sa od što su iz nije će koji prema",
	"и у је да на за се са од што су из није ће који према",
	"και το η ο της του την στην με για από που είναι",
	"ve bir bu ile için olarak olan gibi daha çok ancak ise kadar sonra tarafından dedi",
	"il di che della delle degli gli nel nella sono anche per una non con alla dei",
	"o do da dos das em um uma não para com os no na ao pelo pela mais foi disse",
	"і та що на до від з у не як для це про також який які його її було",
	"и на за се от да в с че е по са който която това като след при бе",
}

// Languages told apart by their function words; scripts without them are
// told apart by script.
const (
	LangOther uint8 = iota
	LangEN
	LangRU
	LangDE
	LangFR
	LangES
	LangSRLatn
	LangSRCyrl
	LangEL
	LangTR
	LangIT
	LangPT
	LangUK
	LangBG // Bulgarian and Macedonian
	LangCJK
	LangArab // Arabic script: Persian, Arabic, Urdu, Pashto
	LangDeva // Devanagari
	LangBeng // Bengali
)

// InfoStop marks a stop word in Info, InfoSay a word of attribution
// ("said", "заявил", "según"); the other bits are languages.
// InfoDay a day of the week, InfoAhead a word that looks ahead.
const (
	InfoStop  = 1 << 31
	InfoSay   = 1 << 30
	InfoDay   = 1 << 29
	InfoAhead = 1 << 28
	InfoLangs = 1<<(LangBG+1) - 1<<LangEN // the languages' bits, LangEN to LangBG
)

// aheadText lists words that look ahead — the future tense's auxiliaries,
// tomorrow, upcoming, planned, expected, invited — in the languages of
// stopText and some more. A report that announces an event (a meeting
// "will be held", a delegation "is invited") has several in its title and
// lead; the report of the event itself has few, though it shares the
// event's people, place and words.
const aheadText = `
will would tomorrow upcoming forthcoming scheduled expected plans planned planning intends invited invites invitation
announce announced announces announcing preview ahead
будет будут состоится состоятся пройдет пройдёт пройдут примет примут планирует планируют планируется запланирован
запланирована запланировано намерен намерена намерены завтра предстоящий предстоящей предстоящих предстоящем
предстоящая предстоящие предстоящую ожидается ожидают пригласил пригласила пригласили приглашение приглашению
приглашения приглашен приглашены анонсировал анонсировала
начнется начнётся начнутся начнут рассмотрит рассмотрят проведет проведёт проведут обсудят обсудит встретится встретятся
посетит посетят подпишут подпишет откроется откроют соберутся соберется соберётся проголосует проголосуют выступит
выступят представит представят опубликует опубликуют прибудет прибудут отправится отправятся определят определит
продлится продлятся
буде будуть відбудеться відбудуться планує планують запрошення розгляне розглянуть проведе проведуть обговорять
зустрінеться зустрінуться відвідає відвідають підпишуть почнеться почнуться
wird werden soll sollen morgen kommende kommenden kommender geplant plant planen erwartet einladung eingeladen
anstehende anstehenden
sera seront aura auront demain prochain prochaine prochains prochaines prévu prévue prévus prévues devrait devraient
invité invitée invités
será serán serão celebrará mañana amanhã próximo próxima próximos próximas prevé previsto prevista invitado invitada
invitados invitación convite reunirá reunirán tratará tratarán votará votarán firmará firmarán visitará visitarán
celebrarán comenzará comenzarán reabrirá publicará
réunira réuniront votera voteront signera signeront rouvrira publiera commencera
sarà saranno terrà domani prossimo prossima prossimi invitato invitata invito
yarın yapılacak düzenlenecek katılacak gelecek olacak edecek gerçekleştirilecek
će ће sutra сутра ще утре θα αύριο będzie będą jutro bude budou zítra
خواهد خواهند فردا آینده سوف غدا المقبل المقبلة المرتقب المرتقبة گا گی گے
将 將 计划 計劃
`

// LookAhead counts the words that look ahead (InfoAhead) among the first
// n of toks: "will be held", "is expected to", "tomorrow".
func LookAhead(toks []Token, n int) uint8 {
	c := 0
	for i := range toks[:min(n, len(toks))] {
		if toks[i].Flag&TokNum == 0 && Info(toks[i].H)&InfoAhead != 0 {
			c++
		}
	}
	return uint8(min(c, 255))
}

// dayText lists the days of the week: a capitalized word next to "said"
// that is no speaker ("said on Tuesday").
const dayText = `
monday tuesday wednesday thursday friday saturday sunday
понедельник вторник среду среда четверг пятницу пятница субботу суббота воскресенье
montag dienstag mittwoch donnerstag freitag samstag sonntag
lundi mardi mercredi jeudi vendredi samedi dimanche
lunes martes miércoles jueves viernes sábado domingo
`

// sayText lists the words that attribute a statement to its speaker, in
// the languages of stopText and Turkish: the names next to them are who
// spoke, which sets one statement apart from another on the same subject.
const sayText = `
said says told tells stated added noted stressed announced warned urged claimed declared explained insisted
emphasised emphasized confirmed according quoted asserted remarked wrote reiterated
заявил заявила заявили сказал сказала сказали сообщил сообщила отметил отметила подчеркнул подчеркнула
добавил добавила пояснил пояснила словам рассказал рассказала заверил заверила
sagte sagten erklärte betonte teilte laut zufolge
déclaré affirmé indiqué selon souligné
dijo afirmó declaró según señaló aseguró indicó explicó
dedi söyledi açıkladı belirtti
rekao rekla izjavio izjavila kazao naveo
рекао рекла изјавио изјавила
δήλωσε είπε ανέφερε τόνισε σύμφωνα
`

// Info returns what the folded word of hash h is: a stop word (InfoStop),
// a word of attribution (InfoSay), a day (InfoDay), and the languages it
// belongs to, a bit per language; 0 for other words. One lookup per word
// serves all: an open-addressing table (a Go map was a tenth of the
// grouper's fingerprinting).
func Info(h uint64) uint32 {
	for i := h & infoMask; ; i = (i + 1) & infoMask {
		switch e := &infoTable[i]; e.h {
		case h:
			return e.bits
		case 0:
			return 0
		}
	}
}

// infoEntry is a slot of infoTable.
type infoEntry struct {
	h    uint64
	bits uint32
}

// infoTable holds wordInfo at a load under a quarter (read only).
var infoTable, infoMask = func() ([]infoEntry, uint64) {
	n := 1
	for n < 4*len(wordInfo) {
		n *= 2
	}
	t := make([]infoEntry, n)
	mask := uint64(n - 1)
	for h, bits := range wordInfo {
		i := h & mask
		for t[i].h != 0 {
			i = (i + 1) & mask
		}
		t[i] = infoEntry{h, bits}
	}
	return t, mask
}()

// wordInfo maps the hash of a folded function word to what it is (Info).
var wordInfo = func() map[uint64]uint32 {
	var z Tokenizer
	m := make(map[uint64]uint32)
	mark := func(text string, bits uint32) {
		for _, w := range strings.Fields(text) {
			for _, t := range z.Tokenize(w, nil) {
				m[t.H] |= bits
			}
		}
	}
	mark(stopText, InfoStop)
	mark(sayText, InfoSay)
	mark(dayText, InfoDay)
	mark(aheadText, InfoAhead)
	for i, line := range langText {
		mark(line, 1<<(uint(i)+uint(LangEN)))
	}
	return m
}()
