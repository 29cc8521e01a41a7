package lex

import "strings"

// Concepts: the words of the news in the languages re-reports are written
// in, one key per concept, so that a Persian or Russian report of an
// earthquake, a ceasefire or a delegation's visit shares those keys with
// the English one, as it shares the names transliteration gives it.

// conceptText lists one concept per line: its words in English, Russian,
// Ukrainian, German, French, Spanish, Italian, Turkish, Persian (Dari),
// Arabic and Urdu, as they are written in a text (inflected forms where
// the stem and skeleton do not reach). Words whose skeleton is shorter
// than three letters are left out: their keys would meet unrelated words.
const conceptText = `
earthquake earthquakes quake tremor землетрясение землетрясения землетрясении толчки толчок землетрус Erdbeben séisme tremblement terremoto sismo deprem depremi زلزله زمینلرزه زلزال زلزلہ
magnitude magnitudes магнитуда магнитудой магнитуды магнітуда Magnitude Stärke magnitud magnitudo büyüklüğünde ریشتر
killed deaths death погибли погибших погиб жертв жертвами загинули Tote getötet morts tués muertos murieron morti uccisi öldü hayatını جانباختگان قتلى مقتل ہلاک جاں
injured wounded ранены ранения пострадали раненых поранені Verletzte verletzt blessés heridos feriti yaralandı yaralı زخمی جرحى مصابين
ceasefire перемирие перемирия прекращении прекращение Waffenruhe Waffenstillstand cessez trêve tregua ateşkes آتشبس جنگبندی إطلاق
talks negotiations переговоры переговоров переговорах перемовини Gespräche Verhandlungen pourparlers négociations conversaciones negociaciones colloqui negoziati müzakere müzakereler görüşmeler مذاکرات گفتگوها گفتوگوها محادثات مفاوضات
embassy embassies посольство посольства посольстве посольству посольстві Botschaft ambassade embajada ambasciata büyükelçilik büyükelçiliği سفارت سفارتخانه سفارتخانے
ambassador envoy посол посла послом Botschafter Gesandter ambassadeur embajador ambasciatore büyükelçi büyükelçisi سفیر سفير
recognition recognize recognise recognized recognised recognizes recognises признание признания признал признала признать признает визнання Anerkennung anerkannt anerkennen anerkennt reconnaissance reconnaît reconnu reconocimiento reconoce reconoció riconoscimento riconosce riconosciuto tanıdı tanıma tanıyan رسمیت شناسایی اعتراف
terrorist terrorists terrorism террористических террористической террористов терроризма террористической терористичних Terrororganisation terroristische Terror terroriste terroristes terrorista terroristas terroristica terör terörist تروریستی تروریست إرهابية الإرهاب إرهابي دہشت
blacklist список списка списке перечень перечня переліку Liste liste lista listesi listesinden فهرست لیست قائمة فہرست
banned outlawed prohibited запрещена запрещенных запрещено запрещенной заборонена verboten interdit prohibido vietato yasaklı ممنوع محظور کالعدم
court courts суд суда судом суді Gericht Gerichtshof tribunal tribunale mahkeme mahkemesi دادگاه محكمة عدالت
drills exercises exercise учения учений учениях навчання Übung Übungen Manöver exercices ejercicios maniobras esercitazioni esercitazione tatbikat tatbikatı رزمایش مانور مناورات تدريبات مشقیں
border frontier граница границе границы границу кордон кордоні Grenze frontière frontera confine frontiera sınır sınırı مرز مرزی الحدود حدود سرحد سرحدی
troops soldiers войска войск военнослужащих військ Truppen Soldaten troupes soldats tropas soldados truppe soldati askerler asker نیروها سربازان قوات جنود فوجی
airstrike airstrikes авиаудар авиаудары авиаудара авиаударов авіаудар Luftangriff Luftangriffe frappes bombardeo bombardeos raid bombardamenti hava bombardıman بمباران هوایی غارات فضائی
explosion blast explosions взрыв взрыва взрывов вибух Explosion Anschlag explosion attentat explosión atentado esplosione attentato patlama saldırı انفجار دھماکہ
suicide смертник смертника смертником смертник Selbstmordattentäter kamikaze suicide suicida intihar انتحاری انتحاري خودکش
meeting meetings встреча встречи встрече заседание заседании зустріч Treffen Sitzung réunion rencontre reunión encuentro incontro riunione toplantı toplantısı نشست دیدار جلسه اجتماع لقاء اجلاس ملاقات
visit visits visited визит визита визитом візит Besuch besuchte visite visita visitó ziyaret ziyareti زيارة دورہ
delegation delegations делегация делегации делегацию делегація Delegation délégation delegación delegazione heyet heyeti هیئت هیات وفد
minister ministers министр министра министром міністр Minister ministre ministro bakan وزیر وزير
president президент президента президентом Präsident président presidente cumhurbaşkanı رئیسجمهور رییسجمهور رئيس صدر
government governments правительство правительства правительством уряд уряду Regierung gouvernement gobierno governo hükümet hükümeti حکومت دولت حكومة
forum форум форума форуме Forum foro forumu مجمع منتدى فورم
trade торговля торговли товарооборот торгівля Handel commerce comercio commercio ticaret tijarat تجارت تجارة تجاری
railway railroad железная железной железнодорожный залізниця Eisenbahn Bahnstrecke ferroviaire ferrocarril ferrovia ferroviaria demiryolu آهن ریلوے
pipeline газопровод газопровода трубопровод газогін Pipeline gazoduc gasoducto gasdotto gazboru لوله أنابيب پائپ
agreement agreements accord соглашение соглашения соглашению договор угода Abkommen Vereinbarung accord acuerdo accordo anlaşma anlaşması توافق توافقنامه موافقتنامه اتفاق اتفاقية معاہدہ
refugees migrants беженцы беженцев мигранты мигрантов біженці Flüchtlinge Migranten réfugiés migrants refugiados migrantes rifugiati migranti mülteci mülteciler göçmen مهاجرین پناهجویان مهاجران اللاجئين مہاجرین
deportation deported deport депортация депортации высылка депортація Abschiebung abgeschoben expulsés deportación deportados espulsi sınırdışı اخراج ترحيل بےدخلی
crossing checkpoint переход перехода пункт пропуска Grenzübergang passage paso valico kapısı گذرگاه معبر گزرگاہ
closed closure closes close закрыт закрыли закрытие закрыто закрито geschlossen schließt fermeture cerrado cierre chiuso chiusura kapatıldı kapattı بسته بستن إغلاق
reopened reopens reopening reopen открыт открыли возобновил відкрито wiedereröffnet rouvert réouverture reabierto reapertura riaperto riapertura açıldı بازگشایی بازگشایی فتح
statement statements заявление заявлении заявлению заява Erklärung déclaration declaración dichiarazione açıklama açıklamada بیانیه بيان بیان
joint совместное совместный совместной совместно спільна gemeinsame commune conjointe conjunta congiunta ortak مشترک مشترك مشترکہ
security безопасности безопасность безпеки Sicherheit sécurité seguridad sicurezza güvenlik امنیت امنیتی سیکیورٹی
spokesman spokeswoman spokesperson пресссекретарь Sprecher Sprecherin porteparole portavoz portavoce sözcü sözcüsü سخنگو المتحدث ترجمان
military военный военные военной военных военного військовий Militär militärische militaire militar militare نظامی العسكرية فوجی
airbase bases база базы базу баз база Stützpunkt Stützpunkte Militärbasis üssü پایگاه قاعدة اڈہ اڈے
infrastructure инфраструктура инфраструктуры інфраструктура Infrastruktur infraestructura infrastrutture altyapı زیرساخت زیرساختها البنية ڈھانچہ
women женщин женщины женщинам жінок Frauen femmes mujeres donne kadınlar kadın زنان النساء خواتین
children детей дети дітей Kinder enfants niños bambini çocuklar çocuk کودکان اطفال الأطفال بچے
girls девочек девочки дівчат Mädchen filles niñas ragazze kızlar دختران الفتيات لڑکیوں
education schools school образование образования школ школы освіти Bildung Schule Schulen éducation école écoles educación escuelas istruzione scuole eğitim okul okullar آموزش مکاتب مکتب التعليم تعلیم
wheat grain пшеница пшеницы зерно зерна пшениця Getreide céréales grano buğday tahıl گندم غله القمح
flood floods flooding наводнение наводнения паводок повінь Hochwasser Überschwemmung Überschwemmungen inondations inundaciones alluvione alluvioni selde سیل سیلاب فيضانات
election elections выборы выборов выборах вибори Wahl Wahlen élection élections elecciones elezioni seçim seçimler انتخابات الانتخابات
sanctions санкции санкций санкціями Sanktionen sanctions sanciones sanzioni yaptırım yaptırımlar تحریم تحریمها عقوبات پابندیاں
emirate эмират эмирата эмиратом емірат Emirat émirat emirato emirliği امارت إمارة
invited invitation invite приглашение пригласил пригласили приглашен запросили Einladung eingeladen invité invitation invitado invitación invitato invito davet davetli دعوت دعوة
participation participate participating attend участие участвовать участия участь Teilnahme teilnehmen participer participation participar participación partecipare partecipazione katılacak شرکت مشاركة
drone drones беспилотник беспилотника беспилотников дрон дрона безпілотник Drohne Drohnen drone drones dron drones drone İHA پهپاد مسيرة ڈرون
workers рабочие рабочих работников робітники Arbeiter Arbeitern ouvriers travailleurs trabajadores lavoratori operai işçi işçiler کارگران عمال مزدور
first первой первый первым первая erste erster ersten primo prima ilk نخستین اولین أول پہلا
china chinese китай китая китайские китайских китайский китаю Китай China chinesische chinesischen Chine chinois chinoise chinos cinesi Cina Çin Çinli چین چینی الصين الصينية چینی
india indian индия индии индийский Індія Indien indische Inde indien indienne indio Hindistan هند هندی الهند بھارت
turkey turkiye turkish турецкий Туреччина Türkei türkische Turquie turc Turquía turco Turchia turco Türkiye türk ترکیه ترکی تركيا ترکی
germany german германия германии немецкий Deutschland deutsche Allemagne allemand Alemania alemán Germania tedesco Almanya alman آلمان ألمانيا جرمنی
america american americans usa сша американский американских америка Amerika amerikanische Amérique américain américaine Estadosunidos estadounidense americano amerikan آمریکا آمریکایی أمريكا الأمريكية امریکہ امریکی
russia russian russians россия россии российский российской российских россией русский росія російський Russland russische russischen Russie russe Rusia ruso rusa Russia russo russa Rusya rus روسیه روسی روسيا الروسي روس روسی
afghan afghans афганский афганских афганской афганцев афганцы афганистана Afghanistans afghanische afghanischen afghanisch afghane afgano afganos afgana Afgan afganlı افغان افغانی الأفغاني
pakistani pakistanis пакистанский пакистанских пакистанской пакистанские pakistanische pakistanais paquistaní pakistano pakistanlı پاکستانی الباكستاني
kazakh казахский kasachische kasachischen kazakh kazajo kazako kazak قزاق
tajik таджикский таджикской таджикских tadschikische tadjik tayiko tagiko tacik تاجیک تاجیکی
uzbek узбекский узбекской usbekische ouzbek uzbeko özbek ازبک ازبکی
kyrgyzstan kyrgyz киргизия киргизии кыргызстан кыргызстана Kirgistan kirgisische Kirghizistan Kirguistán Kirghizistan kırgızistan قرقیزستان قيرغيزستان کرغزستان
uzbekistan узбекистан узбекистана Usbekistan Ouzbékistan Uzbekistán özbekistan ازبکستان أوزبكستان
tajikistan таджикистан таджикистана Tadschikistan Tadjikistan Tayikistán Tagikistan tacikistan تاجیکستان طاجيكستان
kazakhstan казахстан казахстана Kasachstan Kazakhstan Kazajistán Kazakistan kazakistan قزاقستان كازاخستان
turkmenistan туркменистан туркменистана Turkmenistan Turkménistan Turkmenistán türkmenistan ترکمنستان تركمانستان
beijing пекин пекина Peking Pékin Pekín Pechino pekin پکن بیجنگ
moscow москва москвы москве Moskau Moscou Moscú Mosca moskova مسکو موسكو ماسکو
tehran iranian тегеран тегерана иранский Teheran iranische Téhéran iranien Teherán iraní iraniano tahran iranlı تهران ایرانی طهران الإيراني
qatar катар катара Katar Qatar Catar katar قطر
nations united оон Vereinten ONU Nazioni birleşmiş ملل المتحدة
csto одкб ОДКБ OVKS OTSC KGAÖ
isis daesh игил ИГИЛ Daech Daesch داعش
kremlin кремль кремля кремле Kreml Kremlin Cremlino Kremlin کرملین الكرملين
capital столица столице Hauptstadt capitale başkent پایتخت العاصمة دارالحکومت
province провинция провинции провинцию Provinz province provincia vilayet vilayeti ولایت استان محافظة صوبہ
`

// MinConceptKey is the shortest skeleton conceptText keeps.
const MinConceptKey = 3

// ConceptOf maps a word's match key to its concept's key: the key of the
// first word of its line (read only).
var ConceptOf = func() map[uint32]uint32 {
	var z Tokenizer
	m := make(map[uint32]uint32)
	for _, line := range strings.Split(conceptText, "\n") {
		var concept uint32
		for _, w := range strings.Fields(line) {
			for _, t := range z.Tokenize(w, nil) {
				k := z.MatchKey(z.Word(&t), false)
				if len(z.key) < MinConceptKey {
					continue
				}
				if concept == 0 {
					concept = k
				}
				if _, ok := m[k]; !ok {
					m[k] = concept
				}
			}
		}
	}
	return m
}()
