import NetcGraph
import NetcLoops

extension AheadOfTimeCode {
    /// A C header declaring the entry function and, as `#define`s, its memory contract: the batch size, the
    /// alignment and size of each arena, and the byte offset of every input, output, parameter and state
    /// tensor (by its `state_dict` name) in its arena.
    ///
    /// Macros are named `NAMESPACE_TENSOR_OFFSET`, where the namespace is the upper-cased symbol prefix
    /// (`NETC` without one) and the tensor's name is upper-cased with every other character an underscore:
    /// `MNIST_CNN_CONV1_0_WEIGHT_OFFSET`, `MNIST_CNN_IMAGES_OFFSET`, `MNIST_CNN_LOGITS_OFFSET`.
    public func header() -> String {
        let namespace = symbolPrefix.isEmpty ? "NETC" : symbolPrefix.uppercased()
        let guardName = "\(program.entryName.uppercased())_H"
        let memory = program.memory
        var lines = [commented(by: "// ") + "#ifndef \(guardName)", "#define \(guardName)", ""]
        lines += contract(namespace: namespace).map { $0.isEmpty ? "//" : "// \($0)" }
        lines.append("")
        if let images = memory.inputs[.images], let batchSize = images.type.shape.first {
            lines.append("#define \(namespace)_BATCH_SIZE \(batchSize)")
        }
        lines.append("#define \(namespace)_ALIGNMENT \(MemoryPlan.alignment)")
        for arena in Arena.allCases {
            lines.append("#define \(namespace)_\(arena.rawValue.uppercased())_BYTES \(memory.arenaSizes[arena] ?? 0)")
        }
        var macroNames: Set<String> = []
        for arena in Arena.allCases {
            let tensors = placedTensors(in: arena)
            guard !tensors.isEmpty else { continue }
            lines += ["", "// Byte offsets in the \(arena.rawValue) arena."]
            for tensor in tensors {
                let macro = "\(namespace)_\(Self.macroName(tensor.name))_OFFSET"
                precondition(macroNames.insert(macro).inserted, "two tensors map to the macro \(macro)")
                let type = tensor.view.type
                lines.append("// \(tensor.role) \(tensor.name): \(Self.cType(type.dtype)) \(type.shape)")
                lines.append("#define \(macro) \(tensor.view.location.byteOffset)")
            }
        }
        lines += [
            "", "#ifdef __cplusplus", "extern \"C\" {", "#endif", "",
            "// Runs the program once on the four arenas (see the contract above).",
            "void \(program.entryName)(void *workspace, void *parameters, void *state, void *io);",
        ]
        if !program.parameterOnlyKernels.isEmpty {
            lines += [
                "",
                "// \(program.entryName) in two parts, for many calls with the same parameters and state: the first",
                "// packs the weights into the workspace, the second runs the batch with them. Call the first again",
                "// after changing a parameter or state tensor, and keep the workspace between the calls.",
                "void \(program.preparationEntryName)(void *workspace, void *parameters, void *state, void *io);",
                "void \(program.preparedEntryName)(void *workspace, void *parameters, void *state, void *io);",
            ]
        }
        lines += ["", "#ifdef __cplusplus", "}", "#endif", "", "#endif", ""]
        return lines.joined(separator: "\n")
    }

    /// The comment that explains how to call the entry function.
    private func contract(namespace: String) -> [String] {
        let persistentArenas: Set<Arena> = [.parameters, .state]
        let updates = program.kernels.contains { kernel in
            kernel.writtenBuffers.contains { persistentArenas.contains(program.buffers[$0.index].location.arena) }
        }
        let access = updates ? "updated in place" : "read only"
        return [
            "\(program.entryName): compiled by netc for \(target.triple), CPU \(target.cpuName) (\(target.features));",
            "it runs only on processors with those features.",
            "",
            "Memory contract: the caller allocates four arenas, each aligned to \(namespace)_ALIGNMENT bytes, at least",
            "as large as its \(namespace)_*_BYTES size and not overlapping the others, and passes their start",
            "addresses. The shapes are fixed: \(namespace)_BATCH_SIZE images per call.",
            "Each tensor is a dense row-major array at the byte offset given below in its arena.",
            "- workspace: scratch memory of the run; outputs placed in it are read from it after the call.",
            "- parameters: the trainable parameters, by state_dict name, \(access).",
            "- state: the non-trainable state (running statistics, counters), \(access).",
            "- io: the inputs, written before each call.",
            "The function keeps no pointer to the arenas after it returns.",
        ]
    }

    /// A tensor a caller reads or writes, with the role it plays.
    private struct PlacedTensor {
        var role: String
        var name: String
        var view: TensorView
    }

    /// Every input, output, parameter and state tensor placed in `arena`, by offset then name.
    private func placedTensors(in arena: Arena) -> [PlacedTensor] {
        let memory = program.memory
        let inputs = memory.inputs.map { PlacedTensor(role: "input", name: Self.inputName($0.key), view: $0.value) }
        let outputs = memory.outputs.map { PlacedTensor(role: "output", name: $0.key, view: $0.value) }
        let persistent = memory.persistent.map {
            let role = $0.value.location.arena == .parameters ? "parameter" : "state"
            return PlacedTensor(role: role, name: $0.key, view: $0.value)
        }
        return (inputs + outputs + persistent)
            .filter { $0.view.location.arena == arena }
            .sorted { ($0.view.location.byteOffset, $0.name) < ($1.view.location.byteOffset, $1.name) }
    }

    /// An input's name in snake case, as C code would spell it (`learning_rate`).
    private static func inputName(_ kind: InputKind) -> String {
        kind.rawValue.reduce(into: "") { name, character in
            name += character.isUppercase ? "_\(character.lowercased())" : String(character)
        }
    }

    /// A tensor name as part of a macro: upper case, every character but a letter or digit made `_`.
    static func macroName(_ name: String) -> String {
        String(decoding: name.uppercased().utf8.map { isASCIIAlphanumeric($0) ? $0 : UInt8(ascii: "_") }, as: UTF8.self)
    }

    /// The C element type of `dtype`.
    private static func cType(_ dtype: DType) -> String {
        switch dtype {
        case .float32: "float"
        case .int32: "int32_t"
        case .int64: "int64_t"
        }
    }
}
