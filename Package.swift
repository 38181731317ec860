// swift-tools-version:6.0
// LandmarkKit: anatomical landmark detection on X-ray images, native on Linux.
// Targets follow the data flow: ingest → contrast protocols → landmarks (datasets) → tensor engine / detector → CLI.
import PackageDescription

// dcmsr (structured reports) and dcmpstat (presentation states) write the clinical result objects; Debian's shared
// libraries bring what they need themselves (dcmnet, dcmsign, libxml2, ...).
let dcmtkLibraries: [LinkerSetting] = [
    "dcmpstat", "dcmsr", "dcmjpls", "dcmtkcharls", "dcmjpeg", "ijg8", "ijg12", "ijg16", "dcmimage", "dcmimgle", "dcmdata", "oflog", "ofstd", "z",
].map { .linkedLibrary($0) }

let package = Package(
    name: "LandmarkKit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "landmark", targets: ["LandmarkCLI"]),
        .library(name: "XRayIngest", targets: ["XRayIngest"]),
        .library(name: "ContrastProtocols", targets: ["ContrastProtocols"]),
        .library(name: "TensorEngine", targets: ["TensorEngine"]),
        .library(name: "DetectorModel", targets: ["DetectorModel"]),
        .library(name: "Landmarks", targets: ["Landmarks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // MARK: C shims over Debian's libraries
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        // Include and link paths come from pkg-config through these system-library targets. DCMTK's headers sit under
        // /usr/include/dcmtk and are included as "dcmtk/...", so they need no flag; its libraries are linked by name
        // (dcmtk.pc would list every DCMTK library, and on Debian it fails on an undeclared sndfile dependency).
        .systemLibrary(name: "CTIFF", path: "Sources/CTIFF", pkgConfig: "libtiff-4", providers: [.apt(["libtiff-dev"])]),
        .systemLibrary(name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng16", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "COpenJPEG", path: "Sources/COpenJPEG", pkgConfig: "libopenjp2", providers: [.apt(["libopenjp2-7-dev"])]),
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "CDicomBridge", dependencies: ["COpenJPEG", "CLibXML2"], path: "Sources/CDicomBridge",
                linkerSettings: dcmtkLibraries),
        .systemLibrary(name: "CRsvg", path: "Sources/CRsvg", pkgConfig: "librsvg-2.0",
                       providers: [.apt(["librsvg2-dev"])]),
        .target(name: "CSVGRaster", dependencies: ["CRsvg"], path: "Sources/CSVGRaster"),
        .systemLibrary(name: "CMPI", path: "Sources/CMPI", pkgConfig: "ompi-c",
                       providers: [.apt(["libopenmpi-dev"])]),
        .target(name: "CImageIO", dependencies: ["CTIFF", "CPNG"], path: "Sources/CImageIO",
                linkerSettings: [.linkedLibrary("z")]),
        // Vector kernels compiled once per ISA (AVX-512, AVX2, baseline), picked at load time by the CPU
        .target(name: "CVectorKernels", path: "Sources/CVectorKernels"),

        // MARK: Files out: atomic replacement and CSV fields, for every target that writes
        .target(name: "FileOutput"),
        // MARK: Parallel loops on parked threads, for every target outside the tensor engine
        .target(name: "ParallelWork"),

        // MARK: Ingest: files → calibrated XRayImage
        .target(name: "XRayIngest", dependencies: [
            "CDicomBridge", "CImageIO", "FileOutput", "ParallelWork",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // MARK: Contrast protocols: XRayImage → [0,1] image, bone bright
        .target(name: "ContrastProtocols", dependencies: ["FileOutput", "XRayIngest", "Yams"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // MARK: Landmarks: schemas, datasets, augmentation, heatmaps, phantom
        .target(name: "Landmarks", dependencies: ["FileOutput", "ParallelWork", "XRayIngest", "ContrastProtocols", "Yams",
                                                  .product(name: "Crypto", package: "swift-crypto"),
                                                  .product(name: "Logging", package: "swift-log")]),
        // MARK: Tensor engine: tensors, autograd, layers, optimisers, safetensors
        .target(name: "TensorEngine", dependencies: ["COpenBLAS", "CVectorKernels", "FileOutput"], exclude: ["API.md"],
                swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]),
        // MARK: Charts: SVG line and bar charts, rendered to PNG by librsvg (training figures and reports)
        .target(name: "Charts", dependencies: ["CSVGRaster", "FileOutput"]),
        // MARK: Cluster: MPI collectives behind a protocol; one process without mpirun
        .target(name: "Cluster", dependencies: ["CMPI"]),
        // MARK: Detector: the FPN keypoint network
        .target(name: "DetectorModel", dependencies: ["FileOutput", "TensorEngine"]),
        // MARK: Run artefacts: the files a training run leaves that other commands read (difficulty log, figures, tables)
        .target(name: "RunArtefacts", dependencies: ["Charts", "FileOutput", "Landmarks"]),
        // MARK: Training: per-sample base losses, AFL, the trainer
        .target(name: "Training", dependencies: ["FileOutput", "DetectorModel", "TensorEngine", "Landmarks", "XRayIngest", "Charts",
                                                 "ContrastProtocols", "RunArtefacts", "Yams", "Cluster",
                                                 .product(name: "Logging", package: "swift-log")]),
        // MARK: Clinical DICOM: landmarks as SR (TID 1500) and GSPS for PACS and viewers; SRs read back (issue #15)
        .target(name: "ClinicalDICOM", dependencies: ["CDicomBridge", "FileOutput", "XRayIngest", "Landmarks",
                                                      .product(name: "Crypto", package: "swift-crypto")]),
        // MARK: Inference: model directories, batched prediction, landmark outputs
        // Training for the AFL critic: an AFL model's difficulty score at inference (issue #12).
        .target(name: "Inference", dependencies: ["FileOutput", "DetectorModel", "TensorEngine", "Landmarks", "XRayIngest",
                                                  "ContrastProtocols", "Training", "ClinicalDICOM", "Cluster",
                                                  .product(name: "Crypto", package: "swift-crypto"),
                                                  .product(name: "Logging", package: "swift-log")]),
        // MARK: Benchmarks: the library side of `landmark bench` (detector, AFL, ingest, protocols)
        .target(name: "Benchmarks", dependencies: ["ContrastProtocols", "DetectorModel", "ParallelWork", "TensorEngine", "Training",
                                                   "XRayIngest"]),
        // MARK: Reporting: false negatives per contrast protocol, errors, comparisons; HTML/SVG/CSV/JSON/Markdown
        .target(name: "Reporting", dependencies: ["FileOutput", "Inference", "RunArtefacts", "Charts", "DetectorModel", "Landmarks", "XRayIngest",
                                                  "ContrastProtocols", "ClinicalDICOM", "Cluster"]),
        // MARK: The `landmark` command
        .executableTarget(name: "LandmarkCLI", dependencies: [
            "FileOutput", "XRayIngest", "ContrastProtocols", "Landmarks", "TensorEngine", "DetectorModel", "RunArtefacts", "Training", "Inference",
            "Reporting", "ClinicalDICOM", "Cluster", "Benchmarks",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Fixtures shared by test targets (the shared data sets' location and manifests); no library depends on it.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "FileOutputTests", dependencies: ["FileOutput"]),
        .testTarget(name: "ParallelWorkTests", dependencies: ["ParallelWork"]),
        .testTarget(name: "ArchitectureTests"),
        .testTarget(name: "XRayIngestTests", dependencies: ["XRayIngest", "ParallelWork", "TestSupport"]),
        .testTarget(name: "ContrastProtocolsTests", dependencies: ["ContrastProtocols", "ParallelWork", "XRayIngest"]),
        .testTarget(name: "LandmarksTests", dependencies: ["Landmarks", "XRayIngest"]),
        .testTarget(name: "ChartsTests", dependencies: ["Charts", "XRayIngest"]),
        .testTarget(name: "TensorEngineTests", dependencies: ["TensorEngine", "CVectorKernels"]),
        .testTarget(name: "RunArtefactsTests", dependencies: ["RunArtefacts", "Charts"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "RunArtefacts", "Charts", "DetectorModel", "TensorEngine", "Landmarks"]),
        .testTarget(name: "InferenceTests", dependencies: ["TestSupport", "Inference", "DetectorModel", "TensorEngine", "Landmarks",
                                                           "XRayIngest", "ContrastProtocols", "Training"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "ReportingTests", dependencies: ["TestSupport", "Reporting", "RunArtefacts", "Training", "Charts", "Inference", "Landmarks", "DetectorModel",
                                                           "XRayIngest", "ContrastProtocols", "ClinicalDICOM"]),
        .testTarget(name: "ClinicalDICOMTests", dependencies: ["TestSupport", "ClinicalDICOM", "Inference", "DetectorModel", "Landmarks",
                                                               "XRayIngest"]),
        .testTarget(name: "ClusterTests", dependencies: ["TestSupport", "Cluster", "TensorEngine"]),
        // Benchmarks for the synthetic Gaussian targets the learning test shares with `bench train`.
        .testTarget(name: "DetectorModelTests", dependencies: ["DetectorModel", "TensorEngine", "Benchmarks"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "BenchmarksTests", dependencies: ["Benchmarks", "DetectorModel", "TensorEngine", "TestSupport", "XRayIngest"]),
    ],
    swiftLanguageModes: [.v5],
    cxxLanguageStandard: .cxx17
)
