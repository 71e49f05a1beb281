import Foundation

/// The process-boundary fakes the end-to-end tests put on the deployer's PATH, written as small shell
/// scripts into the test's directory: a recording `kubectl` (no API server can run here) and a
/// recording `docker` used when no Docker engine is available.
///
/// Both append their argv to `$FAKE_DIR/<tool>.log`. Any step can be held: while `$FAKE_DIR/hold-<step>`
/// exists the fake writes `$FAKE_DIR/at-<step>` and waits, so a test can kill the deployer at exactly
/// that stage. `kubectl rollout status` fails once per file `$FAKE_DIR/fail-rollout-<namespace>-<n>`.
enum FakeTools {
    static let hold = #"""
        #!/bin/sh
        # hold STEP: wait while $FAKE_DIR/hold-STEP exists (at most 120 s), after saying so in at-STEP.
        [ -e "$FAKE_DIR/hold-$1" ] || exit 0
        : > "$FAKE_DIR/at-$1"
        n=0
        while [ -e "$FAKE_DIR/hold-$1" ] && [ $n -lt 2400 ]; do sleep 0.05; n=$((n + 1)); done
        """#

    static let kubectl = #"""
        #!/bin/sh
        # Recording fake kubectl.
        echo "$*" >> "$FAKE_DIR/kubectl.log"
        namespace=""
        previous=""
        for argument in "$@"; do
          [ "$previous" = "--namespace" ] && namespace="$argument"
          previous="$argument"
        done
        case "$1 $2" in
          "kustomize "*)
            # `kustomize DIR --output FILE`: with the real kustomize when there is one (the pinned overlay
            # must build), else the kustomization itself stands for the rendering.
            environment=$(basename "$2")
            if [ -x "$REAL_KUBECTL" ]; then
              "$REAL_KUBECTL" kustomize "$2" > "$4" || exit 1
            else
              { echo "# rendered by the fake kubectl"; cat "$2/kustomization.yaml"; } > "$4"
            fi
            cp "$4" "$FAKE_DIR/rendered-$environment.yaml" ;;
          "apply -f")
            environment=$(basename "$(dirname "$3")")
            "$FAKE_DIR/bin/hold" "apply-$environment"
            cp "$3" "$FAKE_DIR/applied-$environment.yaml"
            echo "deployment.apps/intent-api configured" ;;
          "rollout status")
            "$FAKE_DIR/bin/hold" "rollout-$namespace"
            for failure in "$FAKE_DIR"/fail-rollout-"$namespace"-*; do
              if [ -e "$failure" ]; then
                rm -f "$failure"
                echo "error: deployment \"intent-api\" exceeded its progress deadline" >&2
                exit 1
              fi
            done
            echo "deployment \"intent-api\" successfully rolled out" ;;
          "rollout undo")
            echo "deployment.apps/intent-api rolled back" ;;
        esac
        exit 0
        """#

    static let docker = #"""
        #!/bin/sh
        # Recording fake docker: build and push succeed; inspect prints a digest derived from the reference.
        echo "$*" >> "$FAKE_DIR/docker.log"
        case "$1" in
          build) "$FAKE_DIR/bin/hold" build ;;
          push) "$FAKE_DIR/bin/hold" push ;;
          inspect)
            for reference in "$@"; do :; done
            printf '%s@sha256:%s\n' "${reference%:*}" "$(printf %s "$reference" | sha256sum | cut -c1-64)" ;;
        esac
        exit 0
        """#

    /// Writes the fakes into `directory/bin`; returns that directory.
    static func install(in directory: URL, docker installDocker: Bool) throws -> URL {
        let bin = directory.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        var tools = [("hold", hold), ("kubectl", kubectl)]
        if installDocker { tools.append(("docker", docker)) }
        for (name, text) in tools {
            let path = bin.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        }
        return bin
    }
}
