// RUN: not %nx-opt --split-input-file %s 2>&1 | %filecheck %s
// Malformed text gets the parser's located diagnostics, line numbers counted in the whole file.

func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  // CHECK: parse-errors.mlir:[[# @LINE + 1]]:{{[0-9]+}}: error: expected '>' in tensor type
  %0 = "nx.exp"(%a) : (tensor<2xf32>) -> tensor<2xf32
  return %0 : tensor<2xf32>
}

// -----

func.func @g() -> tensor<2xf32> {
  // CHECK: parse-errors.mlir:[[# @LINE + 1]]:{{[0-9]+}}: error: use of undeclared SSA value name
  return %nope : tensor<2xf32>
}

// CHECK-NOT: Traceback
