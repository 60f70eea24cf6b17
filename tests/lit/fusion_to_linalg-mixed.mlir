// RUN: %nx-opt --nx-fuse --nx-fusion-to-linalg --nx-to-stablehlo %s | %filecheck %s
// What fuses becomes a linalg.generic, everything else StableHLO: one module that iree-compile takes.

// CHECK-LABEL: func.func @dense_layer
// CHECK-NEXT: %[[D:.*]] = stablehlo.dot_general %arg0, %arg1
// CHECK: %[[G:.*]] = linalg.generic {{.*}} ins(%[[D]], %arg2 : tensor<2x4xf32>, tensor<4xf32>)
// CHECK: arith.addf
// CHECK: math.exp
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

// nx-fuse splits a chain over 33 inputs into two fusions (tests/lit/fuse-boundaries.mlir); IREE would merge their
// generics back into one dispatch of 34 bindings (its multi-use producer fusion does not count them), so the first
// generic's result reaches the second through a barrier.
// CHECK-LABEL: func.func @past_the_binding_limit
// CHECK: %[[A:.*]] = linalg.generic {{.*}} ins(%arg0, %arg1, %arg2 :
// CHECK: %[[B:.*]] = stablehlo.optimization_barrier %[[A]]
// CHECK: linalg.generic {{.*}} ins(%[[B]], %arg3, %arg4,
// CHECK-NOT: optimization_barrier
// CHECK: return
func.func @past_the_binding_limit(%x0: tensor<4xf32>, %x1: tensor<4xf32>, %x2: tensor<4xf32>, %x3: tensor<4xf32>, %x4: tensor<4xf32>,
    %x5: tensor<4xf32>, %x6: tensor<4xf32>, %x7: tensor<4xf32>, %x8: tensor<4xf32>, %x9: tensor<4xf32>,
    %x10: tensor<4xf32>, %x11: tensor<4xf32>, %x12: tensor<4xf32>, %x13: tensor<4xf32>, %x14: tensor<4xf32>,
    %x15: tensor<4xf32>, %x16: tensor<4xf32>, %x17: tensor<4xf32>, %x18: tensor<4xf32>, %x19: tensor<4xf32>,
    %x20: tensor<4xf32>, %x21: tensor<4xf32>, %x22: tensor<4xf32>, %x23: tensor<4xf32>, %x24: tensor<4xf32>,
    %x25: tensor<4xf32>, %x26: tensor<4xf32>, %x27: tensor<4xf32>, %x28: tensor<4xf32>, %x29: tensor<4xf32>,
    %x30: tensor<4xf32>, %x31: tensor<4xf32>, %x32: tensor<4xf32>) -> tensor<4xf32> {
  %s1 = "nx.add"(%x0, %x1) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s2 = "nx.add"(%s1, %x2) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s3 = "nx.add"(%s2, %x3) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s4 = "nx.add"(%s3, %x4) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s5 = "nx.add"(%s4, %x5) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s6 = "nx.add"(%s5, %x6) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s7 = "nx.add"(%s6, %x7) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s8 = "nx.add"(%s7, %x8) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s9 = "nx.add"(%s8, %x9) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s10 = "nx.add"(%s9, %x10) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s11 = "nx.add"(%s10, %x11) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s12 = "nx.add"(%s11, %x12) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s13 = "nx.add"(%s12, %x13) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s14 = "nx.add"(%s13, %x14) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s15 = "nx.add"(%s14, %x15) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s16 = "nx.add"(%s15, %x16) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s17 = "nx.add"(%s16, %x17) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s18 = "nx.add"(%s17, %x18) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s19 = "nx.add"(%s18, %x19) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s20 = "nx.add"(%s19, %x20) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s21 = "nx.add"(%s20, %x21) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s22 = "nx.add"(%s21, %x22) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s23 = "nx.add"(%s22, %x23) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s24 = "nx.add"(%s23, %x24) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s25 = "nx.add"(%s24, %x25) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s26 = "nx.add"(%s25, %x26) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s27 = "nx.add"(%s26, %x27) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s28 = "nx.add"(%s27, %x28) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s29 = "nx.add"(%s28, %x29) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s30 = "nx.add"(%s29, %x30) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s31 = "nx.add"(%s30, %x31) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %s32 = "nx.add"(%s31, %x32) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %s32 : tensor<4xf32>
}

// Fusions that fit in one dispatch together are left for IREE to merge: no barrier.
// CHECK-LABEL: func.func @within_the_binding_limit
// CHECK-NOT: optimization_barrier
// CHECK: return
func.func @within_the_binding_limit(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %a = "nx.exp"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %b = "nx.log"(%a) : (tensor<4xf32>) -> tensor<4xf32>
  %c = "nx.tanh"(%a) : (tensor<4xf32>) -> tensor<4xf32>
  return %b, %c : tensor<4xf32>, tensor<4xf32>
}
