/// The function's own variables, merged in DESIGN.md's order (lowest first):
/// the template's values; the shell's values, only for variables the template declares; the `--env-vars` file
/// (`Parameters`, then the function's own section), which may also add variables the template does not declare.
public enum EnvironmentMerge {
    /// Merges the three sources.
    /// - Parameters:
    ///   - template: `Environment.Variables` as resolved from the template.
    ///   - shell: the environment standin was started with.
    ///   - file: the variables the `--env-vars` file gives this function.
    public static func merge(
        template: [String: String],
        shell: [String: String],
        file: [String: String]
    ) -> [String: String] {
        var result = template
        for name in template.keys {
            if let value = shell[name] { result[name] = value }
        }
        result.merge(file) { $1 }
        return result
    }
}
