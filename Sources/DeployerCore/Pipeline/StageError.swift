/// Why a release stage failed; the message is what `GET /api/deployments/{id}` and the log show.
public enum StageError: Error, CustomStringConvertible, Equatable, Sendable {
    case commandFailed(stage: String, command: String, exitCode: Int32?, timedOut: Bool)
    case tagNotFound(tag: String, remote: String)
    case tagMoved(tag: String, expected: String, found: String)
    case digestMissing(image: String)
    case smokeFailed(environment: String, url: String, reason: String)
    case superseded(tag: String, deployed: String, environment: String)
    case interrupted(stage: String)
    case unknownEnvironment(String)
    case noEarlierRelease(environment: String)
    case noManifests(environment: String, path: String)
    case nothingToRestore(environment: String, tag: String)

    public var description: String {
        switch self {
        case let .commandFailed(stage, command, exitCode, timedOut):
            let how = timedOut ? "timed out" : "exited with \(exitCode.map(String.init) ?? "a signal")"
            return "stage \(stage): `\(command)` \(how); see the stage log"
        case let .tagNotFound(tag, remote):
            return "tag \(tag) does not exist on the configured remote \(remote)"
        case let .tagMoved(tag, expected, found):
            return "tag \(tag) now points to \(found), not \(expected) as first seen: a moved tag is never released; push a new tag"
        case .digestMissing(let image):
            return "the registry returned no digest for \(image) after the push"
        case let .smokeFailed(environment, url, reason):
            return "smoke check of \(environment) at \(url) failed: \(reason)"
        case let .superseded(tag, deployed, environment):
            return "\(tag) is older than \(deployed), already in \(environment): an older release never replaces a newer one"
        case .interrupted(let stage):
            return "the deployer stopped during stage \(stage); the job was finished consistently on restart"
        case .unknownEnvironment(let name):
            return "no environment '\(name)' in the configuration"
        case .noEarlierRelease(let environment):
            return "\(environment) has no earlier healthy release to roll back to"
        case let .noManifests(environment, path):
            return "kubectl kustomize exited 0 for \(environment) but wrote nothing to \(path)"
        case let .nothingToRestore(environment, tag):
            return "\(tag) was released to \(environment) before the deployer kept rendered manifests, and its checkout is gone: "
                + "roll back with kubectl rollout undo, or release a new tag"
        }
    }
}
