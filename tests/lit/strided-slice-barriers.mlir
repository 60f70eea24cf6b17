// RUN: %nx-opt --iree-strided-slice-barriers %s | %filecheck %s
// A strided slice whose values reach a reverse, directly or through other ops, goes through an optimization barrier
// (IREE 3.13 fails to build the two in one dispatch); an unstrided one, or one that reaches no reverse, does not.

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
