import Foundation
import NetcFrontEnd
import NetcGraph
import Testing

@Suite struct ModelSourceTests {
    @Test func errorIsPrintedWithItsSourceLineAndACaret() throws {
        let source = ModelSource(path: "model.swift-dsl", text: network("ReLU()\nBatchNom()"))
        let error = try #require(throws: FrontEndError.self) { try FrontEnd.parse(source) }
        #expect(
            error.description == """
                model.swift-dsl:3:5: error: unknown layer 'BatchNom'; did you mean 'BatchNorm'?
                3 |     BatchNom()
                  |     `- error: unknown layer 'BatchNom'; did you mean 'BatchNorm'?
                """)
    }

    @Test func severalErrorsArePrintedOneAfterTheOther() {
        let source = ModelSource(path: "m.swift-dsl", text: network("Relu()\nDropout(x)"))
        let rendered = source.render(diagnostics(of: source))
        #expect(
            rendered == """
                m.swift-dsl:2:5: error: unknown layer 'Relu'; did you mean 'ReLU'?
                2 |     Relu()
                  |     `- error: unknown layer 'Relu'; did you mean 'ReLU'?
                m.swift-dsl:3:13: error: expected a number for 'p', found identifier 'x'; only literal values are allowed
                3 |     Dropout(x)
                  |             `- error: expected a number for 'p', found identifier 'x'; only literal values are allowed
                """)
    }

    @Test func graphBuilderErrorIsPrintedTheSameWay() {
        let text = network("Sequential(\"conv1\") {\n    Conv2D(8, kernel: 0)\n}")
        let source = ModelSource(path: "model.swift-dsl", text: text)
        let location = SourceLocation(file: "model.swift-dsl", line: 3, column: 9)
        let error = ModelError(at: location, layer: "conv1.0", "kernel must be at least 1")
        #expect(
            source.render(error) == """
                model.swift-dsl:3:9: error: layer 'conv1.0': kernel must be at least 1
                3 |         Conv2D(8, kernel: 0)
                  |         `- error: layer 'conv1.0': kernel must be at least 1
                """)
    }

    @Test func graphBuilderErrorWithoutALocationIsItsDescription() {
        let source = ModelSource(path: "model.swift-dsl", text: network("ReLU()"))
        let error = ModelError(at: nil, layer: "", "the network has no layers")
        #expect(source.render(error) == "error: the network has no layers")
    }

    @Test func coloursAreUsedOnlyWhenAsked() {
        let source = ModelSource(path: "m", text: network("Relu()"))
        let found = diagnostics(of: source)
        #expect(!source.render(found, colorize: false).contains("\u{1B}["))
        #expect(source.render(found, colorize: true).contains("\u{1B}["))
    }

    @Test func missingFileSaysSo() {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-model.swift-dsl").path
        #expect(throws: FrontEndError.unreadableFile(path: path, reason: "no such file")) {
            try ModelSource(path: path)
        }
        #expect(
            FrontEndError.unreadableFile(path: path, reason: "no such file").description
                == "\(path): error: cannot read model file: no such file")
    }

    @Test func directoryIsNotAModelFile() {
        let path = FileManager.default.temporaryDirectory.path
        #expect(throws: FrontEndError.unreadableFile(path: path, reason: "it is a directory")) {
            try ModelSource(path: path)
        }
    }

    @Test func fileIsReadAsUTF8() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("netc-frontend-\(UUID()).swift-dsl")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(network("ReLU() // ünïcödé").utf8).write(to: url)
        #expect(try ModelSource(path: url.path).text == network("ReLU() // ünïcödé"))
        try Data([0x52, 0xFF, 0xFE]).write(to: url)
        #expect(throws: FrontEndError.unreadableFile(path: url.path, reason: "the file is not UTF-8 text")) {
            try ModelSource(path: url.path)
        }
    }
}
