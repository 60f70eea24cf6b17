// RUN: not %nx-opt --split-input-file --nx-batch %s 2>&1 | %filecheck %s
// Errors of nx-batch and of the verifier on vmap ops, each at the location of the op at fault.

// A result that depends on the batched operand cannot leave unbatched (out_axes -1).
// CHECK: batch-errors.mlir:[[# @LINE + 2]]:8: error: vmap: result 0 of @double (f32[3] per example) depends on the batched arguments, but its out_axes is None
func.func @unbatched_result(%x: tensor<4x3xf32>) -> tensor<3xf32> {
  %y = "nx.vmap"(%x) {callee = @double, in_axes = array<i64: 0>, out_axes = array<i64: -1>} : (tensor<4x3xf32>) -> tensor<3xf32>
  return %y : tensor<3xf32>
}
func.func private @double(%x: tensor<3xf32>) -> tensor<3xf32> {
  %y = "nx.add"(%x, %x) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %y : tensor<3xf32>
}

// -----
// Batch axes of different sizes.
// CHECK: batch-errors.mlir:[[# @LINE + 2]]:8: error: nx-verify: 'nx.vmap' op operand 1 (f32[5, 3]) has size 5 on its batch axis 0, but operand 0 (f32[4, 3]) has size 4 on its batch axis 0
func.func @sizes(%x: tensor<4x3xf32>, %y: tensor<5x3xf32>) -> tensor<4x3xf32> {
  %z = "nx.vmap"(%x, %y) {callee = @add, in_axes = array<i64: 0, 0>, out_axes = array<i64: 0>} : (tensor<4x3xf32>, tensor<5x3xf32>) -> tensor<4x3xf32>
  return %z : tensor<4x3xf32>
}
func.func private @add(%x: tensor<3xf32>, %y: tensor<3xf32>) -> tensor<3xf32> {
  %z = "nx.add"(%x, %y) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  return %z : tensor<3xf32>
}
