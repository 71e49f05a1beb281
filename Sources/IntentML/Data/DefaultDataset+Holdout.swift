/// Sentences of the built-in dataset's intents and languages that no built-in model is trained on, with
/// out-of-domain ones labelled `<unknown>`: what `intent evaluate` scores without `--data`, so the demo's
/// figures are of sentences the model never saw (scoring the training sentences themselves said 99% where
/// validation said 87%).
extension DefaultDataset {
    /// The source-file name of the hold-out examples.
    public static let holdoutSourceName = "<built-in hold-out>"

    /// The hold-out set as TSV (`text<TAB>label`), written apart from `tsv` and from `oodSentences`.
    public static let holdoutTSV: String = #"""
        hello, nice to meet you\#tgreeting
        buenas noches, hola\#tgreeting
        bonjour à tous\#tgreeting
        привет всем\#tgreeting
        goodbye, talk to you later\#tgoodbye
        adiós, hasta pronto\#tgoodbye
        au revoir et bonne soirée\#tgoodbye
        tschüss, bis morgen\#tgoodbye
        thanks a lot for your help\#tthanks
        muchas gracias por todo\#tthanks
        merci beaucoup pour l'aide\#tthanks
        спасибо большое\#tthanks
        book a flight to Chicago next Monday\#tbook_flight
        quiero reservar un vuelo a Sevilla\#tbook_flight
        je voudrais réserver un vol pour Nice\#tbook_flight
        забронируй рейс в Казань\#tbook_flight
        what's the weather like in Boston today?\#tcheck_weather
        ¿qué tiempo hace en Valencia?\#tcheck_weather
        wie ist das Wetter in Hamburg?\#tcheck_weather
        какая погода в Сочи?\#tcheck_weather
        order a large pepperoni pizza\#torder_food
        quiero pedir comida china\#torder_food
        je veux commander des sushis\#torder_food
        закажи еду на дом\#torder_food
        cancel my last order please\#tcancel_order
        cancela mi pedido, por favor\#tcancel_order
        annulez ma commande\#tcancel_order
        отмени мой заказ\#tcancel_order
        where is my order right now?\#ttrack_order
        ¿dónde está mi pedido?\#ttrack_order
        wo ist meine Bestellung?\#ttrack_order
        где мой заказ?\#ttrack_order
        play some relaxing music\#tplay_music
        pon música para bailar\#tplay_music
        joue de la musique classique\#tplay_music
        включи музыку погромче\#tplay_music
        set an alarm for 7 am\#tset_alarm
        pon una alarma a las seis\#tset_alarm
        mets un réveil à huit heures\#tset_alarm
        поставь будильник на семь\#tset_alarm
        book a flight to Oslo and tell me the weather there\#tbook_flight+check_weather
        reserva un vuelo a Bilbao y dime el tiempo allí\#tbook_flight+check_weather
        how do airplanes stay in the air?\#t<unknown>
        what year did the Roman empire fall?\#t<unknown>
        ¿cuántas patas tiene una araña?\#t<unknown>
        pourquoi le ciel est-il bleu ?\#t<unknown>
        wie hoch ist der Mount Everest?\#t<unknown>
        кто написал войну и мир?\#t<unknown>
        """#

    /// The hold-out examples, in order, each with its line as source.
    public static func holdoutExamples() -> [LabeledExample] {
        holdoutTSV.split(separator: "\n").enumerated().compactMap { index, line in
            let fields = line.split(separator: "\t", maxSplits: 1)
            guard fields.count == 2 else { return nil }
            return LabeledExample(text: String(fields[0]), label: String(fields[1]), source: SourceLocation(file: holdoutSourceName, line: index + 1))
        }
    }
}
