package lex

import (
	_ "embed"
	"strings"
	"sync"
)

// Concepts: the words of the news in the languages re-reports are written
// in, one key per concept, so that a Persian or Russian report of an
// earthquake, a ceasefire or a delegation's visit shares those keys with
// the English one, as it shares the names transliteration gives it.

// conceptText lists one concept per line: its words in English, Russian,
// Ukrainian, German, French, Spanish, Italian, Turkish, Persian (Dari),
// Arabic and Urdu, then Serbian (both scripts), Bulgarian, Macedonian,
// Greek, Czech, Polish, Portuguese, Pashto and Chinese, as they are
// written in a text (inflected forms where the stem and skeleton do not
// reach). Words whose skeleton is shorter than three letters meet only as
// written (военных, суд), as vocabText's do: their keys would meet
// unrelated words. So do the words marked "=", whose skeleton is a common
// English word's: "выборы" (elections) is "vbr", as "February" is,
// "riaperto" (reopened) "report", "öldü" (died) "old". Left out: a word
// whose skeleton is another common word's ("prison" is "person", "treaty"
// "threat", "fighter" "whether", "طوفان" "town"), and a phrase's words,
// which mean nothing alone. Chinese is read one character a token: only a
// character that names the thing by itself is listed (震 of 地震, 锂).
const conceptText = `
earthquake earthquakes quake tremor землетрясение землетрясения землетрясении толчки толчок землетрус Erdbeben séisme tremblement terremoto sismo deprem depremi زلزله زمینلرزه زلزال زلزلہ zemljotres zemljotresa земљотрес земљотреса земетресение земетресението земјотрес σεισμός σεισμού σεισμό zemětřesení trzęsienie trzęsienia 震
magnitude magnitudes магнитуда магнитудой магнитуды магнітуда Magnitude Stärke magnitud magnitudo büyüklüğünde ریشتر Рихтер Рихтера
killed deaths death погибли погибших погиб жертв жертвами загинули Tote getötet morts tués muertos murieron morti uccisi =öldü hayatını جانباختگان قتلى مقتل ہلاک جاں poginulo poginuli poginulih погинуло погинули загинаха убити νεκροί νεκρούς zemřelo zahynulo zginęło zginęli zabitych mortos
injured wounded ранены ранения пострадали раненых поранені Verletzte verletzt blessés heridos =feriti yaralandı yaralı زخمی جرحى مصابين povređeno povređenih ranjeno ranjenih рањено рањених ранени τραυματίες τραυματίστηκαν zraněných
ceasefire =перемирие =перемирия прекращении прекращение Waffenruhe Waffenstillstand cessez trêve tregua ateşkes آتشبس جنگبندی إطلاق primirje primirja примирје примирја примирието rozejm اوربند
talks negotiations переговоры переговоров переговорах перемовини Gespräche Verhandlungen pourparlers négociations conversaciones negociaciones colloqui negoziati müzakere müzakereler görüşmeler مذاکرات گفتگوها گفتوگوها محادثات مفاوضات pregovori pregovora преговори преговора преговорите συνομιλίες διαπραγματεύσεις rozmowy rozmów negocjacje negocjacji negociações
embassy embassies посольство посольства посольстве посольству посольстві Botschaft ambassade embajada ambasciata büyükelçilik büyükelçiliği سفارت سفارتخانه سفارتخانے ambasada ambasade амбасада амбасаде посолство посолството πρεσβεία πρεσβείας velvyslanectví ambasady embaixada
ambassador envoy посол посла послом Botschafter Gesandter ambassadeur embajador ambasciatore büyükelçi büyükelçisi سفیر سفير ambasador ambasadora амбасадор посланикът velvyslanec embaixador
recognition recognize recognise recognized recognised recognizes recognises признание признания признал признала признать признает визнання Anerkennung anerkannt anerkennen anerkennt reconnaissance reconnaît reconnu reconocimiento reconoce reconoció riconoscimento riconosce riconosciuto tanıdı tanıma tanıyan رسمیت شناسایی اعتراف priznanje признаване αναγνώριση αναγνώρισε reconhecimento reconheceu
terrorist terrorists terrorism террористических террористической террористов терроризма террористической терористичних Terrororganisation terroristische Terror terroriste terroristes terrorista terroristas terroristica terör terörist تروریستی تروریست إرهابية الإرهاب إرهابي دہشت teroristička terorističke терористичка терористична τρομοκρατική τρομοκρατικές τρομοκράτες teroristická terrorystyczna terrorystycznych
blacklist список списка списке перечень перечня переліку Liste liste lista listesi listesinden فهرست لیست قائمة فہرست spisak spiska списък списъка seznam seznamu
banned outlawed prohibited запрещена запрещенных запрещено запрещенной заборонена verboten interdit prohibido vietato yasaklı ممنوع محظور کالعدم zabranjena zabranjenih забранена απαγορευμένη zakázaná zakazana zakazanych proibida proibido
court courts суд суда судом суді Gericht Gerichtshof tribunal tribunale mahkeme mahkemesi دادگاه محكمة δικαστήριο δικαστηρίου
drills exercises exercise учения учений учениях навчання Übung Übungen Manöver exercices ejercicios maniobras esercitazioni esercitazione tatbikat tatbikatı رزمایش مانور مناورات تدريبات مشقیں vežbe vežbi вежбе cvičení ćwiczenia exercícios
border frontier граница границе границы границу кордон кордоні Grenze frontière frontera confine frontiera sınır sınırı مرز مرزی الحدود حدود سرحد سرحدی granica granice granici граници границата hranice hranici granicy fronteira
troops soldiers войска войск военнослужащих військ Truppen Soldaten troupes soldats tropas soldados truppe soldati askerler asker نیروها سربازان قوات جنود vojska vojnici војска војници войски στρατεύματα στρατιώτες wojska żołnierze żołnierzy
airstrike airstrikes авиаудар авиаудары авиаудара авиаударов авіаудар Luftangriff Luftangriffe frappes bombardeo bombardeos raid bombardamenti bombardıman بمباران غارات επιδρομή επιδρομές
explosion blast explosions взрыв взрыва взрывов вибух Explosion Anschlag explosion attentat explosión atentado esplosione attentato patlama saldırı انفجار دھماکہ eksplozija eksplozije експлозија експлозия έκρηξη έκρηξης výbuch exploze wybuch eksplozja چاودنه 爆
suicide смертник смертника смертником смертник Selbstmordattentäter kamikaze suicide suicida intihar =انتحاری =انتحاري خودکش
meeting meetings встреча встречи встрече заседание заседании зустріч Treffen Sitzung réunion rencontre reunión encuentro incontro riunione toplantı toplantısı نشست دیدار جلسه اجتماع لقاء اجلاس ملاقات sastanak sastanku састанак срещата συνάντηση συνάντησης setkání spotkanie spotkaniu encontro
visit visits visited визит визита визитом візит Besuch besuchte visite visita visitó ziyaret ziyareti زيارة دورہ επίσκεψη επίσκεψης návštěva návštěvě wizyta wizyty
delegation delegations делегация делегации делегацию делегація Delegation délégation delegación delegazione heyet heyeti هیئت هیات وفد delegacija delegacije делегација делегацията αντιπροσωπεία αντιπροσωπείας delegace delegacja delegacji delegação
minister ministers министр министра министром міністр Minister ministre ministro bakan وزیر وزير ministries министерство министерства министерстве міністерство Ministerium Ministeriums bakanlığı bakanlık وزارت وزارة ministarstvo министарство министерството ministerstvo ministerstwo ministerstwa υπουργείο υπουργείου ministar министар министър министъра υπουργός υπουργού ministr
president президент президента президентом Präsident président presidente cumhurbaşkanı رئیسجمهور رییسجمهور رئيس صدر predsednik predsjednik председник πρόεδρος prezident prezydent prezydenta ولسمشر
government governments правительство правительства правительством уряд уряду Regierung gouvernement gobierno governo hükümet hükümeti حکومت دولت حكومة правителство правителството κυβέρνηση κυβέρνησης
forum форум форума форуме Forum foro forumu مجمع منتدى فورم
trade торговля торговли товарооборот торгівля Handel commerce comercio commercio ticaret tijarat تجارت تجارة تجاری trgovina trgovine трговина търговия търговията εμπόριο εμπορίου comércio
railway railroad железная железной железнодорожный залізниця Eisenbahn Bahnstrecke ferroviaire ferrocarril ferrovia ferroviaria demiryolu =آهن ریلوے σιδηρόδρομος σιδηροδρομική
pipeline газопровод газопровода трубопровод газогін Pipeline gazoduc gasoducto gasdotto gazboru =لوله أنابيب پائپ gasovod gasovoda гасовод plynovod gazociąg rurociąg gasoduto
agreement agreements accord соглашение соглашения соглашению договор угода Abkommen Vereinbarung accord acuerdo accordo anlaşma anlaşması توافق توافقنامه موافقتنامه اتفاق اتفاقية معاہدہ sporazum sporazuma споразум споразумение споразумението συμφωνίας porozumienie porozumienia
refugees migrants беженцы беженцев мигранты мигрантов біженці Flüchtlinge Migranten réfugiés migrants refugiados migrantes rifugiati migranti mülteci mülteciler göçmen مهاجرین پناهجویان مهاجران اللاجئين مہاجرین izbeglice izbjeglice избеглице бежанци πρόσφυγες προσφύγων uprchlíci uchodźcy uchodźców کډوال
deportation deported deport депортация депортации высылка депортація Abschiebung abgeschoben expulsés deportación deportados espulsi sınırdışı اخراج ترحيل بےدخلی deportacija deportovani депортиране депортирани deportace deportacja deportacji deportação
crossing checkpoint переход перехода пункт пропуска Grenzübergang passage paso valico kapısı گذرگاه معبر گزرگاہ
closed closure closes close закрыт закрыли закрытие закрыто закрито geschlossen schließt fermeture =cerrado cierre chiuso chiusura kapatıldı kapattı =بسته بستن إغلاق zatvoren zatvoreni затворен uzavřen zamknięte zamknięty
reopened reopens reopening reopen открыт открыли возобновил відкрито wiedereröffnet rouvert réouverture reabierto reapertura =riaperto riapertura açıldı بازگشایی بازگشایی فتح
statement statements заявление заявлении заявлению заява Erklärung déclaration declaración dichiarazione açıklama açıklamada بیانیه بيان بیان declaration декларация декларации декларацию декларація Deklaration deklarasyon deklaracija декларација декларацията deklarace deklaracja deklaracji διακήρυξη saopštenje saopštenja саопштење изявление изявлението ανακοίνωση ανακοίνωσης oświadczenie oświadczeniu
joint совместное совместный совместной совместно спільна gemeinsame =commune conjointe conjunta congiunta ortak مشترک مشترك مشترکہ zajednička zajedničko заједничка съвместна съвместно společné wspólne wspólnym
security безопасности безопасность безпеки Sicherheit sécurité seguridad sicurezza güvenlik امنیت امنیتی سیکیورٹی bezbednost bezbednosti безбедност сигурност сигурността ασφαλείας bezpečnost bezpieczeństwo bezpieczeństwa segurança
spokesman spokeswoman spokesperson пресссекретарь Sprecher Sprecherin porteparole portavoz portavoce sözcü sözcüsü سخنگو المتحدث ترجمان portparol портпарол говорител говорителят mluvčí rzecznik rzecznika
military военный военные военной военных военного військовий Militär militärische militaire militar militare نظامی العسكرية فوجی vojni vojnih војни στρατιωτική στρατιωτικές vojenské vojenský wojskowy wojskowych wojskowe
airbase bases база базы базу баз база Stützpunkt Stützpunkte Militärbasis üssü پایگاه قاعدة اڈہ اڈے
infrastructure инфраструктура инфраструктуры інфраструктура Infrastruktur infraestructura infrastrutture altyapı زیرساخت زیرساختها =البنية ڈھانچہ
women женщин женщины женщинам жінок =Frauen femmes mujeres donne kadınlar kadın زنان النساء خواتین γυναίκες mulheres
children детей дети дітей Kinder enfants niños bambini çocuk کودکان اطفال الأطفال بچے dzieci
girls =девочек =девочки дівчат Mädchen =filles niñas ragazze kızlar دختران الفتيات لڑکیوں
education schools school образование образования =школ =школы освіти Bildung Schule Schulen éducation école écoles educación escuelas istruzione =scuole eğitim okul okullar آموزش مکاتب مکتب التعليم تعلیم
wheat grain пшеница пшеницы зерно зерна пшениця Getreide céréales =grano buğday tahıl گندم غله القمح pšenica pšenice pszenica pszenicy
flood floods flooding наводнение наводнения паводок повінь Hochwasser Überschwemmung Überschwemmungen inondations inundaciones alluvione alluvioni selde سیل سیلاب فيضانات poplava poplave поплаве поплава πλημμύρα πλημμύρες povodně povodeň powódź powodzie inundações enchente
election elections =выборы выборов =выборах =вибори =Wahl Wahlen élection élections elecciones elezioni seçim seçimler انتخابات الانتخابات izbori izbora избори изборите εκλογές εκλογών =wybory wyborów eleições
sanctions санкции санкций санкціями Sanktionen sanctions sanciones sanzioni yaptırım yaptırımlar تحریم تحریمها عقوبات پابندیاں sankcije sankcija санкције санкциите κυρώσεων sankcje sankcji بندیزونه
emirate эмират эмирата эмиратом емірат Emirat émirat emirato emirliği =امارت =إمارة
invited invitation invite приглашение пригласил пригласили приглашен запросили Einladung eingeladen invité invitation invitado invitación invitato invito davet davetli دعوت دعوة
participation participate participating attend участие участвовать участия участь Teilnahme teilnehmen participer participation participar participación partecipare partecipazione katılacak شرکت مشاركة
drone drones беспилотник беспилотника беспилотников дрон дрона безпілотник Drohne Drohnen drone drones dron drones drone İHA پهپاد =مسيرة =ڈرون
workers рабочие рабочих работников робітники Arbeiter Arbeitern =ouvriers travailleurs trabajadores lavoratori operai işçi işçiler کارگران عمال مزدور
first первой первый первым первая erste erster ersten primo prima ilk نخستین اولین أول پہلا
china chinese китай китая китайские китайских китайский китаю Китай China chinesische chinesischen Chine chinois chinoise chinos cinesi Cina Çin چین چینی الصين الصينية چینی kineski kineska кинески китайски κινεζική κινέζικη chińskie chińskiego chinesa
india indian индия индии индийский Індія Indien indische Inde indien indienne indio Hindistan هند هندی الهند بھارت
turkey turkiye turkish турецкий Туреччина Türkei türkische Turquie turc Turquía turco Turchia turco Türkiye türk ترکیه ترکی تركيا ترکی
germany german германия германии немецкий Deutschland deutsche Allemagne allemand Alemania alemán Germania tedesco Almanya alman آلمان ألمانيا جرمنی
america american americans usa сша американский американских америка Amerika amerikanische Amérique américain américaine Estadosunidos estadounidense americano amerikan آمریکا آمریکایی أمريكا الأمريكية امریکہ امریکی
russia russian russians россия россии российский российской российских россией русский росія російський Russland russische russischen Russie russe Rusia ruso rusa Russia russo russa Rusya rus روسیه روسی روسيا الروسي روس روسی Rusija Rusije Русија Rosja Rosji ruski ruska руски ρωσική
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
province провинция провинции провинцию Provinz province provincia =vilayet =vilayeti =ولایت استان محافظة صوبہ provincija prowincja prowincji província
supreme верховный верховного верховным верховний Oberster Obersten Oberste suprême suprema supremo Yargıtay سپریم vrhovni vrhovnog врховни врховног върховен върховния врховен najwyższy najwyższego nejvyšší
parliament parliamentary парламент парламента парламенте парламентский парламентские парламенту Parlament Parlaments Bundestag parlement parlamento parlamentario parlamentare meclis meclisi TBMM پارلمان مجلس البرلمان برلمان پارلیمنٹ parlamentu parlamentem парламентът Скупштина skupština skupštine Sejm Sejmu
interview interviews интервью Interview entrevista intervista röportaj röportajında مصاحبه مقابلة انٹرویو intervju интервју интервю rozhovor συνέντευξη συνέντευξης
briefing briefings брифинг брифинга брифинге брифінг Pressebriefing brifing إحاطة بریفنگ brifingu brífink briefingu
conference conferences конференция конференции конференцию конференції Konferenz Konferenzen conférence conferencia conferenza konferans konferansı کنفرانس مؤتمر المؤتمر کانفرنس konferencija конференција конференцията konference konferencja konferencji διάσκεψη διάσκεψης
summit саммит саммита саммите саміт саміті Gipfel Gipfeltreffen Gipfels sommet vertice zirve zirvesi القمة قمة samit samitu самит самитот summitu szczyt szczycie
foreign иностранных иностранным иностранные закордонних auswärtige Auswärtigen étrangères esteri dışişleri خارجه خارجی الخارجية خارجہ vanjskih spoljnih спољних външните надворешни εξωτερικών zahraničních zagranicznych estrangeiros بهرنیو
deputy deputies заместитель заместителя замминистра заступник заступника Stellvertreter stellvertretende adjoint adjointe vicepresidente viceministro yardımcısı yardımcı معاون معاونت zamenik zamjenik заменик заместник náměstek zastępca zastępcy αναπληρωτής υφυπουργός مرستیال
representative representatives представитель представителя представителем спецпредставитель спецпредставителя спецпосланник представник Sondergesandter Sonderbeauftragte Vertreter représentant représentante representante rappresentante temsilci temsilcisi نماینده نمایندگی المبعوث مبعوث نمائندہ predstavnik predstavnika представителят претставник przedstawiciel przedstawiciela εκπρόσωπος απεσταλμένος استازی
consultations consultation консультации консультаций консультациях консультації Konsultationen consultas consultazioni istişare istişareler مشورت مشاورات مشاورت konsultacije консултации konzultace konsultacje konsultacjach διαβουλεύσεις
credentials верительные верительных Beglaubigungsschreiben credenciales credenziali اعتمادنامه akreditivi акредитиви акредитивни uwierzytelniające διαπιστευτήρια credenciais
humanitarian гуманитарная гуманитарной гуманитарную гуманитарные гуманитарных гуманітарна гуманітарної humanitäre humanitären humanitaire humanitaires humanitaria humanitario umanitari umanitaria insani بشردوستانه الإنسانية إنسانية انسانی humanitarna humanitarne хуманитарна хуманитарне хуманитарната humanitární humanitarnej ανθρωπιστική ανθρωπιστικής humanitária بشرپالنه
assistance помощь помощи допомога допомоги Hilfsgüter aide ayuda aiuti aiuto yardım yardımları کمک کمکها مساعدات المساعدات pomoć pomoći помоћ помош помощта pomoc pomoci ajuda مرسته مرستې
electricity electric электроэнергия электроэнергии электричество электричества электроэнергию електроенергія електроенергії Elektrizität électricité electricidad elettricità elektrik الكهرباء بجلی struja struje електричество електрична струја elektřina elektřiny ηλεκτρισμός ηλεκτρικής eletricidade برښنا
transmission электропередачи електропередачі Stromleitung Hochspannungsleitung transmisión trasmissione dalekovod далековод далекопровод elektroenergetyczna transmissão
transit транзит транзита транзитный транзиту Transit tránsito transito ترانزیت العبور ٹرانزٹ tranzit транзитот tranzitu tranzyt διαμετακόμιση
investment investments investor investors инвестиции инвестиций инвестиционный инвестиционных инвестиції Investition Investitionen investissement investissements inversión inversiones investimenti investimento yatırım yatırımlar yatırımcı سرمایهگذاری سرمایه الاستثمار استثمار استثمارات سرمایہکاری سرمایہ investicije инвестиције инвестициите investice inwestycje inwestycji επενδύσεις επένδυση investimentos پانګونه پانګه
memorandum memorandums меморандум меморандума меморандумов Memorandum mémorandum mutabakat تفاهمنامه memoranduma меморандумот μνημόνιο μνημονίου تفاهملیک
contract contracts контракт контракта контракты контрактов контрактів Verträge contrat contrato contratos contratto contratti sözleşme sözleşmesi عقود ugovor ugovora уговор smlouva smlouvy umowa umowy σύμβαση
corridor коридор коридора коридоре Korridor corredor koridor koridoru دهلیز ممر راہداری коридорот korytarz korytarza
airport airports аэропорт аэропорта аэропорту аеропорт аеропорту Flughafen Flughafens aéroport aeropuerto aeroporto havalimanı havaalanı فرودگاه المطار ایئرپورٹ aerodrom aerodroma аеродром αεροδρόμιο αεροδρομίου
flight рейсов پرواز پروازها رحلات الرحلات الوتنه
attack attacks attacked нападение нападения нападении атака атаки атаку напад Angriff Angriffe attaque attaques ataque ataques attacco attacchi حمله حملات هجوم هجمات napad napada нападот útok útoku atak ataku επίθεση επίθεσης επιθέσεις بریدونه 袭
bomb bombs bombing bombings бомба бомбы бомбу бомбардировка бомбардировки Bombe bombe bombes bomba bombas bombası bombalı بمب قنبلة القنبلة bombu бомбата bomby βόμβα βόμβας βόμβες 炸
militants militant gunmen боевики боевиков боевиками бойовики бойовиків Kämpfer Militanten combattants milicianos militantes miliziani militanti militan militanlar silahlı ستیزهجویان شبهنظامیان مسلحين المسلحين militante bojovníci bojownicy ενόπλων ένοπλοι μαχητές وسلهوال
hostage hostages заложник заложники заложников заложника заручник заручники Geisel Geiseln otage otages ostaggio ostaggi گروگان گروگانها یرغمال закладник rukojmí zakładnik zakładników όμηρος ομήρους refém ګروګان
kidnapping kidnapped abduction abducted похищение похищения похитили похищен похищены викрадення викрали Entführung entführt enlèvement enlevé enlevés secuestro secuestrado secuestrados ربوده آدمربایی اختطاف اختطف مختطف اغوا otmica otmice отмица отвличане uprowadzenie απαγωγή απήχθη sequestro sequestrado تښتول 绑
arrested arrest detained detention арестован арестованы арестовали задержан задержаны задержали задержание арест ареста заарештовано затримали festgenommen Festnahme verhaftet interpellé detenido detenidos arrestado arrestati arrestato tutuklandı gözaltına gözaltı بازداشت دستگیر اعتقال اعتقل القبض گرفتار uhapšen uhapšeni uhapšena ухапшен ухапшени арестуван задържан задържани zatčen zatčeni zatrzymany zatrzymani aresztowany συνελήφθη συνελήφθησαν σύλληψη ونیول 逮
sentenced sentence verdict convicted приговорен осужден осуждены засуджено Urteil condenado condenados condannato condannati hükümlü محکوم osuđen osuđeni осуђен осъден осуден odsouzen rozsudek skazany καταδικάστηκε καταδίκη sentença
prisoners prisoner заключенные заключенных Gefängnis Gefängnisse Häftlinge prisonniers cárcel prigione carcere detenuti cezaevi hapishane زندان زندانیان زندانی سجن السجن سجناء المعتقلين جیل zatvor zatvora затвор затвореници затвора затворот věznice więźniowie κρατούμενοι 狱
protest protesters demonstration demonstrators протест протесты протестов протестующие протестующих демонстрация протести Protest Proteste Demonstration Demonstranten manifestation manifestants manifestación manifestantes protesta protestas protestanti manifestazione protesto protestolar gösteri اعتراض اعتراضات معترضان تظاهرات احتجاج احتجاجات المحتجين مظاهرات احتجاجی مظاہرہ مظاہرین protesti протестите demonstrace demonstranti protesty demonstracja διαμαρτυρία protestos لاریون
wildfire blaze пожар пожара пожаре пожары пожаров пожежа пожежі incendie incendies incendio incendios incendi yangın yangında آتشسوزی الحريق požar požara пожарот пожарът pożar pożaru πυρκαγιά πυρκαγιάς πυρκαγιές incêndio incêndios
storm storms hurricane шторм шторма ураган урагана Sturm Stürme Orkan tempête tormenta huracán tempesta uragano kasırga العاصفة oluja oluje олуја sztorm καταιγίδα tempestade توپان
avalanche avalanches лавина лавины лавиной лавин Lawine Lawinen avalancha çığ lavina lavine лавината lawina lawiny χιονοστιβάδα برفکوچ
landslide landslides mudslide оползень оползня оползни зсув Erdrutsch Erdrutsche Murgang glissement deslizamiento deslave لینڈسلائیڈنگ klizište klizišta свлачище свлечиште κατολίσθηση κατολισθήσεις deslizamento ښوییدنه
drought засуха засухи засуху Trockenheit sécheresse kuraklık kuraklığı خشکسالی ξηρασία ξηρασίας 旱
starvation Hungersnot hambruna açlık گرسنگی مجاعة المجاعة الجوع hladomor لوږه 饥
cholera холера холеры Cholera choléra cólera colera kolera وبا الكوليرا كوليرا ہیضہ колера колерата χολέρα کولرا
vaccine vaccines vaccination vaccinated вакцина вакцины вакцинация вакцинации прививки вакцинація Impfstoff Impfung Impfungen vaccin vacuna vacunas vacunación vaccino vaccini vaccinazione واکسن لقاح اللقاح ویکسین vakcina vakcine ваксина ваксини ваксинация očkování szczepionka szczepień εμβόλιο εμβόλια εμβολιασμός vacina vacinas vacinação واکسین 苗
vote voted голосование голосования голосовании проголосовали голосування Abstimmung abgestimmt scrutin votación voto votazione oylama oy رأیگیری رای التصويت ووٹ glasanje glasanja гласање гласуване гласуването hlasování głosowanie głosowania ψήφισε votação رایه
referendum референдум референдума Volksabstimmung Referendum référendum referéndum referendumu همهپرسی استفتاء ریفرنڈم референдумот δημοψήφισμα referendo ټولپوښتنه
putsch переворот переворота Putsch Staatsstreich darbe darbesi کودتا преврат převrat pucz πραξικόπημα
resigned resignation resign resigns отставку отставка отставке уволился отставки відставку відставка Rücktritt zurückgetreten démission démissionné dimisión dimissioni dimesso istifa istifasını استعفا استعفای استقالة استقال استعفیٰ استعفی ostavka ostavku оставка оставку оставката rezignace demisja dymisja dymisji demissão
appointed appointment назначен назначена назначение назначил назначили призначено призначений ernannt Ernennung nomination nombrado nombramiento nominato nomina منصوب imenovan imenovanje именован именовање jmenován jmenování mianowany mianowanie διορίστηκε διορισμός nomeação ګمارل
dismissed уволен уволил звільнив entlassen abgesetzt limogé destituido licenziato görevden azledildi برکنار برطرف smenjen razrešen смењен разрешен уволнен odvolán odwołany zdymisjonowany αποπέμφθηκε destituído
missing disappeared пропавшие пропавших пропали пропал безвести зниклі зниклих vermisst Vermisste disparus disparu desaparecidos desaparecido dispersi disperso kayıplar مفقود مفقودین المفقودين لاپتہ nestali nestalih нестали нестанали изчезнали zmizelí αγνοούμενοι αγνοούμενων
rescued rescuers спасены спасли спасатели спасателей спасательная рятувальники врятовано Rettung sauvetage secouristes rescatados rescate rescatistas salvataggio kurtarıldı kurtarma نجات امدادگران إنقاذ الإنقاذ ریسکیو spasen spaseni спасени спасители zachráněni záchranáři uratowani ratownicy διασώστες resgatados resgate ژغورنه
evacuated evacuation эвакуированы эвакуация эвакуации эвакуировали евакуація евакуйовано evakuiert Evakuierung évacués évacuation evacuados evacuación evacuazione boşaltıldı إجلاء الإجلاء evakuisani evakuacija евакуисани евакуација евакуирани евакуация evakuace ewakuacja ewakuowano εκκένωση evacuação
displaced переселенцы переселенцев Vertriebene vertrieben déplacés desplazados sfollati آوارگان بیجاشدگان بیجاشده النازحين raseljeni raseljenih расељени разселени vysídlení przesiedleni εκτοπισμένοι deslocados
returnees repatriation репатриация репатриации Rückkehrer rapatriés rapatriement retornados rimpatrio rimpatri povratnici повратници repatriação راستنېدنه
camps camp табір Lagern campamento campamentos kamp kampı kamplar اردوگاه مخیم مخيمات المخيمات کیمپ kampu лагерите kampa tábor obóz obozie στρατόπεδο καταυλισμός کمپ کمپونه
пограничники пограничников погранслужба прикордонники Grenzschutz Grenzpolizei مرزبانان مرزبانی graničari granična граничари гранична граничната pohraniční straż strażnicy συνοριοφύλακες
smuggling smugglers smuggled contraband контрабанда контрабанды контрабандисты контрабандистов Schmuggel Schmuggler contrebande contrabandistas contrabbando contrabbandieri المهربين اسمگلنگ šverc krijumčarenje шверц кријумчарење контрабандата pašování przemyt przemytnicy λαθρεμπόριο διακινητές contrabando
drugs narcotics наркотики наркотиков наркотиків наркотрафик Rauschgift drogues stupéfiants drogas narcotráfico stupefacenti uyuşturucu مخدر مخدرات المخدرات منشیات наркотици наркотиците narkotika narkotyki narkotyków ναρκωτικά مخدره
opium опиум опиума опій Opium opio oppio opijum опијум όπιο ópio Mohn Mohnanbau pavot adormidera خشخاش الخشخاش کوکنار makové 罂 粟
mining miners рудник рудника горнодобывающей Bergbau Bergwerk madencilik madenci استخراج التعدين المناجم منجم rudnik rudnika рударство kopalnia górnictwo mineração
copper Kupfer النحاس نحاس تانبا miedź miedzi χαλκός 铜
lithium Lithium lityum لیتیوم الليثيوم ليثيوم لیتھیم litijum литијум لیتیم 锂
canal canals channel канал канала канале каналу каналом Kanal Kanals canale kanal kanalı کانال قناة القناة kanala каналот каналът kanál kanał kanału κανάλι 渠
irrigation irrigated ирригация ирригации орошения орошение зрошення Bewässerung riego irrigazione ري آبپاشی navodnjavanje наводњавање напояване наводнување zavlažování άρδευση irrigação اوبولګولو
energy энергетика энергетики энергетический энергетической энергетических енергетика енергетичний Energie énergie energía enerji انرژی الطاقة طاقة energija energetski енергија енергетски energie energetyka energii ενέργεια ενέργειας ενεργειακή انرژي
credit кредит кредита кредиты кредитов позика Kredit Darlehen préstamo préstamos قروض القرض kredit kredita зајам pożyczka kredyt kredytu empréstimo
budget бюджет бюджета бюджете бюджету Haushalt Budget presupuesto bilancio bütçe bütçesi بودجه ميزانية الميزانية بجٹ budžet budžeta буџет rozpočet budżet budżetu προϋπολογισμός προϋπολογισμού orçamento
inflation инфляция инфляции інфляція Inflation inflación inflazione enflasyon تورم التضخم تضخم inflacija инфлација инфлация инфлацията inflace inflacja inflacji πληθωρισμός inflação انفلاسیون 胀
currency currencies Währung Devisen döviz ارز العملة كرنسی νόμισμα νομίσματος
bank banks банк банка банков банке банку Bank Banken banque banques banco bancos banca banche banka bankası بانک البنك بنك بینک banke банката banky banku τράπεζα τράπεζας τράπεζες بانکونو
frozen freeze unfrozen unfreeze заморожены замороженных заморожено разморозить размораживание заморожені eingefroren congelados congelamiento congelati congelamento dondurulmuş بلوکه مجمدة المجمدة تجميد منجمد zamrznuti zamrzavanje замрзнути замразени замрзнати zmrazené zamrożone zamrożonych δεσμευμένα πάγωμα کنګل
asset Vermögen Vermögenswerte varlıklar varlıkları أصول الأصول imovina imovine имовина περιουσιακά ativos شتمنۍ
reserves reserve резервы резервов запасы запасов резерви Reserven réserves reservas riserve rezerv rezervleri الاحتياطيات rezerve rezervi резерве резервите rezervy rezerwy rezerw αποθεματικά زيرمه
embargo эмбарго Embargo ambargo ambargosu الحظر پابندی ембарго εμπάργκο
passport passports паспорт паспорта паспортов паспорти Reisepass passeport pasaporte passaporto pasaport pasaportu پاسپورت گذرنامه جوازات پاسپورٹ paszport paszportu passaporte پاسپورټ
consulate consular консульство консульства консульстве консульский Konsulat Generalkonsulat consulat consulado consolato konsolosluk konsolosluğu کنسولگری کنسول القنصلية konzulat konzulata конзулат консулство консулството konzulát konsulat konsulatu προξενείο προξενείου قونسلګري
diplomats diplomat diplomatic diplomacy дипломат дипломаты дипломатов дипломатический дипломатических дипломатии дипломати Diplomat Diplomaten diplomatische diplomate diplomates diplomatique diplomático diplomáticos diplomatico diplomatici diplomatik diplomasi دیپلمات دیپلماتها دیپلماتیک دبلوماسي الدبلوماسية دبلوماسيين سفارتکار diplomata дипломата дипломатски дипломатите diplomatický dyplomata dyplomaci dyplomatyczny διπλωμάτης διπλωμάτες διπλωματική ډیپلومات ډيپلوماټ
expelled выслать высланы выдворены выдворение высылает ausgewiesen Ausweisung protjeran proteran протеран изгонен изгонени protjerani vyhoštěn wydalony wydaleni απέλαση απελάθηκαν
satellite satellites Satellit Satelliten satélite satélites satelliti ماهواره الأقمار ساتلائٹ satelit satelita сателит сателита družice satelity سپوږمکۍ
missiles rocket ракета ракеты ракет ракетами ракетою Rakete Flugkörper roquette misiles razzi füzesi füzeler موشک موشکها صاروخ الصواريخ میزائل raketa rakete ракете ракети ракетите rakieta rakiety πύραυλος πυραύλων توغندی
nuclear atomic ядерный ядерного ядерной ядерное ядерных ядерним ядерної atomar Atom nukleare nucléaire nucléaires nucleares nucleare nükleer اتمی النووي النووية ایٹمی nuklearni nuklearne нуклеарни нуклеарне ядрен ядрена ядрени нуклеарна jaderný jaderné jądrowy jądrowej πυρηνικό πυρηνικά πυρηνικής اټومي 核
weapons weapon arms оружие оружия зброя зброї armes armas silah silahlar silahları سلاح تسلیحات أسلحة الأسلحة السلاح oružje oružja оружје оружја оръжие оръжия όπλα όπλων armamento
ammunition боеприпасы боеприпасов боєприпаси munición municiones munizioni الذخيرة municija municije муниција муниције боеприпаси amunicja amunicji πυρομαχικά
helicopter helicopters вертолет вертолета вертолеты вертолетов гелікоптер вертоліт Hubschrauber Helikopter hélicoptère helicóptero helikopter helikopteri هلیکوپتر مروحية المروحية helikoptera хеликоптер хеликоптера хеликоптерът vrtulník śmigłowiec śmigłowca ελικόπτερο ελικοπτέρου چورلکه
aircraft airplane самолет самолета самолеты самолетов літак літаки Flugzeug Flugzeuge avions aeronave aviones uçağı uçaklar هواپیما самолетът letadlo samolot samolotu αεροσκάφος αεροπλάνο الوتکه
fighters истребитель истребители истребителей винищувач Kampfjet Kampfjets جنگنده جنگندهها مقاتلات لڑاکا изтребител изтребители stíhačka myśliwiec myśliwce μαχητικά
naval военноморской військовоморські Kriegsmarine donanma donanması البحرية mornarica mornarice морнарица námořnictvo marynarka ναυτικό ναυτικού
warship warships корабль корабля корабли кораблей эсминец корабель Kriegsschiff Kriegsschiffe السفن корабът okręt okrętu 舰
peacekeepers peacekeeping миротворцы миротворцев миротворческий миротворці Friedenstruppen Blauhelme pacificadores صلحبانان mirovnjaci mirovne мировњаци мировни миротворци mirotvorci pokojowe pokojowa ειρηνευτική ειρηνευτικές
council Sicherheitsrat conseil consejo consiglio کونسل vijeće savjet συμβούλιο συμβουλίου conselho
assembly ассамблея ассамблеи генассамблеи асамблея Versammlung Generalversammlung assemblée asamblea assemblea اسمبلی асамблеята собрание shromáždění zgromadzenie zgromadzenia συνέλευση συνέλευσης assembleia
resolution resolutions резолюция резолюции резолюцию резолюція Resolution résolution resolución risoluzione قطعنامه القرار rezolucija rezolucije резолуција резолуције резолюцията rezoluce rezolucja rezolucji ψήφισμα ψηφίσματος resolução پرېکړهلیک
ban запрет запрета запрете запретом Verbot Reiseverbot interdiction prohibición yasak yasağı yasakları ممنوعیت zákaz zakaz zakazu απαγόρευση απαγόρευσης proibição بندیز
exemption exemptions исключение исключения виняток Ausnahme Ausnahmegenehmigung dérogation exención excepción esenzione muafiyet muafiyeti معافیت изузеће изузетак изключение výjimka wyjątek isenção exceção
mission missions Mission Missionen misión missione misyon misyonu مأموریت البعثة مشن misija misije мисија мисије misja misji αποστολή αποστολής ماموریت
observers observer наблюдатели наблюдателей наблюдатель спостерігачі Beobachter observateurs observateur observadores observador osservatori osservatore gözlemci gözlemciler مراقبين المراقبين مبصرين posmatrači promatrači посматрачи набљудувачи pozorovatelé obserwatorzy obserwatorów παρατηρητές څارونکي
violation violations violated нарушение нарушения нарушений нарушили Verstoß violación violaciones violazione violazioni ihlalleri نقض تخلف انتهاك انتهاكات kršenje kršenja кршење кршења прекршување naruszenie naruszenia violações سرغړونه
artillery обстрел обстрела обстрелы обстрелов обстреляли артиллерия артиллерийский обстріл обстрілу Artillerie artillerie artillería artiglieria گلولهباران توپخانه القصف المدفعية granatiranje granatiranja гранатирање артиљерија артилерия ostřelování ostrzał ostrzału βομβαρδισμός artilharia
fighting skirmish skirmishes столкновения столкновений столкновение перестрелка перестрелки Zusammenstöße Gefechte Kämpfe affrontements combats enfrentamientos combates scontri combattimenti çatışma çatışmalar çatışmada درگیری درگیریها زدوخورد اشتباكات اشتباك مواجهات جھڑپیں جھڑپ сблъсъци сблъсъка συγκρούσεις σύγκρουση confrontos
offensive assault наступление наступления наступлении наступ Offensive ofensiva offensiva تهاجم ofanziva ofenziva офанзива настъпление ofenzíva ofensywa ofensywy یرغل
withdrawal withdraw withdrew отвод Abzug Rückzug retrait retirada repliegue خروج عقبنشینی انسحاب الانسحاب povlačenje povlačenja повлачење изтегляне изтеглянето повлекување stažení wycofanie wycofania αποχώρηση απόσυρση
occupation occupied occupying оккупация оккупации оккупированных оккупированной окупація окупованих Besatzung Besetzung besetzt ocupación occupazione işgal işgali اشغال اشغالگر احتلال الاحتلال المحتلة okupacija okupacije окупација окупирани окупация окупираните okupace okupacja okupacji κατεχόμενα ocupação
annexation annexed annex аннексия аннексии аннексировала анексія Annexion annektiert annexion annexé anexión anexionó ilhak ilhakı الحاق الضم aneksija aneksije анексија анексия анексията anexe aneksja aneksji προσάρτηση anexação
alliance alliances союзники союзников союзник Bündnis Allianz Verbündete alianza aliados alleanza ittifak müttefik müttefikler اتحاد اتحادیه متحدان اتحادی savez saveza савез савезници съюзници сојуз aliance svaz sojusz sojuszu sojusznicy aliança
european europe европейский европейского евросоюз евросоюза евросоюзе європейський Євросоюз Europäische Europäischen européenne europea اروپا الأوروبي أوروبا یورپی Evropska evropske Европска европейски Evropská Europejska ευρωπαϊκή europeia اروپايي
istanbul стамбул стамбуле стамбула İstanbul Istanbul Estambul استانبول إسطنبول اسطنبول استنبول Истанбул Истанбулу Стамбул Κωνσταντινούπολη Σταμπούλ
tashkent ташкент ташкенте ташкента Taschkent Tachkent Taskent تاشکند طشقند تاشقند Τασκένδη
dushanbe душанбе Duschanbe Douchanbé Dusambé دوشنبے Душанбе Ντουσάνμπε
ashgabat ашхабад ашхабаде ашхабада Aschgabat Achgabat Asjabad aşkabat عشقآباد عشق‌آباد Ашхабад Ασγκαμπάτ
islamabad исламабад исламабаде исламабада Islamabad اسلامآباد اسلام‌آباد Исламабад Ισλαμαμπάντ
kabul кабул кабуле кабула Kaboul Kabil کابل كابول Кабул
kandahar кандагар кандагаре кандагара Kandahar قندهار Кандахар Κανταχάρ
mazar мазари мазаре مزارشریف Мазар Мазари
kunduz кундуз кундузе Kundus Koundouz قندوز Кундуз
badakhshan бадахшан бадахшане Badachschan بدخشان Бадахшан
panjshir панджшер панджшера панджшере Pandschschir Panchir پنجشیر بنجشير Панџшир
paktika пактика пактики пактике پکتیکا باكتيكا Пактика
nangarhar нангархар нангархаре Nangarhar ننگرهار ننګرهار ننجرهار Нангархар
torkham торхам торхаме Torkham Tourkham Torjam تورخم طورخم Торхам
hospital hospitals госпиталь лікарня лікарні Krankenhaus hôpital hospital hospitales ospedale ospedali hastane hastaneye hastanede بیمارستان مستشفى المستشفى مستشفيات ہسپتال болницата νοσοκομείο νοσοκομείου nemocnice nemocnici szpital szpitala szpitalu روغتون
aftershock aftershocks афтершок афтершоки афтершоков Nachbeben artçı پسلرزه پسلرزهها آفٹرشاک
debris Trümmern décombres escombros enkaz enkazı ملبے ruševine рушевине развалини escombros
delisted delisting исключили исключила исключило исключить виключили حذف
condolences condolence соболезнования соболезнование співчуття condoléances condolencias condoglianze taziyelerini تعازي التعازي تعزیت saučešće саучешће съболезнования συλλυπητήρια kondolencje condolências
anniversary годовщина годовщину годовщины річниця Jahrestag anniversaire aniversario anniversario yıldönümü سالگرد سالگرہ godišnjica годишњица годишнина rocznica rocznicy aniversário
epidemic outbreak эпидемия эпидемии вспышка вспышки епідемія Epidemie Ausbruch épidémie epidemia اپیدمی همهگیری epidemija епидемија епидемия επιδημία epidemie epidemii
locust =саранча =саранчи Heuschrecken langostas locuste skakavci скакавци kobylky szarańcza gafanhotos
snowfall snow снегопад снегопады снегопада Schneefall nevicate برفباری ثلوج ثلج snijeg снеговалеж χιονόπτωση
accident accidents Unfall Unfälle accidente accidentes تصادفات nesreća nesreće несрећа ατύχημα wypadek wypadku acidente acidentes
university universities университет университета університет Universität Universitäten université universidad università üniversite üniversitesi دانشگاه دانشگاهها یونیورسٹی univerzitet univerziteta универзитет университета πανεπιστήμιο univerzita uniwersytet uniwersytetu universidade پوهنتون پوهنتونونه
decree decrees указ указа указом указу Dekret décret decreto decretos kararname مرسوم المرسوم dekret dekreta указот διάταγμα dekretu
restrictions restriction ограничения ограничений обмеження Einschränkungen restrictions restricciones restrizioni kısıtlamalar kısıtlama محدودیتها محدودیت القيود ograničenja ограничења ограничувања ограниченията περιορισμοί περιορισμούς omezení ograniczenia ograniczeń restrições
journalist journalists журналист журналиста журналисты журналистов журналісти журналіст Journalist Journalisten journaliste journalistes periodista periodistas giornalista giornalisti gazeteci gazeteciler خبرنگار خبرنگاران صحافی novinar novinari новинар новинари журналисти δημοσιογράφος δημοσιογράφοι novinář novináři dziennikarz dziennikarze jornalista jornalistas خبریالان
`

// MinConceptKey is the shortest skeleton conceptText keeps.
const MinConceptKey = 3

// ConceptOf maps a word's match key to its concept's key: the key of the
// first word of its line (read only). writtenConcepts maps the hash of a
// word met only as written to its concept's key. conceptStems holds, for
// each match key of a line's words, the beginnings of those words
// (stemOf): a word the line does not list takes the concept of its
// skeleton only if it begins as one of them — "таджикистане" is a form of
// "таджикистан", while "summits" is not an earthquake's "sismo", nor
// "fund" "injured", though their skeletons meet.
var ConceptOf, writtenConcepts, conceptStems = readConcepts()

// stemLetters is how many sounds of a word stemOf keeps.
const stemLetters = 3

// stemOf returns a hash of key and of the first stemLetters sounds of the
// folded word, transliterated as MatchKey reads it and spelt as its
// skeleton spells consonants (vowels kept): a Latin Serbian form meets a
// Cyrillic one listed, Russian "пограничных" Czech "pohraniční".
func stemOf(key uint32, word []byte) uint64 {
	var buf [32]byte
	k, _, _ := appendLatin(buf[:0], word, 2*stemLetters+2)
	if k = consonants(k, true); len(k) > stemLetters {
		k = k[:stemLetters]
	}
	return Mix64(uint64(key)<<32 ^ hashBytes(k))
}

// readConcepts reads conceptText: the concept of each word's match key,
// and of each word whose skeleton is too short to be its key there
// (военных, суд, китай) or that is marked "=", by the hash of the folded
// word (Token.H), as vocabText's words are: written so, it means its
// line's concept.
func readConcepts() (map[uint32]uint32, map[uint64]uint32, map[uint64]struct{}) {
	var z Tokenizer
	m, asWritten, stems := make(map[uint32]uint32), make(map[uint64]uint32), make(map[uint64]struct{})
	for _, line := range strings.Split(conceptText, "\n") {
		var concept uint32
		var written []uint64 // the line's words met only as written
		for _, w := range strings.Fields(line) {
			for _, t := range z.Tokenize(w, nil) {
				k := z.MatchKey(z.Word(&t), false)
				if len(z.key) < MinConceptKey || w[0] == '=' {
					written = append(written, t.H)
					continue
				}
				if concept == 0 {
					concept = k
				}
				if _, ok := m[k]; !ok {
					m[k] = concept
				}
				if m[k] == concept {
					stems[stemOf(k, z.Word(&t))] = struct{}{}
				}
			}
		}
		for _, h := range written {
			if _, ok := asWritten[h]; !ok && concept != 0 {
				asWritten[h] = concept
			}
		}
	}
	return m, asWritten, stems
}

// Concept returns the concept of a word, given the folded word, its hash
// (Token.H) and its match key: the concept vocabText lists the word under;
// else, for a name namesText lists, its English word's key and false;
// else the concept its key has in conceptText, if the word begins as a word
// of that line does; else key itself and false.
// A word listed as written comes before one its skeleton meets: مصر is
// "Egypt", though its skeleton is مسيرة's, "drone".
func Concept(word []byte, h uint64, key uint32) (uint32, bool) {
	l := listedOf()
	if b := h >> (64 - listedBits); l.bits[b/64]>>(b%64)&1 != 0 {
		if c, ok := l.words[h]; ok {
			return uint32(c), c>>32 != 0 // "普京": "Putin", a name, not a concept
		}
	}
	return skeletonConcept(key, word)
}

// listed holds the words vocabText and namesText list (tables_test.go).
type listed struct {
	// words maps the hash of a folded word (Token.H) to its key, with bit
	// 32 set for a word of the vocabulary (which comes before a name
	// written the same): one map, so that a word costs one lookup.
	words map[uint64]uint64
	// bits has a bit set for the top listedBits bits of each hash in
	// words: most words looked up are listed nowhere, and a bit (of a set
	// that stays in the cache) tells nine in ten of them so without the
	// map.
	bits []uint64
}

// listedBits is the log2 of the number of bits in listed.bits (64 KB for
// about 51,000 words).
const listedBits = 19

// listedOf returns the listed words, decoded from tables.bin when first
// asked for: only grouping needs them.
var listedOf = sync.OnceValue(func() *listed {
	l := &listed{words: make(map[uint64]uint64, tables.listed()), bits: make([]uint64, 1<<listedBits/64)}
	for i := range tables.listed() {
		h, v := tables.listedAt(i)
		l.words[h] = v
		b := h >> (64 - listedBits)
		l.bits[b/64] |= 1 << (b % 64)
	}
	return l
})

// skeletonConcept returns the concept key has in conceptText, if word
// begins as a word of its line does (nil: whatever it is), else key and
// false.
func skeletonConcept(key uint32, word []byte) (uint32, bool) {
	c, ok := ConceptOf[key]
	if !ok {
		return key, false
	}
	if cased(word) {
		if _, stem := conceptStems[stemOf(key, word)]; !stem {
			return key, false
		}
	}
	return c, true // one key for "ceasefire", "перемирие" and "آتشبس"
}

// cased reports whether word is written in a script whose vowels stemOf
// can compare (Latin, Greek, Cyrillic): an Arabic, Persian or Indic word
// is read as its consonants, and takes its skeleton's concept as before
// (so does a nil word).
func cased(word []byte) bool { return len(word) > 0 && word[0] < 0xD5 }
