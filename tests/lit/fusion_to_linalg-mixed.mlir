// RUN: %nx-opt --nx-fuse --nx-fusion-to-linalg --nx-to-stablehlo %s | %filecheck %s
// What fuses becomes a linalg.generic, everything else StableHLO: one module that iree-compile takes.

// CHECK-LABEL: func.func @dense_layer
// CHECK-NEXT: %[[D:.*]] = stablehlo.dot_general %arg0, %arg1
// CHECK: %[[G:.*]] = linalg.generic {{.*}} ins(%[[D]], %arg2 : tensor<2x4xf32>, tensor<4xf32>)
// CHECK: arith.addf
// CHECK: math.tanh
// CHECK: linalg.yield
// CHECK-NOT: nx.
// CHECK: return %[[G]]
func.func @dense_layer(%x: tensor<2x3xf32>, %w: tensor<3x4xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  %d = "nx.dot"(%x, %w) {batch_axes_a = array<i64>, batch_axes_b = array<i64>, contract_axes_a = array<i64: 1>, contract_axes_b = array<i64: 0>} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %bb = "nx.broadcast"(%b) {axes = array<i64: 1>, shape = array<i64: 2, 4>} : (tensor<4xf32>) -> tensor<2x4xf32>
  %a = "nx.add"(%d, %bb) : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %t = "nx.tanh"(%a) : (tensor<2x4xf32>) -> tensor<2x4xf32>
  return %t : tensor<2x4xf32>
}
