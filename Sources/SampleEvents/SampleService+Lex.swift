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
                intent: "CheckBalance",
                slots: [("dateofBirth", "01/01/1990", "1990-01-01"), ("accountType", "savings", "Savings")],
                transcript: "01/01/1990",
                source: "FulfillmentCodeHook"
            ),
            .lexV2(
                "book-car",
                "Lex V2 BookCar dialog code hook",
                bot: "BookTrip",
                intent: "BookCar",
                slots: [("PickUpCity", "chicago", "Chicago"), ("CarType", "economy", "economy")],
                transcript: "book a car in chicago",
                source: "DialogCodeHook"
            ),
            .lexV2(
                "book-hotel",
                "Lex V2 BookHotel dialog code hook",
                bot: "BookTrip",
                intent: "BookHotel",
                slots: [("Location", "chicago", "Chicago"), ("Nights", "two", "2")],
                transcript: "book a hotel in chicago for two nights",
                source: "DialogCodeHook"
            ),
        ]
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
    static func lexV2(
        _ name: String,
        _ summary: String,
        bot: String,
        intent: String,
        slots: [(String, String, String)],
        transcript: String,
        source: String
    ) -> SampleEvent {
        SampleEvent(name, summary) { _ in
            let slotValues: EventJSON = .object(
                slots.map {
                    (
                        $0.0,
                        [
                            "shape": "Scalar",
                            "value": [
                                "originalValue": .string($0.1), "resolvedValues": [.string($0.2)],
                                "interpretedValue": .string($0.2),
                            ],
                        ]
                    )
                }
            )
            let state = source == "FulfillmentCodeHook" ? "ReadyForFulfillment" : "InProgress"
            let intentValue: EventJSON = [
                "name": .string(intent), "slots": slotValues, "state": .string(state), "confirmationState": "None",
            ]
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
                "interpretations": [
                    ["intent": intentValue, "nluConfidence": 1.0],
                    [
                        "intent": [
                            "name": "FallbackIntent", "slots": [:], "state": .string(state),
                            "confirmationState": "None",
                        ]
                    ],
                ],
                "proposedNextState": .null,
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
                        "resolvedContext": ["intent": .string(intent)],
                        "resolvedSlots": [:],
                    ]
                ],
            ]
        }
    }
}
