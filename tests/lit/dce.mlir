// RUN: %nx-opt --nx-dce %s | %filecheck %s
// nx-dce erases nx ops whose results are unused, whole dead chains at once, and keeps everything that is used.

// CHECK-LABEL: func.func @dead_chain
// CHECK-NEXT: %[[L:.*]] = "nx.log"(%arg0)
// CHECK-NEXT: return %[[L]]
func.func @dead_chain(%x: tensor<3xf32>) -> tensor<3xf32> {
  %a = "nx.exp"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  %b = "nx.negate"(%a) : (tensor<3xf32>) -> tensor<3xf32>
  %c = "nx.constant"() {value = dense<1.0> : tensor<3xf32>} : () -> tensor<3xf32>
  %d = "nx.add"(%b, %c) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %l = "nx.log"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  return %l : tensor<3xf32>
}

// CHECK-LABEL: func.func @all_used
// CHECK-NEXT: "nx.exp"
// CHECK-NEXT: "nx.negate"
// CHECK-NEXT: return
func.func @all_used(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %a = "nx.exp"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  %b = "nx.negate"(%a) : (tensor<3xf32>) -> tensor<3xf32>
  return %a, %b : tensor<3xf32>, tensor<3xf32>
}
