/// Amazon Lex (V1) code hook events and Lex V2 code hook events.
extension SampleService {
    static let lex = SampleService(
        "lex",
        "Amazon Lex (V1)",
        events: [
            .lexV1(
                "book-car",
                "Lex BookCar dialog code hook",
                bot: "BookTrip",
                intent: "BookCar",
                slots: [
                    ("PickUpCity", "Chicago"), ("PickUpDate", "2030-11-08"), ("ReturnDate", "2030-11-10"),
                    ("DriverAge", "34"), ("CarType", "economy"),
                ],
                transcript: "book a car in Chicago"
            ),
            .lexV1(
                "book-hotel",
                "Lex BookHotel dialog code hook",
                bot: "BookTrip",
                intent: "BookHotel",
                slots: [
                    ("Location", "Chicago"), ("CheckInDate", "2030-11-08"), ("Nights", "2"), ("RoomType", "queen"),
                ],
                transcript: "book a hotel in Chicago"
            ),
            .lexV1(
                "make-appointment",
                "Lex MakeAppointment dialog code hook",
                bot: "MakeAppointment",
                intent: "MakeAppointment",
                slots: [("AppointmentType", "whitening"), ("Date", "2030-09-15"), ("Time", "10:00")],
                transcript: "i would like to book a whitening"
            ),
            .lexV1(
                "order-flowers",
                "Lex OrderFlowers dialog code hook",
                bot: "OrderFlowers",
                intent: "OrderFlowers",
                slots: [("FlowerType", "roses"), ("PickupDate", "2030-10-01"), ("PickupTime", "10:00")],
                transcript: "i would like to order some roses"
            ),
        ]
    )

    static let lexV2 = SampleService(
        "lex-v2",
        "Amazon Lex V2",
        events: [
            .lexV2(
                "banking-bot",
                "Lex V2 BankingBot CheckBalance fulfillment",
                bot: "BankingBot",
                intent: LexV2Intent(
                    "CheckBalance",
                    slots: [
                        ("dateofBirth", ("01/01/1990", "1990-01-01")), ("accountType", ("savings", "Savings")),
                    ]
                ),
                alternatives: [(LexV2Intent("Welcome", slots: []), 0.23)],
                transcript: "01/01/1990",
                source: "FulfillmentCodeHook",
                resolvedSlot: "dateofBirth"
            ),
            .lexV2(
                "book-car",
                "Lex V2 BookCar dialog code hook",
                bot: "BookTrip",
                intent: bookCarIntent(
                    pickUpCity: ("chicago", "Chicago"),
                    carType: ("economy", "economy")
                ),
                alternatives: [(bookHotelIntent(), 0.51)],
                transcript: "book a car in chicago",
                source: "DialogCodeHook",
                slotToElicit: "PickUpDate"
            ),
            .lexV2(
                "book-hotel",
                "Lex V2 BookHotel dialog code hook",
                bot: "BookTrip",
                intent: bookHotelIntent(location: ("chicago", "Chicago"), nights: ("two", "2")),
                alternatives: [(bookCarIntent(), 0.42)],
                transcript: "book a hotel in chicago for two nights",
                source: "DialogCodeHook",
                slotToElicit: "CheckInDate"
            ),
        ]
    )
}

/// A filled Lex V2 slot: what the user said and the value Lex resolved it to.
typealias LexV2SlotValue = (original: String, interpreted: String)

/// A Lex V2 intent: its name and every slot, with the value of the filled ones (nil for the slots not filled yet,
/// which Lex sends as null).
struct LexV2Intent: Sendable {
    var name: String
    var slots: [(String, LexV2SlotValue?)]

    init(_ name: String, slots: [(String, LexV2SlotValue?)]) {
        self.name = name
        self.slots = slots
    }
}

/// The BookTrip bot's BookCar intent (slots as SAM's event lists them).
private func bookCarIntent(
    pickUpCity: LexV2SlotValue? = nil,
    carType: LexV2SlotValue? = nil
) -> LexV2Intent {
    LexV2Intent(
        "BookCar",
        slots: [
            ("ReturnDate", nil), ("PickUpDate", nil), ("DriverAge", nil), ("CarType", carType),
            ("PickUpCity", pickUpCity),
        ]
    )
}

/// The BookTrip bot's BookHotel intent (slots as SAM's event lists them).
private func bookHotelIntent(location: LexV2SlotValue? = nil, nights: LexV2SlotValue? = nil) -> LexV2Intent {
    LexV2Intent(
        "BookHotel",
        slots: [("RoomType", nil), ("CheckInDate", nil), ("Nights", nights), ("Location", location)]
    )
}

extension SampleEvent {
    /// A Lex V1 code hook input event (message version 1.0).
    static func lexV1(
        _ name: String,
        _ summary: String,
        bot: String,
        intent: String,
        slots: [(String, String)],
        transcript: String
    ) -> SampleEvent {
        SampleEvent(name, summary) { _ in
            [
                "currentIntent": [
                    "name": .string(intent),
                    "slots": .object(slots.map { ($0.0, .string($0.1)) }),
                    "slotDetails": .object(
                        slots.map {
                            ($0.0, ["resolutions": [["value": .string($0.1)]], "originalValue": .string($0.1)])
                        }
                    ),
                    "confirmationStatus": "None",
                ],
                "bot": ["name": .string(bot), "alias": "$LATEST", "version": "$LATEST"],
                "userId": "John",
                "inputTranscript": .string(transcript),
                "invocationSource": "DialogCodeHook",
                "outputDialogMode": "Text",
                "messageVersion": "1.0",
                "sessionAttributes": [:],
                "requestAttributes": .null,
            ]
        }
    }

    /// A Lex V2 code hook input event (message version 1.0).
    /// - Parameters:
    ///   - intent: the recognised intent, in `interpretations` first and in `sessionState`.
    ///   - alternatives: other intents with their NLU confidence, listed before `FallbackIntent`.
    ///   - slotToElicit: for a dialog code hook, the slot Lex proposes to ask for next (`proposedNextState`).
    ///   - resolvedSlot: a slot the last utterance filled, listed in the transcription's `resolvedSlots`.
    static func lexV2(
        _ name: String,
        _ summary: String,
        bot: String,
        intent: LexV2Intent,
        alternatives: [(LexV2Intent, Double)],
        transcript: String,
        source: String,
        slotToElicit: String? = nil,
        resolvedSlot: String? = nil
    ) -> SampleEvent {
        SampleEvent(name, summary) { _ in
            let state = source == "FulfillmentCodeHook" ? "ReadyForFulfillment" : "InProgress"
            func slotValue(_ value: LexV2SlotValue, interpreted: Bool = true) -> EventJSON {
                var inner: [(String, EventJSON)] = [
                    ("originalValue", .string(value.original)), ("resolvedValues", [.string(value.interpreted)]),
                ]
                if interpreted { inner.append(("interpretedValue", .string(value.interpreted))) }
                return ["shape": "Scalar", "value": .object(inner)]
            }
            func intentJSON(_ intent: LexV2Intent) -> EventJSON {
                [
                    "name": .string(intent.name),
                    "slots": .object(intent.slots.map { slot in (slot.0, slot.1.map { slotValue($0) } ?? .null) }),
                    "state": .string(state),
                    "confirmationState": "None",
                ]
            }
            let intentValue = intentJSON(intent)
            var interpretations: [EventJSON] = [["intent": intentValue, "nluConfidence": 1.0]]
            interpretations += alternatives.map { ["intent": intentJSON($0.0), "nluConfidence": .double($0.1)] }
            interpretations.append(
                [
                    "intent": [
                        "name": "FallbackIntent", "slots": [:], "state": .string(state), "confirmationState": "None",
                    ]
                ]
            )
            let proposedNextState: EventJSON =
                slotToElicit.map {
                    ["intent": intentValue, "dialogAction": ["slotToElicit": .string($0), "type": "ElicitSlot"]]
                } ?? .null
            let resolvedSlots: [(String, EventJSON)] = intent.slots.compactMap { slot in
                guard slot.0 == resolvedSlot, let value = slot.1 else { return nil }
                return (slot.0, slotValue(value, interpreted: false))
            }
            return [
                "messageVersion": "1.0",
                "invocationSource": .string(source),
                "inputMode": "Text",
                "responseContentType": "text/plain; charset=utf-8",
                "sessionId": "254688924456798",
                "inputTranscript": .string(transcript),
                "bot": [
                    "id": "J866BA0UQC", "name": .string(bot), "aliasId": "TSTALIASID", "aliasName": "TestBotAlias",
                    "localeId": "en_US", "version": "DRAFT",
                ],
                "interpretations": .array(interpretations),
                "proposedNextState": proposedNextState,
                "requestAttributes": [:],
                "sessionState": [
                    "activeContexts": [],
                    "sessionAttributes": [:],
                    "intent": intentValue,
                    "originatingRequestId": "f57dfc3f-44be-4df9-ae72-9681fc14e67f",
                ],
                "transcriptions": [
                    [
                        "transcription": .string(transcript),
                        "transcriptionConfidence": 1.0,
                        "resolvedContext": ["intent": .string(intent.name)],
                        "resolvedSlots": .object(resolvedSlots),
                    ]
                ],
            ]
        }
    }
}
