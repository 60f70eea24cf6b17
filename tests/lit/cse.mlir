// RUN: %nx-opt --nx-cse %s | %filecheck %s
// nx-cse merges nx ops with equal names, operands, attributes and result types (nx ops are pure; upstream cse
// leaves unregistered ops alone).

// CHECK-LABEL: func.func @merges_duplicates
// CHECK-NEXT: %[[C:.*]] = "nx.constant"() {value = dense<2.000000e+00> : tensor<2xf32>}
// CHECK-NEXT: %[[E:.*]] = "nx.exp"(%arg0)
// CHECK-NEXT: %[[M:.*]] = "nx.multiply"(%[[E]], %[[C]])
// CHECK-NEXT: %[[A:.*]] = "nx.add"(%[[M]], %[[M]])
// CHECK-NEXT: return %[[A]]
func.func @merges_duplicates(%x: tensor<2xf32>) -> tensor<2xf32> {
  %c1 = "nx.constant"() {value = dense<2.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %c2 = "nx.constant"() {value = dense<2.0> : tensor<2xf32>} : () -> tensor<2xf32>
  %e1 = "nx.exp"(%x) : (tensor<2xf32>) -> tensor<2xf32>
  %e2 = "nx.exp"(%x) : (tensor<2xf32>) -> tensor<2xf32>
  %m1 = "nx.multiply"(%e1, %c1) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %m2 = "nx.multiply"(%e2, %c2) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %a = "nx.add"(%m1, %m2) : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  return %a : tensor<2xf32>
}

// CHECK-LABEL: func.func @keeps_distinct
// CHECK-COUNT-2: "nx.constant"
// CHECK-COUNT-2: "nx.transpose"
// CHECK-COUNT-2: "nx.subtract"
// CHECK: return
func.func @keeps_distinct(%x: tensor<2x2xf32>, %y: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
  // Different attributes, different operand order, different values: nothing merges.
  %c1 = "nx.constant"() {value = dense<1.0> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %c2 = "nx.constant"() {value = dense<-1.0> : tensor<2x2xf32>} : () -> tensor<2x2xf32>
  %t1 = "nx.transpose"(%x) {axes = array<i64: 1, 0>} : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %t2 = "nx.transpose"(%x) {axes = array<i64: 0, 1>} : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %s1 = "nx.subtract"(%x, %y) : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %s2 = "nx.subtract"(%y, %x) : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  return %c1, %c2, %t1, %t2, %s1, %s2 : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
}

// CHECK-LABEL: func.func @per_function
// CHECK: "nx.exp"
func.func @per_function(%x: tensor<2xf32>) -> tensor<2xf32> {
  %e = "nx.exp"(%x) : (tensor<2xf32>) -> tensor<2xf32>
  return %e : tensor<2xf32>
}
