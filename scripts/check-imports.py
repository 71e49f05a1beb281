#!/usr/bin/env python3
"""Every module a target imports is one it declares in Package.swift (a target or a product), so nothing
compiles only because another dependency happens to bring it in. SwiftPM's
--explicit-target-dependency-import-check accepts undeclared imports here (tried with Swift 6.3.1: an
`import HTTPServing` in Deployer and an `import NIOPosix` in HTTPServing both built), hence this check.
Toolchain modules (Foundation, Dispatch, Glibc, Testing, ...) need no declaration.
Usage: scripts/check-imports.py   (exit 1 with one line per undeclared import)"""
import json, os, re, subprocess, sys

TOOLCHAIN = {"Foundation", "FoundationEssentials", "FoundationNetworking", "Dispatch", "Glibc", "Musl", "Darwin",
             "Synchronization", "Testing", "XCTest", "_Concurrency", "os", "Android", "CryptoKit", "Observation", "RegexBuilder"}
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
package = json.loads(subprocess.run(["swift", "package", "dump-package"], cwd=root, check=True, capture_output=True, text=True).stdout)
problems = []
for target in package["targets"]:
    declared = {target["name"]}
    for dependency in target["dependencies"]:
        kind, value = next(iter(dependency.items()))
        declared.add(value[0])
    directory = target.get("path") or os.path.join("Tests" if target["type"] == "test" else "Sources", target["name"])
    for folder, _, files in os.walk(os.path.join(root, directory)):
        for name in files:
            if not name.endswith(".swift"):
                continue
            path = os.path.join(folder, name)
            for number, line in enumerate(open(path, encoding="utf-8"), 1):
                match = re.match(r"(?:@testable\s+|@_exported\s+|@preconcurrency\s+|(?:public|internal|package)\s+)*import\s+(?:(?:struct|class|enum|func|protocol|typealias|var|let)\s+)?([A-Za-z_][A-Za-z0-9_]*)", line)
                if match and match.group(1) not in declared and match.group(1) not in TOOLCHAIN:
                    problems.append(f"{os.path.relpath(path, root)}:{number}: imports {match.group(1)}, which target {target['name']} does not declare in Package.swift")
for problem in problems:
    print(problem)
print(f"check-imports: {len(package['targets'])} targets, {len(problems)} undeclared imports", file=sys.stderr)
sys.exit(1 if problems else 0)
