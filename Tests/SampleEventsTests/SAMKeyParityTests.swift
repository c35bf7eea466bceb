import Foundation
import Testing

@testable import SampleEvents

/// The keys of `sam local generate-event`'s templates (samcli/lib/generated_sample_events/events) that our events
/// lacked, listed here from SAM's files (leaf paths; `[]` is any array element, `(json)` a JSON document held in a
/// string), and `apigateway aws-proxy --querystringparameters`.
struct SAMKeyParityTests {
    struct Case: Sendable, CustomStringConvertible {
        var service: String
        var event: String
        var paths: [String]
        init(_ service: String, _ event: String, _ paths: [String]) {
            self.service = service
            self.event = event
            self.paths = paths
        }
        var description: String { "\(service) \(event)" }
    }

    /// Every key path of SAM's template for the events fixed to match it, except where SAM differs from AWS:
    /// - `alexa-skills-kit intent-answer`: SAM keys its slot `Item` though the slot's name is `Answer`; Alexa keys
    ///   slots by name, so ours is `request.intent.slots.Answer` (checked below).
    /// - `config item-change-notification`: SAM's `<Foo>`/`<foo>`/`<exampleKey>` placeholder keys in `tags`,
    ///   `configuration` and `ruleParameters` are free-form data; ours are `Foo`, `foo` and `myParameterKey`.
    static let cases: [Case] = [
        Case("alexa-skills-kit", "end-session", [
            "version", "session.new", "session.sessionId", "session.application.applicationId", "session.attributes",
            "session.user.userId", "context.System.application.applicationId", "context.System.user.userId",
            "context.System.device.supportedInterfaces.AudioPlayer", "request.type", "request.requestId",
            "request.timestamp", "request.locale", "request.reason",
        ]),
        Case("alexa-skills-kit", "intent-answer", [
            "version", "session.new", "session.sessionId", "session.application.applicationId",
            "session.attributes.score", "session.attributes.currentQuestionIndex", "session.attributes.speechOutput",
            "session.attributes.correctAnswerText", "session.attributes.repromptText", "session.attributes.questions",
            "session.attributes.STATE", "session.attributes.correctAnswerIndex", "session.user.userId",
            "context.AudioPlayer.playerActivity", "context.System.application.applicationId",
            "context.System.user.userId", "context.System.device.supportedInterfaces.AudioPlayer", "request.type",
            "request.requestId", "request.timestamp", "request.locale", "request.intent.name", "request.intent.slots",
        ]),
        Case("alexa-skills-kit", "intent-getnewfact", [
            "version", "session.new", "session.sessionId", "session.application.applicationId", "session.attributes",
            "session.user.userId", "context.AudioPlayer.playerActivity", "context.System.application.applicationId",
            "context.System.user.userId", "context.System.device.supportedInterfaces.AudioPlayer", "request.type",
            "request.requestId", "request.timestamp", "request.locale", "request.intent.name", "request.intent.slots",
        ]),
        Case("alexa-skills-kit", "intent-mycoloris", [
            "version", "session.new", "session.sessionId", "session.application.applicationId", "session.attributes",
            "session.user.userId", "context.AudioPlayer.playerActivity", "context.System.application.applicationId",
            "context.System.user.userId", "context.System.device.supportedInterfaces.AudioPlayer", "request.type",
            "request.requestId", "request.timestamp", "request.locale", "request.intent.name",
            "request.intent.slots.Color.name", "request.intent.slots.Color.value",
        ]),
        Case("alexa-skills-kit", "intent-recipe", [
            "version", "session.new", "session.sessionId", "session.application.applicationId", "session.attributes",
            "session.user.userId", "context.AudioPlayer.playerActivity", "context.System.application.applicationId",
            "context.System.user.userId", "context.System.device.supportedInterfaces.AudioPlayer", "request.type",
            "request.requestId", "request.timestamp", "request.locale", "request.intent.name",
            "request.intent.slots.Item.name", "request.intent.slots.Item.value",
        ]),
        Case("alexa-skills-kit", "start-session", [
            "version", "session.new", "session.sessionId", "session.application.applicationId", "session.user.userId",
            "session.attributes", "context.AudioPlayer.playerActivity", "context.System.application.applicationId",
            "context.System.user.userId", "context.System.device.supportedInterfaces.AudioPlayer", "request.type",
            "request.requestId", "request.timestamp", "request.locale",
        ]),
        Case("apigateway", "request-authorizer", [
            "type", "methodArn", "resource", "path", "httpMethod", "headers.X-AMZ-Date", "headers.Accept",
            "headers.HeaderAuth1", "headers.CloudFront-Viewer-Country", "headers.CloudFront-Forwarded-Proto",
            "headers.CloudFront-Is-Tablet-Viewer", "headers.CloudFront-Is-Mobile-Viewer", "headers.User-Agent",
            "queryStringParameters.QueryString1", "pathParameters", "stageVariables.StageVar1", "requestContext.path",
            "requestContext.accountId", "requestContext.resourceId", "requestContext.stage",
            "requestContext.requestId", "requestContext.identity.apiKey", "requestContext.identity.sourceIp",
            "requestContext.identity.clientCert.clientCertPem", "requestContext.identity.clientCert.subjectDN",
            "requestContext.identity.clientCert.issuerDN", "requestContext.identity.clientCert.serialNumber",
            "requestContext.identity.clientCert.validity.notBefore",
            "requestContext.identity.clientCert.validity.notAfter", "requestContext.resourcePath",
            "requestContext.httpMethod", "requestContext.apiId",
        ]),
        Case("appsync", "resolver", [
            "arguments.id", "identity.claims.sub", "identity.claims.email_verified", "identity.claims.iss",
            "identity.claims.phone_number_verified", "identity.claims.cognito:username", "identity.claims.aud",
            "identity.claims.event_id", "identity.claims.token_use", "identity.claims.auth_time",
            "identity.claims.phone_number", "identity.claims.exp", "identity.claims.iat", "identity.claims.email",
            "identity.defaultAuthStrategy", "identity.groups", "identity.issuer", "identity.sourceIp", "identity.sub",
            "identity.username", "source", "request.headers.x-forwarded-for",
            "request.headers.cloudfront-viewer-country", "request.headers.cloudfront-is-tablet-viewer",
            "request.headers.via", "request.headers.cloudfront-forwarded-proto", "request.headers.origin",
            "request.headers.content-length", "request.headers.accept-language", "request.headers.host",
            "request.headers.x-forwarded-proto", "request.headers.user-agent", "request.headers.accept",
            "request.headers.cloudfront-is-mobile-viewer", "request.headers.cloudfront-is-smarttv-viewer",
            "request.headers.accept-encoding", "request.headers.referer", "request.headers.content-type",
            "request.headers.sec-fetch-mode", "request.headers.x-amz-cf-id", "request.headers.x-amzn-trace-id",
            "request.headers.authorization", "request.headers.sec-fetch-dest", "request.headers.x-amz-user-agent",
            "request.headers.cloudfront-is-desktop-viewer", "request.headers.sec-fetch-site",
            "request.headers.x-forwarded-port", "prev", "info.selectionSetList", "info.selectionSetGraphQL",
            "info.parentTypeName", "info.fieldName", "info.variables", "stash",
        ]),
        Case("batch", "get-job", [
            "jobName", "jobQueue", "jobDefinition",
        ]),
        Case("cloudfront", "access-request-in-response", [
            "Records[].cf.config.distributionId", "Records[].cf.request.headers.host[].key",
            "Records[].cf.request.headers.host[].value", "Records[].cf.request.headers.user-name[].key",
            "Records[].cf.request.headers.user-name[].value", "Records[].cf.request.clientIp",
            "Records[].cf.request.uri", "Records[].cf.request.method", "Records[].cf.response.status",
            "Records[].cf.response.statusDescription", "Records[].cf.response.headers.x-cache[].key",
            "Records[].cf.response.headers.x-cache[].value",
        ]),
        Case("cloudfront", "modify-querystring", [
            "Records[].cf.config.distributionId", "Records[].cf.request.uri", "Records[].cf.request.method",
            "Records[].cf.request.clientIp", "Records[].cf.request.headers.host[].key",
            "Records[].cf.request.headers.host[].value", "Records[].cf.request.headers.user-agent[].key",
            "Records[].cf.request.headers.user-agent[].value", "Records[].cf.request.headers.user-name[].key",
            "Records[].cf.request.headers.user-name[].value", "Records[].cf.request.querystring",
        ]),
        Case("cloudfront", "modify-response-header", [
            "Records[].cf.config.distributionId", "Records[].cf.response.status",
            "Records[].cf.response.statusDescription", "Records[].cf.response.headers.vary[].key",
            "Records[].cf.response.headers.vary[].value", "Records[].cf.response.headers.last-modified[].key",
            "Records[].cf.response.headers.last-modified[].value",
            "Records[].cf.response.headers.x-amz-meta-last-modified[].key",
            "Records[].cf.response.headers.x-amz-meta-last-modified[].value",
        ]),
        Case("cloudfront", "normalize-querystring-to-improve-cache-hit", [
            "Records[].cf.config.distributionId", "Records[].cf.request.uri", "Records[].cf.request.method",
            "Records[].cf.request.clientIp", "Records[].cf.request.headers.host[].key",
            "Records[].cf.request.headers.host[].value", "Records[].cf.request.headers.user-agent[].key",
            "Records[].cf.request.headers.user-agent[].value", "Records[].cf.request.headers.user-name[].key",
            "Records[].cf.request.headers.user-name[].value", "Records[].cf.request.querystring",
        ]),
        Case("cloudfront", "simple-remote-call", [
            "Records[].cf.config.distributionId", "Records[].cf.request.uri", "Records[].cf.request.method",
            "Records[].cf.request.clientIp", "Records[].cf.request.headers.host[].key",
            "Records[].cf.request.headers.host[].value", "Records[].cf.request.headers.user-agent[].key",
            "Records[].cf.request.headers.user-agent[].value", "Records[].cf.request.headers.user-name[].key",
            "Records[].cf.request.headers.user-name[].value",
        ]),
        Case("config", "item-change-notification", [
            "invokingEvent(json).configurationItem.configurationItemCaptureTime",
            "invokingEvent(json).configurationItem.awsAccountId",
            "invokingEvent(json).configurationItem.configurationItemStatus",
            "invokingEvent(json).configurationItem.resourceId", "invokingEvent(json).configurationItem.resourceName",
            "invokingEvent(json).configurationItem.configurationStateMd5Hash",
            "invokingEvent(json).configurationItem.resourceCreationTime",
            "invokingEvent(json).configurationItem.configurationStateId",
            "invokingEvent(json).configurationItem.configurationItemVersion",
            "invokingEvent(json).configurationItem.ARN", "invokingEvent(json).configurationItem.awsRegion",
            "invokingEvent(json).configurationItem.availabilityZone",
            "invokingEvent(json).configurationItem.resourceType", "invokingEvent(json).configurationItem.tags",
            "invokingEvent(json).configurationItem.relationships[].resourceId",
            "invokingEvent(json).configurationItem.relationships[].resourceType",
            "invokingEvent(json).configurationItem.relationships[].name",
            "invokingEvent(json).configurationItem.configuration", "invokingEvent(json).messageType",
            "ruleParameters", "resultToken", "eventLeftScope", "executionRoleArn", "configRuleArn", "configRuleName",
            "configRuleId", "accountId", "version",
        ]),
        Case("connect", "contact-flow-event", [
            "Name", "Details.ContactData.Attributes", "Details.ContactData.Channel", "Details.ContactData.ContactId",
            "Details.ContactData.CustomerEndpoint.Address", "Details.ContactData.CustomerEndpoint.Type",
            "Details.ContactData.InitialContactId", "Details.ContactData.InitiationMethod",
            "Details.ContactData.InstanceARN", "Details.ContactData.MediaStreams.Customer.Audio.StartFragmentNumber",
            "Details.ContactData.MediaStreams.Customer.Audio.StartTimestamp",
            "Details.ContactData.MediaStreams.Customer.Audio.StreamARN", "Details.ContactData.PreviousContactId",
            "Details.ContactData.Queue", "Details.ContactData.SystemEndpoint.Address",
            "Details.ContactData.SystemEndpoint.Type", "Details.Parameters",
        ]),
        Case("lex-v2", "banking-bot", [
            "sessionId", "inputTranscript", "interpretations[].intent.slots.dateofBirth.shape",
            "interpretations[].intent.slots.dateofBirth.value.originalValue",
            "interpretations[].intent.slots.dateofBirth.value.resolvedValues",
            "interpretations[].intent.slots.dateofBirth.value.interpretedValue",
            "interpretations[].intent.slots.accountType.shape",
            "interpretations[].intent.slots.accountType.value.originalValue",
            "interpretations[].intent.slots.accountType.value.resolvedValues",
            "interpretations[].intent.slots.accountType.value.interpretedValue",
            "interpretations[].intent.confirmationState", "interpretations[].intent.name",
            "interpretations[].intent.state", "interpretations[].nluConfidence", "responseContentType",
            "sessionState.sessionAttributes", "sessionState.activeContexts",
            "sessionState.intent.slots.dateofBirth.shape",
            "sessionState.intent.slots.dateofBirth.value.originalValue",
            "sessionState.intent.slots.dateofBirth.value.resolvedValues",
            "sessionState.intent.slots.dateofBirth.value.interpretedValue",
            "sessionState.intent.slots.accountType.shape",
            "sessionState.intent.slots.accountType.value.originalValue",
            "sessionState.intent.slots.accountType.value.resolvedValues",
            "sessionState.intent.slots.accountType.value.interpretedValue", "sessionState.intent.confirmationState",
            "sessionState.intent.name", "sessionState.intent.state", "sessionState.originatingRequestId",
            "messageVersion", "invocationSource", "transcriptions[].transcription",
            "transcriptions[].transcriptionConfidence", "transcriptions[].resolvedSlots.dateofBirth.shape",
            "transcriptions[].resolvedSlots.dateofBirth.value.originalValue",
            "transcriptions[].resolvedSlots.dateofBirth.value.resolvedValues",
            "transcriptions[].resolvedContext.intent", "inputMode", "bot.aliasName", "bot.aliasId", "bot.name",
            "bot.version", "bot.localeId", "bot.id",
        ]),
        Case("lex-v2", "book-car", [
            "sessionId", "inputTranscript", "interpretations[].intent.slots.ReturnDate",
            "interpretations[].intent.slots.PickUpDate", "interpretations[].intent.slots.DriverAge",
            "interpretations[].intent.slots.CarType", "interpretations[].intent.slots.PickUpCity",
            "interpretations[].intent.confirmationState", "interpretations[].intent.name",
            "interpretations[].intent.state", "interpretations[].nluConfidence",
            "interpretations[].intent.slots.RoomType", "interpretations[].intent.slots.CheckInDate",
            "interpretations[].intent.slots.Nights", "interpretations[].intent.slots.Location",
            "proposedNextState.intent.slots.ReturnDate", "proposedNextState.intent.slots.PickUpDate",
            "proposedNextState.intent.slots.DriverAge", "proposedNextState.intent.slots.CarType",
            "proposedNextState.intent.slots.PickUpCity", "proposedNextState.intent.confirmationState",
            "proposedNextState.intent.name", "proposedNextState.intent.state",
            "proposedNextState.dialogAction.slotToElicit", "proposedNextState.dialogAction.type",
            "responseContentType", "sessionState.intent.slots.ReturnDate", "sessionState.intent.slots.PickUpDate",
            "sessionState.intent.slots.DriverAge", "sessionState.intent.slots.CarType",
            "sessionState.intent.slots.PickUpCity", "sessionState.intent.confirmationState",
            "sessionState.intent.name", "sessionState.intent.state", "sessionState.originatingRequestId",
            "messageVersion", "invocationSource", "transcriptions[].resolvedSlots",
            "transcriptions[].resolvedContext.intent", "transcriptions[].transcription",
            "transcriptions[].transcriptionConfidence", "inputMode", "bot.aliasName", "bot.aliasId", "bot.name",
            "bot.version", "bot.localeId", "bot.id",
        ]),
        Case("lex-v2", "book-hotel", [
            "sessionId", "inputTranscript", "interpretations[].intent.slots.RoomType",
            "interpretations[].intent.slots.CheckInDate", "interpretations[].intent.slots.Nights",
            "interpretations[].intent.slots.Location", "interpretations[].intent.confirmationState",
            "interpretations[].intent.name", "interpretations[].intent.state", "interpretations[].nluConfidence",
            "interpretations[].intent.slots.ReturnDate", "interpretations[].intent.slots.PickUpDate",
            "interpretations[].intent.slots.DriverAge", "interpretations[].intent.slots.CarType",
            "interpretations[].intent.slots.PickUpCity", "proposedNextState.intent.slots.RoomType",
            "proposedNextState.intent.slots.CheckInDate", "proposedNextState.intent.slots.Nights",
            "proposedNextState.intent.slots.Location", "proposedNextState.intent.confirmationState",
            "proposedNextState.intent.name", "proposedNextState.intent.state",
            "proposedNextState.dialogAction.slotToElicit", "proposedNextState.dialogAction.type",
            "responseContentType", "sessionState.intent.slots.RoomType", "sessionState.intent.slots.CheckInDate",
            "sessionState.intent.slots.Nights", "sessionState.intent.slots.Location",
            "sessionState.intent.confirmationState", "sessionState.intent.name", "sessionState.intent.state",
            "sessionState.originatingRequestId", "messageVersion", "invocationSource",
            "transcriptions[].resolvedSlots", "transcriptions[].resolvedContext.intent",
            "transcriptions[].transcription", "transcriptions[].transcriptionConfidence", "inputMode",
            "bot.aliasName", "bot.aliasId", "bot.name", "bot.version", "bot.localeId", "bot.id",
        ]),
    ]

    @Test(arguments: cases)
    func samKeysArePresent(_ testCase: Case) throws {
        let json = try renderParsed(testCase.service, testCase.event)
        let missing = testCase.paths.filter { !Self.has(json, $0[...]) }
        #expect(missing.isEmpty, "\(testCase) lacks \(missing)")
    }

    @Test func alexaSlotsAreKeyedByNameAndSessionEndHasNoAudioPlayerState() throws {
        let answer = try renderParsed("alexa-skills-kit", "intent-answer")
        #expect(answer.at("request.intent.slots.Answer.name")?.stringValue == "Answer")
        #expect(answer.at("context.AudioPlayer.playerActivity")?.stringValue == "IDLE")
        let end = try renderParsed("alexa-skills-kit", "end-session")
        #expect(end.at("context.AudioPlayer") == nil, "as in SAM's AlexaEndSession.json")
    }

    @Test func lexV2DialogHooksProposeTheNextSlot() throws {
        let car = try renderParsed("lex-v2", "book-car")
        #expect(car.at("proposedNextState.dialogAction.type")?.stringValue == "ElicitSlot")
        #expect(car.at("proposedNextState.dialogAction.slotToElicit")?.stringValue == "PickUpDate")
        #expect(car.at("sessionState.intent.slots.PickUpDate") == EventJSON.null, "an unfilled slot is null")
        let bank = try renderParsed("lex-v2", "banking-bot")
        #expect(bank.at("proposedNextState") == EventJSON.null, "a fulfillment hook has nothing to propose")
    }

    // MARK: - apigateway aws-proxy --querystringparameters

    /// SAM itself has no such option (aws/aws-sam-cli#1877 is open; the draft PR #7938 proposes
    /// `--querystringparameters '{"documentId": "1044", "versionId": "v_1"}'`). We take that JSON form and a query
    /// string, and fill both maps as API Gateway does.
    @Test func queryStringFillsBothMaps() throws {
        let json = try renderParsed("apigateway", "aws-proxy", ["querystringparameters": "a=1&b=2"])
        expectQuery(json, single: ["a": "1", "b": "2"], multiple: ["a": ["1"], "b": ["2"]])
    }

    @Test func repeatedNamesKeepEveryValueAndTheLastOneWins() throws {
        let json = try renderParsed("apigateway", "aws-proxy", ["querystringparameters": "?a=1&c=x%20y&a=2&flag"])
        expectQuery(
            json,
            single: ["a": "2", "c": "x y", "flag": ""],
            multiple: ["a": ["1", "2"], "c": ["x y"], "flag": [""]]
        )
    }

    @Test func samsProposedJSONFormIsAccepted() throws {
        let json = try renderParsed(
            "apigateway",
            "aws-proxy",
            ["querystringparameters": #"{"documentId": "1044", "versionId": ["v_1", "v_2"]}"#]
        )
        expectQuery(
            json,
            single: ["documentId": "1044", "versionId": "v_2"],
            multiple: ["documentId": ["1044"], "versionId": ["v_1", "v_2"]]
        )
    }

    @Test func defaultIsSAMsAndEmptyMeansNone() throws {
        let defaults = try renderParsed("apigateway", "aws-proxy")
        expectQuery(defaults, single: ["foo": "bar"], multiple: ["foo": ["bar"]])
        let none = try renderParsed("apigateway", "aws-proxy", ["querystringparameters": ""])
        expectQuery(none, single: .null, multiple: .null)
    }

    @Test(arguments: [#"{"a":1}"#, #"{"a":[1]}"#, "{not json"])
    func unusableJSONIsAnError(_ value: String) {
        #expect(throws: SampleEventError.self) {
            try SampleEventCatalog.standard.render(
                service: "apigateway",
                event: "aws-proxy",
                options: ["querystringparameters": value]
            )
        }
    }

    @Test func optionWorksFromTheCommandLine() throws {
        let result = SampleEventCommandLine.run(
            arguments: ["apigateway", "aws-proxy", "--querystringparameters", "a=1&b=2"]
        )
        #expect(result.exitCode == 0)
        let json = try #require(EventJSON.parse(result.output))
        expectQuery(json, single: ["a": "1", "b": "2"], multiple: ["a": ["1"], "b": ["2"]])
        let help = SampleEventCommandLine.run(arguments: ["apigateway", "aws-proxy", "--help"])
        #expect(help.output.contains("--querystringparameters VALUE"))
    }

    // MARK: - option defaults SAM's event-mapping.json gives

    @Test func kinesisDataDefaultsAreSAMs() throws {
        let compressed = try SampleEventCatalog.standard.lookUp(service: "kinesis", event: "analytics-compressed")
        #expect(
            compressed.option(named: "data")?.default
                == "H4sIAAAAAAAA/6vmUspLzE1VslLKTsxNzFHS4VJKTEkpSi0uBgol5SRmKHHVAgDd1tysJAAAAA=="
        )
        // SAM's apachelog default ends in "==", one "=" more than base64 allows; the decoded line is the same.
        let apache = try SampleEventCatalog.standard.lookUp(service: "kinesis", event: "apachelog")
        let data = try #require(apache.option(named: "data")?.default)
        #expect(data.hasPrefix("NjQuMjQyLjg4LjEwIC0gLSBbMDcvTWFyLzIwMDQ6MTY6MTA6MDIgLTA4MDBdICJHRVQgL21haWxtYW4v"))
        #expect(
            Data(base64Encoded: data).map { String(decoding: $0, as: UTF8.self) }
                == #"64.242.88.10 - - [07/Mar/2004:16:10:02 -0800] "#
                + #""GET /mailman/listinfo/hsdivision HTTP/1.1" 200 6291"#
        )
    }

    /// Checks an event's `queryStringParameters` and `multiValueQueryStringParameters` (whole values, key order
    /// included).
    private func expectQuery(_ json: EventJSON, single: EventJSON, multiple: EventJSON) {
        #expect(json["queryStringParameters"] == single)
        #expect(json["multiValueQueryStringParameters"] == multiple)
    }

    /// Whether `value` has `path`: dotted keys, `[]` for any array element, `(json)` for a string holding JSON.
    static func has(_ value: EventJSON, _ path: Substring) -> Bool {
        guard !path.isEmpty else { return true }
        let head = path.prefix { $0 != "." && $0 != "[" && $0 != "(" }
        var rest = path.dropFirst(head.count)
        guard var child = value[String(head)] else { return false }
        if rest.hasPrefix("(json)") {
            rest = rest.dropFirst("(json)".count)
            guard let text = child.stringValue, let parsed = EventJSON.parse(text) else { return false }
            child = parsed
        }
        if rest.hasPrefix("[]") {
            rest = rest.dropFirst(2)
            if rest.hasPrefix(".") { rest = rest.dropFirst() }
            let inElement = rest
            return child.arrayValue?.contains { has($0, inElement) } ?? false
        }
        if rest.hasPrefix(".") { rest = rest.dropFirst() }
        return has(child, rest)
    }
}
