internal import CLLVM

/// A fact about a pointer parameter that netc states so the optimiser may rely on it.
enum ParameterAttribute: Equatable {
    /// No other argument or global reaches the same memory (`noalias`); what lets loops vectorise.
    case noAlias
    /// The function keeps no copy of the pointer after it returns (`nocapture`).
    case noCapture
    /// The pointer is a multiple of `bytes`, a power of two (`align N`).
    case align(bytes: Int)
    /// The function only reads through the pointer (`readonly`).
    case readOnly
    /// The function only writes through the pointer (`writeonly`).
    case writeOnly

    /// LLVM's spelling of the attribute's kind.
    var kindName: String {
        switch self {
        case .noAlias: "noalias"
        case .noCapture: "nocapture"
        case .align: "align"
        case .readOnly: "readonly"
        case .writeOnly: "writeonly"
        }
    }

    /// The attribute's integer argument: the alignment for `align`, 0 for the others.
    var value: UInt64 {
        if case .align(let bytes) = self {
            precondition(bytes > 0 && bytes & (bytes - 1) == 0, "alignment \(bytes) is not a power of two")
            return UInt64(bytes)
        }
        return 0
    }
}

/// A fact about a whole function that netc states to the optimiser.
enum FunctionAttribute: String {
    /// Never inline the function (`noinline`): kernels stay separate functions, which keeps compile time
    /// linear in the number of kernels and each one visible in profiles and assembly.
    case noInline = "noinline"
    /// The function throws no exceptions (`nounwind`).
    case noUnwind = "nounwind"
    /// Prefer small code (`optsize`): LLVM still vectorises but does not unroll, which saves compile time
    /// where the loops are memory-bound anyway.
    case optimizeForSize = "optsize"
}

/// One parameter of a function netc defines: its name in the printed IR, its type and its attributes.
struct IRParameter {
    let name: String
    let type: IRType
    var attributes: [ParameterAttribute] = []
}

/// A function of one `IRModule`; a view, valid while that module lives.
struct IRFunction {
    let ref: LLVMValueRef

    /// The attribute index that means the function itself rather than a parameter (`~0U` in C).
    private static let functionAttributeIndex = LLVMAttributeIndex(truncatingIfNeeded: LLVMAttributeFunctionIndex)

    /// The function's type (`returnType (parameters...)`).
    var type: IRType { IRType(ref: LLVMGlobalGetValueType(ref)) }

    /// The function's name.
    var name: String {
        var length = 0
        guard let name = LLVMGetValueName2(ref, &length) else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: name, count: length), as: UTF8.self)
    }

    /// True for a declaration without a body (an external function or intrinsic).
    var isDeclaration: Bool { LLVMIsDeclaration(ref) != 0 }

    /// The function as a value, to pass where LLVM expects one.
    var value: IRValue { IRValue(ref: ref) }

    /// The parameter at `index`, counting from 0.
    func parameter(_ index: Int) -> IRValue {
        precondition(index >= 0 && index < Int(LLVMCountParams(ref)), "parameter \(index) out of range")
        return IRValue(ref: LLVMGetParam(ref, UInt32(index)))
    }

    /// Appends a new, empty basic block named `name` to the body.
    func appendBlock(named name: String) -> IRBlock {
        IRBlock(ref: LLVMAppendBasicBlockInContext(LLVMGetTypeContext(LLVMTypeOf(ref)), ref, name))
    }

    /// Adds `attribute` to the parameter at `index`, counting from 0.
    func add(_ attribute: ParameterAttribute, toParameter index: Int) {
        let context = LLVMGetTypeContext(LLVMTypeOf(ref))
        let kind = LLVMGetEnumAttributeKindForName(attribute.kindName, attribute.kindName.utf8.count)
        precondition(kind != 0, "LLVM knows no attribute '\(attribute.kindName)'")
        let created = LLVMCreateEnumAttribute(context, kind, attribute.value)
        LLVMAddAttributeAtIndex(ref, LLVMAttributeIndex(index + 1), created)
    }

    /// Adds the enum attribute `kind` (e.g. `.noInline`) to the function itself.
    func add(_ attribute: FunctionAttribute) {
        let context = LLVMGetTypeContext(LLVMTypeOf(ref))
        let kind = LLVMGetEnumAttributeKindForName(attribute.rawValue, attribute.rawValue.utf8.count)
        precondition(kind != 0, "LLVM knows no attribute '\(attribute.rawValue)'")
        LLVMAddAttributeAtIndex(ref, Self.functionAttributeIndex, LLVMCreateEnumAttribute(context, kind, 0))
    }

    /// Makes the function visible only inside its module (`internal`), so unused copies can be dropped.
    func makeInternal() {
        LLVMSetLinkage(ref, LLVMInternalLinkage)
    }

    /// Sets the string attribute `key` = `value` on the function itself (e.g. `"target-cpu"`),
    /// replacing any earlier value.
    func setAttribute(_ key: String, to value: String) {
        let context = LLVMGetTypeContext(LLVMTypeOf(ref))
        let created = LLVMCreateStringAttribute(
            context, key, UInt32(key.utf8.count), value, UInt32(value.utf8.count))
        LLVMAddAttributeAtIndex(ref, Self.functionAttributeIndex, created)
    }

    /// The value of the function's string attribute `key`, or nil when it has none.
    func attribute(_ key: String) -> String? {
        let found = LLVMGetStringAttributeAtIndex(ref, Self.functionAttributeIndex, key, UInt32(key.utf8.count))
        guard let found else { return nil }
        var length: UInt32 = 0
        guard let text = LLVMGetStringAttributeValue(found, &length) else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: text, count: Int(length)), as: UTF8.self)
    }
}

extension IRModule {
    /// Defines a function `name` with external linkage, named parameters and their attributes; the body
    /// is empty until blocks are appended.
    func addFunction(named name: String, returning result: IRType, parameters: [IRParameter]) -> IRFunction {
        let type = functionType(returning: result, parameters: parameters.map(\.type))
        let function = IRFunction(ref: LLVMAddFunction(ref, name, type.ref))
        for (index, parameter) in parameters.enumerated() {
            LLVMSetValueName2(function.parameter(index).ref, parameter.name, parameter.name.utf8.count)
            for attribute in parameter.attributes {
                function.add(attribute, toParameter: index)
            }
        }
        return function
    }

    /// The function called `name`, or nil when the module has none.
    func function(named name: String) -> IRFunction? {
        LLVMGetNamedFunction(ref, name).map(IRFunction.init(ref:))
    }

    /// Every function of the module, definitions and declarations, in module order.
    var functions: [IRFunction] {
        sequence(first: LLVMGetFirstFunction(ref), next: LLVMGetNextFunction).map(IRFunction.init(ref:))
    }

    /// The declaration of the C library's one-argument function `name` (e.g. `erf` or `tanhf`), of type
    /// `type (type)`, added on first use.
    func libraryFunction(named name: String, of type: IRType) -> IRFunction {
        if let declared = function(named: name) { return declared }
        let function = addFunction(named: name, returning: type, parameters: [IRParameter(name: "x", type: type)])
        function.add(.noUnwind)
        return function
    }

    /// The declaration of the LLVM intrinsic `name` (e.g. `"llvm.exp"`), specialised to the overloaded
    /// types `types` (e.g. `[floatType]` for `llvm.exp.f32`).
    func intrinsic(named name: String, overloadedOn types: [IRType]) -> IRFunction {
        let id = LLVMLookupIntrinsicID(name, name.utf8.count)
        precondition(id != 0, "LLVM knows no intrinsic '\(name)'")
        var typeRefs: [LLVMTypeRef?] = types.map(\.ref)
        return IRFunction(ref: LLVMGetIntrinsicDeclaration(ref, id, &typeRefs, typeRefs.count))
    }
}
