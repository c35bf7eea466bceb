import Foundation

/// Evaluates CloudFormation intrinsic functions (`Ref`, `Fn::*`, conditions) over `TemplateNode`s.
///
/// `Fn::ImportValue` has no local value: it resolves to the placeholder string `ImportValue:<export name>`.
final class IntrinsicResolver {
    let parameters: [String: TemplateParameter]
    let pseudoParameters: [String: String]
    let conditions: TemplateNode?
    let mappings: TemplateNode?
    let resources: [String: TemplateResource]
    let region: String
    let accountID: String
    let partition: String
    let urlSuffix: String

    private var conditionValues: [String: Bool] = [:]
    private var conditionsInProgress: Set<String> = []
    private var resourcesInProgress: Set<String> = []

    init(
        parameters: [String: TemplateParameter],
        region: String,
        accountID: String,
        stackName: String,
        conditions: TemplateNode?,
        mappings: TemplateNode?,
        resources: [String: TemplateResource]
    ) {
        self.parameters = parameters
        self.region = region
        self.accountID = accountID
        self.conditions = conditions
        self.mappings = mappings
        self.resources = resources
        if region.hasPrefix("cn-") {
            (partition, urlSuffix) = ("aws-cn", "amazonaws.com.cn")
        } else if region.hasPrefix("us-gov-") {
            (partition, urlSuffix) = ("aws-us-gov", "amazonaws.com")
        } else {
            (partition, urlSuffix) = ("aws", "amazonaws.com")
        }
        pseudoParameters = [
            "AWS::Region": region,
            "AWS::AccountId": accountID,
            "AWS::StackName": stackName,
            "AWS::StackId":
                "arn:\(partition):cloudformation:\(region):\(accountID):stack/\(stackName)/"
                + "00000000-0000-0000-0000-000000000000",
            "AWS::Partition": partition,
            "AWS::URLSuffix": urlSuffix,
        ]
    }

    // MARK: - Values

    /// Resolves a node to JSON; nil when it is (or resolves to) `AWS::NoValue`.
    func resolve(_ node: TemplateNode) throws(ProjectError) -> JSONValue? {
        switch node.kind {
        case .scalar(let text, let plain):
            return plain ? Self.plainScalar(text) : .string(text)
        case .sequence(let elements):
            var values: [JSONValue] = []
            for element in elements {
                if let value = try resolve(element) { values.append(value) }
            }
            return .array(values)
        case .mapping(let entries):
            if let (name, argument) = node.intrinsic {
                return try evaluate(name, argument, at: node)
            }
            var object: [String: JSONValue] = [:]
            for entry in entries {
                if let value = try resolve(entry.value) { object[entry.key] = value }
            }
            return .object(object)
        }
    }

    /// Resolves a node that must give a string (numbers and bools are stringified).
    func string(_ node: TemplateNode) throws(ProjectError) -> String? {
        guard let value = try resolve(node) else { return nil }
        guard let text = value.scalarString else {
            throw error(.invalidValue, node, "expected a string, got \(Self.describe(value))")
        }
        return text
    }

    /// Resolves a node that must give a whole number (a number, or a string of one).
    func integer(_ node: TemplateNode) throws(ProjectError) -> Int? {
        guard let value = try resolve(node) else { return nil }
        switch value {
        case .number(let number):
            if let integer = Int(exactly: number) { return integer }
        case .string(let text):
            if let integer = Int(text.trimmingCharacters(in: .whitespaces)) { return integer }
        default: break
        }
        let shown = value.stringValue.map { "\"\($0)\"" } ?? value.scalarString ?? Self.describe(value)
        throw error(.invalidValue, node, "expected an integer, got \(shown)")
    }

    /// Resolves a node that must give a boolean (or the string `true` / `false`, in any case).
    func boolean(_ node: TemplateNode) throws(ProjectError) -> Bool? {
        guard let value = try resolve(node) else { return nil }
        switch value {
        case .bool(let flag): return flag
        case .string(let text) where ["true", "false"].contains(text.lowercased()): return text.lowercased() == "true"
        default: throw error(.invalidValue, node, "expected true or false")
        }
    }

    /// Resolves a node that must give a list of strings. A lone string is a list of one; with `anyLoneScalar`, so is
    /// a lone number or boolean (stringified).
    func stringList(_ node: TemplateNode, anyLoneScalar: Bool) throws(ProjectError) -> [String]? {
        guard let value = try resolve(node) else { return nil }
        if let text = anyLoneScalar ? value.scalarString : value.stringValue { return [text] }
        guard case .array(let items) = value else { throw error(.invalidValue, node, "expected a list of strings") }
        var strings: [String] = []
        for item in items {
            guard let text = item.scalarString else { throw error(.invalidValue, node, "expected a list of strings") }
            strings.append(text)
        }
        return strings
    }

    /// A node's value as CloudFormation stringifies it: plain scalars keep their text (bools lower-cased).
    func stringified(_ node: TemplateNode) throws(ProjectError) -> String? {
        if case .scalar(let text, true) = node.kind, !node.isNull {
            if case .bool(let flag) = Self.plainScalar(text) { return flag ? "true" : "false" }
            return text
        }
        return try string(node)
    }

    /// YAML 1.2 core-schema reading of an unquoted scalar.
    static func plainScalar(_ text: String) -> JSONValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        default: break
        }
        if let first = text.unicodeScalars.first,
            CharacterSet.decimalDigits.contains(first)
                || ((first == "-" || first == "+" || first == ".") && text.count > 1),
            text.unicodeScalars.allSatisfy({ CharacterSet(charactersIn: "0123456789+-.eE").contains($0) }),
            let number = Double(text)
        {
            return .number(number)
        }
        return .string(text)
    }

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "a map"
        }
    }

    func error(_ kind: ProjectError.Kind, _ node: TemplateNode, _ message: String) -> ProjectError {
        ProjectError(kind, at: node.location, path: node.path, message: message)
    }

    // MARK: - Intrinsic functions

    func evaluate(_ name: String, _ argument: TemplateNode, at node: TemplateNode) throws(ProjectError) -> JSONValue? {
        switch name {
        case "Ref":
            guard let target = try string(argument) else { throw error(.invalidValue, node, "Ref needs a name") }
            return try ref(target, at: node)
        case "Fn::GetAtt":
            let (logicalID, attribute) = try getAttArguments(argument, at: node)
            return .string(try getAtt(logicalID, attribute, at: node))
        case "Fn::Sub":
            return .string(try sub(argument, at: node))
        case "Fn::Join":
            let arguments = try list(argument, count: 2, name: name, at: node)
            let delimiter = try string(arguments[0]) ?? ""
            let items = try stringList(arguments[1], at: node)
            return .string(items.joined(separator: delimiter))
        case "Fn::Select":
            let arguments = try list(argument, count: 2, name: name, at: node)
            guard let indexText = try string(arguments[0]), let index = Int(indexText) else {
                throw error(.invalidValue, node, "Fn::Select index must be an integer")
            }
            guard case .array(let items)? = try resolve(arguments[1]) else {
                throw error(.invalidValue, node, "Fn::Select needs a list")
            }
            guard items.indices.contains(index) else {
                throw error(.invalidValue, node, "Fn::Select index \(index) is out of range (\(items.count) items)")
            }
            return items[index]
        case "Fn::Split":
            let arguments = try list(argument, count: 2, name: name, at: node)
            guard let delimiter = try string(arguments[0]), !delimiter.isEmpty else {
                throw error(.invalidValue, node, "Fn::Split needs a non-empty delimiter")
            }
            let source = try string(arguments[1]) ?? ""
            return .array(source.components(separatedBy: delimiter).map(JSONValue.string))
        case "Fn::Base64":
            return .string(Data((try string(argument) ?? "").utf8).base64EncodedString())
        case "Fn::GetAZs":
            var zoneRegion = try string(argument) ?? ""
            if zoneRegion.isEmpty { zoneRegion = region }
            return .array(["a", "b", "c"].map { .string(zoneRegion + $0) })
        case "Fn::ImportValue":
            return .string("ImportValue:\(try string(argument) ?? "")")
        case "Fn::If":
            let arguments = try list(argument, count: 3, name: name, at: node)
            guard let conditionName = arguments[0].scalarText else {
                throw error(.invalidValue, arguments[0], "Fn::If needs a condition name first")
            }
            let chosen = try condition(conditionName, at: arguments[0]) ? arguments[1] : arguments[2]
            return try resolve(chosen)
        case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or":
            return .bool(try conditionExpression(node))
        case "Fn::FindInMap":
            return try findInMap(argument, at: node)
        case "Fn::Cidr":
            return try cidr(argument, at: node)
        case "Fn::Length":
            guard case .array(let items)? = try resolve(argument) else {
                throw error(.invalidValue, node, "Fn::Length needs a list")
            }
            return .number(Double(items.count))
        case "Fn::ToJsonString":
            let value = try resolve(argument) ?? .null
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            guard let data = try? encoder.encode(value) else {
                throw error(.invalidValue, node, "Fn::ToJsonString: value cannot be encoded")
            }
            return .string(String(decoding: data, as: UTF8.self))
        case "Fn::Transform":
            throw error(.unsupported, node, "Fn::Transform (macros such as AWS::Include) is not supported locally")
        default:
            throw error(.invalidValue, node, "unknown intrinsic function \(name)")
        }
    }

    func list(
        _ node: TemplateNode,
        count: Int,
        name: String,
        at owner: TemplateNode
    ) throws(ProjectError)
        -> [TemplateNode]
    {
        guard let elements = node.elements, elements.count == count else {
            throw error(.invalidValue, owner, "\(name) needs a list of \(count) arguments")
        }
        return elements
    }

    /// A list of strings: a literal list (elements resolved) or a node resolving to one.
    func stringList(_ node: TemplateNode, at owner: TemplateNode) throws(ProjectError) -> [String] {
        guard case .array(let items)? = try resolve(node) else {
            throw error(.invalidValue, owner, "expected a list")
        }
        var strings: [String] = []
        for item in items {
            guard let text = item.scalarString else {
                throw error(.invalidValue, owner, "expected a list of strings, found \(Self.describe(item))")
            }
            strings.append(text)
        }
        return strings
    }

    // MARK: Ref and GetAtt

    /// The value of `Ref name`: a pseudo-parameter, a parameter, or a resource's physical name/id.
    func ref(_ name: String, at node: TemplateNode) throws(ProjectError) -> JSONValue? {
        if name == "AWS::NoValue" { return nil }
        if name == "AWS::NotificationARNs" { return .array([]) }
        if let value = pseudoParameters[name] { return .string(value) }
        if let parameter = parameters[name] {
            guard let value = parameter.value else {
                throw error(
                    .parameterWithoutValue,
                    node,
                    "parameter \(name) (declared at \(parameter.node.location.line):\(parameter.node.location.column))"
                        + " has no value: give it a Default or pass --parameter-overrides \(name)=VALUE"
                )
            }
            if parameter.isList {
                return .array(
                    value.split(separator: ",", omittingEmptySubsequences: false).map {
                        .string($0.trimmingCharacters(in: .whitespaces))
                    }
                )
            }
            return .string(value)
        }
        if let resource = resources[name] {
            return .string(try physicalID(of: resource, at: node))
        }
        if name.hasPrefix("AWS::") {
            throw error(.unknownReference, node, "unknown pseudo-parameter \(name)")
        }
        throw error(
            .unknownReference,
            node,
            "Ref to \"\(name)\", which is not a parameter or resource of this template"
        )
    }

    /// The two arguments of `Fn::GetAtt`: `[LogicalId, Attribute]` or "LogicalId.Attribute".
    func getAttArguments(
        _ argument: TemplateNode,
        at node: TemplateNode
    ) throws(ProjectError)
        -> (String, String)
    {
        if let elements = argument.elements, elements.count == 2,
            let logicalID = try string(elements[0]), let attribute = try string(elements[1])
        {
            return (logicalID, attribute)
        }
        if case .scalar(let text, _) = argument.kind, let dot = text.firstIndex(of: ".") {
            return (String(text[..<dot]), String(text[text.index(after: dot)...]))
        }
        throw error(.invalidValue, node, "Fn::GetAtt needs [LogicalId, Attribute]")
    }

    /// A resource's name property (e.g. `FunctionName`), resolved; nil when it is not set.
    func nameProperty(_ resource: TemplateResource, _ key: String) throws(ProjectError) -> String? {
        guard let node = resource.properties?[key] else { return nil }
        guard !resourcesInProgress.contains(resource.logicalID) else {
            throw error(.invalidValue, node, "\(key) of \(resource.logicalID) refers to itself")
        }
        resourcesInProgress.insert(resource.logicalID)
        defer { resourcesInProgress.remove(resource.logicalID) }
        return try string(node)
    }

    /// What `Ref` of a resource gives: its physical name where the type has a name property, else its logical id.
    func physicalID(of resource: TemplateResource, at node: TemplateNode) throws(ProjectError) -> String {
        let id = resource.logicalID
        switch resource.type {
        case "AWS::Serverless::Function", "AWS::Lambda::Function":
            return try nameProperty(resource, "FunctionName") ?? id
        case "AWS::IAM::Role":
            return try nameProperty(resource, "RoleName") ?? id
        case "AWS::Serverless::LayerVersion", "AWS::Lambda::LayerVersion":
            let name = try nameProperty(resource, "LayerName") ?? id
            return "arn:\(partition):lambda:\(region):\(accountID):layer:\(name):1"
        case "AWS::SQS::Queue":
            let name = try nameProperty(resource, "QueueName") ?? id
            return "https://sqs.\(region).\(urlSuffix)/\(accountID)/\(name)"
        case "AWS::SNS::Topic":
            return "arn:\(partition):sns:\(region):\(accountID):\(try nameProperty(resource, "TopicName") ?? id)"
        case "AWS::DynamoDB::Table", "AWS::Serverless::SimpleTable":
            return try nameProperty(resource, "TableName") ?? id
        case "AWS::S3::Bucket":
            return try nameProperty(resource, "BucketName") ?? id
        default:
            return id
        }
    }

    /// `Fn::GetAtt logicalID.attribute`, with local stand-ins for the attributes that name things.
    func getAtt(_ logicalID: String, _ attribute: String, at node: TemplateNode) throws(ProjectError) -> String {
        guard let resource = resources[logicalID] else {
            throw error(
                .unknownReference,
                node,
                "Fn::GetAtt of \"\(logicalID)\", which is not a resource of this template"
            )
        }
        let prefix = "arn:\(partition)"
        switch (resource.type, attribute) {
        case ("AWS::Serverless::Function", "Arn"), ("AWS::Lambda::Function", "Arn"):
            return "\(prefix):lambda:\(region):\(accountID):function:\(try physicalID(of: resource, at: node))"
        case ("AWS::IAM::Role", "Arn"):
            return "\(prefix):iam::\(accountID):role/\(try physicalID(of: resource, at: node))"
        case ("AWS::IAM::Role", "RoleId"):
            return "AROA" + logicalID.uppercased()
        case ("AWS::SQS::Queue", "Arn"):
            let name = try nameProperty(resource, "QueueName") ?? logicalID
            return "\(prefix):sqs:\(region):\(accountID):\(name)"
        case ("AWS::SQS::Queue", "QueueName"):
            return try nameProperty(resource, "QueueName") ?? logicalID
        case ("AWS::SQS::Queue", "QueueUrl"):
            return try physicalID(of: resource, at: node)
        case ("AWS::SNS::Topic", "TopicArn"):
            return try physicalID(of: resource, at: node)
        case ("AWS::SNS::Topic", "TopicName"):
            return try nameProperty(resource, "TopicName") ?? logicalID
        case ("AWS::DynamoDB::Table", "Arn"), ("AWS::Serverless::SimpleTable", "Arn"):
            return "\(prefix):dynamodb:\(region):\(accountID):table/\(try physicalID(of: resource, at: node))"
        case ("AWS::DynamoDB::Table", "StreamArn"):
            return "\(prefix):dynamodb:\(region):\(accountID):table/\(try physicalID(of: resource, at: node))"
                + "/stream/1970-01-01T00:00:00.000"
        case ("AWS::S3::Bucket", "Arn"):
            return "\(prefix):s3:::\(try physicalID(of: resource, at: node))"
        case ("AWS::S3::Bucket", "DomainName"):
            return "\(try physicalID(of: resource, at: node)).s3.\(urlSuffix)"
        case (_, "Arn"):
            let parts = resource.type.split(separator: ":").map(String.init).filter { !$0.isEmpty }
            let service = parts.count > 1 ? parts[1].lowercased() : "unknown"
            return "\(prefix):\(service):\(region):\(accountID):\(logicalID)"
        default:
            return "\(logicalID).\(attribute)"
        }
    }

    // MARK: Sub

    /// `Fn::Sub`: `${Param}`, `${Resource}`, `${Resource.Attr}`, `${!Literal}`, and the `[template, vars]` form.
    func sub(_ argument: TemplateNode, at node: TemplateNode) throws(ProjectError) -> String {
        let templateNode: TemplateNode
        var variables: [String: TemplateNode] = [:]
        if let elements = argument.elements {
            guard elements.count == 2, let entries = elements[1].entries else {
                throw error(.invalidValue, node, "Fn::Sub needs a string, or [string, {variables}]")
            }
            templateNode = elements[0]
            for entry in entries { variables[entry.key] = entry.value }
        } else {
            templateNode = argument
        }
        guard let template = templateNode.scalarText else {
            throw error(.invalidValue, node, "Fn::Sub needs a literal string")
        }
        var output = ""
        var rest = Substring(template)
        while let start = rest.range(of: "${") {
            output += rest[..<start.lowerBound]
            let afterStart = rest[start.upperBound...]
            guard let end = afterStart.firstIndex(of: "}") else {
                output += rest[start.lowerBound...]
                rest = ""
                break
            }
            let name = afterStart[..<end].trimmingCharacters(in: .whitespaces)
            rest = afterStart[afterStart.index(after: end)...]
            if name.hasPrefix("!") {
                output += "${" + name.dropFirst() + "}"
                continue
            }
            output += try subVariable(name, variables: variables, at: node)
        }
        output += rest
        return output
    }

    func subVariable(
        _ name: String,
        variables: [String: TemplateNode],
        at node: TemplateNode
    ) throws(ProjectError)
        -> String
    {
        let value: JSONValue?
        if let variable = variables[name] {
            value = try resolve(variable)
        } else if let dot = name.firstIndex(of: "."), pseudoParameters[name] == nil, parameters[name] == nil {
            let logicalID = String(name[..<dot])
            guard resources[logicalID] != nil else {
                throw error(
                    .unknownReference,
                    node,
                    "Fn::Sub variable ${\(name)}: \"\(logicalID)\" is not a resource of this template"
                )
            }
            value = .string(try getAtt(logicalID, String(name[name.index(after: dot)...]), at: node))
        } else {
            guard pseudoParameters[name] != nil || parameters[name] != nil || resources[name] != nil else {
                throw error(
                    .unknownReference,
                    node,
                    "Fn::Sub variable ${\(name)} is not a parameter, pseudo-parameter or resource of this template"
                )
            }
            value = try ref(name, at: node)
        }
        guard let value else { return "" }
        guard let text = value.scalarString else {
            throw error(.invalidValue, node, "Fn::Sub variable ${\(name)} is \(Self.describe(value)), not a string")
        }
        return text
    }

    // MARK: Conditions

    /// The value of the named condition (memoized; cycles are an error).
    func condition(_ name: String, at node: TemplateNode) throws(ProjectError) -> Bool {
        if let value = conditionValues[name] { return value }
        guard let definition = conditions?[name] else {
            throw error(.unknownReference, node, "unknown condition \"\(name)\"")
        }
        guard !conditionsInProgress.contains(name) else {
            throw error(.invalidValue, definition, "condition \(name) depends on itself")
        }
        conditionsInProgress.insert(name)
        defer { conditionsInProgress.remove(name) }
        let value = try conditionExpression(definition)
        conditionValues[name] = value
        return value
    }

    /// A condition expression: `Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or`, `Condition`, or a literal boolean.
    func conditionExpression(_ node: TemplateNode) throws(ProjectError) -> Bool {
        if let entries = node.entries, entries.count == 1, entries[0].key == "Condition",
            let name = entries[0].value.scalarText
        {
            return try condition(name, at: entries[0].value)
        }
        guard let (name, argument) = node.intrinsic else {
            if case .bool(let flag)? = try resolve(node) { return flag }
            if let text = try string(node), text == "true" || text == "false" { return text == "true" }
            throw error(.invalidValue, node, "expected a condition (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition)")
        }
        switch name {
        case "Fn::Equals":
            let arguments = try list(argument, count: 2, name: name, at: node)
            let left = try resolve(arguments[0]) ?? .null
            let right = try resolve(arguments[1]) ?? .null
            if let leftText = left.scalarString, let rightText = right.scalarString { return leftText == rightText }
            return left == right
        case "Fn::Not":
            let arguments = try list(argument, count: 1, name: name, at: node)
            return !(try conditionExpression(arguments[0]))
        case "Fn::And", "Fn::Or":
            guard let elements = argument.elements, (2...10).contains(elements.count) else {
                throw error(.invalidValue, node, "\(name) needs a list of 2 to 10 conditions")
            }
            for element in elements {
                let value = try conditionExpression(element)
                if name == "Fn::And" && !value { return false }
                if name == "Fn::Or" && value { return true }
            }
            return name == "Fn::And"
        default:
            guard case .bool(let flag)? = try evaluate(name, argument, at: node) else {
                throw error(.invalidValue, node, "\(name) does not give a boolean condition")
            }
            return flag
        }
    }

    // MARK: FindInMap, Cidr

    func findInMap(_ argument: TemplateNode, at node: TemplateNode) throws(ProjectError) -> JSONValue? {
        guard let elements = argument.elements, elements.count == 3 || elements.count == 4 else {
            throw error(.invalidValue, node, "Fn::FindInMap needs [MapName, TopLevelKey, SecondLevelKey]")
        }
        var keys: [String] = []
        for element in elements.prefix(3) {
            guard let key = try string(element) else {
                throw error(.invalidValue, element, "Fn::FindInMap keys must be strings")
            }
            keys.append(key)
        }
        var defaultValue: TemplateNode?
        if elements.count == 4 {
            defaultValue = elements[3]["DefaultValue"]
            guard defaultValue != nil else {
                throw error(.invalidValue, elements[3], "the fourth Fn::FindInMap argument must be {DefaultValue: ...}")
            }
        }
        guard let map = mappings?[keys[0]] else {
            if let defaultValue { return try resolve(defaultValue) }
            throw error(.unknownReference, node, "Fn::FindInMap: no mapping named \"\(keys[0])\" in Mappings")
        }
        guard let top = map[keys[1]] else {
            if let defaultValue { return try resolve(defaultValue) }
            throw error(.unknownReference, node, "Fn::FindInMap: mapping \(keys[0]) has no key \"\(keys[1])\"")
        }
        guard let value = top[keys[2]] else {
            if let defaultValue { return try resolve(defaultValue) }
            throw error(
                .unknownReference,
                node,
                "Fn::FindInMap: mapping \(keys[0]).\(keys[1]) has no key \"\(keys[2])\""
            )
        }
        return try resolve(value)
    }

    /// `Fn::Cidr [ipBlock, count, cidrBits]` for IPv4 blocks.
    func cidr(_ argument: TemplateNode, at node: TemplateNode) throws(ProjectError) -> JSONValue {
        let arguments = try list(argument, count: 3, name: "Fn::Cidr", at: node)
        guard let block = try string(arguments[0]), let countText = try string(arguments[1]),
            let bitsText = try string(arguments[2]), let count = Int(countText), let bits = Int(bitsText)
        else {
            throw error(.invalidValue, node, "Fn::Cidr needs [ipBlock, count, cidrBits]")
        }
        let parts = block.split(separator: "/")
        let octets = parts.first.map { $0.split(separator: ".").compactMap { UInt32($0) } } ?? []
        guard parts.count == 2, octets.count == 4, octets.allSatisfy({ $0 < 256 }), let prefix = Int(parts[1]),
            (0...32).contains(prefix)
        else {
            throw error(.unsupported, node, "Fn::Cidr: \"\(block)\" is not an IPv4 CIDR block (IPv6 is not supported)")
        }
        let subnetPrefix = 32 - bits
        guard (1...256).contains(count), (0...32).contains(bits), subnetPrefix >= prefix,
            count <= 1 << (subnetPrefix - prefix)
        else {
            throw error(.invalidValue, node, "Fn::Cidr: \(count) subnets of /\(subnetPrefix) do not fit in \(block)")
        }
        let base = octets.reduce(UInt32(0)) { ($0 << 8) | $1 }
        let mask: UInt32 = prefix == 0 ? 0 : UInt32.max << UInt32(32 - prefix)
        var subnets: [JSONValue] = []
        for index in 0..<count {
            let address = (base & mask) &+ UInt32(index) << UInt32(bits)
            let text = [24, 16, 8, 0].map { String((address >> UInt32($0)) & 0xff) }.joined(separator: ".")
            subnets.append(.string("\(text)/\(subnetPrefix)"))
        }
        return .array(subnets)
    }
}
