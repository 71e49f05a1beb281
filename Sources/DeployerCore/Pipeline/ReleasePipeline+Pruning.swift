import Foundation
import Logging

/// Keeping the work directory and the engine's image store from growing with every release.
extension ReleasePipeline {
    /// After a release ends: the checkouts of all but the newest `keep_releases` jobs are removed, with
    /// the local image tags those jobs built (`repository:tag`, `repository:commit`) unless a kept job
    /// uses the same tag or commit (a retried tag). Rollbacks never need them: a release record keeps
    /// the rendered manifests and the registry keeps the images by digest. Failures are logged, never
    /// fail the release.
    func prune(after job: JobRecord, log: Logger) async {
        let directory = "\(configuration.workDirectory)/jobs"
        let ids = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).compactMap { Int64($0) }.sorted(by: >)
        let kept = Set(ids.prefix(configuration.keepReleases)).union([job.id])
        let pruned = ids.filter { !kept.contains($0) }
        guard !pruned.isEmpty else { return }
        var keptReferences = Set<String>()
        for id in kept {
            if let record = try? await store.job(id: id)?.job { keptReferences.formUnion(imageTags(of: record)) }
        }
        for id in pruned {
            let record = try? await store.job(id: id)?.job
            do {
                try FileManager.default.removeItem(atPath: checkout(id))
            } catch {
                log.warning("cannot remove an old checkout", metadata: ["deploy.path": "\(checkout(id))", "deploy.reason": "\(error)"])
                continue
            }
            let references = record.map { imageTags(of: $0).filter { !keptReferences.contains($0) } } ?? []
            guard !references.isEmpty else { continue }
            let command = ReleasePipeline.command(["docker", "image", "rm"] + references, directory: nil, timeout: 120, secrets: redactions)
            let result = try? await runner.run(command)
            if result?.succeeded != true {
                log.warning("cannot remove old local images", metadata: ["deploy.images": "\(references.joined(separator: " "))",
                                                                         "deploy.reason": "\(result?.output.suffix(300) ?? "docker did not start")"])
            }
        }
        log.info("old checkouts pruned", metadata: ["deploy.pruned": "\(pruned.count)", "deploy.kept": "\(configuration.keepReleases)"])
    }

    /// The local tags `buildImages` gives a release job's images.
    func imageTags(of job: JobRecord) -> [String] {
        guard job.kind == "release" else { return [] }
        return configuration.images.flatMap { image in
            ["\(image.repository):\(job.tag)"] + (job.commit.map { ["\(image.repository):\($0.prefix(12))"] } ?? [])
        }
    }
}
