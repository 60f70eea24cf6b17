// RUN: %nx-opt --nx-batch %s | %filecheck %s
// nx-batch replaces each nx.vmap with a call of the batched function it writes: each op of the callee by its
// batching rule, with the batch axis in front (an operand batched along another axis is transposed first). Ops on
// unbatched values stay as they are; a result that is the same for every example may leave unbatched.

// A batched sin, and a contraction with an unbatched weight: one dot over the whole batch, no loop.
// CHECK-LABEL: func.func @per_row
// CHECK: call @row_batched(%arg0, %arg1)
// CHECK-LABEL: func.func @columns
// CHECK: %[[T:.*]] = call @total_batched(%arg0)
// CHECK: call @square_batched(%[[T]])
// CHECK-LABEL: func.func private @row_batched(%arg0: tensor<4x3xf32>, %arg1: tensor<3x2xf32>) -> tensor<4x2xf32>
// CHECK-NEXT: %[[S:.*]] = "nx.sin"(%arg0) : (tensor<4x3xf32>) -> tensor<4x3xf32>
// CHECK-NEXT: "nx.dot"(%[[S]], %arg1) {batch_axes_a = array<i64>, batch_axes_b = array<i64>, contract_axes_a = array<i64: 1>, contract_axes_b = array<i64: 0>}
// in_axes = 1: the batch axis moves to the front, and the sum's axis moves by one.
// CHECK-LABEL: func.func private @total_batched
// CHECK-NEXT: %[[F:.*]] = "nx.transpose"(%arg0) {axes = array<i64: 1, 0>}
// CHECK-NEXT: "nx.sum"(%[[F]]) {axes = array<i64: 1>, keep_axes = false} : (tensor<4x3xf32>) -> tensor<4xf32>
// out_axes = -1 (None): a result that does not depend on the batch.
// CHECK-LABEL: func.func private @square_batched(%arg0: tensor<4xf32>) -> tensor<f32>
// CHECK-NEXT: "nx.constant"
// A branch index per example: every branch runs on the whole batch, and each example selects its own (the index
// clamped into range).
// CHECK-LABEL: func.func private @pick_batched
// CHECK: %[[N:.*]] = "nx.negate"(%arg1) : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: %[[LOW:.*]] = "nx.min"(%arg0,
// CHECK: %[[I:.*]] = "nx.max"(%[[LOW]],
// CHECK: %[[EQ:.*]] = "nx.equal"(%[[I]],
// CHECK: %[[M:.*]] = "nx.broadcast"(%[[EQ]]) {axes = array<i64: 0>, shape = array<i64: 2, 3>}
// CHECK: "nx.select"(%[[M]], %[[N]], %arg1)
// CHECK-NOT: nx.vmap

func.func @per_row(%x: tensor<4x3xf32>, %w: tensor<3x2xf32>) -> tensor<4x2xf32> {
  %y = "nx.vmap"(%x, %w) {callee = @row, in_axes = array<i64: 0, -1>, out_axes = array<i64: 0>} : (tensor<4x3xf32>, tensor<3x2xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}
func.func private @row(%x: tensor<3xf32>, %w: tensor<3x2xf32>) -> tensor<2xf32> {
  %s = "nx.sin"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  %y = "nx.dot"(%s, %w) {contract_axes_a = array<i64: 0>, batch_axes_a = array<i64>, contract_axes_b = array<i64: 0>, batch_axes_b = array<i64>} : (tensor<3xf32>, tensor<3x2xf32>) -> tensor<2xf32>
  return %y : tensor<2xf32>
}
func.func @columns(%x: tensor<3x4xf32>) -> tensor<f32> {
  %y = "nx.vmap"(%x) {callee = @total, in_axes = array<i64: 1>, out_axes = array<i64: 0>} : (tensor<3x4xf32>) -> tensor<4xf32>
  %t = "nx.vmap"(%y) {callee = @square, in_axes = array<i64: 0>, out_axes = array<i64: -1>} : (tensor<4xf32>) -> tensor<f32>
  return %t : tensor<f32>
}
func.func private @total(%x: tensor<3xf32>) -> tensor<f32> {
  %r = "nx.sum"(%x) {axes = array<i64: 0>, keep_axes = false} : (tensor<3xf32>) -> tensor<f32>
  return %r : tensor<f32>
}
func.func private @square(%x: tensor<f32>) -> tensor<f32> {
  %c = "nx.constant"() {value = dense<2.0> : tensor<f32>} : () -> tensor<f32>
  return %c : tensor<f32>
}
func.func @branch_per_example(%i: tensor<2xi32>, %x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = "nx.vmap"(%i, %x) {callee = @pick, in_axes = array<i64: 0, 0>, out_axes = array<i64: 0>} : (tensor<2xi32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}
func.func private @pick(%i: tensor<i32>, %x: tensor<3xf32>) -> tensor<3xf32> {
  %y = "nx.switch"(%i, %x) {branches = [@keep, @negate]} : (tensor<i32>, tensor<3xf32>) -> tensor<3xf32>
  return %y : tensor<3xf32>
}
func.func private @keep(%x: tensor<3xf32>) -> tensor<3xf32> {
  return %x : tensor<3xf32>
}
func.func private @negate(%x: tensor<3xf32>) -> tensor<3xf32> {
  %y = "nx.negate"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  return %y : tensor<3xf32>
}
