/// The options every subcommand takes, accepted before the subcommand's name too: `boxofficectl --redis URL shows`
/// is read as `boxofficectl shows --redis URL`.
enum GlobalArguments {
    /// The global options that take a value.
    static let valued: Set<String> = ["--redis", "--redis-password-file", "--prefix", "--config"]
    /// The global flags.
    static let flags: Set<String> = ["--json", "--utc"]

    /// `arguments` (without the program's name) with the global options found before the subcommand moved after
    /// it; with no subcommand, those options are dropped, so that the bare tool prints its usage.
    static func movedAfterSubcommand(_ arguments: [String]) -> [String] {
        var leading: [String] = []
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let argument = arguments[index]
            let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
            if flags.contains(argument) || (valued.contains(name) && argument.contains("=")) {
                leading.append(argument)
                index += 1
            } else if valued.contains(argument), index + 1 < arguments.endIndex {
                leading += arguments[index...index + 1]
                index += 2
            } else {
                break
            }
        }
        guard index < arguments.endIndex else { return [] }
        guard !arguments[index].hasPrefix("-") else { return arguments }  // --help, or an unknown option: as given
        return [arguments[index]] + leading + arguments[(index + 1)...]
    }
}
