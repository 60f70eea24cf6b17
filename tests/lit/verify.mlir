// RUN: %nx-opt --nx-verify %s | %filecheck %s
// Well-formed nx IR passes the verifier and prints back unchanged.

// CHECK-LABEL: func.func @well_formed
// CHECK: "nx.constant"() {value = dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>}
// CHECK: "nx.broadcast"(%{{.*}}) {axes = array<i64: 1>, shape = array<i64: 3, 2>}
// CHECK: "nx.transpose"(%{{.*}}) {axes = array<i64: 1, 0>} : (tensor<3x2xf32>) -> tensor<2x3xf32>
// CHECK: "nx.as_type"(%{{.*}}) {type = i32} : (tensor<2x3xf32>) -> tensor<2x3xi32>
// CHECK: "nx.less"(%{{.*}}, %{{.*}}) : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<2x3xi1>
func.func @well_formed(%x: tensor<2x3xi32>) -> tensor<2x3xi1> {
  %c = "nx.constant"() {value = dense<[1.0, 2.0]> : tensor<2xf32>} : () -> tensor<2xf32>
  %b = "nx.broadcast"(%c) {axes = array<i64: 1>, shape = array<i64: 3, 2>} : (tensor<2xf32>) -> tensor<3x2xf32>
  %t = "nx.transpose"(%b) {axes = array<i64: 1, 0>} : (tensor<3x2xf32>) -> tensor<2x3xf32>
  %i = "nx.as_type"(%t) {type = i32} : (tensor<2x3xf32>) -> tensor<2x3xi32>
  %l = "nx.less"(%i, %x) : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<2x3xi1>
  return %l : tensor<2x3xi1>
}
