// RUN: not %nx-opt --split-input-file --nx-grad %s 2>&1 | %filecheck %s
// Errors of nx-grad and of the verifier on grad ops, each at the location of the op at fault.

// An op with no VJP rule (here not even an nx op) cannot be differentiated.
// CHECK: grad-errors.mlir:[[# @LINE + 6]]:8: error: nx-grad: cannot differentiate through arith.addf
func.func @not_an_nx_op(%x: tensor<3xf32>) -> tensor<3xf32> {
  %g = "nx.grad"(%x) {callee = @uses_arith, wrt = array<i64: 0>} : (tensor<3xf32>) -> tensor<3xf32>
  return %g : tensor<3xf32>
}
func.func private @uses_arith(%x: tensor<3xf32>) -> tensor<f32> {
  %y = arith.addf %x, %x : tensor<3xf32>
  %r = "nx.sum"(%y) {axes = array<i64: 0>, keep_axes = false} : (tensor<3xf32>) -> tensor<f32>
  return %r : tensor<f32>
}

// -----
// A rule's own error points at the op it differentiates.
// CHECK: grad-errors.mlir:[[# @LINE + 6]]:12: error: qr: the gradient of qr is defined for matrices with at least as many rows as columns in 'reduced' mode (or square ones), got f64[2, 3] in 'reduced' mode
func.func @wide_qr(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
  %g = "nx.grad"(%x) {callee = @qr_sum, wrt = array<i64: 0>} : (tensor<2x3xf64>) -> tensor<2x3xf64>
  return %g : tensor<2x3xf64>
}
func.func private @qr_sum(%x: tensor<2x3xf64>) -> tensor<f64> {
  %q, %r = "nx.qr"(%x) {mode = "reduced"} : (tensor<2x3xf64>) -> (tensor<2x2xf64>, tensor<2x3xf64>)
  %s = "nx.sum"(%r) {axes = array<i64: 0, 1>, keep_axes = false} : (tensor<2x3xf64>) -> tensor<f64>
  return %s : tensor<f64>
}

// -----
// CHECK: grad-errors.mlir:[[# @LINE + 2]]:8: error: nx-verify: 'nx.grad' op cannot differentiate with respect to argument 0 of @count: it is s32[3]; gradients need floating or complex arguments
func.func @integer_argument(%x: tensor<3xi32>) -> tensor<3xi32> {
  %g = "nx.grad"(%x) {callee = @count, wrt = array<i64: 0>} : (tensor<3xi32>) -> tensor<3xi32>
  return %g : tensor<3xi32>
}
func.func private @count(%x: tensor<3xi32>) -> tensor<f32> {
  %f = "nx.as_type"(%x) {type = f32} : (tensor<3xi32>) -> tensor<3xf32>
  %r = "nx.sum"(%f) {axes = array<i64: 0>, keep_axes = false} : (tensor<3xf32>) -> tensor<f32>
  return %r : tensor<f32>
}

// -----
// CHECK: grad-errors.mlir:[[# @LINE + 2]]:8: error: nx-verify: 'nx.grad' op @identity returns f32[3] first; a gradient needs a real floating-point scalar
func.func @vector_value(%x: tensor<3xf32>) -> tensor<3xf32> {
  %g = "nx.grad"(%x) {callee = @identity, wrt = array<i64: 0>} : (tensor<3xf32>) -> tensor<3xf32>
  return %g : tensor<3xf32>
}
func.func private @identity(%x: tensor<3xf32>) -> tensor<3xf32> {
  return %x : tensor<3xf32>
}

// -----
// CHECK: grad-errors.mlir:[[# @LINE + 2]]:8: error: nx-verify: 'nx.grad' op calls @nowhere, which is not a function of the module
func.func @missing_callee(%x: tensor<3xf32>) -> tensor<3xf32> {
  %g = "nx.grad"(%x) {callee = @nowhere, wrt = array<i64: 0>} : (tensor<3xf32>) -> tensor<3xf32>
  return %g : tensor<3xf32>
}

// -----
// CHECK: grad-errors.mlir:[[# @LINE + 2]]:8: error: nx-verify: 'nx.grad' op wrt [1] must list increasing, distinct argument indices of @twice (0 to 0)
func.func @bad_wrt(%x: tensor<f32>) -> tensor<f32> {
  %g = "nx.grad"(%x) {callee = @twice, wrt = array<i64: 1>} : (tensor<f32>) -> tensor<f32>
  return %g : tensor<f32>
}
func.func private @twice(%x: tensor<f32>) -> tensor<f32> {
  %y = "nx.add"(%x, %x) : (tensor<f32>, tensor<f32>) -> tensor<f32>
  return %y : tensor<f32>
}
