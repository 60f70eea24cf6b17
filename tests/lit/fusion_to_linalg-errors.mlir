// RUN: not %nx-opt --split-input-file --nx-fusion-to-linalg %s 2>&1 | %filecheck %s
// A fusion that nx-fuse would not have made (written by hand) is a located error, not a wrong generic.

func.func @op_without_scalar_code(%a: tensor<2x2xf32>) -> tensor<2x2xf32> {
  // CHECK: fusion_to_linalg-errors.mlir:[[# @LINE + 1]]:8: error: nx-fusion-to-linalg: holds nx.transpose on f32[2, 2], which has no scalar code
  %0 = "nx.fusion"(%a) ({
  ^bb0(%x: tensor<2x2xf32>):
    %1 = "nx.transpose"(%x) {axes = array<i64: 1, 0>} : (tensor<2x2xf32>) -> tensor<2x2xf32>
    "nx.yield"(%1) : (tensor<2x2xf32>) -> ()
  }) : (tensor<2x2xf32>) -> tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @computed_then_broadcast(%a: tensor<3x2xf32>) -> tensor<3x2xf32> {
  // CHECK: fusion_to_linalg-errors.mlir:[[# @LINE + 1]]:8: error: nx-fusion-to-linalg: a fused broadcast must read an operand of the fusion or a splat constant
  %0 = "nx.fusion"(%a) ({
  ^bb0(%x: tensor<3x2xf32>):
    %c = "nx.constant"() {value = dense<1.0> : tensor<2xf32>} : () -> tensor<2xf32>
    %1 = "nx.exp"(%c) : (tensor<2xf32>) -> tensor<2xf32>
    %2 = "nx.broadcast"(%1) {axes = array<i64: 1>, shape = array<i64: 3, 2>} : (tensor<2xf32>) -> tensor<3x2xf32>
    %3 = "nx.add"(%x, %2) : (tensor<3x2xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
    "nx.yield"(%3) : (tensor<3x2xf32>) -> ()
  }) : (tensor<3x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @reduction_used_inside(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  // CHECK: fusion_to_linalg-errors.mlir:[[# @LINE + 1]]:8: error: nx-fusion-to-linalg: a fusion that reduces must yield exactly its reductions
  %0 = "nx.fusion"(%a) ({
  ^bb0(%x: tensor<2x3xf32>):
    %1 = "nx.sum"(%x) {axes = array<i64: 1>, keep_axes = false} : (tensor<2x3xf32>) -> tensor<2xf32>
    %2 = "nx.exp"(%1) : (tensor<2xf32>) -> tensor<2xf32>
    "nx.yield"(%2) : (tensor<2xf32>) -> ()
  }) : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
