// RUN: not %nx-opt --split-input-file --nx-verify %s 2>&1 | %filecheck %s
// Each malformed op gets an MLIR-style diagnostic at its own line and column.

func.func @wrong_operand_count(%a: tensor<2xf32>) -> tensor<2xf32> {
  // CHECK: verify-errors.mlir:[[# @LINE + 1]]:8: error: nx-verify: 'nx.add' op expects 2 operands, got 1
  %0 = "nx.add"(%a) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @unknown_op(%a: tensor<2xf32>) -> tensor<2xf32> {
  // CHECK: verify-errors.mlir:[[# @LINE + 1]]:8: error: nx-verify: 'nx.frobnicate' op is not an nx op
  %0 = "nx.frobnicate"(%a) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @missing_attribute(%a: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // CHECK: verify-errors.mlir:[[# @LINE + 1]]:8: error: nx-verify: 'nx.transpose' op missing attribute 'axes' (ints)
  %0 = "nx.transpose"(%a) : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @ill_typed_attribute(%a: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // CHECK: verify-errors.mlir:[[# @LINE + 1]]:8: error: nx-verify: 'nx.transpose' op attribute 'axes' must be ints, got array<i32: 1, 0>
  %0 = "nx.transpose"(%a) {axes = array<i32: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

func.func @unknown_attribute(%a: tensor<2xf32>) -> tensor<2xf32> {
  // CHECK: verify-errors.mlir:[[# @LINE + 1]]:8: error: nx-verify: 'nx.exp' op unknown attributes ['fast']; expects none
  %0 = "nx.exp"(%a) {fast = true} : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @wrong_result_type(%a: tensor<2xf32>) -> tensor<3xf32> {
  // CHECK: verify-errors.mlir:[[# @LINE + 1]]:8: error: nx-verify: 'nx.exp' op result 0 has type tensor<3xf32>; the operands and attributes give tensor<2xf32>
  %0 = "nx.exp"(%a) : (tensor<2xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @schema_rejects_operands(%a: tensor<2xf32>, %b: tensor<3xf32>) -> tensor<2xf32> {
  // CHECK: verify-errors.mlir:[[# @LINE + 1]]:8: error: nx-verify: 'nx.add' op operands must have equal shapes, got f32[2], f32[3]
  %0 = "nx.add"(%a, %b) : (tensor<2xf32>, tensor<3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @schema_rejects_types(%a: tensor<2xi1>) -> tensor<2xi1> {
  // CHECK: verify-errors.mlir:[[# @LINE + 1]]:8: error: nx-verify: 'nx.exp' op does not support type bool
  %0 = "nx.exp"(%a) : (tensor<2xi1>) -> tensor<2xi1>
  return %0 : tensor<2xi1>
}

// -----

func.func @not_a_tensor(%a: f32) -> tensor<f32> {
  // CHECK: verify-errors.mlir:[[# @LINE + 1]]:8: error: nx-verify: 'nx.exp' op operand 0 has type f32; expects a static-shaped tensor of an nx element type
  %0 = "nx.exp"(%a) : (f32) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @dynamic_shape(%a: tensor<?xf32>) -> tensor<?xf32> {
  // CHECK: verify-errors.mlir:[[# @LINE + 1]]:8: error: nx-verify: 'nx.exp' op operand 0 has type tensor<?xf32>
  %0 = "nx.exp"(%a) : (tensor<?xf32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// A complex dense attribute is refused without reading it (reading one aborts these MLIR bindings).
func.func @complex_constant() -> tensor<2xcomplex<f32>> {
  // CHECK: verify-errors.mlir:[[# @LINE + 1]]:8: error: nx-verify: 'nx.constant' op attribute 'value' (array) cannot be read
  %0 = "nx.constant"() {value = dense<(1.0, 2.0)> : tensor<2xcomplex<f32>>} : () -> tensor<2xcomplex<f32>>
  return %0 : tensor<2xcomplex<f32>>
}

// -----

// MLIR's own verifier runs as the module is read: a return of the wrong type.
func.func @bad_return(%a: tensor<2xf32>) -> tensor<2xi32> {
  // CHECK: verify-errors.mlir:[[# @LINE + 1]]:3: error: type of return operand 0 ('tensor<2xf32>') doesn't match function result type ('tensor<2xi32>') in function @bad_return
  return %a : tensor<2xf32>
}

// -----

// Locations given in the IR (a traced program's loc("user.py":line:col)) are the ones reported.
func.func @traced_location(%a: tensor<2xf32>) -> tensor<2xf32> {
  // CHECK: user.py:7:5: error: nx-verify: 'nx.exp' op result 0 has type tensor<2xf64>
  %0 = "nx.exp"(%a) : (tensor<2xf32>) -> tensor<2xf64> loc("user.py":7:5)
  return %a : tensor<2xf32>
}

// -----

// The context takes unregistered ops only to hold nx's: another one is an error, not passed through.
func.func @foreign_op(%a: tensor<2xf32>) -> tensor<2xf32> {
  // CHECK: verify-errors.mlir:[[# @LINE + 1]]:8: error: nx-verify: 'foo.bar' op is unknown: neither an nx op nor one of a dialect MLIR registers
  %0 = "foo.bar"(%a) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// A gradient of the function it is in has no end.
func.func @self_gradient(%a: tensor<f32>) -> tensor<f32> {
  // CHECK: verify-errors.mlir:[[# @LINE + 1]]:8: error: nx-verify: 'nx.grad' op differentiates @self_gradient, which recurses (@self_gradient -> @self_gradient); nx functions cannot recurse
  %0 = "nx.grad"(%a) {callee = @self_gradient, wrt = array<i64: 0>} : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Nor has one whose callee calls back the function it is in.
func.func @calls_back(%a: tensor<f32>) -> tensor<f32> {
  %0 = call @mutual_gradient(%a) : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}
func.func @mutual_gradient(%a: tensor<f32>) -> tensor<f32> {
  // CHECK: verify-errors.mlir:[[# @LINE + 1]]:10: error: nx-verify: 'nx.value_and_grad' op differentiates @calls_back, which recurses (@calls_back -> @mutual_gradient -> @calls_back); nx functions cannot recurse
  %0:2 = "nx.value_and_grad"(%a) {callee = @calls_back, wrt = array<i64: 0>} : (tensor<f32>) -> (tensor<f32>, tensor<f32>)
  return %0#1 : tensor<f32>
}

// -----

// The chunks that verify still print.
// CHECK: func.func @valid_chunk
func.func @valid_chunk(%a: tensor<2xf32>) -> tensor<2xf32> {
  return %a : tensor<2xf32>
}
