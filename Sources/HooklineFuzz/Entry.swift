import Foundation

// Built with `-sanitize=fuzzer -D FUZZING` (scripts/fuzz), this is a libFuzzer target: libFuzzer's
// driver runs every input through the target named by HOOKLINE_FUZZ_TARGET. Built plainly, it replays corpus files through a target, so a crasher
// found once can be run again under a debugger: `hookline-fuzz <target> <file or folder>…`.

#if FUZZING
import CFuzzerDriver

/// Chosen once, at the first input (a global is initialized lazily and once).
private let selected: @Sendable ([UInt8]) -> Void = {
    let name = ProcessInfo.processInfo.environment["HOOKLINE_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTargets.all[name] else {
        FileHandle.standardError.write(Data("HOOKLINE_FUZZ_TARGET must be one of \(FuzzTargets.all.keys.sorted())\n".utf8))
        exit(2)
    }
    return target
}()

/// What libFuzzer calls with each input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selected(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@main
enum Fuzz {
    static func main() {
        var argc = CommandLine.argc
        var argv = Optional(CommandLine.unsafeArgv)
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOne(data, size) })
    }
}
#else
@main
enum Replay {
    static func main() throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTargets.all[name], arguments.count > 1 else {
            FileHandle.standardError.write(Data("usage: hookline-fuzz <\(FuzzTargets.all.keys.sorted().joined(separator: "|"))> <file or folder>…\n".utf8))
            exit(2)
        }
        var count = 0
        for path in arguments.dropFirst() {
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
            let files = isFolder.boolValue ? try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { "\(path)/\($0)" } : [path]
            for file in files {
                target(Array(try Data(contentsOf: URL(fileURLWithPath: file))))
                count += 1
            }
        }
        print("\(name): \(count) inputs replayed")
    }
}
#endif
