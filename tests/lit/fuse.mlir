// RUN: %nx-opt --nx-fuse %s | %filecheck %s
// nx-fuse: an elementwise chain, with the broadcasts and splat constants it reads, becomes one nx.fusion whose
// operands are the chain's inputs and whose result is the chain's end; a reduction may end the chain.

// CHECK-LABEL: func.func @chain
// CHECK-NEXT: %[[F:.*]] = "nx.fusion"(%arg0, %arg1) ({
// CHECK-NEXT: ^bb0(%[[X:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<8xf32>):
// CHECK-NEXT: %[[C:.*]] = "nx.constant"() {value = dense<2.000000e+00> : tensor<4x8xf32>}
// CHECK-NEXT: %[[BB:.*]] = "nx.broadcast"(%[[B]]) {axes = array<i64: 1>, shape = array<i64: 4, 8>}
// CHECK-NEXT: %[[M:.*]] = "nx.multiply"(%[[X]], %[[C]])
// CHECK-NEXT: %[[A:.*]] = "nx.add"(%[[M]], %[[BB]])
// CHECK-NEXT: %[[T:.*]] = "nx.tanh"(%[[A]])
// CHECK-NEXT: %[[S:.*]] = "nx.log"(%[[X]])
// CHECK-NEXT: %[[D:.*]] = "nx.subtract"(%[[T]], %[[S]])
// CHECK-NEXT: "nx.yield"(%[[D]]) : (tensor<4x8xf32>) -> ()
// CHECK-NEXT: }) : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT: return %[[F]]
func.func @chain(%x: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %c = "nx.constant"() {value = dense<2.0> : tensor<4x8xf32>} : () -> tensor<4x8xf32>
  %bb = "nx.broadcast"(%b) {axes = array<i64: 1>, shape = array<i64: 4, 8>} : (tensor<8xf32>) -> tensor<4x8xf32>
  %0 = "nx.multiply"(%x, %c) : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %1 = "nx.add"(%0, %bb) : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %2 = "nx.tanh"(%1) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %3 = "nx.log"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %4 = "nx.subtract"(%2, %3) : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %4 : tensor<4x8xf32>
}

// A value used twice inside one fusion is computed once there.
// CHECK-LABEL: func.func @diamond
// CHECK-NEXT: "nx.fusion"(%arg0)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: "nx.exp"
// CHECK-NEXT: "nx.log"
// CHECK-NEXT: "nx.tanh"
// CHECK-NEXT: "nx.add"
// CHECK-NEXT: "nx.yield"
// CHECK-NEXT: })
// CHECK-NEXT: return
func.func @diamond(%x: tensor<4xf32>) -> tensor<4xf32> {
  %a = "nx.exp"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %s = "nx.log"(%a) : (tensor<4xf32>) -> tensor<4xf32>
  %c = "nx.tanh"(%a) : (tensor<4xf32>) -> tensor<4xf32>
  %d = "nx.add"(%s, %c) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %d : tensor<4xf32>
}

// Type conversions fuse like any elementwise op; so do unsigned and boolean values.
// CHECK-LABEL: func.func @conversions
// CHECK-NEXT: %[[F:.*]] = "nx.fusion"(%arg0, %arg1)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: "nx.as_type"{{.*}} {type = f32} : (tensor<3xui8>) -> tensor<3xf32>
// CHECK-NEXT: "nx.multiply"
// CHECK-NEXT: "nx.greater"
// CHECK-NEXT: "nx.logical_and"
// CHECK-NEXT: "nx.yield"
// CHECK-NEXT: }) : (tensor<3xui8>, tensor<3xi1>) -> tensor<3xi1>
// CHECK-NEXT: return %[[F]]
func.func @conversions(%x: tensor<3xui8>, %p: tensor<3xi1>) -> tensor<3xi1> {
  %f = "nx.as_type"(%x) {type = f32} : (tensor<3xui8>) -> tensor<3xf32>
  %s = "nx.multiply"(%f, %f) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %g = "nx.greater"(%s, %f) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xi1>
  %a = "nx.logical_and"(%g, %p) : (tensor<3xi1>, tensor<3xi1>) -> tensor<3xi1>
  return %a : tensor<3xi1>
}

// A reduction ends the chain that feeds it (one generic with a reduction loop), keeping its axes or not.
// CHECK-LABEL: func.func @reduction_ends_chain
// CHECK-NEXT: %[[F:.*]] = "nx.fusion"(%arg0)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: "nx.tanh"
// CHECK-NEXT: "nx.multiply"
// CHECK-NEXT: "nx.sum"{{.*}} {axes = array<i64: 1>, keep_axes = true}
// CHECK-NEXT: "nx.yield"
// CHECK-NEXT: }) : (tensor<4x8xf32>) -> tensor<4x1xf32>
// CHECK-NEXT: return %[[F]]
func.func @reduction_ends_chain(%x: tensor<4x8xf32>) -> tensor<4x1xf32> {
  %t = "nx.tanh"(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %m = "nx.multiply"(%t, %x) : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %s = "nx.sum"(%m) {axes = array<i64: 1>, keep_axes = true} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  return %s : tensor<4x1xf32>
}

// A cheap op of one varying operand is computed again in each fusion that reads it rather than stored: here the
// negation (and the splat constant) go into both the exp and the log fusion, and the original goes away.
// CHECK-LABEL: func.func @cheap_op_repeated
// CHECK-NEXT: "nx.fusion"(%arg0)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: "nx.constant"
// CHECK-NEXT: "nx.multiply"
// CHECK-NEXT: "nx.negate"
// CHECK-NEXT: "nx.exp"
// CHECK-NEXT: "nx.yield"
// CHECK: "nx.fusion"(%arg0)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: "nx.constant"
// CHECK-NEXT: "nx.multiply"
// CHECK-NEXT: "nx.negate"
// CHECK-NEXT: "nx.log"
// CHECK-NEXT: "nx.yield"
// CHECK-NOT: "nx.
// CHECK: return
func.func @cheap_op_repeated(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %c = "nx.constant"() {value = dense<3.0> : tensor<4xf32>} : () -> tensor<4xf32>
  %m = "nx.multiply"(%x, %c) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %n = "nx.negate"(%m) : (tensor<4xf32>) -> tensor<4xf32>
  %a = "nx.exp"(%n) : (tensor<4xf32>) -> tensor<4xf32>
  %b = "nx.log"(%n) : (tensor<4xf32>) -> tensor<4xf32>
  return %a, %b : tensor<4xf32>, tensor<4xf32>
}

// A broadcast operand is read through an indexing map, so it does not count against repeating: x - max(x) is
// computed in both the exp and the log fusion (the max, a reduction, is the one thing both read).
// CHECK-LABEL: func.func @cheap_op_with_broadcast_repeated
// CHECK: %[[M:.*]] = "nx.reduce_max"
// CHECK: "nx.fusion"(%arg0, %[[M]])
// CHECK: "nx.subtract"
// CHECK-NEXT: "nx.exp"
// CHECK: "nx.fusion"(%arg0, %[[M]])
// CHECK: "nx.subtract"
// CHECK-NEXT: "nx.log"
// CHECK-NOT: "nx.fusion"
// CHECK: return
func.func @cheap_op_with_broadcast_repeated(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %m = "nx.reduce_max"(%x) {axes = array<i64: 1>, keep_axes = true} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %b = "nx.broadcast"(%m) {axes = array<i64: 0, 1>, shape = array<i64: 4, 8>} : (tensor<4x1xf32>) -> tensor<4x8xf32>
  %d = "nx.subtract"(%x, %b) : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %e = "nx.exp"(%d) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %l = "nx.log"(%d) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %e, %l : tensor<4x8xf32>, tensor<4x8xf32>
}

// A broadcast read by two fusions is repeated in both (an indexing map costs nothing).
// CHECK-LABEL: func.func @broadcast_repeated
// CHECK: "nx.fusion"(%arg0, %arg1)
// CHECK: "nx.broadcast"
// CHECK: "nx.exp"
// CHECK: "nx.fusion"(%arg0, %arg1)
// CHECK: "nx.broadcast"
// CHECK: "nx.log"
// CHECK-NOT: "nx.broadcast"
// CHECK: return
func.func @broadcast_repeated(%x: tensor<2x3xf32>, %v: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %b = "nx.broadcast"(%v) {axes = array<i64: 1>, shape = array<i64: 2, 3>} : (tensor<3xf32>) -> tensor<2x3xf32>
  %s = "nx.add"(%x, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %p = "nx.multiply"(%x, %b) : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %e = "nx.exp"(%s) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %l = "nx.log"(%p) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %e, %l : tensor<2x3xf32>, tensor<2x3xf32>
}
