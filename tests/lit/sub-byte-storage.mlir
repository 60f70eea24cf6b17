// RUN: %nx-opt --iree-sub-byte-storage %s | %filecheck %s
// Every tensor of sub-byte integers becomes one of bytes (sign-extended where signless, zero-extended where
// unsigned), which IREE 3.13 does not pack: ops that compute values are wrapped back into the width after they run,
// a popcnt reads the masked value, ops that move values are only retyped, and a linalg.generic's body truncates the
// bytes it reads and widens what it yields. A public function takes ml_dtypes' bytes (the value's bits low, the rest
// zero): its arguments are extended and its signless results masked; a private one keeps its values as they are.

// CHECK-LABEL: func.func @boundary(%arg0: tensor<3xi8>, %arg1: tensor<3xui8>) -> (tensor<3xi8>, tensor<3xui8>, tensor<3xi8>)
// CHECK: %[[U:.*]] = stablehlo.and %arg1, %{{.*}} : tensor<3xui8>
// CHECK: %[[FOUR:.*]] = stablehlo.constant dense<4> : tensor<3xi8>
// CHECK-NEXT: %[[L:.*]] = stablehlo.shift_left %arg0, %[[FOUR]]
// CHECK-NEXT: %[[X:.*]] = stablehlo.shift_right_arithmetic %[[L]], %[[FOUR]]
// CHECK-NEXT: %[[C:.*]] = stablehlo.constant dense<[1, -8, 7]> : tensor<3xi8>
// CHECK-NEXT: %[[S:.*]] = stablehlo.add %[[X]], %[[C]] : tensor<3xi8>
// CHECK: stablehlo.shift_left %[[S]]
// CHECK-NEXT: %[[W:.*]] = stablehlo.shift_right_arithmetic
// CHECK-NEXT: %[[R:.*]] = stablehlo.reverse %[[W]], dims = [0] : tensor<3xi8>
// CHECK: linalg.generic {{.*}} ins(%[[R]] : tensor<3xi8>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: i8, %{{.*}}: i8):
// CHECK-NEXT: %[[N:.*]] = arith.trunci %[[IN]] : i8 to i4
// CHECK-NEXT: arith.extsi %[[N]] : i4 to i8
// CHECK: %[[M:.*]] = stablehlo.and %[[U]], %{{.*}} : tensor<3xui8>
// CHECK-NEXT: %[[P:.*]] = stablehlo.popcnt %[[M]] : tensor<3xui8>
// CHECK: %[[OUT:.*]] = stablehlo.and %[[R]], %{{.*}} : tensor<3xi8>
// CHECK-NEXT: return %[[OUT]]
#map = affine_map<(d0) -> (d0)>
func.func @boundary(%x: tensor<3xi4>, %u: tensor<3xui4>) -> (tensor<3xi4>, tensor<3xui4>, tensor<3xi8>) {
  %c = stablehlo.constant dense<[1, -8, 7]> : tensor<3xi4>
  %s = stablehlo.add %x, %c : tensor<3xi4>
  %r = stablehlo.reverse %s, dims = [0] : tensor<3xi4>
  %e = tensor.empty() : tensor<3xi8>
  %w = linalg.generic {indexing_maps = [#map, #map], iterator_types = ["parallel"]} ins(%r : tensor<3xi4>) outs(%e : tensor<3xi8>) {
  ^bb0(%in: i4, %out: i8):
    %v = arith.extsi %in : i4 to i8
    linalg.yield %v : i8
  } -> tensor<3xi8>
  %p = stablehlo.popcnt %u : tensor<3xui4>
  return %r, %p, %w : tensor<3xi4>, tensor<3xui4>, tensor<3xi8>
}

// CHECK-LABEL: func.func private @callee(%arg0: tensor<i8>) -> tensor<i8>
// CHECK-NEXT: stablehlo.maximum %arg0, %arg0 : tensor<i8>
func.func private @callee(%x: tensor<i2>) -> tensor<i2> {
  %m = stablehlo.maximum %x, %x : tensor<i2>
  return %m : tensor<i2>
}

// CHECK-LABEL: func.func @splat_and_call
// CHECK-NEXT: %[[C:.*]] = stablehlo.constant dense<-2> : tensor<i8>
// CHECK-NEXT: call @callee(%[[C]]) : (tensor<i8>) -> tensor<i8>
// CHECK-NEXT: stablehlo.broadcast_in_dim {{.*}} -> tensor<2xi8>
func.func @splat_and_call(%x: tensor<2xi8>) -> tensor<2xi8> {
  %c = stablehlo.constant dense<-2> : tensor<i2>
  %r = func.call @callee(%c) : (tensor<i2>) -> tensor<i2>
  %b = stablehlo.broadcast_in_dim %r, dims = [] : (tensor<i2>) -> tensor<2xi2>
  %y = stablehlo.convert %b : (tensor<2xi2>) -> tensor<2xi8>
  return %y : tensor<2xi8>
}
