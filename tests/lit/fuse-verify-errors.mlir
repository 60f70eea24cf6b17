// RUN: not %nx-opt --split-input-file --nx-verify %s 2>&1 | %filecheck %s
// nx-verify checks an nx.fusion against its region: the region's arguments have the operands' types, it holds nx
// ops without regions and ends in nx.yield, whose operands are the fusion's results; nx.yield ends a fusion only.

func.func @argument_types(%a: tensor<2xf32>) -> tensor<2xf32> {
  // CHECK: fuse-verify-errors.mlir:[[# @LINE + 1]]:8: error: nx-verify: 'nx.fusion' op region arguments (f64[2]) must have the operands' types (f32[2])
  %0 = "nx.fusion"(%a) ({
  ^bb0(%x: tensor<2xf64>):
    %1 = "nx.as_type"(%x) {type = f32} : (tensor<2xf64>) -> tensor<2xf32>
    "nx.yield"(%1) : (tensor<2xf32>) -> ()
  }) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @result_types(%a: tensor<2xf32>) -> tensor<2xf64> {
  // CHECK: fuse-verify-errors.mlir:[[# @LINE + 1]]:8: error: nx-verify: 'nx.fusion' op result 0 has type tensor<2xf64>; the operands and attributes give tensor<2xf32>
  %0 = "nx.fusion"(%a) ({
  ^bb0(%x: tensor<2xf32>):
    %1 = "nx.exp"(%x) : (tensor<2xf32>) -> tensor<2xf32>
    "nx.yield"(%1) : (tensor<2xf32>) -> ()
  }) : (tensor<2xf32>) -> tensor<2xf64>
  return %0 : tensor<2xf64>
}

// -----

func.func @no_yield(%a: tensor<2xf32>) -> tensor<2xf32> {
  // CHECK: fuse-verify-errors.mlir:[[# @LINE + 1]]:8: error: nx-verify: 'nx.fusion' op region must end in nx.yield
  %0 = "nx.fusion"(%a) ({
  ^bb0(%x: tensor<2xf32>):
    %1 = "nx.exp"(%x) : (tensor<2xf32>) -> tensor<2xf32>
  }) : (tensor<2xf32>) -> tensor<2xf32>
  return %a : tensor<2xf32>
}

// -----

func.func @foreign_op(%a: tensor<2xf32>) -> tensor<2xf32> {
  // CHECK: fuse-verify-errors.mlir:[[# @LINE + 1]]:8: error: nx-verify: 'nx.fusion' op region holds arith.addf; expects nx ops without regions
  %0 = "nx.fusion"(%a) ({
  ^bb0(%x: tensor<2xf32>):
    %1 = arith.addf %x, %x : tensor<2xf32>
    "nx.yield"(%1) : (tensor<2xf32>) -> ()
  }) : (tensor<2xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @stray_yield(%a: tensor<2xf32>) -> tensor<2xf32> {
  // CHECK: fuse-verify-errors.mlir:[[# @LINE + 1]]:3: error: nx-verify: 'nx.yield' op must be the last op of an nx.fusion region
  "nx.yield"(%a) : (tensor<2xf32>) -> ()
  return %a : tensor<2xf32>
}
