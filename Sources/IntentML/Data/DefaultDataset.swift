/// The dataset `intent train` uses when no `--data` is given: a small multilingual customer assistant.
///
/// Ten intents (greeting, goodbye, thanks, book_flight, check_weather, order_food, cancel_order,
/// track_order, play_music, set_alarm) plus the multi-intent `book_flight+check_weather`, written in English,
/// Spanish, French, German, Russian, Arabic, Chinese and Thai: three sentences per intent and language, and 10
/// multi-intent ones. Each sentence carries a key word of its intent in its language (`погода`, `天气`), the rest
/// varies, so that a bag-of-n-grams model generalises to held-out sentences. Chinese and Thai are written without
/// spaces, as real users write them. All sentences are original.
public enum DefaultDataset {
    /// The dataset's name and version, recorded in the manifest of models trained on it.
    public static let name = "intentops-demo-v1"

    /// The source-file name of built-in examples.
    public static let sourceName = "<built-in>"

    /// The dataset as TSV: one `text<TAB>label` line per example, no header.
    public static let tsv: String = #"""
        hello there\#tgreeting
        hi there, hello!\#tgreeting
        hello, how are you doing?\#tgreeting
        hola, buenos días\#tgreeting
        ¡hola, qué tal!\#tgreeting
        hola a todos, buenas tardes\#tgreeting
        bonjour, comment allez-vous ?\#tgreeting
        salut tout le monde, bonjour\#tgreeting
        bonjour, ça va bien\#tgreeting
        hallo, guten Morgen zusammen\#tgreeting
        hallo und guten Tag\#tgreeting
        hallo, wie geht's dir?\#tgreeting
        привет, как дела?\#tgreeting
        здравствуйте, привет всем\#tgreeting
        привет, доброе утро!\#tgreeting
        مرحبا، أهلا بك\#tgreeting
        أهلا ومرحبا، صباح الخير\#tgreeting
        مرحبا، صباح الخير يا صديقي\#tgreeting
        你好，早上好\#tgreeting
        你好呀，你最近好吗\#tgreeting
        大家好，你好\#tgreeting
        สวัสดีครับ\#tgreeting
        สวัสดีค่ะ สบายดีไหม\#tgreeting
        สวัสดีตอนเช้าครับ\#tgreeting
        goodbye, see you later\#tgoodbye
        bye for now, talk to you soon\#tgoodbye
        I have to go now, goodbye and see you tomorrow\#tgoodbye
        adiós, hasta luego\#tgoodbye
        nos vemos mañana, adiós\#tgoodbye
        adiós, hasta pronto\#tgoodbye
        au revoir et à bientôt\#tgoodbye
        à plus tard, au revoir\#tgoodbye
        au revoir, bonne soirée\#tgoodbye
        tschüss, bis später\#tgoodbye
        auf Wiedersehen, tschüss\#tgoodbye
        tschüss und mach's gut\#tgoodbye
        до свидания\#tgoodbye
        пока, увидимся завтра\#tgoodbye
        всего доброго, до свидания\#tgoodbye
        مع السلامة\#tgoodbye
        إلى اللقاء، مع السلامة\#tgoodbye
        إلى اللقاء، أراك غدا\#tgoodbye
        再见，明天见\#tgoodbye
        拜拜，下次再见\#tgoodbye
        我先走了，再见\#tgoodbye
        ลาก่อนนะ แล้วพบกันใหม่\#tgoodbye
        ลาก่อน แล้วพบกันพรุ่งนี้\#tgoodbye
        ลาก่อนครับ ไว้เจอกันใหม่\#tgoodbye
        thank you so much\#tthanks
        thanks, that was really helpful\#tthanks
        thanks a lot, much appreciated\#tthanks
        muchas gracias\#tthanks
        gracias por tu ayuda\#tthanks
        te lo agradezco mucho, gracias\#tthanks
        merci beaucoup\#tthanks
        merci pour votre aide\#tthanks
        merci, c'est très gentil\#tthanks
        vielen Dank\#tthanks
        danke für die Hilfe\#tthanks
        danke schön, das war super\#tthanks
        большое спасибо\#tthanks
        спасибо за помощь\#tthanks
        спасибо, вы мне очень помогли\#tthanks
        شكرا جزيلا\#tthanks
        شكرا على مساعدتك\#tthanks
        شكرا لك، هذا لطف كبير\#tthanks
        非常感谢\#tthanks
        谢谢你的帮助\#tthanks
        太感谢了，谢谢\#tthanks
        ขอบคุณมากครับ\#tthanks
        ขอบคุณที่ช่วยนะคะ\#tthanks
        ขอบคุณมากสำหรับความช่วยเหลือ\#tthanks
        book me a flight to Paris\#tbook_flight
        I need a flight from London to New York next Friday\#tbook_flight
        reserve two seats on the morning flight to Tokyo\#tbook_flight
        quiero reservar un vuelo a Madrid\#tbook_flight
        necesito un vuelo para Barcelona el lunes\#tbook_flight
        resérvame un vuelo de ida y vuelta a Lima\#tbook_flight
        je voudrais réserver un vol pour Lyon\#tbook_flight
        trouve-moi un vol pour Montréal demain\#tbook_flight
        réserve un vol aller-retour pour Genève\#tbook_flight
        buche einen Flug nach Berlin\#tbook_flight
        ich brauche einen Flug nach Wien für Montag\#tbook_flight
        reserviere mir einen Flug nach Zürich, hin und zurück\#tbook_flight
        забронируй билет на самолёт до Москвы\#tbook_flight
        хочу купить билет на самолёт в Санкт-Петербург\#tbook_flight
        найди мне билет на самолёт в Казань\#tbook_flight
        أريد حجز رحلة طيران إلى دبي\#tbook_flight
        احجز لي رحلة طيران إلى القاهرة\#tbook_flight
        أحتاج تذكرة طيران إلى عمان يوم الاثنين\#tbook_flight
        帮我订一张去北京的机票\#tbook_flight
        我想预订明天去上海的机票\#tbook_flight
        订两张下周去成都的机票\#tbook_flight
        จองตั๋วเครื่องบินไปเชียงใหม่\#tbook_flight
        ช่วยจองตั๋วเครื่องบินไปภูเก็ตวันศุกร์\#tbook_flight
        อยากจองเที่ยวบินไปกรุงเทพพรุ่งนี้\#tbook_flight
        what's the weather like today?\#tcheck_weather
        what will the weather be tomorrow in Seattle?\#tcheck_weather
        show me the weather forecast for the weekend\#tcheck_weather
        ¿qué tiempo hace hoy?\#tcheck_weather
        ¿qué tiempo hará mañana en Sevilla?\#tcheck_weather
        dime el pronóstico del tiempo para el fin de semana\#tcheck_weather
        quel temps fait-il aujourd'hui ?\#tcheck_weather
        quel temps fera-t-il demain ?\#tcheck_weather
        donne-moi la météo du week-end\#tcheck_weather
        wie ist das Wetter heute?\#tcheck_weather
        wie wird das Wetter morgen in Hamburg?\#tcheck_weather
        zeig mir die Wettervorhersage für das Wochenende\#tcheck_weather
        какая сегодня погода?\#tcheck_weather
        какая погода будет завтра?\#tcheck_weather
        покажи прогноз погоды на выходные\#tcheck_weather
        كيف حال الطقس اليوم؟\#tcheck_weather
        كيف سيكون الطقس غدا؟\#tcheck_weather
        ما هي توقعات الطقس لعطلة نهاية الأسبوع؟\#tcheck_weather
        今天天气怎么样？\#tcheck_weather
        明天北京的天气会下雨吗？\#tcheck_weather
        周末的天气预报怎么样\#tcheck_weather
        วันนี้อากาศเป็นอย่างไร\#tcheck_weather
        พรุ่งนี้อากาศจะดีไหม\#tcheck_weather
        พยากรณ์อากาศสุดสัปดาห์นี้เป็นอย่างไร\#tcheck_weather
        order a large pepperoni pizza for dinner\#torder_food
        I'd like some food delivered, maybe sushi\#torder_food
        order me some food, a burger and fries\#torder_food
        pide una pizza grande para cenar\#torder_food
        quiero pedir comida china a domicilio\#torder_food
        pide comida para llevar, dos hamburguesas\#torder_food
        je veux une pizza livrée ce soir\#torder_food
        je veux me faire livrer à manger, des sushis\#torder_food
        fais-moi livrer à manger pour le dîner\#torder_food
        bestell mir eine Pizza zum Abendessen\#torder_food
        ich möchte Essen liefern lassen, Sushi bitte\#torder_food
        bestell Essen beim Thai-Restaurant\#torder_food
        закажи пиццу на ужин\#torder_food
        хочу заказать еду с доставкой, суши\#torder_food
        закажи еду: два бургера и картошку фри\#torder_food
        اطلب لي وجبة بيتزا كبيرة\#torder_food
        أحضر لي وجبة شاورما للعشاء\#torder_food
        اطلب وجبة طعام توصيل إلى المنزل\#torder_food
        点一份披萨外卖\#torder_food
        我想叫一份寿司外卖当晚饭\#torder_food
        点个外卖，要两个汉堡\#torder_food
        สั่งพิซซ่ามาส่งที่บ้าน\#torder_food
        อยากสั่งข้าวผัดกะเพรามาส่งที่บ้าน\#torder_food
        สั่งอาหารเย็นมาส่งที่บ้าน\#torder_food
        cancel my order\#tcancel_order
        I want to cancel the purchase I made yesterday\#tcancel_order
        please cancel my last order, I don't need it anymore\#tcancel_order
        cancela mi pedido\#tcancel_order
        quiero cancelar la compra de ayer\#tcancel_order
        ya no necesito el pedido, cancélalo por favor\#tcancel_order
        annule ma commande\#tcancel_order
        je souhaite annuler mon achat d'hier\#tcancel_order
        annulez ma dernière commande, s'il vous plaît\#tcancel_order
        storniere meine Bestellung\#tcancel_order
        ich möchte den Kauf von gestern stornieren\#tcancel_order
        bitte die letzte Bestellung stornieren\#tcancel_order
        отмени мой заказ\#tcancel_order
        хочу отменить вчерашнюю покупку\#tcancel_order
        пожалуйста, отмените последний заказ\#tcancel_order
        أريد إلغاء طلبي من فضلك\#tcancel_order
        قم بإلغاء الطلب الذي أرسلته أمس\#tcancel_order
        إلغاء الطلب الأخير، لم أعد بحاجة إليه\#tcancel_order
        取消我的订单\#tcancel_order
        我想取消昨天下的订单\#tcancel_order
        请帮我取消最后一个订单\#tcancel_order
        ยกเลิกคำสั่งซื้อของฉัน\#tcancel_order
        ช่วยยกเลิกคำสั่งซื้อเมื่อวาน\#tcancel_order
        ขอยกเลิกคำสั่งซื้อล่าสุด\#tcancel_order
        where is my package?\#ttrack_order
        track my order please, where is it?\#ttrack_order
        when will my package arrive?\#ttrack_order
        ¿dónde está mi paquete?\#ttrack_order
        ¿dónde está mi pedido? quiero saber el estado\#ttrack_order
        ¿cuándo llega mi paquete?\#ttrack_order
        où est mon colis ?\#ttrack_order
        où en est ma commande ? je veux suivre la livraison\#ttrack_order
        quand mon colis va-t-il arriver ?\#ttrack_order
        wo ist mein Paket?\#ttrack_order
        verfolge meine Sendung, wo ist sie gerade?\#ttrack_order
        wann kommt mein Paket an?\#ttrack_order
        где моя посылка?\#ttrack_order
        отследи мой заказ, где он сейчас?\#ttrack_order
        когда привезут мою посылку?\#ttrack_order
        أين طردي؟\#ttrack_order
        متى سيصل طردي؟\#ttrack_order
        أين طلبي الآن؟ أريد تتبع الشحنة\#ttrack_order
        我的快递到哪里了？\#ttrack_order
        帮我查一下快递什么时候到\#ttrack_order
        我的快递到哪了？查一下物流\#ttrack_order
        พัสดุของฉันอยู่ที่ไหน\#ttrack_order
        พัสดุของฉันจะมาถึงเมื่อไหร่\#ttrack_order
        ช่วยติดตามพัสดุของฉัน\#ttrack_order
        play some jazz music\#tplay_music
        put on my workout playlist\#tplay_music
        I want to listen to some relaxing music\#tplay_music
        pon música relajante\#tplay_music
        reproduce mi lista de música favorita\#tplay_music
        quiero escuchar algo de música salsa\#tplay_music
        joue de la musique classique\#tplay_music
        mets ma playlist de musique préférée\#tplay_music
        je veux écouter de la musique\#tplay_music
        spiel etwas Rockmusik\#tplay_music
        ich möchte Musik von den Beatles hören\#tplay_music
        spiel Musik zum Entspannen\#tplay_music
        включи музыку\#tplay_music
        включи музыку для бега\#tplay_music
        хочу послушать джаз, включи музыку\#tplay_music
        شغل بعض الموسيقى\#tplay_music
        أريد الاستماع إلى الموسيقى الهادئة\#tplay_music
        شغل موسيقى وأغاني فيروز\#tplay_music
        播放一些轻音乐\#tplay_music
        我想听周杰伦的歌，播放音乐吧\#tplay_music
        放点音乐听听吧\#tplay_music
        เปิดเพลงให้ฟังที\#tplay_music
        อยากฟังเพลงแจ๊ส เปิดเพลงเลย\#tplay_music
        เปิดเพลงสบายๆ ฟังหน่อย\#tplay_music
        set an alarm for 7 am\#tset_alarm
        wake me up at six thirty tomorrow, set an alarm\#tset_alarm
        create an alarm for noon\#tset_alarm
        pon una alarma a las siete\#tset_alarm
        despiértame mañana a las seis y media con una alarma\#tset_alarm
        programa la alarma para las 8\#tset_alarm
        mets un réveil à 7 heures\#tset_alarm
        réveille-moi demain à six heures\#tset_alarm
        règle le réveil sur 8 heures\#tset_alarm
        stell einen Wecker auf 7 Uhr\#tset_alarm
        weck mich morgen um halb sieben mit dem Wecker\#tset_alarm
        Wecker für 8 Uhr stellen\#tset_alarm
        поставь будильник на семь утра\#tset_alarm
        разбуди меня завтра в шесть тридцать, поставь будильник\#tset_alarm
        установи будильник на 8:00\#tset_alarm
        اضبط المنبه على الساعة السابعة\#tset_alarm
        اضبط المنبه ليوقظني غدا في السادسة صباحا\#tset_alarm
        أيقظني بالمنبه عند الثامنة\#tset_alarm
        设置一个早上七点的闹钟\#tset_alarm
        明天六点半叫醒我，定个闹钟\#tset_alarm
        帮我定一个八点的闹钟\#tset_alarm
        ตั้งนาฬิกาปลุกตอนเจ็ดโมงเช้า\#tset_alarm
        ปลุกฉันตอนหกโมงครึ่งพรุ่งนี้ ตั้งนาฬิกาปลุกด้วย\#tset_alarm
        ตั้งนาฬิกาปลุกตอนแปดโมง\#tset_alarm
        book a flight to Rome and tell me the weather there\#tbook_flight+check_weather
        I need a flight to Denver, what's the weather there this weekend?\#tbook_flight+check_weather
        find flights to Miami and check if the weather will be sunny\#tbook_flight+check_weather
        resérvame un vuelo a Cancún y dime qué tiempo hará\#tbook_flight+check_weather
        réserve un vol pour Nice et donne-moi la météo\#tbook_flight+check_weather
        buche einen Flug nach München und sag mir, wie das Wetter dort wird\#tbook_flight+check_weather
        забронируй рейс в Сочи и скажи, какая там погода\#tbook_flight+check_weather
        احجز رحلة إلى جدة وأخبرني عن حالة الطقس هناك\#tbook_flight+check_weather
        订去广州的机票，再查一下那边的天气\#tbook_flight+check_weather
        จองเที่ยวบินไปกระบี่และบอกสภาพอากาศที่นั่นด้วย\#tbook_flight+check_weather
        """#

    /// Sentences about none of the intents, in several languages: for the `<unknown>` demo and tests.
    public static let oodSentences: [String] = [
        "what is the capital of Australia?",
        "explain quantum entanglement in simple terms",
        "my cat keeps knocking things off the table",
        "how many calories are in an avocado?",
        "write a short poem about the ocean",
        "what's the square root of 144?",
        "recommend a good book about ancient history",
        "¿quién ganó la copa del mundo en 2010?",
        "el precio de la gasolina subió otra vez",
        "la photosynthèse transforme la lumière en énergie",
        "wie funktioniert eine Wärmepumpe?",
        "сколько лет живут черепахи?",
        "ما هي عاصمة أستراليا؟",
        "量子计算机是如何工作的？",
        "ช้างกินอะไรเป็นอาหาร",
    ]

    /// The examples of `tsv`, in order, each with its line as source (`<built-in>:N`).
    public static func examples() -> [LabeledExample] {
        var examples: [LabeledExample] = []
        for (index, line) in tsv.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let fields = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            guard fields.count == 2 else { continue }
            let source = SourceLocation(file: sourceName, line: index + 1)
            examples.append(LabeledExample(text: String(fields[0]), label: String(fields[1]), source: source))
        }
        return examples
    }
}
