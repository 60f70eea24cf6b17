// RUN: %nx-opt --nx-fuse %s | %filecheck %s
// Where nx-fuse stops a chain: a value that must exist as a tensor ends its fusion (as the fusion's result) and is an
// input of the fusions that read it.

// Used by an op that does not fuse (a dot): the chain before it and the one after it are two fusions.
// CHECK-LABEL: func.func @used_by_dot
// CHECK-NEXT: %[[A:.*]] = "nx.fusion"(%arg0)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: "nx.exp"
// CHECK-NEXT: "nx.negate"
// CHECK-NEXT: "nx.yield"
// CHECK-NEXT: })
// CHECK-NEXT: %[[D:.*]] = "nx.dot"(%[[A]], %arg1)
// CHECK-NEXT: %[[T:.*]] = "nx.fusion"(%[[D]])
// CHECK-NEXT: ^bb0
// CHECK-NEXT: "nx.tanh"
// CHECK-NEXT: "nx.yield"
// CHECK-NEXT: })
// CHECK-NEXT: return %[[T]]
func.func @used_by_dot(%x: tensor<2x3xf32>, %w: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %a = "nx.exp"(%x) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %b = "nx.negate"(%a) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %d = "nx.dot"(%b, %w) {batch_axes_a = array<i64>, batch_axes_b = array<i64>, contract_axes_a = array<i64: 1>, contract_axes_b = array<i64: 0>} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %e = "nx.tanh"(%d) : (tensor<2x4xf32>) -> tensor<2x4xf32>
  return %e : tensor<2x4xf32>
}

// Returned: an intermediate the function returns is stored, so the chain splits there.
// CHECK-LABEL: func.func @returned_intermediate
// CHECK-NEXT: %[[A:.*]] = "nx.fusion"(%arg0)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: "nx.exp"
// CHECK-NEXT: "nx.yield"
// CHECK-NEXT: })
// CHECK-NEXT: %[[B:.*]] = "nx.fusion"(%[[A]])
// CHECK-NEXT: ^bb0
// CHECK-NEXT: "nx.log"
// CHECK-NEXT: "nx.yield"
// CHECK-NEXT: })
// CHECK-NEXT: return %[[A]], %[[B]]
func.func @returned_intermediate(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %a = "nx.exp"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %b = "nx.log"(%a) : (tensor<4xf32>) -> tensor<4xf32>
  return %a, %b : tensor<4xf32>, tensor<4xf32>
}

// Shared by two fusions: recomputing exp in both would cost more than storing it once, so it ends its own fusion
// (with the negation that only it reads).
// CHECK-LABEL: func.func @shared_by_two_consumers
// CHECK-NEXT: %[[A:.*]] = "nx.fusion"(%arg0)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: "nx.negate"
// CHECK-NEXT: "nx.exp"
// CHECK-NEXT: "nx.yield"
// CHECK-NEXT: })
// CHECK-NEXT: %[[S:.*]] = "nx.fusion"(%[[A]])
// CHECK-NEXT: ^bb0
// CHECK-NEXT: "nx.log"
// CHECK-NEXT: "nx.yield"
// CHECK-NEXT: })
// CHECK-NEXT: %[[C:.*]] = "nx.fusion"(%[[A]])
// CHECK-NEXT: ^bb0
// CHECK-NEXT: "nx.tanh"
// CHECK-NEXT: "nx.yield"
// CHECK-NEXT: })
// CHECK-NEXT: return %[[S]], %[[C]]
func.func @shared_by_two_consumers(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %n = "nx.negate"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %a = "nx.exp"(%n) : (tensor<4xf32>) -> tensor<4xf32>
  %b = "nx.log"(%a) : (tensor<4xf32>) -> tensor<4xf32>
  %c = "nx.tanh"(%a) : (tensor<4xf32>) -> tensor<4xf32>
  return %b, %c : tensor<4xf32>, tensor<4xf32>
}

// A cheap op of two varying operands is not recomputed either: each fusion would read both of its inputs instead
// of the one stored value.
// CHECK-LABEL: func.func @cheap_but_two_inputs
// CHECK-NEXT: %[[A:.*]] = "nx.fusion"(%arg0, %arg1)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: "nx.add"
// CHECK-NEXT: "nx.yield"
// CHECK: "nx.fusion"(%[[A]])
// CHECK: "nx.fusion"(%[[A]])
func.func @cheap_but_two_inputs(%x: tensor<4xf32>, %y: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %a = "nx.add"(%x, %y) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %b = "nx.log"(%a) : (tensor<4xf32>) -> tensor<4xf32>
  %c = "nx.tanh"(%a) : (tensor<4xf32>) -> tensor<4xf32>
  return %b, %c : tensor<4xf32>, tensor<4xf32>
}

// Broadcast: the generic reads a broadcast operand through an indexing map, so what is broadcast must be stored at
// its own (smaller) shape: the exp over 3 elements is not recomputed for each of the 6.
// CHECK-LABEL: func.func @broadcast_input_is_stored
// CHECK-NEXT: %[[E:.*]] = "nx.fusion"(%arg1)
// CHECK-NEXT: ^bb0(%{{.*}}: tensor<3xf32>):
// CHECK-NEXT: "nx.exp"
// CHECK-NEXT: "nx.yield"
// CHECK-NEXT: }) : (tensor<3xf32>) -> tensor<3xf32>
// CHECK-NEXT: "nx.fusion"(%arg0, %[[E]])
// CHECK-NEXT: ^bb0
// CHECK-NEXT: "nx.broadcast"
// CHECK-NEXT: "nx.multiply"
// CHECK-NEXT: "nx.yield"
func.func @broadcast_input_is_stored(%x: tensor<2x3xf32>, %v: tensor<3xf32>) -> tensor<2x3xf32> {
  %e = "nx.exp"(%v) : (tensor<3xf32>) -> tensor<3xf32>
  %b = "nx.broadcast"(%e) {axes = array<i64: 1>, shape = array<i64: 2, 3>} : (tensor<3xf32>) -> tensor<2x3xf32>
  %m = "nx.multiply"(%x, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %m : tensor<2x3xf32>
}

// A reduction's result exists only after its loop, so what follows it is another fusion; a reduction with no
// elementwise chain before it stays as it is (nx-to-stablehlo's).
// CHECK-LABEL: func.func @after_a_reduction
// CHECK-NEXT: %[[S:.*]] = "nx.sum"(%arg0)
// CHECK-NEXT: "nx.fusion"(%[[S]])
// CHECK-NEXT: ^bb0
// CHECK-NEXT: "nx.sqrt"
// CHECK-NEXT: "nx.yield"
func.func @after_a_reduction(%x: tensor<4x8xf32>) -> tensor<4xf32> {
  %s = "nx.sum"(%x) {axes = array<i64: 1>, keep_axes = false} : (tensor<4x8xf32>) -> tensor<4xf32>
  %r = "nx.sqrt"(%s) : (tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// f32 sin is arithmetic in f64 (lower_trig.py), elementwise with no branch: it fuses like the ops around it, so the
// chain through f32 and f64 sin is one fusion.
// CHECK-LABEL: func.func @sines_fuse
// CHECK-NEXT: %[[F:.*]] = "nx.fusion"(%arg0, %arg1)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: "nx.exp"
// CHECK-NEXT: "nx.sin"{{.*}} : (tensor<4xf32>) -> tensor<4xf32>
// CHECK-NEXT: "nx.as_type"
// CHECK-NEXT: "nx.sin"{{.*}} : (tensor<4xf64>) -> tensor<4xf64>
// CHECK-NEXT: "nx.multiply"
// CHECK-NEXT: "nx.yield"
// CHECK-NEXT: })
// CHECK-NEXT: return %[[F]]
func.func @sines_fuse(%x: tensor<4xf32>, %y: tensor<4xf64>) -> tensor<4xf64> {
  %a = "nx.exp"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %s = "nx.sin"(%a) : (tensor<4xf32>) -> tensor<4xf32>
  %w = "nx.as_type"(%s) {type = f64} : (tensor<4xf32>) -> tensor<4xf64>
  %t = "nx.sin"(%w) : (tensor<4xf64>) -> tensor<4xf64>
  %m = "nx.multiply"(%t, %y) : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xf64>
  return %m : tensor<4xf64>
}

// Complex values fuse like real ones: making one, a function of it and its real part are one chain.
// CHECK-LABEL: func.func @complex_values
// CHECK-NEXT: "nx.fusion"(%arg0, %arg1)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: "nx.complex"
// CHECK-NEXT: "nx.exp"
// CHECK-NEXT: "nx.real"
// CHECK-NEXT: "nx.abs"
// CHECK-NEXT: "nx.yield"
func.func @complex_values(%re: tensor<4xf32>, %im: tensor<4xf32>) -> tensor<4xf32> {
  %z = "nx.complex"(%re, %im) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xcomplex<f32>>
  %e = "nx.exp"(%z) : (tensor<4xcomplex<f32>>) -> tensor<4xcomplex<f32>>
  %r = "nx.real"(%e) : (tensor<4xcomplex<f32>>) -> tensor<4xf32>
  %a = "nx.abs"(%r) : (tensor<4xf32>) -> tensor<4xf32>
  return %a : tensor<4xf32>
}

// Past the binding limit: a fusion's generic is one IREE dispatch, which may bind at most 32 tensors read or written.
// A chain over 33 inputs would read 33 and write 1, so the fusion that ends it stops growing when full (31 read, 1
// written), and the rest of the chain is a fusion of its own.
// CHECK-LABEL: func.func @past_the_binding_limit
// CHECK-NEXT: %[[A:.*]] = "nx.fusion"(%arg0, %arg1, %arg2) ({
// CHECK-NEXT: ^bb0
// CHECK-COUNT-2: "nx.add"
// CHECK-NEXT: "nx.yield"
// CHECK-NEXT: })
// CHECK-NEXT: %[[B:.*]] = "nx.fusion"(%[[A]], %arg3, %arg4, %arg5, %arg6, %arg7, %arg8, %arg9, %arg10, %arg11, %arg12, %arg13, %arg14, %arg15, %arg16, %arg17, %arg18, %arg19, %arg20, %arg21, %arg22, %arg23, %arg24, %arg25, %arg26, %arg27, %arg28, %arg29, %arg30, %arg31, %arg32) ({
// CHECK-NEXT: ^bb0
// CHECK-COUNT-30: "nx.add"
// CHECK-NEXT: "nx.yield"
// CHECK-NEXT: })
// CHECK-NEXT: return %[[B]]
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
