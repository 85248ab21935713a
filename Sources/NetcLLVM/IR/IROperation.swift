internal import CLLVM

/// A two-operand arithmetic instruction; integer and floating-point forms are distinct, as in LLVM.
enum BinaryOperation {
    case add, subtract, multiply, signedDivide, signedRemainder
    case floatAdd, floatSubtract, floatMultiply, floatDivide
    /// Bitwise operations and shifts; `logicalShiftRight` fills with zeros.
    case and, or, xor, shiftLeft, logicalShiftRight

    var opcode: LLVMOpcode {
        switch self {
        case .add: LLVMAdd
        case .subtract: LLVMSub
        case .multiply: LLVMMul
        case .signedDivide: LLVMSDiv
        case .signedRemainder: LLVMSRem
        case .floatAdd: LLVMFAdd
        case .floatSubtract: LLVMFSub
        case .floatMultiply: LLVMFMul
        case .floatDivide: LLVMFDiv
        case .and: LLVMAnd
        case .or: LLVMOr
        case .xor: LLVMXor
        case .shiftLeft: LLVMShl
        case .logicalShiftRight: LLVMLShr
        }
    }
}

/// A comparison: signed integer predicates, and ordered floating-point ones (false when either operand
/// is NaN).
enum Comparison {
    case equal, notEqual, signedLess, signedLessOrEqual, signedGreater, signedGreaterOrEqual
    case floatEqual, floatNotEqual, floatLess, floatLessOrEqual, floatGreater, floatGreaterOrEqual

    /// The predicate as LLVM's `icmp` or `fcmp` condition.
    enum Predicate {
        case integer(LLVMIntPredicate)
        case float(LLVMRealPredicate)
    }

    var predicate: Predicate {
        switch self {
        case .equal: .integer(LLVMIntEQ)
        case .notEqual: .integer(LLVMIntNE)
        case .signedLess: .integer(LLVMIntSLT)
        case .signedLessOrEqual: .integer(LLVMIntSLE)
        case .signedGreater: .integer(LLVMIntSGT)
        case .signedGreaterOrEqual: .integer(LLVMIntSGE)
        case .floatEqual: .float(LLVMRealOEQ)
        case .floatNotEqual: .float(LLVMRealONE)
        case .floatLess: .float(LLVMRealOLT)
        case .floatLessOrEqual: .float(LLVMRealOLE)
        case .floatGreater: .float(LLVMRealOGT)
        case .floatGreaterOrEqual: .float(LLVMRealOGE)
        }
    }
}

/// A conversion between value types.
enum Conversion {
    case signedIntToFloat, floatToSignedInt, signExtend, zeroExtend, truncate, floatExtend, floatTruncate
    /// Reinterprets a pointer as a pointer to another type (LLVM 14's typed pointers).
    case bitCast

    var opcode: LLVMOpcode {
        switch self {
        case .signedIntToFloat: LLVMSIToFP
        case .floatToSignedInt: LLVMFPToSI
        case .signExtend: LLVMSExt
        case .zeroExtend: LLVMZExt
        case .truncate: LLVMTrunc
        case .floatExtend: LLVMFPExt
        case .floatTruncate: LLVMFPTrunc
        case .bitCast: LLVMBitCast
        }
    }
}
