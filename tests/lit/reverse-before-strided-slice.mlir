// RUN: %nx-opt --iree-reverse-before-strided-slice %s | %filecheck %s
// A reverse of a strided slice becomes the mirrored slice of the reverse (IREE 3.13 fails to build the first order
// in one dimension); a reverse of an unstrided slice is left as it is.

// CHECK-LABEL: func.func @every_other_backwards
// CHECK-NEXT: %[[R:.*]] = stablehlo.reverse %arg0, dims = [0] : tensor<7xf32>
// CHECK-NEXT: %[[S:.*]] = stablehlo.slice %[[R]] [1:6:2] : (tensor<7xf32>) -> tensor<3xf32>
// CHECK-NEXT: return %[[S]]
func.func @every_other_backwards(%x: tensor<7xf32>) -> tensor<3xf32> {
  %0 = stablehlo.slice %x [1:6:2] : (tensor<7xf32>) -> tensor<3xf32>
  %1 = stablehlo.reverse %0, dims = [0] : tensor<3xf32>
  return %1 : tensor<3xf32>
}

// CHECK-LABEL: func.func @unstrided
// CHECK-NEXT: stablehlo.slice %arg0 [1:6]
// CHECK-NEXT: stablehlo.reverse
func.func @unstrided(%x: tensor<7xf32>) -> tensor<5xf32> {
  %0 = stablehlo.slice %x [1:6] : (tensor<7xf32>) -> tensor<5xf32>
  %1 = stablehlo.reverse %0, dims = [0] : tensor<5xf32>
  return %1 : tensor<5xf32>
}
