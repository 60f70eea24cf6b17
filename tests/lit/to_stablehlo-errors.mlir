// RUN: not %nx-opt --split-input-file --nx-to-stablehlo %s 2>&1 | %filecheck %s
// Ops that other passes must remove first are errors at their location, saying which pass.

// CHECK: to_stablehlo-errors.mlir:[[# @LINE + 2]]:8: error: nx-to-stablehlo: is not lowered to StableHLO: nx-grad replaces it
func.func @grad_left(%x: tensor<f32>) -> tensor<f32> {
  %g = "nx.grad"(%x) {callee = @square, wrt = array<i64: 0>} : (tensor<f32>) -> tensor<f32>
  return %g : tensor<f32>
}
func.func private @square(%x: tensor<f32>) -> tensor<f32> {
  %y = "nx.multiply"(%x, %x) : (tensor<f32>, tensor<f32>) -> tensor<f32>
  return %y : tensor<f32>
}
