import NetcLoops

/// The LLVM types of the loop IR's scalar types in one module, looked up once per kernel.
struct ScalarTypes {
    let float32, float64, int32, int64, bool, byte, void: IRType

    init(_ module: borrowing IRModule) {
        float32 = module.floatType
        float64 = module.doubleType
        int32 = module.int32Type
        int64 = module.int64Type
        bool = module.boolType
        byte = module.integerType(bits: 8)
        void = module.voidType
    }

    /// The LLVM type of a vector of `lanes` elements of a scalar type.
    func vector(_ type: ScalarType, _ lanes: Int) -> IRType {
        self[type].vector(lanes)
    }

    /// The LLVM type of a scalar type.
    subscript(type: ScalarType) -> IRType {
        switch type {
        case .float32: float32
        case .float64: float64
        case .int32: int32
        case .int64: int64
        case .bool: bool
        }
    }
}
