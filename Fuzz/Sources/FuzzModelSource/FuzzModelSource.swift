import FuzzSupport
import NetcFrontEnd
import NetcGraph

/// Fuzzes the `.swift-dsl` front end and, for every file it accepts, graph building in both modes, the
/// training step and the summary: each input must give them, or errors located at a `FILE:LINE:COL` inside the
/// input (as swift-syntax numbers it, in the text after invalid UTF-8 is replaced).
@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzz(data, size) { bytes in
        let path = "fuzz.swift-dsl"
        let source = ModelSource(path: path, text: String(decoding: bytes, as: UTF8.self))
        func requireInsideSource(_ description: String, at location: SourceLocation?) {
            guard let location, location.file == path else { fail("error does not name the file: \(description)") }
            requireInside(
                description, path: path, line: location.line, column: location.column, of: Array(source.text.utf8),
                numbering: .swiftSource)
        }
        let spec: NetworkSpec
        do throws(FrontEndError) {
            spec = try FrontEnd.parse(source)
        } catch {
            guard !error.diagnostics.isEmpty else { fail("rejected without a diagnostic") }
            for diagnostic in error.diagnostics { requireInsideSource(diagnostic.description, at: diagnostic.location) }
            _ = error.description
            return
        }
        let optimizer: Optimizer = spec.training.optimizer == .sgd ? .sgd(SGDAttributes()) : .adam(AdamAttributes())
        do throws(ModelError) {
            let model = try NetworkModel(spec, batchSize: 1, mode: .training)
            _ = model.trainingStep(optimizer: optimizer)
            _ = model.summary
            _ = try NetworkModel(spec, batchSize: 1, mode: .inference)
        } catch {
            requireInsideSource(error.description, at: error.location)
            _ = source.render(error)
        }
    }
}

/// Starts libFuzzer; see `tools/fuzz`.
@main
enum ModelSourceFuzzer {
    static func main() { runFuzzer(testOneInput) }
}
