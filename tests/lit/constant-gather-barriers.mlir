// RUN: %nx-opt --iree-constant-gather-barriers %s | %filecheck %s
// A gather whose indices depend on no argument reads its operand through an optimization barrier (IREE 3.13 fuses
// the operand's producer into such a gather and loses the producer's other uses); a gather at indices computed from
// an argument, or of an argument, does not.

// CHECK-LABEL: func.func @constant_indices
// CHECK: %[[N:.*]] = stablehlo.negate %arg0
// CHECK-NEXT: %[[I:.*]] = stablehlo.constant
// CHECK-NEXT: %[[B:.*]] = stablehlo.optimization_barrier %[[N]]
// CHECK-NEXT: "stablehlo.gather"(%[[B]], %[[I]])
// CHECK: stablehlo.add %[[N]]
func.func @constant_indices(%x: tensor<2x4xf32>) -> (tensor<2x3xf32>, tensor<2x4xf32>) {
  %0 = stablehlo.negate %x : tensor<2x4xf32>
  %1 = stablehlo.constant dense<0> : tensor<3x1xi64>
  %2 = "stablehlo.gather"(%0, %1) <{dimension_numbers = #stablehlo.gather<offset_dims = [0], collapsed_slice_dims = [1], start_index_map = [1], index_vector_dim = 1>, indices_are_sorted = false, slice_sizes = array<i64: 2, 1>}> : (tensor<2x4xf32>, tensor<3x1xi64>) -> tensor<2x3xf32>
  %3 = stablehlo.add %0, %0 : tensor<2x4xf32>
  return %2, %3 : tensor<2x3xf32>, tensor<2x4xf32>
}

// Indices made from an iota and constants (as nx-batch makes them) depend on no argument either.
// CHECK-LABEL: func.func @iota_indices
// CHECK: stablehlo.optimization_barrier
// CHECK: stablehlo.gather
func.func @iota_indices(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = stablehlo.exponential %x : tensor<4xf32>
  %1 = stablehlo.iota dim = 0 : tensor<4x1xi64>
  %2 = stablehlo.constant dense<3> : tensor<4x1xi64>
  %3 = stablehlo.subtract %2, %1 : tensor<4x1xi64>
  %4 = "stablehlo.gather"(%0, %3) <{dimension_numbers = #stablehlo.gather<collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>, indices_are_sorted = false, slice_sizes = array<i64: 1>}> : (tensor<4xf32>, tensor<4x1xi64>) -> tensor<4xf32>
  return %4 : tensor<4xf32>
}

// CHECK-LABEL: func.func @traced_indices
// CHECK-NOT: optimization_barrier
// CHECK: return
func.func @traced_indices(%x: tensor<4xf32>, %i: tensor<2x1xi64>) -> tensor<2xf32> {
  %0 = stablehlo.exponential %x : tensor<4xf32>
  %1 = "stablehlo.gather"(%0, %i) <{dimension_numbers = #stablehlo.gather<collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>, indices_are_sorted = false, slice_sizes = array<i64: 1>}> : (tensor<4xf32>, tensor<2x1xi64>) -> tensor<2xf32>
  return %1 : tensor<2xf32>
}

// CHECK-LABEL: func.func @of_an_argument
// CHECK-NOT: optimization_barrier
// CHECK: return
func.func @of_an_argument(%x: tensor<4xf32>) -> tensor<2xf32> {
  %0 = stablehlo.constant dense<1> : tensor<2x1xi64>
  %1 = "stablehlo.gather"(%x, %0) <{dimension_numbers = #stablehlo.gather<collapsed_slice_dims = [0], start_index_map = [0], index_vector_dim = 1>, indices_are_sorted = false, slice_sizes = array<i64: 1>}> : (tensor<4xf32>, tensor<2x1xi64>) -> tensor<2xf32>
  return %1 : tensor<2xf32>
}
