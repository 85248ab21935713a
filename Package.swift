// swift-tools-version: 6.1
// netc: a neural-network compiler. Targets follow the pipeline, each depending only on the ones above it:
// NetcGraph (ops, shapes, autodiff) → NetcFrontEnd (.swift-dsl → graph) → NetcInterpreter | NetcLoops (fused
// loop nests, buffer plan) → NetcLLVM (LLVM IR, JIT, object output) → NetcRuntime (data, training, checkpoints,
// on any `Backend`) → netc (command line).
import Foundation
import PackageDescription

/// Where LLVM lives. Debian's llvm-dev 14 by default; `NETC_LLVM_PREFIX` (a directory with `include/` and
/// `lib/`) and `NETC_LLVM_LIBRARY` (the library name without `lib`/`.so`) point elsewhere.
let environment = ProcessInfo.processInfo.environment
let llvmPrefix = environment["NETC_LLVM_PREFIX"] ?? "/usr/lib/llvm-14"
let llvmLibrary = environment["NETC_LLVM_LIBRARY"] ?? "LLVM-14"
// The Swift toolchain ships llvm-c headers of its own (a newer LLVM); LLVM's own include directory must
// come first so the headers match the library we link.
let llvmHeaders: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-I\(llvmPrefix)/include"])]

let package = Package(
    name: "netc",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "netc", targets: ["netc"]),
        .library(name: "NetcRuntime", targets: ["NetcRuntime"]),
        .library(name: "NetcGraph", targets: ["NetcGraph"]),
        .library(name: "NetcFrontEnd", targets: ["NetcFrontEnd"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swiftlang/swift-syntax", exact: "603.0.1"),
    ],
    targets: [
        .target(name: "NetcGraph"),
        .target(
            name: "NetcFrontEnd",
            dependencies: [
                "NetcGraph",
                .product(name: "SwiftSyntax", package: "swift-syntax"),
                .product(name: "SwiftParser", package: "swift-syntax"),
                .product(name: "SwiftDiagnostics", package: "swift-syntax"),
                .product(name: "SwiftParserDiagnostics", package: "swift-syntax"),
            ]),
        // Optimised in debug builds too: the interpreter is the reference of every test, and the production-size
        // comparisons (batch 100 through the reference network) would take minutes at -Onone.
        .target(
            name: "NetcInterpreter", dependencies: ["NetcGraph"],
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        .target(name: "NetcLoops", dependencies: ["NetcGraph"]),
        // The loop IR's own reference: kernels evaluated in Swift, no LLVM.
        .target(name: "NetcLoopEvaluator", dependencies: ["NetcGraph", "NetcLoops"]),
        .systemLibrary(name: "CLLVM", path: "Sources/CLLVM"),
        .target(
            name: "NetcLLVM",
            dependencies: ["CLLVM", "NetcGraph", "NetcLoops", "NetcLoopEvaluator"],
            swiftSettings: llvmHeaders,
            linkerSettings: [
                .unsafeFlags(["-L\(llvmPrefix)/lib", "-Xlinker", "-rpath", "-Xlinker", "\(llvmPrefix)/lib"]),
                .linkedLibrary(llvmLibrary),
            ]),
        // Debian's zlib (zlib1g-dev): gzip IDX files and compressed NumPy archives.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "NetcRuntime", dependencies: ["NetcGraph", "CZlib"]),
        // The reference network's inference code, compiled ahead of time by `tools/regenerate` (netc itself).
        .target(name: "MnistCNNInference", path: "Generated/mnist-cnn"),
        .executableTarget(
            name: "netc",
            dependencies: [
                "NetcFrontEnd", "NetcGraph", "NetcInterpreter", "NetcLoopEvaluator", "NetcLLVM", "NetcRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // The reference network built in code, shared by the tests of the layers below the front end.
        .target(name: "NetcTestSupport", dependencies: ["NetcGraph"], path: "Tests/NetcTestSupport"),
        .testTarget(name: "NetcGraphTests", dependencies: ["NetcGraph", "NetcTestSupport"]),
        .testTarget(name: "NetcFrontEndTests", dependencies: ["NetcFrontEnd", "NetcGraph"]),
        .testTarget(
            name: "NetcInterpreterTests",
            dependencies: ["NetcInterpreter", "NetcGraph", "NetcRuntime", "NetcTestSupport"]),
        .testTarget(name: "NetcLoopsTests", dependencies: ["NetcLoops", "NetcGraph", "NetcTestSupport"]),
        .testTarget(
            name: "NetcLoopEvaluatorTests",
            dependencies: ["NetcLoopEvaluator", "NetcLoops", "NetcGraph", "NetcInterpreter", "NetcTestSupport"]),
        .testTarget(
            name: "NetcLLVMTests",
            dependencies: [
                "NetcLLVM", "NetcLoops", "NetcLoopEvaluator", "NetcGraph", "NetcInterpreter", "NetcTestSupport",
            ],
            swiftSettings: llvmHeaders),
        .testTarget(name: "NetcRuntimeTests", dependencies: ["NetcRuntime", "NetcGraph", "NetcInterpreter"]),
        .testTarget(name: "netcTests", dependencies: ["netc"]),
        .testTarget(
            name: "GeneratedTests",
            dependencies: ["MnistCNNInference", "NetcFrontEnd", "NetcGraph", "NetcLoops", "NetcLLVM"],
            swiftSettings: llvmHeaders),
    ]
)
