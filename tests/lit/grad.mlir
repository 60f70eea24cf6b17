// RUN: %nx-opt --nx-grad --nx-fold --nx-cse --nx-dce %s | %filecheck %s
// RUN: %nx-opt --nx-grad %s | %filecheck %s --check-prefix=EXPANDED
// nx-grad replaces each nx.grad / nx.value_and_grad with a call of the reverse-mode function it writes (forward
// sweep, then the VJP rules backwards); fold, CSE and DCE then leave only the work the gradient needs. A grad of a
// grad expands the inner one first. stop_grad ops are gone afterwards, and so are the callees nothing calls.

// d/dx sum(sin(x) * x) = sin(x) + x cos(x)
// CHECK-LABEL: func.func @grad_of_product
// CHECK-NEXT: %[[G:.*]] = call @sin_times_vjp(%arg0)
// CHECK-NEXT: return %[[G]]
func.func @grad_of_product(%x: tensor<3xf32>) -> tensor<3xf32> {
  %g = "nx.grad"(%x) {callee = @sin_times, wrt = array<i64: 0>} : (tensor<3xf32>) -> tensor<3xf32>
  return %g : tensor<3xf32>
}
func.func private @sin_times(%x: tensor<3xf32>) -> tensor<f32> {
  %s = "nx.sin"(%x) : (tensor<3xf32>) -> tensor<3xf32>
  %p = "nx.multiply"(%s, %x) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %r = "nx.sum"(%p) {axes = array<i64: 0>, keep_axes = false} : (tensor<3xf32>) -> tensor<f32>
  return %r : tensor<f32>
}

// value_and_grad returns the value, then the gradient of the `wrt` argument; no gradient flows through stop_grad,
// so d/dw sum(w x * stop_grad(exp(w x))) is exp(w x) x^T, an outer product.
// CHECK-LABEL: func.func @value_and_grad_of_dot
// CHECK-NEXT: %[[R:.*]]:2 = call @norm_vjp(%arg0, %arg1)
// CHECK-NEXT: return %[[R]]#0, %[[R]]#1
func.func @value_and_grad_of_dot(%w: tensor<2x3xf64>, %x: tensor<3xf64>) -> (tensor<f64>, tensor<2x3xf64>) {
  %v, %g = "nx.value_and_grad"(%w, %x) {callee = @norm, wrt = array<i64: 0>} : (tensor<2x3xf64>, tensor<3xf64>) -> (tensor<f64>, tensor<2x3xf64>)
  return %v, %g : tensor<f64>, tensor<2x3xf64>
}
func.func private @norm(%w: tensor<2x3xf64>, %x: tensor<3xf64>) -> tensor<f64> {
  %y = "nx.dot"(%w, %x) {contract_axes_a = array<i64: 1>, batch_axes_a = array<i64>, contract_axes_b = array<i64: 0>, batch_axes_b = array<i64>} : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2xf64>
  %e = "nx.exp"(%y) : (tensor<2xf64>) -> tensor<2xf64>
  %s = "nx.stop_grad"(%e) : (tensor<2xf64>) -> tensor<2xf64>
  %q = "nx.multiply"(%y, %s) : (tensor<2xf64>, tensor<2xf64>) -> tensor<2xf64>
  %r = "nx.sum"(%q) {axes = array<i64: 0>, keep_axes = false} : (tensor<2xf64>) -> tensor<f64>
  return %r : tensor<f64>
}

// (x^3)'' = 6x: the inner grad becomes @cube_vjp, which the outer one differentiates, inlined.
// CHECK-LABEL: func.func @second_derivative
// CHECK-NEXT: call @first_derivative_vjp(%arg0)
func.func @second_derivative(%x: tensor<f32>) -> tensor<f32> {
  %g = "nx.grad"(%x) {callee = @first_derivative, wrt = array<i64: 0>} : (tensor<f32>) -> tensor<f32>
  return %g : tensor<f32>
}
func.func private @first_derivative(%x: tensor<f32>) -> tensor<f32> {
  %g = "nx.grad"(%x) {callee = @cube, wrt = array<i64: 0>} : (tensor<f32>) -> tensor<f32>
  return %g : tensor<f32>
}
func.func private @cube(%x: tensor<f32>) -> tensor<f32> {
  %s = "nx.multiply"(%x, %x) : (tensor<f32>, tensor<f32>) -> tensor<f32>
  %c = "nx.multiply"(%s, %x) : (tensor<f32>, tensor<f32>) -> tensor<f32>
  return %c : tensor<f32>
}

// CHECK-LABEL: func.func private @sin_times_vjp(%arg0: tensor<3xf32>) -> tensor<3xf32>
// CHECK-NEXT: %[[S:.*]] = "nx.sin"(%arg0)
// CHECK-NEXT: %[[C:.*]] = "nx.cos"(%arg0)
// CHECK-NEXT: %[[XC:.*]] = "nx.multiply"(%arg0, %[[C]])
// CHECK-NEXT: %[[G:.*]] = "nx.add"(%[[S]], %[[XC]])
// CHECK-NEXT: return %[[G]]

// CHECK-LABEL: func.func private @norm_vjp(%arg0: tensor<2x3xf64>, %arg1: tensor<3xf64>) -> (tensor<f64>, tensor<2x3xf64>)
// CHECK-NEXT: %[[Y:.*]] = "nx.dot"(%arg0, %arg1)
// CHECK-NEXT: %[[E:.*]] = "nx.exp"(%[[Y]])
// CHECK-NEXT: %[[Q:.*]] = "nx.multiply"(%[[Y]], %[[E]])
// CHECK-NEXT: %[[V:.*]] = "nx.sum"(%[[Q]])
// CHECK-NEXT: %[[G:.*]] = "nx.dot"(%[[E]], %arg1) {batch_axes_a = array<i64>, batch_axes_b = array<i64>, contract_axes_a = array<i64>, contract_axes_b = array<i64>} : (tensor<2xf64>, tensor<3xf64>) -> tensor<2x3xf64>
// CHECK-NEXT: return %[[V]], %[[G]]

// CHECK-LABEL: func.func private @first_derivative_vjp(%arg0: tensor<f32>) -> tensor<f32>
// CHECK-NEXT: %[[X2:.*]] = "nx.add"(%arg0, %arg0)
// CHECK-NEXT: %[[X4:.*]] = "nx.add"(%[[X2]], %[[X2]])
// CHECK-NEXT: %[[X5:.*]] = "nx.add"(%[[X4]], %arg0)
// CHECK-NEXT: %[[X6:.*]] = "nx.add"(%[[X5]], %arg0)
// CHECK-NEXT: return %[[X6]]
// CHECK-NOT: func.func

// EXPANDED-NOT: nx.grad
// EXPANDED-NOT: nx.stop_grad
// EXPANDED-NOT: @sin_times(
// EXPANDED-NOT: @cube_vjp(
