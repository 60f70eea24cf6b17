// RUN: %nx-opt --nx-to-stablehlo %s | %filecheck %s
// nx.conv is one stablehlo.convolution: its permutations are the dimension numbers, its options the window and the
// group counts, as they are; IREE makes its own convolution kernels of it (no gather, no im2col here).

// Nx's default layout, NCHW input and OIHW kernel, "same" padding of a 3x3 kernel.
// CHECK-LABEL: func.func @nchw
// CHECK-NEXT: %[[C:.*]] = stablehlo.convolution(%arg0, %arg1) dim_numbers = [b, f, 0, 1]x[o, i, 0, 1]->[b, f, 0, 1], window = {stride = [1, 1], pad = {{\[}}[1, 1], [1, 1]], lhs_dilate = [1, 1], rhs_dilate = [1, 1]} {batch_group_count = 1 : i64, feature_group_count = 1 : i64} : (tensor<2x4x6x6xf32>, tensor<3x4x3x3xf32>) -> tensor<2x3x6x6xf32>
// CHECK-NEXT: return %[[C]]
func.func @nchw(%x: tensor<2x4x6x6xf32>, %k: tensor<3x4x3x3xf32>) -> tensor<2x3x6x6xf32> {
  %0 = "nx.conv"(%x, %k) {strides = array<i64: 1, 1>, padding_low = array<i64: 1, 1>, padding_high = array<i64: 1, 1>,
                          input_dilation = array<i64: 1, 1>, kernel_dilation = array<i64: 1, 1>,
                          feature_group_size = 1 : i64, batch_group_size = 1 : i64,
                          input_permutation = array<i64: 0, 1, 2, 3>, kernel_permutation = array<i64: 0, 1, 2, 3>,
                          output_permutation = array<i64: 0, 1, 2, 3>}
      : (tensor<2x4x6x6xf32>, tensor<3x4x3x3xf32>) -> tensor<2x3x6x6xf32>
  return %0 : tensor<2x3x6x6xf32>
}

// Channels last (input permutation [0, 2, 1], kernel [2, 1, 0]), the result's axes reordered, strides, negative
// padding, kernel dilation and two feature groups; f16 computes in f32 and rounds once (the widened operands reach
// the convolution through a barrier: IREE 3.13's im2col fails to build with the widening taken in).
// CHECK-LABEL: func.func @channels_last_grouped
// CHECK-NEXT: %[[X:.*]] = stablehlo.convert %arg0 : (tensor<2x9x4xf16>) -> tensor<2x9x4xf32>
// CHECK-NEXT: %[[K:.*]] = stablehlo.convert %arg1 : (tensor<3x2x6xf16>) -> tensor<3x2x6xf32>
// CHECK-NEXT: %[[B:.*]]:2 = stablehlo.optimization_barrier %[[X]], %[[K]]
// CHECK-NEXT: %[[C:.*]] = stablehlo.convolution(%[[B]]#0, %[[B]]#1) dim_numbers = [b, 0, f]x[0, i, o]->[0, b, f], window = {stride = [2], pad = {{\[}}[1, -1]], lhs_dilate = [1], rhs_dilate = [2]} {batch_group_count = 1 : i64, feature_group_count = 2 : i64} : (tensor<2x9x4xf32>, tensor<3x2x6xf32>) -> tensor<3x2x6xf32>
// CHECK-NEXT: %[[R:.*]] = stablehlo.convert %[[C]] : (tensor<3x2x6xf32>) -> tensor<3x2x6xf16>
// CHECK-NEXT: return %[[R]]
func.func @channels_last_grouped(%x: tensor<2x9x4xf16>, %k: tensor<3x2x6xf16>) -> tensor<3x2x6xf16> {
  %0 = "nx.conv"(%x, %k) {strides = array<i64: 2>, padding_low = array<i64: 1>, padding_high = array<i64: -1>,
                          input_dilation = array<i64: 1>, kernel_dilation = array<i64: 2>,
                          feature_group_size = 2 : i64, batch_group_size = 1 : i64,
                          input_permutation = array<i64: 0, 2, 1>, kernel_permutation = array<i64: 2, 1, 0>,
                          output_permutation = array<i64: 1, 2, 0>}
      : (tensor<2x9x4xf16>, tensor<3x2x6xf16>) -> tensor<3x2x6xf16>
  return %0 : tensor<3x2x6xf16>
}

// 3-D, input dilation and two batch groups (the batch of 4 halves).
// CHECK-LABEL: func.func @batch_groups_3d
// CHECK-NEXT: stablehlo.convolution(%arg0, %arg1) dim_numbers = [b, f, 0, 1, 2]x[o, i, 0, 1, 2]->[b, f, 0, 1, 2], window = {stride = [1, 1, 1], pad = {{\[}}[1, 0], [0, 0], [0, 0]], lhs_dilate = [2, 1, 1], rhs_dilate = [1, 1, 1]} {batch_group_count = 2 : i64, feature_group_count = 1 : i64} : (tensor<4x2x3x3x3xf64>, tensor<4x2x2x2x2xf64>) -> tensor<2x4x5x2x2xf64>
func.func @batch_groups_3d(%x: tensor<4x2x3x3x3xf64>, %k: tensor<4x2x2x2x2xf64>) -> tensor<2x4x5x2x2xf64> {
  %0 = "nx.conv"(%x, %k) {strides = array<i64: 1, 1, 1>, padding_low = array<i64: 1, 0, 0>,
                          padding_high = array<i64: 0, 0, 0>, input_dilation = array<i64: 2, 1, 1>,
                          kernel_dilation = array<i64: 1, 1, 1>, feature_group_size = 1 : i64,
                          batch_group_size = 2 : i64, input_permutation = array<i64: 0, 1, 2, 3, 4>,
                          kernel_permutation = array<i64: 0, 1, 2, 3, 4>, output_permutation = array<i64: 0, 1, 2, 3, 4>}
      : (tensor<4x2x3x3x3xf64>, tensor<4x2x2x2x2xf64>) -> tensor<2x4x5x2x2xf64>
  return %0 : tensor<2x4x5x2x2xf64>
}

// Complex operands convolve part by part (IREE crashes on a padded complex convolution): four real convolutions,
// (xr kr - xi ki) + i (xr ki + xi kr), the kernel not conjugated.
// CHECK-LABEL: func.func @complex
// CHECK-DAG: %[[XR:.*]] = stablehlo.real %arg0
// CHECK-DAG: %[[XI:.*]] = stablehlo.imag %arg0
// CHECK-DAG: %[[KR:.*]] = stablehlo.real %arg1
// CHECK-DAG: %[[KI:.*]] = stablehlo.imag %arg1
// CHECK: %[[RR:.*]] = stablehlo.convolution(%[[XR]], %[[KR]]) {{.*}} pad = {{\[}}[2, 2]]{{.*}} -> tensor<1x1x5xf32>
// CHECK-NEXT: %[[II:.*]] = stablehlo.convolution(%[[XI]], %[[KI]])
// CHECK-NEXT: %[[RE:.*]] = stablehlo.subtract %[[RR]], %[[II]]
// CHECK-NEXT: %[[RI:.*]] = stablehlo.convolution(%[[XR]], %[[KI]])
// CHECK-NEXT: %[[IR:.*]] = stablehlo.convolution(%[[XI]], %[[KR]])
// CHECK-NEXT: %[[IM:.*]] = stablehlo.add %[[RI]], %[[IR]]
// CHECK-NEXT: %[[Z:.*]] = stablehlo.complex %[[RE]], %[[IM]] : tensor<1x1x5xcomplex<f32>>
// CHECK-NEXT: return %[[Z]]
func.func @complex(%x: tensor<1x1x3xcomplex<f32>>, %k: tensor<1x1x3xcomplex<f32>>) -> tensor<1x1x5xcomplex<f32>> {
  %0 = "nx.conv"(%x, %k) {strides = array<i64: 1>, padding_low = array<i64: 2>, padding_high = array<i64: 2>,
                          input_dilation = array<i64: 1>, kernel_dilation = array<i64: 1>,
                          feature_group_size = 1 : i64, batch_group_size = 1 : i64,
                          input_permutation = array<i64: 0, 1, 2>, kernel_permutation = array<i64: 0, 1, 2>,
                          output_permutation = array<i64: 0, 1, 2>}
      : (tensor<1x1x3xcomplex<f32>>, tensor<1x1x3xcomplex<f32>>) -> tensor<1x1x5xcomplex<f32>>
  return %0 : tensor<1x1x5xcomplex<f32>>
}

// No input features: nothing is summed, so the result is a zero constant (IREE crashes on empty reductions).
// CHECK-LABEL: func.func @nothing_summed
// CHECK-NEXT: %[[Z:.*]] = stablehlo.constant dense<0.000000e+00> : tensor<2x3x3xf32>
// CHECK-NEXT: return %[[Z]]
func.func @nothing_summed(%x: tensor<2x0x4xf32>, %k: tensor<3x0x2xf32>) -> tensor<2x3x3xf32> {
  %0 = "nx.conv"(%x, %k) {strides = array<i64: 1>, padding_low = array<i64: 0>, padding_high = array<i64: 0>,
                          input_dilation = array<i64: 1>, kernel_dilation = array<i64: 1>,
                          feature_group_size = 1 : i64, batch_group_size = 1 : i64,
                          input_permutation = array<i64: 0, 1, 2>, kernel_permutation = array<i64: 0, 1, 2>,
                          output_permutation = array<i64: 0, 1, 2>}
      : (tensor<2x0x4xf32>, tensor<3x0x2xf32>) -> tensor<2x3x3xf32>
  return %0 : tensor<2x3x3xf32>
}
