// RUN: %nx-opt --iree-strided-slice-barriers %s | %filecheck %s
// A slice that reads a strided pattern (a stride over 1, or part of an inner axis) and whose values reach a reverse,
// directly or through other ops, goes through an optimization barrier (IREE 3.13 fails to build the two in one
// dispatch); a contiguous one, or one that reaches no reverse, does not.

// CHECK-LABEL: func.func @every_other_backwards
// CHECK-NEXT: %[[S:.*]] = stablehlo.slice %arg0 [1:6:2]
// CHECK-NEXT: %[[B:.*]] = stablehlo.optimization_barrier %[[S]]
// CHECK-NEXT: %[[C:.*]] = stablehlo.convert %[[B]]
// CHECK-NEXT: stablehlo.reverse %[[C]]
func.func @every_other_backwards(%x: tensor<7xf32>) -> tensor<3xf64> {
  %0 = stablehlo.slice %x [1:6:2] : (tensor<7xf32>) -> tensor<3xf32>
  %1 = stablehlo.convert %0 : (tensor<3xf32>) -> tensor<3xf64>
  %2 = stablehlo.reverse %1, dims = [0] : tensor<3xf64>
  return %2 : tensor<3xf64>
}

// CHECK-LABEL: func.func @unstrided
// CHECK-NOT: optimization_barrier
// CHECK: return
func.func @unstrided(%x: tensor<7xf32>) -> tensor<5xf32> {
  %0 = stablehlo.slice %x [1:6] : (tensor<7xf32>) -> tensor<5xf32>
  %1 = stablehlo.reverse %0, dims = [0] : tensor<5xf32>
  return %1 : tensor<5xf32>
}

// CHECK-LABEL: func.func @no_reverse
// CHECK-NOT: optimization_barrier
// CHECK: return
func.func @no_reverse(%x: tensor<7xf32>) -> tensor<3xf32> {
  %0 = stablehlo.slice %x [1:6:2] : (tensor<7xf32>) -> tensor<3xf32>
  %1 = stablehlo.negate %0 : tensor<3xf32>
  return %1 : tensor<3xf32>
}

// CHECK-LABEL: func.func @first_column_backwards
// CHECK-NEXT: %[[S:.*]] = stablehlo.slice %arg0 [0:4, 0:1, 0:1]
// CHECK-NEXT: %[[B:.*]] = stablehlo.optimization_barrier %[[S]]
// CHECK-NEXT: stablehlo.reverse %[[B]]
func.func @first_column_backwards(%x: tensor<4x4x1xf32>) -> tensor<4x1x1xf32> {
  %0 = stablehlo.slice %x [0:4, 0:1, 0:1] : (tensor<4x4x1xf32>) -> tensor<4x1x1xf32>
  %1 = stablehlo.reverse %0, dims = [0] : tensor<4x1x1xf32>
  return %1 : tensor<4x1x1xf32>
}

// CHECK-LABEL: func.func @rows_backwards
// CHECK-NOT: optimization_barrier
// CHECK: return
func.func @rows_backwards(%x: tensor<5x4xf32>) -> tensor<3x4xf32> {
  %0 = stablehlo.slice %x [1:4, 0:4] : (tensor<5x4xf32>) -> tensor<3x4xf32>
  %1 = stablehlo.reverse %0, dims = [0] : tensor<3x4xf32>
  return %1 : tensor<3x4xf32>
}
