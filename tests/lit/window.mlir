// RUN: %nx-opt --nx-to-stablehlo %s | %filecheck %s
// The window ops (dialect/window.py): the reductions become stablehlo.reduce_window, the scatters
// stablehlo.select_and_scatter in the forms IREE compiles.

// Max pooling: a reduce_window from -inf over the operand cut to what the windows reach (IREE miscompiles an
// operand that runs on past its last window), with the padding the windows reach.
// CHECK-LABEL: func.func @max_pool
// CHECK: %[[CUT:.*]] = stablehlo.slice %arg0 [0:2, 0:3, 0:4]
// CHECK: %[[LOWEST:.*]] = stablehlo.constant dense<0xFF800000> : tensor<f32>
// CHECK: "stablehlo.reduce_window"(%[[CUT]], %[[LOWEST]]) <{padding = dense<{{\[\[}}0, 0], [1, 0], [0, 0]]> : tensor<3x2xi64>, window_dimensions = array<i64: 1, 2, 2>, window_strides = array<i64: 1, 2, 2>}>
// CHECK: stablehlo.maximum
func.func @max_pool(%x: tensor<2x4x4xf32>) -> tensor<2x2x2xf32> {
  %0 = "nx.window_max"(%x) {padding_high = array<i64: 0, 0, 1>, padding_low = array<i64: 0, 1, 0>, strides = array<i64: 1, 2, 2>, window_dilations = array<i64: 1, 1, 1>, window_dimensions = array<i64: 1, 2, 2>} : (tensor<2x4x4xf32>) -> tensor<2x2x2xf32>
  return %0 : tensor<2x2x2xf32>
}

// A strided pick of one-element windows reads its operand through a barrier (IREE 3.13 writes a fused producer's
// other uses only at the picked elements); windows of more than one element do not (max_pool above).
// CHECK-LABEL: func.func @strided_pick
// CHECK: %[[B:.*]] = stablehlo.optimization_barrier %arg0
// CHECK: "stablehlo.reduce_window"(%[[B]], %{{.*}}) <{window_dimensions = array<i64: 1, 1>, window_strides = array<i64: 2, 1>}>
func.func @strided_pick(%x: tensor<5x2xf32>) -> tensor<3x2xf32> {
  %0 = "nx.window_min"(%x) {padding_high = array<i64: 0, 0>, padding_low = array<i64: 0, 0>, strides = array<i64: 2, 1>, window_dilations = array<i64: 1, 1>, window_dimensions = array<i64: 1, 1>} : (tensor<5x2xf32>) -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// A bf16 sum adds in f32; dilations become window_dilations.
// CHECK-LABEL: func.func @sum_half
// CHECK: %[[WIDE:.*]] = stablehlo.convert %arg0 : (tensor<4x4xbf16>) -> tensor<4x4xf32>
// CHECK: "stablehlo.reduce_window"(%[[WIDE]], %{{.*}}) <{window_dilations = array<i64: 1, 2>, window_dimensions = array<i64: 2, 2>, window_strides = array<i64: 1, 1>}>
// CHECK: stablehlo.add %{{.*}}, %{{.*}} : tensor<f32>
// CHECK: stablehlo.convert %{{.*}} : (tensor<3x2xf32>) -> tensor<3x2xbf16>
func.func @sum_half(%x: tensor<4x4xbf16>) -> tensor<3x2xbf16> {
  %0 = "nx.window_sum"(%x) {padding_high = array<i64: 0, 0>, padding_low = array<i64: 0, 0>, strides = array<i64: 1, 1>, window_dilations = array<i64: 1, 2>, window_dimensions = array<i64: 2, 2>} : (tensor<4x4xbf16>) -> tensor<3x2xbf16>
  return %0 : tensor<3x2xbf16>
}

// Unsigned values compare as signed keys (the sign bit flipped); min starts from the key of 255.
// CHECK-LABEL: func.func @min_unsigned
// CHECK: %[[KEY:.*]] = stablehlo.xor
// CHECK: %[[HIGHEST:.*]] = stablehlo.constant dense<127> : tensor<i8>
// CHECK: "stablehlo.reduce_window"(%[[KEY]], %[[HIGHEST]])
// CHECK: stablehlo.minimum
// CHECK: stablehlo.xor
func.func @min_unsigned(%x: tensor<5xui8>) -> tensor<3xui8> {
  %0 = "nx.window_min"(%x) {padding_high = array<i64: 0>, padding_low = array<i64: 0>, strides = array<i64: 1>, window_dilations = array<i64: 1>, window_dimensions = array<i64: 3>} : (tensor<5xui8>) -> tensor<3xui8>
  return %0 : tensor<3xui8>
}

// Max pooling's gradient: one select_and_scatter marks each window's last largest element (NaN first: the select
// region gets the later element first), the source spread over its window is kept there, init_value added.
// CHECK-LABEL: func.func @scatter_pool
// CHECK: %[[MARKS:.*]] = "stablehlo.select_and_scatter"(%arg0, %{{.*}}, %{{.*}}) <{window_dimensions = array<i64: 2, 2>, window_strides = array<i64: 2, 2>}>
// CHECK-NEXT: ^bb0(%[[LATER:.*]]: tensor<f32>, %[[EARLIER:.*]]: tensor<f32>):
// CHECK-NEXT: %[[GE:.*]] = stablehlo.compare GE, %[[LATER]], %[[EARLIER]], FLOAT
// CHECK-NEXT: %[[NAN:.*]] = stablehlo.compare NE, %[[LATER]], %[[LATER]], FLOAT
// CHECK-NEXT: %[[PICK:.*]] = stablehlo.or %[[NAN]], %[[GE]]
// CHECK-NEXT: stablehlo.return %[[PICK]]
// CHECK: stablehlo.add
// CHECK: %[[SELECTED:.*]] = stablehlo.compare NE, %[[MARKS]]
// CHECK: %[[SPREAD:.*]] = stablehlo.reshape %{{.*}} : (tensor<2x2x2x2xf32>) -> tensor<4x4xf32>
// CHECK: %[[ROUTED:.*]] = stablehlo.select %[[SELECTED]], %[[SPREAD]]
// CHECK: %[[INIT:.*]] = stablehlo.broadcast_in_dim %arg2
// CHECK: stablehlo.add %[[INIT]], %[[ROUTED]]
func.func @scatter_pool(%x: tensor<4x4xf32>, %s: tensor<2x2xf32>, %init: tensor<f32>) -> tensor<4x4xf32> {
  %0 = "nx.window_scatter_max"(%x, %s, %init) {padding_high = array<i64: 0, 0>, padding_low = array<i64: 0, 0>, strides = array<i64: 2, 2>, window_dimensions = array<i64: 2, 2>} : (tensor<4x4xf32>, tensor<2x2xf32>, tensor<f32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// Overlapping windows (IREE compiles select_and_scatter only for windows that do not overlap): the even windows,
// then the odd ones on the operand from its second element, each a select_and_scatter (LE: the last smallest),
// placed back and summed. Integer keys need no NaN test.
// CHECK-LABEL: func.func @scatter_overlapping
// CHECK: stablehlo.slice %arg1 [0:3:2]
// CHECK: "stablehlo.select_and_scatter"(%arg0, {{.*}} <{window_dimensions = array<i64: 2>, window_strides = array<i64: 2>}>
// CHECK: stablehlo.compare LE, %{{.*}}, %{{.*}}, SIGNED
// CHECK-NEXT: stablehlo.return
// CHECK: stablehlo.slice %arg1 [1:3:2]
// CHECK: %[[ODD:.*]] = stablehlo.slice %arg0 [1:3]
// CHECK: "stablehlo.select_and_scatter"(%[[ODD]], {{.*}} <{window_dimensions = array<i64: 2>, window_strides = array<i64: 2>}>
// CHECK: stablehlo.concatenate
// CHECK: stablehlo.add
func.func @scatter_overlapping(%x: tensor<4xi32>, %s: tensor<3xf32>, %init: tensor<f32>) -> tensor<4xf32> {
  %0 = "nx.window_scatter_min"(%x, %s, %init) {padding_high = array<i64: 0>, padding_low = array<i64: 0>, strides = array<i64: 1>, window_dimensions = array<i64: 2>} : (tensor<4xi32>, tensor<3xf32>, tensor<f32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
