// RUN: %nx-opt --nx-verify %s | %filecheck %s --check-prefix=ROUND
// RUN: %nx-opt --nx-fuse %s | %filecheck %s --check-prefix=FUSE
// RUN: %nx-opt --nx-to-stablehlo %s | %filecheck %s --check-prefix=LOWER
// nx.switch and nx.while name private functions: the branches, a loop's condition and body. They round-trip, nx-fuse
// fuses inside the functions, and the lowering calls them from stablehlo.case and stablehlo.while regions.

func.func private @double(%x: tensor<4xf32>, %c: tensor<f32>) -> tensor<4xf32> {
  %0 = "nx.add"(%x, %x) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
func.func private @shift(%x: tensor<4xf32>, %c: tensor<f32>) -> tensor<4xf32> {
  %0 = "nx.broadcast"(%c) {axes = array<i64>, shape = array<i64: 4>} : (tensor<f32>) -> tensor<4xf32>
  %1 = "nx.subtract"(%x, %0) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = "nx.exp"(%1) : (tensor<4xf32>) -> tensor<4xf32>
  return %2 : tensor<4xf32>
}
// ROUND-LABEL: func.func @choose
// ROUND: "nx.switch"(%arg0, %arg1, %arg2) {branches = [@double, @shift]}
// FUSE-LABEL: func.func private @shift
// FUSE: "nx.fusion"
// FUSE: "nx.subtract"
// FUSE: "nx.exp"
// LOWER-LABEL: func.func @choose
// LOWER: %[[I:.*]] = stablehlo.convert %{{.*}} : (tensor<i64>) -> tensor<i32>
// LOWER: "stablehlo.case"(%[[I]]) ({
// LOWER: func.call @double(%arg1, %arg2)
// LOWER: stablehlo.return
// LOWER: }, {
// LOWER: func.call @shift(%arg1, %arg2)
func.func @choose(%i: tensor<i32>, %x: tensor<4xf32>, %c: tensor<f32>) -> tensor<4xf32> {
  %0 = "nx.switch"(%i, %x, %c) {branches = [@double, @shift]} : (tensor<i32>, tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

func.func private @below(%n: tensor<i32>, %x: tensor<f32>, %limit: tensor<i32>) -> tensor<i1> {
  %0 = "nx.less"(%n, %limit) : (tensor<i32>, tensor<i32>) -> tensor<i1>
  return %0 : tensor<i1>
}
func.func private @step(%n: tensor<i32>, %x: tensor<f32>, %limit: tensor<i32>) -> (tensor<i32>, tensor<f32>) {
  %one = "nx.constant"() {value = dense<1> : tensor<i32>} : () -> tensor<i32>
  %0 = "nx.add"(%n, %one) : (tensor<i32>, tensor<i32>) -> tensor<i32>
  %1 = "nx.multiply"(%x, %x) : (tensor<f32>, tensor<f32>) -> tensor<f32>
  return %0, %1 : tensor<i32>, tensor<f32>
}
// ROUND-LABEL: func.func @loop
// ROUND: "nx.while"(%arg0, %arg1, %arg2) {body = @step, carried = 2 : i64, cond = @below, trips = -1 : i64}
// LOWER-LABEL: func.func @loop
// LOWER: stablehlo.while(%[[N:.*]] = %arg0, %[[X:.*]] = %arg1)
// LOWER: func.call @below(%[[N]], %[[X]], %arg2)
// LOWER: func.call @step(%[[N]], %[[X]], %arg2)
func.func @loop(%n: tensor<i32>, %x: tensor<f32>, %limit: tensor<i32>) -> (tensor<i32>, tensor<f32>) {
  %0:2 = "nx.while"(%n, %x, %limit) {cond = @below, body = @step, carried = 2, trips = -1} : (tensor<i32>, tensor<f32>, tensor<i32>) -> (tensor<i32>, tensor<f32>)
  return %0#0, %0#1 : tensor<i32>, tensor<f32>
}
