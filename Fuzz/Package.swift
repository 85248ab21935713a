// swift-tools-version: 6.1
// libFuzzer targets for netc's parsers of user files, kept out of the main package so that its build and
// tests are unaffected. Build and run them with `tools/fuzz`, which passes `-sanitize=fuzzer,address`.
import PackageDescription

/// One fuzzer per parser of user files.
let fuzzers = [
    "FuzzModelSource", "FuzzKaggleCSV", "FuzzLabelsCSV", "FuzzIDX", "FuzzNPZ", "FuzzNPY", "FuzzSafeTensors",
]

let package = Package(
    name: "netc-fuzz",
    dependencies: [.package(name: "netc", path: "..")],
    targets: [
        .target(name: "CLibFuzzer"),
        .target(
            name: "FuzzSupport",
            dependencies: [
                "CLibFuzzer", .product(name: "NetcGraph", package: "netc"), .product(name: "NetcRuntime", package: "netc"),
            ]),
    ]
        + fuzzers.map { name in
            .executableTarget(
                name: name,
                dependencies: [
                    "FuzzSupport",
                    .product(name: "NetcFrontEnd", package: "netc"),
                    .product(name: "NetcGraph", package: "netc"),
                    .product(name: "NetcRuntime", package: "netc"),
                ])
        }
)
