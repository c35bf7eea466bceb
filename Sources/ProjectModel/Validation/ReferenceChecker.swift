/// Finds `Ref`, `Fn::GetAtt` and `Fn::Sub` targets that do not exist, anywhere in `Resources` and `Outputs` of a
/// SAM / CloudFormation template (the loader only resolves what functions and routes use), and `DependsOn` names
/// that are not resources.
///
/// Names that start with a resource's logical id are accepted: the SAM transform generates resources such as
/// `<Function>Role`, `<Api>Stage` or `<Function>Alias<alias>`.
struct ReferenceChecker {
    static let pseudoParameters: Set<String> = [
        "AWS::Region", "AWS::AccountId", "AWS::StackName", "AWS::StackId", "AWS::Partition", "AWS::URLSuffix",
        "AWS::NoValue", "AWS::NotificationARNs",
    ]
    static let implicitResources = ["ServerlessRestApi", "ServerlessHttpApi"]

    let root: TemplateNode
    let parameters: Set<String>
    let resources: Set<String>

    init(root: TemplateNode) {
        self.root = root
        parameters = Set(root["Parameters"]?.entries?.map(\.key) ?? [])
        resources = Set((root["Resources"]?.entries?.map(\.key) ?? []) + Self.implicitResources)
    }

    /// The diagnostics for every missing target.
    func check() -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for entry in root["Resources"]?.entries ?? [] {
            guard let dependsOn = entry.value["DependsOn"] else { continue }
            for target in dependsOn.elements ?? [dependsOn] {
                guard let name = target.scalarText, !resources.contains(name) else { continue }
                diagnostics.append(
                    Diagnostic(
                        .error,
                        at: target.location,
                        path: target.path,
                        message: "DependsOn \"\(name)\", which is not a resource of this template"
                    )
                )
            }
        }
        for section in ["Resources", "Outputs"] {
            if let node = root[section] { walk(node, into: &diagnostics) }
        }
        return diagnostics
    }

    func isResource(_ name: String) -> Bool {
        resources.contains(name) || resources.contains { name.hasPrefix($0) }
    }

    func walk(_ node: TemplateNode, into diagnostics: inout [Diagnostic]) {
        switch node.kind {
        case .scalar: return
        case .sequence(let elements):
            for element in elements { walk(element, into: &diagnostics) }
        case .mapping(let entries):
            if let (name, argument) = node.intrinsic {
                if let message = problem(name, argument) {
                    diagnostics.append(Diagnostic(.error, at: node.location, path: node.path, message: message))
                }
            }
            for entry in entries { walk(entry.value, into: &diagnostics) }
        }
    }

    /// What is wrong with one intrinsic function's target, if anything.
    func problem(_ name: String, _ argument: TemplateNode) -> String? {
        switch name {
        case "Ref":
            guard let target = argument.scalarText else { return nil }
            if Self.pseudoParameters.contains(target) || parameters.contains(target) || isResource(target) {
                return nil
            }
            return "Ref to \"\(target)\", which is not a parameter or resource of this template"
        case "Fn::GetAtt":
            var logicalID: String?
            if let first = argument.elements?.first?.scalarText {
                logicalID = first
            } else if let text = argument.scalarText {
                logicalID = text.split(separator: ".", maxSplits: 1).first.map(String.init)
            }
            guard let logicalID, !isResource(logicalID) else { return nil }
            return "Fn::GetAtt of \"\(logicalID)\", which is not a resource of this template"
        case "Fn::Sub":
            var template = argument.scalarText
            var variables: Set<String> = []
            if let elements = argument.elements, elements.count == 2 {
                template = elements[0].scalarText
                variables = Set(elements[1].entries?.map(\.key) ?? [])
            }
            guard let template else { return nil }
            for variable in Self.subVariables(template) where !variables.contains(variable) {
                if Self.pseudoParameters.contains(variable) || parameters.contains(variable) { continue }
                let logicalID = variable.split(separator: ".", maxSplits: 1).first.map(String.init) ?? variable
                if isResource(logicalID) { continue }
                return
                    "Fn::Sub variable ${\(variable)} is not a parameter, pseudo-parameter or resource of this template"
            }
            return nil
        default:
            return nil
        }
    }

    /// The `${...}` names of a `Fn::Sub` string (not `${!Literal}`).
    static func subVariables(_ template: String) -> [String] {
        var names: [String] = []
        var rest = Substring(template)
        while let start = rest.range(of: "${") {
            let after = rest[start.upperBound...]
            guard let end = after.firstIndex(of: "}") else { break }
            let name = after[..<end].trimmingCharacters(in: .whitespaces)
            if !name.hasPrefix("!") { names.append(name) }
            rest = after[after.index(after: end)...]
        }
        return names
    }
}
