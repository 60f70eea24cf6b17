// RUN: not %nx-opt --split-input-file --nx-verify %s 2>&1 | %filecheck %s
// Malformed control flow gets a located diagnostic: branches of different types, a loop body that changes the
// carried types, a condition that is not a bool scalar, an index that is not an integer, a missing function.

func.func private @a(%x: tensor<f32>) -> tensor<f32> { return %x : tensor<f32> }
func.func private @b(%x: tensor<f32>) -> tensor<f64> {
  %0 = "nx.as_type"(%x) {type = f64} : (tensor<f32>) -> tensor<f64>
  return %0 : tensor<f64>
}
func.func @branches_differ(%i: tensor<i32>, %x: tensor<f32>) -> tensor<f32> {
  // CHECK: control-flow-errors.mlir:[[# @LINE + 1]]:8: error: nx-verify: 'nx.switch' op branches must return the same types: @a returns (f32[]), @b (f64[])
  %0 = "nx.switch"(%i, %x) {branches = [@a, @b]} : (tensor<i32>, tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func private @a(%x: tensor<f32>) -> tensor<f32> { return %x : tensor<f32> }
func.func @float_index(%i: tensor<f32>, %x: tensor<f32>) -> tensor<f32> {
  // CHECK: control-flow-errors.mlir:[[# @LINE + 1]]:8: error: nx-verify: 'nx.switch' op the branch index must be an integer scalar, got f32[]
  %0 = "nx.switch"(%i, %x) {branches = [@a]} : (tensor<f32>, tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func private @c(%x: tensor<f32>) -> tensor<f32> { return %x : tensor<f32> }
func.func private @body(%x: tensor<f32>) -> tensor<f32> { return %x : tensor<f32> }
func.func @condition_not_bool(%x: tensor<f32>) -> tensor<f32> {
  // CHECK: control-flow-errors.mlir:[[# @LINE + 1]]:8: error: nx-verify: 'nx.while' op the condition @c must return one bool scalar, got (f32[])
  %0 = "nx.while"(%x) {cond = @c, body = @body, carried = 1, trips = -1} : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func private @c(%x: tensor<f32>) -> tensor<i1> {
  %0 = "nx.is_nan"(%x) : (tensor<f32>) -> tensor<i1>
  return %0 : tensor<i1>
}
func.func private @widen(%x: tensor<f32>) -> tensor<f64> {
  %0 = "nx.as_type"(%x) {type = f64} : (tensor<f32>) -> tensor<f64>
  return %0 : tensor<f64>
}
func.func @body_changes_types(%x: tensor<f32>) -> tensor<f32> {
  // CHECK: control-flow-errors.mlir:[[# @LINE + 1]]:8: error: nx-verify: 'nx.while' op the body @widen must return the carried values' types (f32[]), got (f64[])
  %0 = "nx.while"(%x) {cond = @c, body = @widen, carried = 1, trips = -1} : (tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func @missing_branch(%i: tensor<i32>, %x: tensor<f32>) -> tensor<f32> {
  // CHECK: control-flow-errors.mlir:[[# @LINE + 1]]:8: error: nx-verify: 'nx.switch' op calls @nowhere, which is not a function of the module
  %0 = "nx.switch"(%i, %x) {branches = [@nowhere]} : (tensor<i32>, tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

func.func private @again(%i: tensor<i32>, %x: tensor<f32>) -> tensor<f32> {
  // CHECK: control-flow-errors.mlir:[[# @LINE + 1]]:8: error: nx-verify: 'nx.switch' op calls @again, which recurses (@again -> @again); nx functions cannot recurse
  %0 = "nx.switch"(%i, %i, %x) {branches = [@again]} : (tensor<i32>, tensor<i32>, tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}
func.func @recursive_branch(%i: tensor<i32>, %x: tensor<f32>) -> tensor<f32> {
  %0 = "nx.switch"(%i, %i, %x) {branches = [@again]} : (tensor<i32>, tensor<i32>, tensor<f32>) -> tensor<f32>
  return %0 : tensor<f32>
}
