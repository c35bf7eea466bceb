/// Alexa Skills Kit requests and Alexa Smart Home (v2) directives.
extension SampleService {
    static let alexaSkillsKit = SampleService(
        "alexa-skills-kit",
        "Alexa Skills Kit",
        events: [
            .alexa("end-session", "Alexa SessionEndedRequest", request: .sessionEnded),
            .alexa(
                "intent-answer",
                "Alexa IntentRequest for AnswerIntent",
                request: .intent("AnswerIntent", [("Answer", "1")]),
                attributes: triviaSessionAttributes
            ),
            .alexa(
                "intent-getnewfact",
                "Alexa IntentRequest for GetNewFactIntent",
                request: .intent("GetNewFactIntent", [])
            ),
            .alexa(
                "intent-mycoloris",
                "Alexa IntentRequest for MyColorIsIntent",
                request: .intent("MyColorIsIntent", [("Color", "blue")])
            ),
            .alexa(
                "intent-recipe",
                "Alexa IntentRequest for RecipeIntent",
                request: .intent("RecipeIntent", [("Item", "snowball")])
            ),
            .alexa("start-session", "Alexa LaunchRequest", request: .launch),
        ]
    )

    static let alexaSmartHome = SampleService(
        "alexa-smart-home",
        "Alexa Smart Home (payload version 2)",
        events: [
            .smartHome(
                "smart-home-control-turn-off-request",
                "Alexa Smart Home TurnOffRequest",
                namespace: "Alexa.ConnectedHome.Control",
                directive: "TurnOffRequest",
                withAppliance: true
            ),
            .smartHome(
                "smart-home-control-turn-on-request",
                "Alexa Smart Home TurnOnRequest",
                namespace: "Alexa.ConnectedHome.Control",
                directive: "TurnOnRequest",
                withAppliance: true
            ),
            .smartHome(
                "smart-home-discovery-request",
                "Alexa Smart Home DiscoverAppliancesRequest",
                namespace: "Alexa.ConnectedHome.Discovery",
                directive: "DiscoverAppliancesRequest",
                withAppliance: false
            ),
        ]
    )
}

/// The session attributes of SAM's `intent-answer` event: a trivia game's state between turns.
private let triviaSessionAttributes: EventJSON = {
    let question = "Question 1. What was Rudolph's father's name? 1. Blixen. 2. Comet. 3. Donner. 4. Dasher. "
    return [
        "score": 0,
        "currentQuestionIndex": 0,
        "speechOutput": .string(question),
        "correctAnswerText": "Donner",
        "repromptText": .string(question),
        "questions": [16, 20, 29, 2, 19],
        "STATE": "_TRIVIAMODE",
        "correctAnswerIndex": 3,
    ]
}()

/// The kind of Alexa Skills Kit request.
enum AlexaRequest {
    case launch
    case sessionEnded
    case intent(String, [(String, String)])
}

extension SampleEvent {
    /// An Alexa Skills Kit request envelope.
    static func alexa(
        _ name: String,
        _ summary: String,
        request: AlexaRequest,
        attributes: EventJSON = [:]
    ) -> SampleEvent {
        SampleEvent(
            name,
            summary,
            options: [
                SampleOption("session-id", default: "123456789012", help: "Session ID suffix"),
                SampleOption("user-id", default: "testUser", help: "User ID suffix"),
                SampleOption("application-id", default: "987654321", help: "Skill application ID suffix"),
                SampleOption("request-id", default: "1234", help: "Request ID suffix"),
            ]
        ) { v in
            let isNew: Bool
            let timestamp: String
            var body: [(String, EventJSON)]
            switch request {
            case .launch:
                isNew = true
                timestamp = "2016-10-27T18:21:44Z"
                body = [("type", "LaunchRequest")]
            case .sessionEnded:
                isNew = false
                timestamp = "2016-10-27T21:11:41Z"
                body = [("type", "SessionEndedRequest")]
            case .intent:
                isNew = false
                timestamp = "2016-10-27T21:06:28Z"
                body = [("type", "IntentRequest")]
            }
            body += [
                ("requestId", "amzn1.echo-api.request.\(v["request-id"])"),
                ("timestamp", .string(timestamp)),
                ("locale", "en-US"),
            ]
            switch request {
            case .launch: break
            case .sessionEnded: body.append(("reason", "USER_INITIATED"))
            case .intent(let intent, let slots):
                body.append(
                    (
                        "intent",
                        [
                            "name": .string(intent),
                            "slots": .object(slots.map { ($0.0, ["name": .string($0.0), "value": .string($0.1)]) }),
                        ]
                    )
                )
            }
            let application: EventJSON = ["applicationId": "amzn1.ask.skill.\(v["application-id"])"]
            let user: EventJSON = ["userId": "amzn1.ask.account.\(v["user-id"])"]
            var context: [(String, EventJSON)] = []
            if case .sessionEnded = request {
                // As in SAM's template: a SessionEndedRequest carries no AudioPlayer state.
            } else {
                context.append(("AudioPlayer", ["playerActivity": "IDLE"]))
            }
            context.append(
                (
                    "System",
                    [
                        "application": application,
                        "user": user,
                        "device": ["supportedInterfaces": ["AudioPlayer": [:]]],
                    ]
                )
            )
            return [
                "version": "1.0",
                "session": [
                    "new": .bool(isNew),
                    "sessionId": "amzn1.echo-api.session.\(v["session-id"])",
                    "application": application,
                    "attributes": attributes,
                    "user": user,
                ],
                "context": .object(context),
                "request": .object(body),
            ]
        }
    }

    /// An Alexa Smart Home v2 directive.
    static func smartHome(
        _ name: String,
        _ summary: String,
        namespace: String,
        directive: String,
        withAppliance: Bool
    )
        -> SampleEvent
    {
        SampleEvent(name, summary) { _ in
            var payload: [(String, EventJSON)] = [("accessToken", "example-access-token")]
            if withAppliance {
                payload.append(
                    (
                        "appliance",
                        ["additionalApplianceDetails": [:], "applianceId": "example-appliance-id"]
                    )
                )
            }
            return [
                "header": [
                    "messageId": "01ebf625-0b89-4c4d-b3aa-32340e894688",
                    "name": .string(directive),
                    "namespace": .string(namespace),
                    "payloadVersion": "2",
                ],
                "payload": .object(payload),
            ]
        }
    }
}
